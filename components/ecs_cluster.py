"""The ECS cluster the services run in, with Container Insights (per-task CPU, memory, task counts)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass
class EcsClusterArgs:
    # "enhanced" adds per-container metrics at a higher CloudWatch cost; "enabled" is the task level.
    container_insights: str = "enabled"


class EcsCluster(pulumi.ComponentResource):
    arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(self, name: str, args: EcsClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        if args.container_insights not in ("enabled", "enhanced"):
            raise ValueError("EcsClusterArgs.container_insights must be 'enabled' or 'enhanced'")
        super().__init__("launchpad:ecs_cluster:EcsCluster", name, None, opts)
        cluster = aws.ecs.Cluster(
            f"{name}-cluster",
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value=args.container_insights)],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = cluster.arn
        self.name = cluster.name
        self.register_outputs({"arn": self.arn, "name": self.name})
