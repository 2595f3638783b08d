"""Every deploy constraint refuses a violating plan, and every shipped or supported stack passes them all."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from cloud_facts.autonaming import AWS_EXCEPTIONS, AWS_NAMED, DOCKER_AUTONAMED, GCP_AUTONAMED, autoname_for
from offline.mocks import Recorded
from offline.policy_check import AUTONAME_POLICY, Violation, check, mandatory
from offline.program import ProgramRun, run_program
from offline.stack_files import load_stack_config
from policies.deploy import LIMITS
from policies.deploy.cross import CROSS_RULES
from tests.infra.conftest import GCP_PROJECT
from tests.infra.deploy_violations import VIOLATIONS


def _plan(resource_type: str, props: dict[str, Any]) -> ProgramRun:
    urn = f"urn:pulumi:dev::launchpad::{resource_type}::r"
    return ProgramRun("dev", [Recorded(resource_type, "r", props, props, None, True, "id", urn=urn)], {}, [])


def test_every_constraint_has_a_violating_case() -> None:
    assert set(VIOLATIONS) == {limit.id for limit in LIMITS}


@pytest.mark.parametrize("limit", LIMITS, ids=lambda limit: limit.id)
def test_each_constraint_refuses_its_violating_plan(limit: Any) -> None:
    found = [v for v in check(_plan(limit.resource_type, VIOLATIONS[limit.id])) if v.policy == limit.id]
    assert found and all(v.level == "mandatory" for v in found), limit.id
    assert limit.source in found[0].message  # the finding says where the rule is written down


def test_every_row_cites_a_source_and_when_it_bites() -> None:
    for limit in LIMITS:
        assert limit.source.startswith("https://"), limit.id
        assert limit.at in ("preview", "up"), limit.id


def test_a_value_unknown_during_preview_is_reported_not_passed() -> None:
    found = check(_plan("aws:lb/loadBalancer:LoadBalancer", {"name": UNKNOWN_STRING_VALUE}))
    unknown = [v for v in found if v.policy == "aws-lb-name"]
    assert [v.level for v in unknown] == ["advisory"] and "unknown until apply" in unknown[0].message


@pytest.mark.parametrize(
    ("rule", "prop", "name_max"),
    [
        ("aws-iam-role-name-prefix", "namePrefix", 64),
        ("aws-s3-bucket-prefix", "bucketPrefix", 63),
        ("aws-rds-identifier-prefix", "identifierPrefix", 63),
    ],
)
def test_a_name_prefix_leaves_room_for_the_26_characters_terraform_appends(
    rule: str, prop: str, name_max: int
) -> None:
    [limit] = [limit for limit in LIMITS if limit.id == rule]

    def refused(prefix: str) -> bool:
        return any(v.policy == rule for v in check(_plan(limit.resource_type, {prop: prefix})))

    assert not refused("a" * (name_max - 26)) and refused("a" * (name_max - 25))


@pytest.mark.parametrize(
    ("rule", "prop", "accepted", "refused"),
    [
        # Fractions count (a protobuf Duration has up to 9 digits of them); one day at least, no maximum.
        ("gcp-kms-rotation-period", "rotationPeriod", ["86400s", "86400.000000001s", "9999999s"],
         ["86399.5s", "86400.0000000001s", "1d"]),
        ("gcp-scheduler-attempt-deadline", "attemptDeadline", ["15s", "1800s"], ["14.9s", "1800.5s"]),
    ],
)  # fmt: skip
def test_durations_are_read_as_protobuf_durations(
    rule: str, prop: str, accepted: list[str], refused: list[str]
) -> None:
    [limit] = [limit for limit in LIMITS if limit.id == rule]

    def found(value: str) -> bool:
        return any(v.policy == rule for v in check(_plan(limit.resource_type, {prop: value})))

    assert [value for value in accepted if found(value)] == []
    assert [value for value in refused if not found(value)] == []


def _service(limits: dict[str, str], **template: Any) -> dict[str, Any]:
    gen2 = {"executionEnvironment": "EXECUTION_ENVIRONMENT_GEN2"}
    return {"template": {**gen2, **template, "containers": [{"resources": {"limits": limits}}]}}


@pytest.mark.parametrize(
    ("template", "refusal"),
    [
        (_service({"cpu": "1", "memory": "256Mi"}), "below the 512 MiB of the second generation"),
        (_service({"cpu": "1", "memory": "8Gi"}), "8192 MiB needs at least 2 CPUs"),
        (_service({"cpu": "8", "memory": "64Gi"}), "above Cloud Run's 32 GiB"),
        (_service({"cpu": "6", "memory": "25Gi"}), "needs at least 8 CPUs"),
        (_service({"cpu": "0.5", "memory": "512Mi"}), "needs maxInstanceRequestConcurrency 1"),
        (_service({"cpu": "3", "memory": "4Gi"}), "cpu 3 is not one of"),
    ],
)
def test_cloud_run_sizes_cloud_run_refuses_are_refused_in_the_plan(template: dict, refusal: str) -> None:
    run = _plan("gcp:cloudrunv2/service:Service", template)
    found = [v for v in check(run) if v.policy.endswith("limits")]
    assert any(refusal in v.message for v in found), [v.message for v in found]


@pytest.mark.parametrize(
    "template",
    [
        _service({"cpu": "1", "memory": "4Gi"}),
        _service({"cpu": "8", "memory": "32Gi"}),
        _service({"cpu": "0.5", "memory": "512Mi"}, maxInstanceRequestConcurrency=1),
        {"template": {"containers": [{"resources": {"limits": {"cpu": "1", "memory": "256Mi"}}}]}},  # gen1
    ],
)
def test_cloud_run_sizes_it_accepts_pass(template: dict) -> None:
    assert not [v for v in check(_plan("gcp:cloudrunv2/service:Service", template)) if "limits" in v.policy]


def _deploy_findings(run: ProgramRun) -> list[Violation]:
    ids = {limit.id for limit in LIMITS} | {rule[0] for rule in CROSS_RULES} | {AUTONAME_POLICY}
    return [v for v in check(run) if v.policy in ids]


SUPPORTED = [
    ("dev", "dev", {}),
    ("prod", "prod", {}),
    ("local", "local", {}),
    ("dev", "dev", {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}),
    ("prod", "prod", {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}),
    ("pr-12345", "dev", {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}),
    ("staging-eu-central-1", "dev", {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}),
    ("staging-eu-central-1", "prod", {"targets": ["aws", "gcp"], "gcp:project": GCP_PROJECT}),
    ("staging-eu-central-1", "local", {}),
]


@pytest.mark.parametrize(("stack", "source", "overrides"), SUPPORTED, ids=str)
def test_supported_stacks_break_no_deploy_constraint(stack: str, source: str, overrides: dict) -> None:
    config = load_stack_config(stack, config_from=source).with_overrides(overrides)
    assert _deploy_findings(run_program(stack, config)) == []


def test_an_autoname_past_pulumis_own_maximum_fails_as_the_preview_would() -> None:
    from pulumi.runtime.mocks import MockResourceArgs

    from offline.mocks import RecordingMocks

    mocks = RecordingMocks()
    name = "launchpad-staging-eu-central-1-lb-tg"
    mocks.new_resource(MockResourceArgs("aws:lb/targetGroup:TargetGroup", name, {}, "", "", True))
    [recorded] = mocks.resources
    assert recorded.inputs["name"].startswith(f"{name}-") and len(recorded.inputs["name"]) == len(name) + 8
    findings = mandatory(check(ProgramRun("dev", [recorded], {}, [])))
    assert [v.message for v in findings if v.policy == AUTONAME_POLICY] == [
        f"name '{name}-' plus 7 random chars is longer than maximum length 32 (shorten the logical name)"
    ]


def _input_names(resource_type: str) -> set[str]:
    """The engine (camelCase) input names of a resource type, from its SDK Args class."""
    import importlib
    import inspect

    package, module_path, class_name = resource_type.split(":")
    module = module_path.split("/")[0]
    sdk = importlib.import_module(f"pulumi_{package}" if module == "index" else f"pulumi_{package}.{module}")
    args_cls = getattr(sdk, f"{class_name}Args")
    names = [p for p in inspect.signature(args_cls.__init__).parameters if p not in ("self", "__self__")]
    return {n.split("_")[0] + "".join(part.title() for part in n.split("_")[1:]) for n in names}


AUTONAMED_TYPES = sorted(
    set(AWS_NAMED) | {t for t, r in AWS_EXCEPTIONS.items() if r} | set(GCP_AUTONAMED) | set(DOCKER_AUTONAMED)
)


@pytest.mark.parametrize("resource_type", AUTONAMED_TYPES)
def test_every_autonamed_property_is_an_input_of_its_type(resource_type: str) -> None:
    rule = autoname_for(resource_type)
    assert rule is not None
    assert rule.prop in _input_names(resource_type)
