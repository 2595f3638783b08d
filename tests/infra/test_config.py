"""Bad configuration fails before any resource exists, with one error naming every key and its fix."""

from __future__ import annotations

import types
import typing

import pytest
import yaml

import stack_config
from offline.program import run_program
from offline.stack_files import REPO_ROOT, load_stack_config
from stack_config import ConfigError, StackSettings, parse_settings


def _raw(stack: str, **changes: object) -> dict[str, object]:
    values = load_stack_config(stack).with_overrides(changes).values
    return {k.split(":", 1)[1]: v for k, v in values.items() if k.startswith("launchpad:")}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_real_stack_files_are_valid(stack: str) -> None:
    settings = parse_settings(_raw(stack))
    assert settings.owner and settings.cost_center


@pytest.mark.parametrize(
    ("key", "bad_value", "fix_mentions"),
    [
        ("azCount", 4, "azCount"),
        ("azCount", 1, "azCount"),
        ("vpcCidr", "10.0.0.0/33", "vpcCidr"),
        ("vpcCidr", "not-a-cidr", "vpcCidr"),
        ("vpcCidr", "10.0.0.0/8", "/16 to /24"),
        ("natStrategy", "double", "none|single|per_az"),
        ("dbInstanceClass", "m5.large", "dbInstanceClass"),
        ("dbInstanceClass", "db.t4g.gigantic", "dbInstanceClass"),
        ("dbEngineVersion", "seventeen", "dbEngineVersion"),
        ("dbEngineVersion", "9.6", "dbEngineVersion"),
        ("alertEmail", "ops-at-example.com", "alertEmail"),
        ("monthlyBudgetUsd", 0, "monthlyBudgetUsd"),
        ("monthlyBudgetUsd", -20, "monthlyBudgetUsd"),
        ("nightlyCron", "61 2 * * *", "nightlyCron"),
        ("nightlyTimezone", "Mars/Olympus", "nightlyTimezone"),
        ("corsOrigins", ["*"], "corsOrigins"),
        ("dbMonitoringIntervalSeconds", 7, "dbMonitoringIntervalSeconds"),
    ],
)
def test_each_invalid_value_is_reported_with_its_key_and_fix(
    key: str, bad_value: object, fix_mentions: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(_raw("dev", **{key: bad_value}))
    problem = next(p for p in caught.value.problems if p.startswith(f"launchpad:{key}:"))
    assert fix_mentions in problem
    assert "Fix:" in problem


@pytest.mark.parametrize(
    ("allocated", "maximum", "refused"), [(50, 50, True), (50, 54, True), (50, 55, False)]
)
def test_storage_autoscaling_needs_ten_percent_headroom(allocated: int, maximum: int, refused: bool) -> None:
    # RDS refuses a maximum storage threshold less than 10 % above the allocated storage (CreateDBInstance).
    raw = _raw("prod", dbAllocatedStorageGb=allocated, dbMaxAllocatedStorageGb=maximum)
    if not refused:
        assert parse_settings(raw).db_max_allocated_storage_gb == maximum
        return
    with pytest.raises(ConfigError) as caught:
        parse_settings(raw)
    assert "launchpad:dbMaxAllocatedStorageGb:" in str(
        caught.value
    ) and "set dbMaxAllocatedStorageGb 55" in str(caught.value)


def test_overlapping_and_stray_subnet_cidrs_are_rejected() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(
            _raw(
                "dev",
                publicSubnetCidrs=["10.40.0.0/24", "10.40.1.0/24"],
                privateSubnetCidrs=["10.40.1.128/25", "10.41.0.0/24"],
            )
        )
    text = str(caught.value)
    assert "privateSubnetCidrs 10.40.1.128/25 overlaps publicSubnetCidrs 10.40.1.0/24" in text
    assert "privateSubnetCidrs 10.41.0.0/24 is outside vpcCidr" in text


def test_unknown_keys_fail_and_suggest_the_close_key() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(_raw("prod", dbMultiAZ=True, colour="blue"))
    problems = caught.value.problems
    assert any("launchpad:dbMultiAZ: unknown key (did you mean `dbMultiAz`?)" in p for p in problems)
    assert any(p.startswith("launchpad:colour: unknown key") for p in problems)


def test_all_problems_arrive_in_one_error() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(_raw("dev", azCount=9, natStrategy="maybe", alertEmail="x", typo=1))
    keys = {p.split(":")[1] for p in caught.value.problems}
    assert {"azCount", "natStrategy", "alertEmail", "typo"} <= keys


def test_a_bad_config_creates_nothing() -> None:
    config = load_stack_config("dev").with_overrides({"azCount": 7})
    with pytest.raises(ConfigError):
        run_program("dev", config)


def test_local_target_must_run_alone() -> None:
    with pytest.raises(ConfigError, match="`local` runs alone"):
        parse_settings(_raw("dev", targets=["local", "aws"]))


def test_aws_target_needs_a_region() -> None:
    config = load_stack_config("dev").with_overrides({"aws:region": None})
    with pytest.raises(ConfigError, match="aws:region"):
        run_program("dev", config)


def _pulumi_type(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _pulumi_type(typing.get_args(annotation)[0])
    if origin is tuple:
        return "array"
    if origin in (typing.Union, types.UnionType):  # optional keys: the type of what may be set
        return _pulumi_type(next(a for a in typing.get_args(annotation) if a is not type(None)))
    return {bool: "boolean", int: "integer"}.get(annotation, "string")  # type: ignore[call-overload]


def test_pulumi_yaml_declares_every_setting_with_its_type() -> None:
    declared = yaml.safe_load((REPO_ROOT / "Pulumi.yaml").read_text())["config"]
    fields = StackSettings.model_fields
    camel = {field.alias: field for field in fields.values()}
    assert set(camel) <= set(declared), f"undeclared keys: {set(camel) - set(declared)}"
    for key, field in camel.items():
        assert declared[key]["type"] == _pulumi_type(field.annotation), key
        assert declared[key].get("description"), f"{key} needs a description"


def test_optional_secrets_are_not_declared_so_no_stack_must_set_them() -> None:
    # Declared without a default they would be required on every stack; a secret key cannot carry a
    # plain default either (pulumi/pulumi#21865). They are read with get_secret, undeclared.
    declared = yaml.safe_load((REPO_ROOT / "Pulumi.yaml").read_text())["config"]
    assert not set(stack_config.secret_keys()) & set(declared)
    assert not [key for key, d in declared.items() if d.get("secret")]


def test_keys_without_a_default_are_exactly_those_every_stack_file_sets() -> None:
    declared = yaml.safe_load((REPO_ROOT / "Pulumi.yaml").read_text())["config"]
    required = {key for key, d in declared.items() if "default" not in d and "value" not in d}
    for stack in ("dev", "prod", "local"):
        stack_keys = yaml.safe_load((REPO_ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
        assert required <= {k.split(":", 1)[1] for k in stack_keys}, stack


def test_stack_files_differ_only_in_values_not_in_keys_they_may_use() -> None:
    declared = set(yaml.safe_load((REPO_ROOT / "Pulumi.yaml").read_text())["config"])
    for stack in ("dev", "prod"):
        stack_keys = yaml.safe_load((REPO_ROOT / f"Pulumi.{stack}.yaml").read_text())["config"]
        project_keys = {k.split(":", 1)[1] for k in stack_keys if k.startswith("launchpad:")}
        assert project_keys <= declared, f"{stack} sets undeclared keys {project_keys - declared}"


def test_the_budget_amount_is_required_exactly_where_a_budget_is_created() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(_raw("dev", monthlyBudgetUsd=None))
    assert [
        p
        for p in caught.value.problems
        if p.startswith("launchpad:monthlyBudgetUsd: required when targets include aws")
    ]
    local = parse_settings(_raw("local"))  # Pulumi.yaml's empty defaults stand for "not set"
    assert local.targets == ("local",) and local.alert_addresses == () and local.monthly_budget_usd is None


def test_text_keys_keep_numeric_looking_values_and_number_keys_decode() -> None:
    # The engine passes every value as a string; only number, bool and list fields are JSON-decoded.
    settings = parse_settings(
        _raw("dev", costCenter="1234", dbEngineVersion="17", azCount="3", dbMultiAz="true")
    )
    assert settings.cost_center == "1234" and settings.db_engine_version == "17"
    assert settings.az_count == 3 and settings.db_multi_az is True
