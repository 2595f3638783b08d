"""Every rule of the pack, gathered from the modules where their resources live.

Security rules are mandatory everywhere. Availability and operations rules (multi-AZ, deletion
protection, backups, failover, access logs, WAF) are advisory by default and made mandatory for
production by `policies/config/prod.json`. Deploy constraints (`policies/deploy/`) are mandatory.
"""

from __future__ import annotations

from pulumi_policy import Policy

from policies.aws.ecr import ECR_POLICIES
from policies.aws.ecs import ECS_POLICIES
from policies.aws.elasticache import ELASTICACHE_POLICIES
from policies.aws.elb import ELB_POLICIES
from policies.aws.iam import IAM_POLICIES
from policies.aws.network import NETWORK_POLICIES
from policies.aws.observability import OBSERVABILITY_POLICIES
from policies.aws.rds import RDS_POLICIES
from policies.aws.s3 import S3_POLICIES
from policies.deploy import DEPLOY_POLICIES
from policies.gcp.cloud_run import CLOUD_RUN_POLICIES
from policies.gcp.data_stores import DATA_STORE_POLICIES
from policies.gcp.iam import GCP_IAM_POLICIES
from policies.gcp.storage import STORAGE_POLICIES
from policies.stack import STACK_POLICIES

AWS_POLICIES: list[Policy] = [
    *S3_POLICIES,
    *RDS_POLICIES,
    *ELASTICACHE_POLICIES,
    *ECS_POLICIES,
    *ECR_POLICIES,
    *ELB_POLICIES,
    *NETWORK_POLICIES,
    *IAM_POLICIES,
    *OBSERVABILITY_POLICIES,
]
GCP_POLICIES: list[Policy] = [
    *CLOUD_RUN_POLICIES,
    *GCP_IAM_POLICIES,
    *DATA_STORE_POLICIES,
    *STORAGE_POLICIES,
]
SECURITY_POLICIES: list[Policy] = [*AWS_POLICIES, *GCP_POLICIES, *STACK_POLICIES]
POLICIES: list[Policy] = [*SECURITY_POLICIES, *DEPLOY_POLICIES]
BY_NAME: dict[str, Policy] = {p.name: p for p in POLICIES}
