"""The plan as JSON, versioned and described by docs/plan.schema.json. Secret inputs and outputs are
masked as `[secret]`, as the Pulumi CLI prints them."""

from __future__ import annotations

import json
from typing import Any

from launchpad.access.closure import document as access_document
from launchpad.cost.model import CostEstimate, ResourceCost
from launchpad.diff import PlanDiff
from launchpad.report import SCHEMA_VERSION, SECRET, PlanReport
from offline.mocks import Recorded


def _mask(value: Any, path: str, secret_paths: set[str]) -> Any:
    if path in secret_paths:
        return SECRET
    if isinstance(value, dict):
        return {k: _mask(v, f"{path}.{k}" if path else k, secret_paths) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, f"{path}[{i}]", secret_paths) for i, v in enumerate(value)]
    return value


def masked_inputs(resource: Recorded) -> dict[str, Any]:
    return _mask(resource.inputs, "", resource.secret_paths)


def _resource(r: Recorded) -> dict[str, Any]:
    return {
        "urn": r.urn,
        "type": r.type,
        "name": r.name,
        "parentType": r.parent_type or None,
        "custom": r.custom,
        "protect": r.protect,
        "inputs": masked_inputs(r) if r.custom else {},
    }


def _costs(items: list[ResourceCost]) -> list[dict[str, Any]]:
    return [
        {
            "name": item.name,
            "type": item.resource_type,
            "monthlyUsd": round(item.monthly, 4),
            "components": [
                {
                    "name": c.name,
                    "unit": c.unit,
                    "quantity": round(c.quantity, 6),
                    "unitPriceUsd": c.unit_price,
                    "monthlyUsd": round(c.monthly, 4),
                    "usageBased": c.usage_based,
                    "priceKey": c.price_key,
                }
                for c in item.components
            ],
        }
        for item in items
    ]


def cost_document(cost: CostEstimate) -> dict[str, Any]:
    return {
        "priceTableDate": cost.price_table_date,
        "usageSource": cost.usage_source,
        "assumptions": list(cost.assumptions),
        "cloudMonthlyUsd": round(cost.cloud_monthly, 2),
        "externalMonthlyUsd": round(cost.external_monthly, 2),
        "totalMonthlyUsd": round(cost.total_monthly, 2),
        "resources": _costs(cost.resources),
        "external": _costs(cost.external),
        "free": [{"name": u.name, "type": u.resource_type, "reason": u.reason} for u in cost.free],
        "unpriced": [{"name": u.name, "type": u.resource_type, "reason": u.reason} for u in cost.unpriced],
    }


def diff_document(diff: PlanDiff | None) -> dict[str, Any] | None:
    if diff is None:
        return None
    return {
        "base": diff.base,
        "added": diff.added,
        "removed": diff.removed,
        "changed": [{"key": c.key, "paths": c.paths} for c in diff.changed],
        "baseCloudMonthlyUsd": round(diff.base_cost, 2),
        "headCloudMonthlyUsd": round(diff.head_cost, 2),
        "costDeltaUsd": round(diff.cost_delta, 2),
    }


def document(report: PlanReport) -> dict[str, Any]:
    findings = report.findings
    return {
        "schemaVersion": SCHEMA_VERSION,
        "stack": report.stack,
        "configSource": report.config_source,
        "policyConfig": report.policy_config,
        "overrides": report.overrides,
        "summary": {
            "cloudResources": len(report.cloud_resources),
            "findings": len(findings),
            "mandatory": sum(f.blocking for f in findings),
            "advisory": sum(not f.blocking for f in findings),
            "waived": sum(not w.expired for w in report.waivers),
            "cloudMonthlyUsd": round(report.cost.cloud_monthly, 2),
        },
        "resources": [_resource(r) for r in report.resources],
        "findings": [
            {
                "rule": f.rule,
                "severity": f.severity,
                "enforcement": f.enforcement,
                "category": f.category,
                "resource": f.resource,
                "resourceType": f.resource_type,
                "urn": f.urn,
                "message": f.message,
                "remediation": f.remediation,
                "url": f.url,
                "tags": list(f.tags),
            }
            for f in findings
        ],
        "waivers": [
            {
                "rule": w.waiver.rule,
                "resource": w.resource,
                "justification": w.waiver.justification,
                "expires": w.waiver.expires.isoformat(),
                "expired": w.expired,
            }
            for w in report.waivers
        ],
        "deployIdentities": access_document(report.access),
        "destroyBlockers": [
            {"resource": b.resource, "type": b.resource_type, "reason": b.reason} for b in report.blockers
        ],
        "outputs": report.outputs,
        "cost": cost_document(report.cost),
        "diff": diff_document(report.diff),
    }


def render(report: PlanReport) -> str:
    return json.dumps(document(report), indent=2, default=str, sort_keys=False) + "\n"
