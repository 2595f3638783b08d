"""RDS: enhanced monitoring intervals, storage autoscaling and the memory of instance classes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# RDS enhanced monitoring intervals; 0 turns it off
# (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html, MonitoringInterval).
RDS_MONITORING_INTERVALS = (0, 1, 5, 10, 15, 30, 60)
# Automated backups are kept 0-35 days; 0 turns them off (CreateDBInstance, BackupRetentionPeriod;
# terraform-provider-aws internal/service/rds/instance.go); 1-35 keeps them on.
RDS_BACKUP_RETENTION_DAYS = (0, 35)
RDS_BACKUPS_ON_DAYS = (1, RDS_BACKUP_RETENTION_DAYS[1])


# Storage autoscaling: the maximum storage threshold must be at least 10 % above the allocated storage, or
# RDS refuses it ("Invalid max storage size for engine"); 0 turns autoscaling off
# (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html).
def rds_max_storage_floor(allocated_gb: int) -> int:
    """The least maximum storage threshold RDS accepts above `allocated_gb` (whole GiB)."""
    return -(-allocated_gb * 11 // 10)  # ceil(allocated x 1.1) in integers: 1.1 is not exact in binary


# Memory of RDS instance classes, in GiB, from the class name: burstable (t3, t4g) sizes have fixed memory;
# general purpose (m*) has 4 GiB, memory optimized (r*) 8 GiB and x2g 16 GiB per vCPU, with 2 vCPUs in a
# `large`, 4 in an `xlarge` and 4N in an `Nxlarge` (https://aws.amazon.com/rds/instance-types/).
_BURSTABLE_GIB = {"micro": 1, "small": 2, "medium": 4, "large": 8, "xlarge": 16, "2xlarge": 32}
_GIB_PER_VCPU = {"m": 4, "r": 8, "x": 16}


def rds_memory_gib(instance_class: str) -> int | None:
    """The class's memory, or None when the name is not a class RDS offers (db.m5.micro, db.t4g.4xlarge)."""
    parts = instance_class.split(".")
    if len(parts) != 3 or parts[0] != "db":
        return None
    family, size = parts[1], parts[2]
    if family in ("t3", "t4g"):
        return _BURSTABLE_GIB.get(size)
    per_vcpu = _GIB_PER_VCPU.get(family[0])
    if per_vcpu is None:
        return None
    if size == "large":
        return 2 * per_vcpu
    multiple = size.removesuffix("xlarge")
    if size.endswith("xlarge") and (multiple == "" or multiple.isdigit()):
        return 4 * (int(multiple) if multiple else 1) * per_vcpu
    return None


@dataclass(frozen=True)
class StorageHeadroom:
    """RDS storage autoscaling: `maximum` 0/absent (off) or at least `floor(allocated)`."""

    maximum: str
    allocated: str

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        top, allocated = props.get(self.maximum), props.get(self.allocated)
        if not top or allocated is None:
            return []
        least = rds_max_storage_floor(int(allocated))
        if int(top) >= least:
            return []
        return [f"{self.maximum} {top} is under {least}, 10 % above {self.allocated} {allocated}"]
