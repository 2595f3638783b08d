"""Deploy constraints: what the providers and cloud APIs refuse at create time, as CrossGuard rules.

The table rows (`aws/`, `gcp_table.py`, `gcp_data_table.py`) and the cross-resource rules (`cross.py`,
`gcp_cross.py`) become one mandatory policy each, so `pulumi preview --policy-pack policies` and the
offline plan report the same thing. The facts the rows hold resources to (limits, enumerations, formats)
live in `cloud_facts/`, which the program reads too. A property unknown during a real preview makes
pulumi_policy report its rule as "can't run during preview" (advisory); the offline plan knows every value.
"""

from __future__ import annotations

from pulumi_policy import Policy, ReportViolation, Severity, StackValidationArgs

from policies.base import MANDATORY, ResourceRule, StackCheck, StackRule
from policies.deploy.aws import AWS_LIMITS
from policies.deploy.cross import CROSS_RULES
from policies.deploy.gcp_cross import GCP_CROSS_RULES
from policies.deploy.gcp_data_table import GCP_DATA_LIMITS
from policies.deploy.gcp_table import GCP_LIMITS
from policies.deploy.limit import Limit
from policies.deploy.monitoring_table import MONITORING_LIMITS
from policies.meta import RuleMeta

LIMITS: tuple[Limit, ...] = (*AWS_LIMITS, *GCP_LIMITS, *GCP_DATA_LIMITS, *MONITORING_LIMITS)
WHEN = {"preview": "the provider refuses it at preview", "up": "the cloud API refuses it at `pulumi up`"}


def _where(limit: Limit) -> str:
    return f"{limit.resource_type.rsplit(':', 1)[-1]}.{limit.path}" if limit.path else limit.resource_type


def limit_policy(limit: Limit) -> ResourceRule:
    meta = RuleMeta(
        limit.id,
        f"Deploy constraint on {_where(limit)}.",
        # A deploy that fails half-way leaves a stack to repair by hand.
        Severity.HIGH,
        f"Change {_where(limit)} to a value the cloud accepts (see {limit.source}).",
        category="deploy",
        url=limit.source,
    )
    return ResourceRule(
        meta,
        (limit.resource_type,),
        lambda props, _config: [f"{p} ({WHEN[limit.at]}; {limit.source})" for p in limit.problems(props)],
        MANDATORY,
        None,
    )


def _stack_rule(name: str, description: str, rule: StackCheck, source: str) -> StackRule:
    def check(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        def report(message: str, urn: str | None = None) -> None:
            report_violation(f"{message} ({source})", urn)

        rule(args, report)

    meta = RuleMeta(name, description, Severity.HIGH, f"See {source}.", category="deploy", url=source)
    return StackRule(meta, check, MANDATORY, None)


DEPLOY_POLICIES: list[Policy] = [
    *(limit_policy(limit) for limit in LIMITS),
    *(_stack_rule(*rule) for rule in (*CROSS_RULES, *GCP_CROSS_RULES)),
]
