"""`launchpad plan`: the inventory, findings, cost and diff, its exit status, and secrets never shown."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from launchpad.access.identities import DEFAULT_BOOTSTRAP_STACK, Bootstrap
from launchpad.cli import main
from offline.policy_check import config_path
from offline.stack_files import REPO_ROOT, StackFileConfig
from tests.infra.plan_query import Plan


def test_dev_plan_lists_every_resource_and_passes_policy(
    capsys: pytest.CaptureFixture[str], dev: Plan
) -> None:
    assert main(["plan", "--stack", "dev", "--inventory"]) == 0
    out = capsys.readouterr().out
    for resource in dev.resources:
        assert out.count(f"{resource.type}  {resource.name}\n") == 1, (
            f"{resource.name} listed other than once"
        )
    custom = [r for r in dev.resources if r.custom and not r.type.startswith("pulumi:providers:")]
    words = " ".join(out.split())
    assert f"{len(custom)} cloud resources to create" in words
    assert "mandatory" not in words.split("Findings")[1] and "advisory medium rds-multi-az" in words
    assert "Estimated monthly cost: $" in words and "fix: Set dbMultiAz true." in words
    # The reader's order: verdict and totals, findings, cost, then the details.
    order = ["Verdict: PASSES POLICY", "Totals:", "Findings (", "Estimated monthly cost", "Inventory by"]
    assert [words.index(part) for part in order] == sorted(words.index(part) for part in order)


def test_a_change_that_breaks_a_mandatory_policy_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "prod", "--set", "dbMultiAz=false"]) == 1
    words = " ".join(capsys.readouterr().out.split())
    assert "Verdict: BLOCKED" in words and "mandatory medium rds-multi-az" in words


def test_bad_config_exits_2_naming_every_key(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--stack", "dev", "--set", "azCount=9", "--set", "natStrategy=sometimes"]) == 2
    err = capsys.readouterr().err
    assert "launchpad:azCount:" in err and "launchpad:natStrategy:" in err


def test_a_bad_usage_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text("stacks: {default: {requests_per_month: 1, ghost_key: 2}}\n")
    assert main(["plan", "--stack", "dev", "--usage", str(usage)]) == 2
    assert "unknown key 'ghost_key'" in capsys.readouterr().err


def test_malformed_assignment_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--set", "azCount"]) == 2
    assert "--set 'azCount': expected KEY=VALUE" in capsys.readouterr().err


@pytest.mark.parametrize("output", ["text", "json", "markdown", "sarif"])
def test_secret_values_are_masked_in_every_format(capsys: pytest.CaptureFixture[str], output: str) -> None:
    # The local stack exports a connection URL with its generated password, and its containers get it.
    assert main(["plan", "--stack", "local", "--format", output, "--inventory"]) == 0
    out = capsys.readouterr().out
    assert "postgresql://" not in out and "OFFLINE-SECRET-PLACEHOLDER" not in out
    if output in ("text", "json"):
        assert "local_postgres_url" in out and "[secret]" in out


def test_out_writes_the_report_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    assert main(["plan", "--stack", "dev", "--format", "json", "--out", str(target)]) == 0
    assert json.loads(target.read_text())["stack"] == "dev"


def test_compare_shows_added_removed_changed_and_the_cost_delta(tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    assert main(["plan", "--stack", "prod", "--format", "json", "--out", str(base)]) == 0
    head = tmp_path / "head.json"
    changes = [
        "--set",
        "natStrategy=single",
        "--set",
        "dbMultiAz=false",
        "--set",
        "deploymentEnv=development",
    ]
    main(
        ["plan", "--stack", "prod", *changes, "--compare", str(base), "--format", "json", "--out", str(head)]
    )
    diff = json.loads(head.read_text())["diff"]
    assert {"aws:ec2/natGateway:NatGateway::launchpad-<stack>-nat-1",
            "aws:ec2/eip:Eip::launchpad-<stack>-nat-eip-1"} <= set(diff["removed"])  # fmt: skip
    assert diff["added"] == []
    changed = {c["key"]: c["paths"] for c in diff["changed"]}
    assert "multiAz" in changed["aws:rds/instance:Instance::launchpad-<stack>-db-instance"]
    # One NAT gateway (730 h x $0.045) and its address (730 h x $0.005) of prod's two; the same GB through
    # one NAT; one database copy fewer (730 h x $0.032, db.t4g.small) and its storage (20 GB x $0.115).
    assert diff["costDeltaUsd"] == pytest.approx(-(32.85 + 3.65) - 23.36 - 2.30, abs=0.011)


def test_the_console_script_and_python_m_run_the_same_command() -> None:
    for command in ([str(Path(sys.executable).parent / "launchpad")], [sys.executable, "-m", "launchpad"]):
        result = subprocess.run(
            [*command, "plan", "--help"], capture_output=True, text=True, cwd=REPO_ROOT, check=False
        )
        assert result.returncode == 0 and "--compare-stack" in result.stdout, result.stderr


def test_compare_stack_plans_the_bootstrap_once_for_both_stacks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    planned: list[str] = []
    plan_bootstrap = Bootstrap.planned

    def counted(config: StackFileConfig) -> Bootstrap:
        planned.append(config.stack)
        return plan_bootstrap(config)

    monkeypatch.setattr(Bootstrap, "planned", counted)
    assert main(["plan", "--stack", "dev", "--compare-stack", "local", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["diff"]["base"] == "stack local" and document["deployIdentities"] is not None
    assert planned == [DEFAULT_BOOTSTRAP_STACK]


def test_a_compare_stacks_policy_config_is_checked_with_the_other_inputs(
    throwaway_stack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (REPO_ROOT / f"Pulumi.{throwaway_stack}.yaml").write_text((REPO_ROOT / "Pulumi.dev.yaml").read_text())
    config_path(throwaway_stack).write_text('{"rds-multi-azz": "advisory"}')
    argv = ["plan", "--stack", "dev", "--compare-stack", throwaway_stack, "--set", "natStrategie=single"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    # One round, before any program runs: the --set key and the base stack's policy config together.
    assert "natStrategie" in err and f"--compare-stack {throwaway_stack}: " in err
    assert "did you mean rds-multi-az" in err
