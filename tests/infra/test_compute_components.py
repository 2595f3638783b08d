"""Compute components refuse contradictory arguments before any resource exists."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from app import contract
from components.aws.capacity import CapacityShare, placement
from components.aws.ecr_repository import EcrRepository, EcrRepositoryArgs
from components.aws.ecs_cluster import EcsCluster, EcsClusterArgs
from components.aws.fargate_service import Container, FargateService, FargateServiceArgs
from components.aws.load_balancer import HttpsArgs, LoadBalancer, LoadBalancerArgs
from components.aws.scheduled_run import Schedule
from components.aws.service_scaling import Backlog, Scaling, validate_scaling
from components.aws.waf import Waf, WafArgs
from targets.aws.alarm_catalogue import APP_METRICS

WORKER = FargateServiceArgs(
    workload="worker",
    cluster_arn="arn:aws:ecs:us-east-1:123456789012:cluster/c",
    cluster_name="c",
    container=Container(
        image="r@sha256:" + "0" * 64,
        command=["run"],
        environment={},
        secrets={},
        stop_timeout=120,
        run_as="10001:10001",
        writable_paths=["/tmp"],
    ),
    cpu=256,
    memory=512,
    cpu_architecture="ARM64",
    subnet_ids=["subnet-1"],
    security_group_ids=["sg-1"],
    assign_public_ip=False,
    kms_key_arn="arn:aws:kms:us-east-1:123456789012:key/k",
    repository_arn="arn:aws:ecr:us-east-1:123456789012:repository/r",
    log_retention_days=7,
    capacity=placement("spot", on_demand_floor=1),
    scaling=Scaling(min_count=1, max_count=2, desired_count=1),
)
QUEUE = Backlog(
    published=APP_METRICS,
    metric_name=contract.QUEUE_DEPTH.name,
    consumers_metric_name=contract.QUEUE_WORKERS.name,
    dimensions={contract.DIM.SERVICE: contract.SERVICE_NAME, contract.DIM.ENVIRONMENT: "development"},
    per_task=10,
)


@pytest.mark.parametrize(
    "change",
    [
        {"workload": "web"},  # no target group or port
        {"target_group_arn": "arn:tg"},  # a worker behind a load balancer
        {"container": replace(WORKER.container, stop_timeout=300)},  # beyond Fargate's 120 s
        {"scaling": None},
        {"scaling": Scaling(min_count=3, max_count=2, desired_count=2)},
        {"schedule": Schedule(cron="cron(0 2 * * ? *)", timezone="UTC")},  # a schedule on a service
        {"container": replace(WORKER.container, migrate_command=["migrate"])},  # only web migrates
        {"capacity": ()},  # no capacity provider at all
        {"capacity": (CapacityShare("FARGATE", 1, base=1), CapacityShare("FARGATE_SPOT", 1, base=1))},
        {"capacity": (CapacityShare("FARGATE", 0), CapacityShare("FARGATE_SPOT", 0))},  # nothing placed
        {"capacity": (CapacityShare("EC2_SPOT", 1),)},
        {"scaling": Scaling(min_count=0, max_count=2, desired_count=0)},  # nothing would start it again
        {"scaling": Scaling(min_count=0, max_count=2, desired_count=0, backlog=QUEUE, idle_minutes=0)},
        {"scaling": Scaling(1, 2, 1, backlog=replace(QUEUE, metric_name="jobs_waiting"))},  # not published
        {"scaling": Scaling(0, 2, 0, backlog=replace(QUEUE, consumers_metric_name="workers_up"))},
    ],
)
def test_fargate_service_refuses_contradictions(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        FargateService("svc", replace(WORKER, **change))


def test_a_worker_that_scales_to_zero_on_a_published_backlog_is_accepted() -> None:
    validate_scaling(Scaling(min_count=0, max_count=2, desired_count=0, backlog=QUEUE))


def test_a_cluster_offers_on_demand_fargate_and_nothing_but_fargate() -> None:
    for providers in (("FARGATE_SPOT",), ("FARGATE", "EC2")):
        with pytest.raises(ValueError, match="capacity_providers"):
            EcsCluster("c", EcsClusterArgs(capacity_providers=providers))


LB = LoadBalancerArgs(
    vpc_id="vpc-1",
    subnet_ids=["subnet-1", "subnet-2"],
    container_port=8000,
    health_check_path="/health",
    deregistration_delay_seconds=10,
    deletion_protection=False,
)


@pytest.mark.parametrize(
    "change",
    [
        {"https": HttpsArgs("api.example.com")},  # neither zone nor certificate
        {"https": HttpsArgs("api.example.com", hosted_zone_id="Z1", certificate_arn="arn:cert")},
        {"health_check_path": "health"},
        {"container_port": 0},
    ],
)
def test_load_balancer_refuses_contradictions(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        LoadBalancer("lb", replace(LB, **change))


def test_waf_and_ecr_refuse_impossible_limits() -> None:
    with pytest.raises(ValueError):
        Waf("waf", WafArgs(resource_arn="arn:alb", requests_per_minute=5))
    with pytest.raises(ValueError):
        EcrRepository("repo", EcrRepositoryArgs(kms_key_arn="arn:key", keep_tagged_images=0))
