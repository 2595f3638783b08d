"""What every rule carries, what it reads, and how it behaves when a value is unknown during a preview."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from app import contract
from offline.mocks import Recorded
from offline.policy_check import check, load_pack_config
from offline.program import ProgramRun
from policies.base import ResourceRule, StackRule
from policies.meta import SECURITY_SEVERITY
from policies.rules import POLICIES, SECURITY_POLICIES
from policies.stack import PROBE_ROUTES
from policies.tagging import AWS_TAGGABLE, GCP_LABELABLE
from tests.infra.plan_query import Plan
from tests.infra.policy_cases import CASES
from tests.infra.sdk_names import Path, Recorder, sdk_classes, unknown_part

OPTIONS = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_every_rule_carries_severity_remediation_framework_and_tags(policy: Any) -> None:
    assert isinstance(policy, ResourceRule | StackRule)
    assert policy.severity in SECURITY_SEVERITY and policy.remediation_steps
    assert policy.framework is not None and policy.framework.name and policy.tags
    assert policy.config_schema is not None and "waivers" in policy.config_schema.properties


def test_catalogue_rules_name_their_scanner_ids_and_link_the_control() -> None:
    mapped = [p for p in SECURITY_POLICIES if p.meta.checkov or p.meta.fsbp]  # type: ignore[attr-defined]
    assert len(mapped) >= 45
    rds_public = next(p for p in POLICIES if p.name == "rds-not-public")
    assert (
        rds_public.url == "https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2"
    )
    assert "checkov:CKV_AWS_17" in (rds_public.tags or []) and rds_public.framework.reference == "RDS.2"


def _reads(plans: list[list[Recorded]]) -> dict[str, set[Path]]:
    """Every (resource type, property path) the rules read over `plans`."""
    log: dict[str, set[Path]] = defaultdict(set)
    for plan in plans:
        providers = {
            f"{r.urn}::{r.id}": PolicyProviderResource(
                r.type, Recorder(r.inputs, (), log[r.type]), r.urn, r.name
            )
            for r in plan
            if r.type.startswith("pulumi:providers:")
        }
        custom = [r for r in plan if r.custom]
        for policy in SECURITY_POLICIES:
            if isinstance(policy, ResourceRule):
                for r in custom:
                    props = Recorder(r.inputs, (), log[r.type])
                    policy.validate(
                        ResourceValidationArgs(r.type, props, r.urn, r.name, OPTIONS, None, {}), _ignore
                    )
            else:
                views = [
                    PolicyResource(r.type, Recorder(r.outputs, (), log[r.type]), r.urn, r.name, OPTIONS,
                                   providers.get(r.provider or ""), None, [], {})
                    for r in custom
                ]  # fmt: skip
                policy.validate(StackValidationArgs(views, {}), _ignore)
    return log


def _ignore(_message: str, _urn: str | None = None) -> None:
    pass


def test_every_property_a_rule_reads_is_an_engine_name_of_its_type(dev: Plan, prod_gcp: Plan) -> None:
    plans = [dev.resources, prod_gcp.resources] + [build() for case in CASES.values() for build in case]
    wrong = {
        (resource_type, path, part)
        for resource_type, paths in _reads(plans).items()
        for path in paths
        if (part := unknown_part(resource_type, path)) is not None
    }
    assert wrong == set()


def test_the_name_check_catches_a_snake_case_read() -> None:
    assert unknown_part("aws:rds/instance:Instance", ("publicly_accessible",)) == "publicly_accessible"
    assert unknown_part("aws:lb/targetGroup:TargetGroup", ("healthCheck", "path")) is None
    assert unknown_part("aws:lb/targetGroup:TargetGroup", ("healthCheck", "route")) == "route"


def _all_unknown(plan: list[Recorded]) -> list[Recorded]:
    for r in plan:
        r.inputs = r.outputs = {k: UNKNOWN_STRING_VALUE for k in r.inputs}
    return plan


@pytest.mark.parametrize("rule", sorted(CASES))
def test_an_unknown_value_is_reported_never_passed_or_crashed_on(rule: str) -> None:
    plan = _all_unknown(CASES[rule][0]())
    found = [v for v in check(ProgramRun("prod", plan, {}, []), load_pack_config("prod")) if v.policy == rule]
    assert found, f"{rule} passed a plan whose values are all unknown"
    unknown = [v for v in found if v.message.startswith("unknown until apply")]
    assert all(v.level == "advisory" for v in unknown)


@pytest.mark.parametrize(
    ("cloud", "field", "listed"), [("aws", "tags", AWS_TAGGABLE), ("gcp", "labels", GCP_LABELABLE)]
)
def test_the_taggable_lists_are_what_the_sdks_say(dev: Plan, prod_gcp: Plan, cloud, field, listed) -> None:
    created = {
        r.type for r in [*dev.resources, *prod_gcp.resources] if r.custom and r.type.startswith(f"{cloud}:")
    }
    assert created
    for resource_type in listed | created:
        _, args_class = sdk_classes(resource_type)
        assert (field in args_class.__init__.__code__.co_varnames) is (resource_type in listed), resource_type


def test_the_probe_routes_are_routes_the_app_serves() -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app

    with TestClient(create_app()) as client:
        statuses = {path: client.get(path).status_code for path in PROBE_ROUTES}
    assert (
        contract.LIVE_PATH in PROBE_ROUTES and 404 not in statuses.values() and 405 not in statuses.values()
    )
