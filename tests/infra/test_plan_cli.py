"""`make plan`: the offline plan prints the inventory, the outputs and the policy review."""

from __future__ import annotations

import pytest

from offline.plan import main
from tests.infra.plan_query import Plan


def test_dev_plan_lists_every_resource_and_passes_policy(
    capsys: pytest.CaptureFixture[str], dev: Plan
) -> None:
    assert main(["--stack", "dev"]) == 0
    out = capsys.readouterr().out
    for resource in dev.resources:
        line = f"{resource.type}  {resource.name}\n"
        assert out.count(line) == 1, f"{resource.name} listed other than once"
    custom = [r for r in dev.resources if r.custom and not r.type.startswith("pulumi:providers:")]
    assert f"{len(custom)} cloud resources to create:" in out
    assert "Policy review (policies/): " in out and "[mandatory]" not in out


def test_a_change_that_breaks_a_mandatory_policy_fails_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--stack", "prod", "--set", "dbMultiAz=false"]) == 1
    assert "[mandatory] rds-multi-az" in capsys.readouterr().out


def test_bad_config_exits_2_naming_every_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--stack", "dev", "--set", "azCount=9", "--set", "natStrategy=sometimes"]) == 2
    err = capsys.readouterr().err
    assert "launchpad:azCount:" in err and "launchpad:natStrategy:" in err


def test_malformed_assignment_is_refused() -> None:
    with pytest.raises(SystemExit, match="expected KEY=VALUE"):
        main(["--set", "azCount"])


@pytest.mark.parametrize("as_json", [False, True])
def test_secret_outputs_are_masked_like_pulumi_does(
    capsys: pytest.CaptureFixture[str], as_json: bool
) -> None:
    # The local stack exports a connection URL with its generated password: a CI log must not show it.
    assert main(["--stack", "local", *(["--json"] if as_json else [])]) == 0
    out = capsys.readouterr().out
    assert "local_postgres_url" in out and "[secret]" in out
    assert "postgresql://" not in out
