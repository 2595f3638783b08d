"""The monthly cost estimate of a planned stack."""

from __future__ import annotations

from launchpad.cost.aws import AWS_PRICERS
from launchpad.cost.context import PlanIndex
from launchpad.cost.free import FREE_TYPES
from launchpad.cost.gcp import GCP_PRICERS
from launchpad.cost.model import CostEstimate, NotPriced, ResourceCost, Unpriced, component
from launchpad.cost.prices import AI_MODELS, PRICE_TABLE_DATE, PRICED_REGIONS, PRICES
from launchpad.cost.usage import Usage
from offline.program import ProgramRun

PRICERS = {**AWS_PRICERS, **GCP_PRICERS}


def _ai_costs(usage: Usage) -> list[ResourceCost]:
    costs = []
    for provider, (model, _price_in, _price_out) in AI_MODELS.items():
        tokens = usage.ai_tokens_per_month.get(provider) or {}
        if not (tokens.get("in") or tokens.get("out")):
            continue
        parts = [
            component(
                "prompt tokens", f"ai.{provider}.in", float(tokens.get("in", 0)) / 1e6, usage_based=True
            ),
            component(
                "completion tokens", f"ai.{provider}.out", float(tokens.get("out", 0)) / 1e6, usage_based=True
            ),
        ]
        costs.append(ResourceCost(f"{provider} ({model})", "ai-provider", parts))
    return costs


def estimate(run: ProgramRun, usage: Usage) -> CostEstimate:
    plan = PlanIndex(run.resources, usage)
    result = CostEstimate(run.stack, PRICE_TABLE_DATE, usage.source, [], _ai_costs(usage))
    for r in plan.resources:
        if r.type.startswith("pulumi:providers:"):
            continue
        pricer = PRICERS.get(r.type)
        if pricer is None:
            reason = FREE_TYPES.get(r.type)
            target = result.free if reason else result.unpriced
            target.append(Unpriced(r.name, r.type, reason or "no price in the table for this resource type"))
            continue
        try:
            result.resources.append(ResourceCost(r.name, r.type, pricer(r, plan)))
        except NotPriced as missing:
            result.unpriced.append(Unpriced(r.name, r.type, str(missing)))
    used = {c.price_key for item in result.resources for c in item.components}
    result.assumptions = sorted({PRICES[key].assumption for key in used if PRICES[key].assumption})
    result.assumptions += region_fallbacks(run.regions, {item.resource_type for item in result.resources})
    return result


def region_fallbacks(regions: dict[str, str], priced_types: set[str]) -> list[str]:
    """A statement per cloud whose priced resources are in a region the table has no prices for."""
    stated = []
    for cloud, priced in PRICED_REGIONS.items():
        region = regions.get(cloud)
        if region and region != priced and any(t.startswith(f"{cloud}:") for t in priced_types):
            stated.append(
                f"{cloud} resources are in {region}, which the price table does not cover: they are priced "
                f"at {priced} list prices, usually the cheapest region: take the {cloud} figures as a floor"
            )
    return stated
