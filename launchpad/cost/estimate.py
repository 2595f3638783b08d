"""The monthly cost estimate of a planned stack."""

from __future__ import annotations

from launchpad.cost.aws import AWS_PRICERS
from launchpad.cost.context import PlanIndex
from launchpad.cost.free import FREE_TYPES
from launchpad.cost.gcp import GCP_PRICERS
from launchpad.cost.model import CostEstimate, NotPriced, ResourceCost, Unpriced, component
from launchpad.cost.prices import AI_MODELS, PRICE_TABLE_DATE, PRICES
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
    return result
