"""The cost estimate, checked line by line against hand arithmetic on the price table."""

from __future__ import annotations

import pytest

from launchpad.cost.estimate import estimate
from launchpad.cost.model import CostEstimate
from launchpad.cost.prices import AI_MODELS, PRICES
from launchpad.cost.usage import load_usage
from offline.program import ProgramRun
from tests.infra.conftest import plan_with
from tests.infra.plan_query import Plan
from tests.infra.policy_cases import rec


def _item(cost: CostEstimate, name_end: str) -> dict[str, float]:
    item = next(r for r in cost.resources if r.name.endswith(name_end))
    return {c.name: round(c.monthly, 4) for c in item.components}


@pytest.fixture(scope="module")
def prod_cost(prod: Plan) -> CostEstimate:
    return estimate(prod.run, load_usage("prod"))


def test_multi_az_database_pays_two_instances_and_two_copies_of_storage(prod_cost: CostEstimate) -> None:
    assert _item(prod_cost, "-db-instance") == {
        "db.t4g.medium instance x2 (multi-AZ)": round(0.065 * 730 * 2, 4),  # 94.90
        "gp3 storage (50 GB x2)": round(50 * 0.115 * 2, 4),  # 11.50
        "RDS-managed master secret": 0.40,
    }


def test_web_tasks_pay_graviton_vcpu_and_memory_for_the_autoscaling_minimum(prod_cost: CostEstimate) -> None:
    assert _item(prod_cost, "-web-service") == {
        "Fargate arm vCPU (2 x 1)": round(2 * 1 * 730 * 0.03238, 4),  # 47.27
        "Fargate arm memory (2 x 2 GB)": round(2 * 2 * 730 * 0.00356, 4),  # 10.40
    }


def test_each_nat_gateway_pays_its_hours_and_a_third_of_the_traffic(prod_cost: CostEstimate) -> None:
    assert _item(prod_cost, "-nat-0") == {
        "NAT gateway hours": 32.85,
        "data processed": round(50 / 3 * 0.045, 4),
    }
    assert _item(prod_cost, "-nat-eip-0") == {"public IPv4 address": 3.65}


def test_valkey_nodes_cost_eight_tenths_of_redis(prod_cost: CostEstimate) -> None:
    [(name, monthly)] = _item(prod_cost, "-cache-group").items()
    assert name.startswith("cache.t4g.small nodes (2)") and monthly == round(2 * 730 * 0.032 * 0.8, 4)


def test_dev_tasks_without_nat_pay_for_their_public_addresses(dev: Plan) -> None:
    cost = estimate(dev.run, load_usage("dev"))
    assert _item(cost, "-worker-service")["public IPv4 per task (1)"] == 3.65


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
