"""ElastiCache: how long a replication group keeps its automatic snapshots."""

from __future__ import annotations

# Automatic snapshots are kept 0-35 days; 0 turns them off (CreateReplicationGroup, SnapshotRetentionLimit;
# terraform-provider-aws internal/service/elasticache/replication_group.go).
ELASTICACHE_SNAPSHOT_RETENTION_DAYS = (0, 35)
