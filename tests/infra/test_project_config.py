"""The offline loader refuses exactly what the Pulumi CLI refuses before the program runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from launchpad.cli import main as launchpad_main
from offline.stack_files import ProjectConfigError, load_stack_config, placeholder

SHIPPED = ("dev", "prod", "local")


@pytest.mark.parametrize("stack", SHIPPED)
def test_every_shipped_stack_file_resolves_as_the_cli_would(stack: str) -> None:
    config = load_stack_config(stack)
    assert config.values["launchpad:owner"]
    assert config.values["launchpad:targets"].startswith("[")  # arrays reach the program as JSON text


@pytest.mark.parametrize("stack", ["pr-12345", "staging-eu-central-1"])
def test_stacks_made_from_dev_resolve_under_their_own_name(stack: str) -> None:
    config = load_stack_config(stack, config_from="dev")
    assert config.stack == stack and config.values == load_stack_config("dev").values


def _project(tmp_path: Path, declarations: dict, stack_values: dict) -> Path:
    project = {"name": "launchpad", "runtime": "python", "config": declarations}
    (tmp_path / "Pulumi.yaml").write_text(yaml.safe_dump(project))
    (tmp_path / "Pulumi.dev.yaml").write_text(yaml.safe_dump({"config": stack_values}))
    return tmp_path


def test_a_declared_key_without_default_is_required() -> None:
    with pytest.raises(ProjectConfigError) as caught:
        load_stack_config("dev").with_overrides({"owner": None})
    assert caught.value.problems[0].startswith("Stack 'dev' is missing configuration value 'owner'.")


def test_several_missing_keys_are_named_in_one_message_as_the_cli_words_it() -> None:
    with pytest.raises(ProjectConfigError) as caught:
        load_stack_config("dev").with_overrides({"owner": None, "costCenter": None})
    assert caught.value.problems[0].startswith(
        "Stack 'dev' is missing configuration values 'costCenter' and 'owner'."
    )


@pytest.mark.parametrize(
    ("key", "value", "type_name"),
    [
        ("azCount", "two", "integer"),
        ("azCount", 2.5, "integer"),
        ("dbMultiAz", "perhaps", "boolean"),
        ("targets", "aws", "array<string>"),
        ("targets", [1], "array<string>"),
        ("owner", ["a", "b"], "string"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused(key: str, value: object, type_name: str) -> None:
    with pytest.raises(ProjectConfigError) as caught:
        load_stack_config("dev").with_overrides({key: value})
    assert f"Stack 'dev' with configuration key '{key}' must be of type '{type_name}'" in str(caught.value)


@pytest.mark.parametrize(("key", "value"), [("azCount", "3"), ("dbMultiAz", "true"), ("costCenter", 1234)])
def test_text_that_the_cli_accepts_for_a_type_is_accepted(key: str, value: object) -> None:
    assert load_stack_config("dev").with_overrides({key: value}).values[f"launchpad:{key}"] == str(value)


def test_a_secret_key_with_a_plain_default_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path, {"apiKey": {"type": "string", "secret": True, "default": ""}}, {})
    with pytest.raises(ProjectConfigError, match="'apiKey' must be encrypted as it's secret"):
        load_stack_config("dev", root=root)


def test_a_secret_key_set_securely_is_accepted(tmp_path: Path) -> None:
    root = _project(
        tmp_path, {"apiKey": {"type": "string", "secret": True}}, {"launchpad:apiKey": {"secure": "v1:x"}}
    )
    config = load_stack_config("dev", root=root)
    assert config.values["launchpad:apiKey"] == placeholder("launchpad:apiKey")
    assert config.secret_keys == ("launchpad:apiKey",)


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ({"aws:region": {"type": "string", "value": "x"}}, "should not define a type"),
        ({"aws:region": {"default": "us-east-1"}}, "must provide an attribute 'value'"),
        ({"tags": {"type": "array"}}, "does not specify the 'items' type"),
        ({"count": {"type": "integer", "default": "many"}}, "is not of the expected type 'integer'"),
        ({"count": {"type": "integer", "default": 1, "value": 2}}, "both a 'default' and 'value'"),
    ],
)
def test_the_project_file_itself_is_validated(tmp_path: Path, declaration: dict, message: str) -> None:
    with pytest.raises(ProjectConfigError, match=message):
        load_stack_config("dev", root=_project(tmp_path, declaration, {}))


def test_namespaced_values_apply_where_the_stack_sets_none(tmp_path: Path) -> None:
    root = _project(tmp_path, {"aws:region": {"value": "eu-west-1"}}, {})
    assert load_stack_config("dev", root=root).values["aws:region"] == "eu-west-1"


def test_the_plan_exits_2_with_the_cli_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert launchpad_main(["plan", "--stack", "dev", "--set", "azCount=two"]) == 2
    assert "with configuration key 'azCount' must be of type 'integer'" in capsys.readouterr().err
