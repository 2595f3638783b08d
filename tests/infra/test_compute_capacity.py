"""Where the tasks run: each service's and the nightly job's capacity provider strategy follows its setting,
on a cluster associated with both Fargate providers before anything names them."""

from __future__ import annotations

import typing

import pytest

from components.aws.capacity import CapacityMode
from stack_config import ConfigError, parse_settings
from stack_config.compute import Capacity
from tests.infra.conftest import plan_with, raw_config
from tests.infra.ecs_plan import SCHEDULE, service
from tests.infra.plan_query import Plan

ASSOCIATION = "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders"
ON_DEMAND = [{"capacityProvider": "FARGATE", "base": 0, "weight": 1}]
SPOT = [{"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 1}]


def _strategy(items: list[dict]) -> list[dict]:
    """Strategy items with whole numbers (the engine hands numbers over as floats), by provider."""
    whole = [{k: v if k == "capacityProvider" else int(v) for k, v in item.items()} for item in items]
    return sorted(whole, key=lambda item: item["capacityProvider"])


def _nightly(plan: Plan) -> list[dict]:
    return _strategy(plan.one(SCHEDULE).inputs["target"]["ecsParameters"]["capacityProviderStrategies"])


def test_the_config_and_the_components_offer_the_same_capacity_modes() -> None:
    assert typing.get_args(Capacity) == typing.get_args(CapacityMode) == ("fargate", "spot", "mixed")


@pytest.mark.parametrize(("stack", "web", "worker"), [("dev", SPOT, SPOT), ("prod", ON_DEMAND, ON_DEMAND)])
def test_the_shipped_stacks_place_each_service_as_configured(
    request: pytest.FixtureRequest, stack: str, web: list[dict], worker: list[dict]
) -> None:
    plan = request.getfixturevalue(stack)
    assert _strategy(service(plan, "web").inputs["capacityProviderStrategies"]) == web
    assert _strategy(service(plan, "worker").inputs["capacityProviderStrategies"]) == worker
    assert _nightly(plan) == worker  # the nightly job runs on the worker's capacity


def test_mixed_keeps_the_autoscaling_minimum_on_demand_and_puts_most_of_the_rest_on_spot() -> None:
    plan = plan_with("prod", {"webCapacity": "mixed", "workerCapacity": "mixed"})
    settings = parse_settings(raw_config("prod"))
    floor = {"capacityProvider": "FARGATE", "base": settings.web_min_count, "weight": 1}
    assert _strategy(service(plan, "web").inputs["capacityProviderStrategies"]) == [
        floor,
        {"capacityProvider": "FARGATE_SPOT", "base": 0, "weight": 3},
    ]
    worker = _strategy(service(plan, "worker").inputs["capacityProviderStrategies"])
    assert worker[0] == {"capacityProvider": "FARGATE", "base": settings.worker_min_count, "weight": 1}
    # A single nightly run is the floor: it runs on-demand.
    assert _nightly(plan)[0] == {"capacityProvider": "FARGATE", "base": 1, "weight": 1}


def test_services_name_a_strategy_never_a_launch_type_and_may_switch_it_in_place(stack_plan: Plan) -> None:
    for role in ("web", "worker"):
        inputs = service(stack_plan, role).inputs
        assert "launchType" not in inputs and inputs["capacityProviderStrategies"]
        # terraform-provider-aws refuses a changed strategy at preview without a forced new deployment.
        assert inputs["forceNewDeployment"] is True
    assert "launchType" not in stack_plan.one(SCHEDULE).inputs["target"]["ecsParameters"]


def test_the_cluster_offers_both_providers_before_services_and_the_schedule_use_them(
    stack_plan: Plan,
) -> None:
    association = stack_plan.one(ASSOCIATION)
    cluster = stack_plan.one("aws:ecs/cluster:Cluster")
    assert association.inputs["clusterName"] == cluster.outputs["name"]
    assert sorted(association.inputs["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    assert _strategy(association.inputs["defaultCapacityProviderStrategies"]) == [
        {"capacityProvider": "FARGATE", "weight": 1}
    ]
    for user in (service(stack_plan, "web"), service(stack_plan, "worker"), stack_plan.one(SCHEDULE)):
        assert association.urn in user.dependencies, user.name


@pytest.mark.parametrize(
    ("overrides", "key"),
    [({"webCapacity": "spotty"}, "webCapacity"), ({"workerCapacity": "FARGATE_SPOT"}, "workerCapacity")],
)
def test_an_unknown_capacity_names_its_key_and_the_choices(overrides: dict, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(raw_config("dev", **overrides))
    [problem] = caught.value.problems
    assert problem.startswith(f"launchpad:{key}:")
    assert f"Fix: pulumi config set {key} fargate|spot|mixed" in problem


def test_arm64_tasks_may_run_on_spot() -> None:
    # Fargate Spot has run ARM64 (Graviton) tasks since 2024-09 (cloud_facts/aws/ecs.py).
    settings = parse_settings(raw_config("dev", cpuArchitecture="arm64", webCapacity="spot"))
    assert (settings.cpu_architecture, settings.web_capacity) == ("arm64", "spot")
