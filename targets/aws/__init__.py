"""AWS target: `foundation` (key, network, buckets, secrets, database, cache, budget), `edge` (what faces
the internet: CloudFront or a public load balancer, WAF) and `compute` (ECR, ECS services).

`__main__` calls `build_foundation`, `ecr_registry` and `deploy_compute` in that order.
"""

from targets.aws.compute import REGISTRY_NAME, EcrRegistry, deploy_compute, ecr_registry
from targets.aws.foundation import Foundation, build_foundation, foundation_outputs

__all__ = [
    "REGISTRY_NAME",
    "EcrRegistry",
    "Foundation",
    "build_foundation",
    "deploy_compute",
    "ecr_registry",
    "foundation_outputs",
]
