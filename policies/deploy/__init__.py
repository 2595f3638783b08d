"""Deploy constraints: what the providers and cloud APIs refuse at create time, as CrossGuard rules.

The table rows (`aws_table.py`, `gcp_table.py`) and the cross-resource rules (`cross.py`) become one
mandatory policy each, so `pulumi preview --policy-pack policies` and the offline plan report the same
thing. A property unknown during a real preview makes pulumi_policy report its rule as "can't run during
preview" (advisory); the offline plan knows every value.
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from policies.deploy.aws_table import AWS_LIMITS
from policies.deploy.checks import Limit
from policies.deploy.cross import CROSS_RULES
from policies.deploy.gcp_table import GCP_LIMITS
from policies.deploy.monitoring_table import MONITORING_LIMITS

LIMITS: tuple[Limit, ...] = (*AWS_LIMITS, *GCP_LIMITS, *MONITORING_LIMITS)
WHEN = {"preview": "the provider refuses it at preview", "up": "the cloud API refuses it at `pulumi up`"}


def limit_policy(limit: Limit) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type == limit.resource_type:
            for problem in limit.problems(args.props):
                report_violation(f"{problem} ({WHEN[limit.at]}; {limit.source})", None)

    where = f"{limit.resource_type.rsplit(':', 1)[-1]}.{limit.path}" if limit.path else limit.resource_type
    return ResourceValidationPolicy(
        name=limit.id,
        description=f"Deploy constraint on {where}.",
        validate=validate,
        enforcement_level=EnforcementLevel.MANDATORY,
    )


def _stack_rule(name: str, description: str, rule: object, source: str) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        def report(message: str, urn: str | None = None) -> None:
            report_violation(f"{message} ({source})", urn)

        rule(args, report)  # type: ignore[operator]

    return StackValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=EnforcementLevel.MANDATORY
    )


DEPLOY_POLICIES: list[Policy] = [
    *(limit_policy(limit) for limit in LIMITS),
    *(_stack_rule(*rule) for rule in CROSS_RULES),
]
