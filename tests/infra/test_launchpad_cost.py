"""The cost estimate, checked line by line against hand arithmetic on the price table."""

from __future__ import annotations

import pytest

from launchpad.cost.estimate import estimate
from launchpad.cost.model import CostEstimate
from launchpad.cost.prices import AI_MODELS, PRICES, SECONDS_PER_MONTH
from launchpad.cost.usage import load_usage
from offline.mocks import Recorded
from offline.program import ProgramRun
from tests.infra.conftest import plan_with
from tests.infra.plan_query import Plan
from tests.infra.policy_plans import rec


def _item(cost: CostEstimate, name_end: str) -> dict[str, float]:
    item = next(r for r in cost.resources if r.name.endswith(name_end))
    return {c.name: round(c.monthly, 4) for c in item.components}


@pytest.fixture(scope="module")
def prod_cost(prod: Plan) -> CostEstimate:
    return estimate(prod.run, load_usage("prod"))


def test_multi_az_database_pays_two_instances_and_two_copies_of_storage(prod_cost: CostEstimate) -> None:
    assert _item(prod_cost, "-db-instance") == {
        "db.t4g.small instance x2 (multi-AZ)": round(0.032 * 730 * 2, 4),  # 46.72
        "gp3 storage (20 GB x2)": round(20 * 0.115 * 2, 4),  # 4.60
        "RDS-managed master secret": 0.40,
    }


def test_web_tasks_pay_graviton_vcpu_and_memory_for_the_autoscaling_minimum(prod_cost: CostEstimate) -> None:
    assert _item(prod_cost, "-web-service") == {
        "Fargate arm vCPU (2 x 1)": round(2 * 1 * 730 * 0.03238, 4),  # 47.27
        "Fargate arm memory (2 x 2 GB)": round(2 * 2 * 730 * 0.00356, 4),  # 10.40
    }


def test_each_nat_gateway_pays_its_hours_and_half_the_traffic(prod_cost: CostEstimate) -> None:
    assert _item(prod_cost, "-nat-0") == {
        "NAT gateway hours": 32.85,
        "data processed": round(50 / 2 * 0.045, 4),  # two zones, a gateway each
    }
    assert _item(prod_cost, "-nat-eip-0") == {"public IPv4 address": 3.65}


def test_valkey_nodes_cost_eight_tenths_of_redis(prod_cost: CostEstimate) -> None:
    [(name, monthly)] = _item(prod_cost, "-cache-group").items()
    assert name.startswith("cache.t4g.small nodes (2)") and monthly == round(2 * 730 * 0.032 * 0.8, 4)


def test_cloudfronts_standard_logs_are_priced_per_request_and_other_groups_share_the_rest(
    prod_cost: CostEstimate, prod: Plan
) -> None:
    usage = load_usage("prod")
    delivered = 5_000_000 * usage.edge_log_kb_per_request / 1024 / 1024  # 4.77 GB a month
    assert _item(prod_cost, "-cdn-access-logs") == {
        f"delivered ({usage.edge_log_kb_per_request:g} KB a request)": round(delivered * 0.50, 4),
        "stored": round(delivered * 365 / 30 * 0.03, 4),  # a year's retention at steady state
    }
    others = len(prod.of_type("aws:cloudwatch/logGroup:LogGroup")) - 1
    assert _item(prod_cost, "-web-logs")["ingested (share of the stack's)"] == round(20 / others * 0.50, 4)


@pytest.fixture(scope="module")
def dev_cost(dev: Plan) -> CostEstimate:
    return estimate(dev.run, load_usage("dev"))


SPOT = 0.35  # launchpad/cost/prices.py SPOT_DISCOUNT 0.65: an assumption, stated by the estimate


def test_web_tasks_on_spot_pay_the_assumed_spot_rate_and_their_public_address(dev_cost: CostEstimate) -> None:
    assert _item(dev_cost, "-web-service") == {
        "Fargate Spot arm vCPU (1 x 0.25)": round(0.25 * 730 * 0.03238 * SPOT, 4),  # 2.07
        "Fargate Spot arm memory (1 x 0.5 GB)": round(0.5 * 730 * 0.00356 * SPOT, 4),  # 0.45
        "public IPv4 per task (1)": 3.65,
    }


def test_a_worker_at_zero_pays_for_its_busy_hours_from_the_usage_file(dev_cost: CostEstimate) -> None:
    hours = load_usage("dev").worker_busy_hours_per_month
    assert hours == 30
    assert _item(dev_cost, "-worker-service") == {
        "Fargate Spot arm vCPU (1 x 0.25, 30 h)": round(0.25 * 30 * 0.03238 * SPOT, 4),
        "Fargate Spot arm memory (1 x 0.5 GB, 30 h)": round(0.5 * 30 * 0.00356 * SPOT, 4),
        "public IPv4 per task (1)": round(30 * 0.005, 4),
    }
    worker = next(r for r in dev_cost.resources if r.name.endswith("-worker-service"))
    assert all(c.usage_based for c in worker.components)


def test_the_nightly_run_pays_spot_for_its_hours_on_the_workers_capacity(dev_cost: CostEstimate) -> None:
    assert _item(dev_cost, "-nightly-schedule") == {
        "Fargate Spot arm vCPU (1 x 0.25, 15 h)": round(0.25 * 15 * 0.03238 * SPOT, 4),
        "Fargate Spot arm memory (1 x 0.5 GB, 15 h)": round(0.5 * 15 * 0.00356 * SPOT, 4),
        "public IPv4 while running": round(15 * 0.005, 4),
    }


def test_mixed_prices_the_on_demand_floor_and_three_quarters_of_the_rest_as_spot() -> None:
    plan = plan_with("prod", {"webCapacity": "mixed"})
    usage = load_usage("prod")
    busy = usage.__class__(**{**usage.__dict__, "web_tasks": 6})
    # webMinCount 2 on-demand; of the 4 above, 1 on-demand and 3 on Spot (weights 1 and 3).
    assert _item(estimate(plan.run, busy), "-web-service") == {
        "Fargate arm vCPU (3 x 1)": round(3 * 1 * 730 * 0.03238, 4),
        "Fargate arm memory (3 x 2 GB)": round(3 * 2 * 730 * 0.00356, 4),
        "Fargate Spot arm vCPU (3 x 1)": round(3 * 1 * 730 * 0.03238 * SPOT, 4),
        "Fargate Spot arm memory (3 x 2 GB)": round(3 * 2 * 730 * 0.00356 * SPOT, 4),
    }


def test_an_estimate_using_spot_says_its_price_is_assumed(
    dev_cost: CostEstimate, prod_cost: CostEstimate
) -> None:
    assert dev_cost.assumptions == [PRICES["fargate_spot.arm.vcpu_hour"].assumption]
    assert dev_cost.assumptions[0].startswith("Fargate Spot is priced at 35 % of on-demand")
    assert prod_cost.assumptions == []  # on-demand only: every price is a list price
    spot_rows = [p for key, p in PRICES.items() if key.startswith("fargate_spot.")]
    assert len(spot_rows) == 4 and all(
        p.source.startswith("added") and p.confidence == "low" for p in spot_rows
    )
    assert PRICES["fargate_spot.x86.vcpu_hour"].usd == round(0.04048 * SPOT, 8)


def test_cloudfront_charges_only_past_its_free_tier() -> None:
    run = ProgramRun("prod", [rec("aws:cloudfront/distribution:Distribution", "cdn", {})], {}, [])
    usage = load_usage("prod")
    heavy = usage.__class__(**{**usage.__dict__, "requests_per_month": 30_000_000, "response_kb": 100})
    gb_out = 30_000_000 * 100 / 1024 / 1024  # 2,861 GB
    assert _item(estimate(run, heavy), "cdn") == {
        "data out beyond the free 1 TB": round((gb_out - 1024) * 0.085, 4),
        "HTTPS requests beyond the free 10 M": round(2_000 * 0.01, 4),
    }


def test_a_resource_without_a_price_is_listed_never_counted_as_zero() -> None:
    plan = plan_with("dev", {"dbInstanceClass": "db.r7g.large"})
    cost = estimate(plan.run, load_usage("dev"))
    assert [(u.name, u.reason) for u in cost.unpriced] == [
        ("launchpad-dev-db-instance", "no price for db.r7g.large in the table")
    ]
    assert not [r for r in cost.resources if r.name == "launchpad-dev-db-instance"]


def test_every_planned_resource_is_priced_free_or_unpriced(prod_gcp: Plan) -> None:
    cost = estimate(prod_gcp.run, load_usage("prod"))
    listed = [r.name for r in cost.resources] + [u.name for u in cost.free + cost.unpriced]
    planned = [r.name for r in prod_gcp.resources if r.custom and not r.type.startswith("pulumi:providers:")]
    assert sorted(listed) == sorted(planned) and cost.unpriced == []


def test_ai_prices_are_the_apps_own() -> None:
    from app.core.config import Settings

    prices = Settings().model_prices
    for model, price_in, price_out in AI_MODELS.values():
        assert (prices[model].input_per_mtok, prices[model].output_per_mtok) == (price_in, price_out)


def test_monitoring_prices_are_the_ones_the_stack_outputs_report() -> None:
    from targets.aws import monitoring
    from targets.gcp_monitoring import CONDITION_USD

    assert (PRICES["cloudwatch.alarm_metric"].usd, PRICES["cloudwatch.composite_alarm"].usd) == (
        monitoring.ALARM_METRIC_USD,
        monitoring.COMPOSITE_USD,
    )
    assert PRICES["cloudwatch.dashboard"].usd == monitoring.DASHBOARD_USD
    assert PRICES["gcp_monitoring.condition_month"].usd == CONDITION_USD


def test_every_price_names_its_source_and_confidence() -> None:
    assert all(p.source and p.confidence in ("high", "medium-high", "medium", "low") for p in PRICES.values())


def _pool(limits: dict[str, str]) -> Recorded:
    props = {
        "scaling": {"manualInstanceCount": 2},
        "template": {"containers": [{"resources": {"limits": limits}}]},
    }
    return rec("gcp:cloudrunv2/workerPool:WorkerPool", "pool", props)


@pytest.mark.parametrize(
    ("limits", "cpus", "gib"),
    [({"cpu": "1", "memory": "2Gi"}, 1, 2), ({"cpu": "500m", "memory": "512Mi"}, 0.5, 0.5), ({}, 1, 0.5)],
)
def test_cloud_run_sizes_are_read_as_cloud_run_reads_them(limits: dict, cpus: float, gib: float) -> None:
    cost = estimate(ProgramRun("prod", [_pool(limits)], {}, []), load_usage("prod"))
    [item] = cost.resources
    vcpu, memory = (c.quantity for c in item.components)
    assert (vcpu, memory) == (2 * SECONDS_PER_MONTH * cpus, 2 * SECONDS_PER_MONTH * gib)


def test_a_cloud_run_size_that_is_no_quantity_is_unpriced_not_a_crash() -> None:
    cost = estimate(ProgramRun("prod", [_pool({"cpu": "1", "memory": "lots"})], {}, []), load_usage("prod"))
    assert cost.resources == [] and [u.name for u in cost.unpriced] == ["pool"]
