"""What AWS and the AWS provider refuse at create time, for every AWS resource type the program makes.

Each row names its source: the terraform-provider-aws schema validator behind the pulumi-aws property
(it runs during `pulumi preview`), or the AWS API reference (only `pulumi up` meets it). Names are
checked as the engine sees them: an autonamed property carries the logical name plus "-" and 7
characters (see cloud_facts/autonaming.py), so a logical name too long for the limit fails here as it
would there.
The rows live by concern, one module per group of services.
"""

from __future__ import annotations

from policies.deploy.aws.capacity import CAPACITY_LIMITS
from policies.deploy.aws.compute_network import ECS_LIMITS, NETWORK_LIMITS
from policies.deploy.aws.data_stores import CACHE_LIMITS, DATABASE_LIMITS
from policies.deploy.aws.edge_operations import ALARM_LIMITS, EDGE_LIMITS, OPERATIONS_LIMITS
from policies.deploy.aws.identity_storage import IDENTITY_LIMITS, STORAGE_LIMITS
from policies.deploy.aws.load_balancing import LOAD_BALANCER_LIMITS
from policies.deploy.limit import Limit

AWS_LIMITS: tuple[Limit, ...] = (
    *LOAD_BALANCER_LIMITS,
    *CACHE_LIMITS,
    *DATABASE_LIMITS,
    *IDENTITY_LIMITS,
    *STORAGE_LIMITS,
    *ECS_LIMITS,
    *CAPACITY_LIMITS,
    *NETWORK_LIMITS,
    *EDGE_LIMITS,
    *OPERATIONS_LIMITS,
    *ALARM_LIMITS,
)
