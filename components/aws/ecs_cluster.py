"""The ECS cluster the services run in, with Container Insights (per-task CPU, memory, task counts) and
Fargate's two capacity providers, on-demand and Spot, associated so services may name either."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from cloud_facts.aws.ecs import FARGATE_ON_DEMAND, FARGATE_SPOT


@dataclass
class EcsClusterArgs:
    # "enhanced" adds per-container metrics at a higher CloudWatch cost; "enabled" is the task level.
    container_insights: str = "enabled"
    # what services may name in their strategies: Fargate, Fargate Spot
    capacity_providers: Sequence[str] = (FARGATE_ON_DEMAND, FARGATE_SPOT)


class EcsCluster(pulumi.ComponentResource):
    arn: pulumi.Output[str]
    name: pulumi.Output[str]
    # Services and schedules that name a capacity provider wait for this: CreateService refuses a provider
    # the cluster is not yet associated with.
    capacity_providers: aws.ecs.ClusterCapacityProviders

    def __init__(self, name: str, args: EcsClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        _validate(args)
        super().__init__("launchpad:ecs_cluster:EcsCluster", name, None, opts)
        cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value=args.container_insights)],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.capacity_providers = aws.ecs.ClusterCapacityProviders(
            f"{name}-capacity-providers",
            cluster_name=cluster.name,
            capacity_providers=list(args.capacity_providers),
            # What runs when a task names no strategy (an `aws ecs run-task` by hand): on-demand.
            default_capacity_provider_strategies=[
                aws.ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs(
                    capacity_provider=FARGATE_ON_DEMAND, weight=1
                )
            ],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = cluster.arn
        self.name = cluster.name
        self.register_outputs({"arn": self.arn, "name": self.name})


def _validate(args: EcsClusterArgs) -> None:
    if args.container_insights not in ("enabled", "enhanced"):
        raise ValueError("EcsClusterArgs.container_insights must be 'enabled' or 'enhanced'")
    unknown = set(args.capacity_providers) - {FARGATE_ON_DEMAND, FARGATE_SPOT}
    if unknown or FARGATE_ON_DEMAND not in args.capacity_providers:
        raise ValueError(
            f"EcsClusterArgs.capacity_providers: FARGATE and optionally FARGATE_SPOT, not {unknown}"
        )
