"""One Cloud Monitoring alert policy from an `AlertSpec`, as every Google Cloud alert of a stack is made.

Each policy carries a documentation block saying what it means, what to do first and where its runbook
section is, and closes an incident a day after its conditions stop holding. Several conditions are
combined with AND: every one must hold (the 5xx ratio only over enough requests, say).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_gcp import monitoring

Threshold = monitoring.AlertPolicyConditionConditionThresholdArgs
Aggregation = monitoring.AlertPolicyConditionConditionThresholdAggregationArgs


@dataclass(frozen=True)
class AlertSpec:
    role: str  # the logical name's suffix and the policy's key
    title: str
    severity: str  # CRITICAL, ERROR or WARNING
    conditions: tuple[Threshold, ...]  # all must hold (AND)
    means: str
    first: str
    runbook: str  # the runbook section's anchor
    condition_titles: tuple[str, ...] = ()  # one per condition; the title when there is one condition


def alert_policy(
    name: str,
    spec: AlertSpec,
    *,
    project: str,
    channels: Sequence[pulumi.Input[str]],
    runbook_url: str,
    opts: pulumi.ResourceOptions,
) -> monitoring.AlertPolicy:
    titles = spec.condition_titles or (spec.title,)
    return monitoring.AlertPolicy(
        f"{name}-{spec.role}",
        project=project,
        display_name=f"{name}: {spec.title}",
        combiner="AND" if len(spec.conditions) > 1 else "OR",
        severity=spec.severity,
        conditions=[
            monitoring.AlertPolicyConditionArgs(display_name=title, condition_threshold=condition)
            for title, condition in zip(titles, spec.conditions, strict=True)
        ],
        notification_channels=list(channels),
        documentation=monitoring.AlertPolicyDocumentationArgs(
            mime_type="text/markdown",
            subject=f"{name}: {spec.title}",
            content=f"{spec.means}\n\nFirst: {spec.first}\n\nRunbook: {runbook_url}#{spec.runbook}",
        ),
        # An incident whose condition no longer holds closes after a day even without new data.
        alert_strategy=monitoring.AlertPolicyAlertStrategyArgs(auto_close="86400s"),
        opts=opts,
    )


def alert_policies(
    name: str,
    specs: Sequence[AlertSpec],
    *,
    project: str,
    channels: Sequence[pulumi.Input[str]],
    runbook_url: str,
    opts: pulumi.ResourceOptions,
) -> int:
    """One policy per spec; returns their conditions, which Cloud Monitoring bills each a month."""
    for spec in specs:
        alert_policy(name, spec, project=project, channels=channels, runbook_url=runbook_url, opts=opts)
    return sum(len(spec.conditions) for spec in specs)
