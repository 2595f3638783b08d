"""What a newcomer does first with `launchpad`: add a stack, mistype a region, get a config wrong in
several ways at once, try a change with --set, read the help, and hit a bug (exit 3, not a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.contract import APP_SECRETS
from launchpad import plan_cmd
from launchpad.cli import main
from launchpad.cost.estimate import region_fallbacks
from launchpad.errors import EXIT_STATUS_HELP
from launchpad.init_cmd import make_stack
from launchpad.render.text import set_value
from offline.policy_check import config_path
from offline.stack_files import REPO_ROOT
from stack_config.regions import GCP_REGIONS, aws_regions, region_problems


def words(text: str) -> str:
    return " ".join(text.split())


def test_a_stack_added_with_init_plans_as_its_source_does(
    throwaway_stack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", throwaway_stack, "--from", "dev"]) == 0
    assert config_path(throwaway_stack).read_text() == config_path("dev").read_text()
    capsys.readouterr()
    assert main(["plan", "--stack", throwaway_stack]) == 0
    assert f"Policy config: policies/config/{throwaway_stack}.json" in words(capsys.readouterr().out)


def test_a_stack_file_copied_by_hand_says_which_policy_config_it_gets(
    throwaway_stack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (REPO_ROOT / f"Pulumi.{throwaway_stack}.yaml").write_text((REPO_ROOT / "Pulumi.dev.yaml").read_text())
    assert (
        main(["plan", "--stack", throwaway_stack, "--format", "json"]) == 1
    )  # dev's advisories are mandatory
    stated = json.loads(capsys.readouterr().out)["policyConfig"]
    assert stated.startswith(f"none (policies/config/{throwaway_stack}.json does not exist)")
    assert f"cp policies/config/dev.json policies/config/{throwaway_stack}.json" in stated


def test_init_leaves_out_secure_values_provider_lines_and_waivers(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text((REPO_ROOT / "Pulumi.yaml").read_text())
    source = (REPO_ROOT / "Pulumi.dev.yaml").read_text()
    secured = "  launchpad:anthropicApiKey:\n    secure: v1:AAAA\nencryptionsalt: v1:salt\n"
    (tmp_path / "Pulumi.dev.yaml").write_text(source + secured)
    policies = tmp_path / "policies" / "config"
    policies.mkdir(parents=True)
    waiver = {
        "resource": "launchpad-dev-db-instance",
        "expires": "2099-01-01",
        "justification": "load test next",
    }
    (policies / "dev.json").write_text(json.dumps({"rds-multi-az": {"enforcementLevel": "mandatory",
                                                                     "waivers": [waiver]}}))  # fmt: skip
    made = make_stack("qa", "dev", root=tmp_path)
    copied = (tmp_path / "Pulumi.qa.yaml").read_text()
    assert "secure:" not in copied and "encryptionsalt" not in copied and "anthropicApiKey" not in copied
    assert copied.endswith(source.split("config:\n", 1)[1])  # every other line, comments included
    assert json.loads((policies / "qa.json").read_text()) == {"rds-multi-az": "mandatory"}
    assert len(made.left_out) == 3


def test_init_writes_nothing_when_it_cannot_write_both(
    throwaway_stack: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config_path(throwaway_stack).write_text("{}")
    assert main(["init", throwaway_stack, "--from", "dev"]) == 2
    assert not (REPO_ROOT / f"Pulumi.{throwaway_stack}.yaml").exists()
    assert "already exists; nothing was written" in capsys.readouterr().err


def test_regions_come_from_the_sdks_data_and_a_typo_gets_the_closest() -> None:
    assert {"us-east-1", "eu-west-3", "ap-southeast-2"} <= aws_regions()
    assert "cn-north-1" not in aws_regions()  # another partition: the program writes arn:aws: ARNs
    assert {"us-central1", "europe-west1"} <= GCP_REGIONS
    assert region_problems("us-east-1", "us-central1") == []
    [aws, gcp] = region_problems("us-east1", "us-centrall")
    assert "did you mean us-east-1?" in aws and "did you mean us-central1?" in gcp


def test_a_region_without_prices_is_priced_with_a_stated_fallback() -> None:
    priced = {"aws:rds/instance:Instance"}
    assert region_fallbacks({"aws": "us-east-1"}, priced) == []
    [stated] = region_fallbacks({"aws": "eu-west-3", "gcp": "europe-west1"}, priced)  # no GCP resource priced
    assert "eu-west-3" in stated and "priced at us-east-1 list prices" in stated


def test_every_config_problem_comes_in_one_round(capsys: pytest.CaptureFixture[str]) -> None:
    # A wrong type (the CLI's), an unknown key and a bad value (the program's), a missing required key (the
    # CLI's) and a rule between keys (alertEmails with an AWS target): one run names them all.
    changes = ["azCount=two", "ghostKey=1", "natStrategy=sometimes", "owner=", "alertEmails=[]"]
    assert main(["plan", *(arg for change in changes for arg in ("--set", change))]) == 2
    err = capsys.readouterr().err
    for key in ("'azCount' must be of type 'integer'", "launchpad:ghostKey", "launchpad:natStrategy",
                "launchpad:owner", "launchpad:alertEmails"):  # fmt: skip
        assert key in err, err
    assert "launchpad:azCount:" not in err  # its type problem is not repeated by the program's check


def test_set_takes_the_stack_files_yaml_and_is_recorded_in_the_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    overrides, problems = plan_cmd.parse_assignments(
        ["targets=[aws, gcp]", 'corsOrigins=["https://a.example.com"]', "azCount=3", "domainName="]
    )
    assert problems == []
    assert overrides == {"targets": ["aws", "gcp"], "corsOrigins": ["https://a.example.com"], "azCount": 3,
                         "domainName": ""}  # fmt: skip
    assert main(["plan", "--stack", "prod", "--set", "natStrategy=single", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["overrides"] == {"natStrategy": "single"}
    assert main(["plan", "--stack", "prod", "--set", "natStrategy=single"]) == 0
    assert "--set natStrategy=single (not in Pulumi.prod.yaml)" in words(capsys.readouterr().out)
    assert set_value(["aws", "gcp"]) == "[aws, gcp]" and set_value("") == "''" and set_value(3) == "3"


def test_help_documents_exit_codes_defaults_and_secret_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0  # bare `launchpad` shows the help
    top = capsys.readouterr().out
    assert EXIT_STATUS_HELP in top and "init" in top and "examples:" in top
    with pytest.raises(SystemExit) as shown:
        main(["--version"])
    assert shown.value.code == 0 and capsys.readouterr().out.startswith("launchpad 0.")
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    plan_help = words(capsys.readouterr().out)
    assert "(default: dev)" in plan_help and "(default: text)" in plan_help and "exit status:" in plan_help
    with pytest.raises(SystemExit):
        main(["secrets", "set", "--help"])
    listed = "".join(capsys.readouterr().out.split())  # argparse wraps at hyphens
    # The help's choices are the app's operator-set secrets, the synced token sent to token-sync push.
    choices = listed.split("oneof", 1)[1].split("(thesyncedtoken:`launchpadtoken-syncpush`)", 1)
    assert choices[0].split(",") == [s.name for s in APP_SECRETS if s.name != "synced-token"], listed
    assert len(choices) == 2


def test_a_bug_is_exit_3_with_one_line_and_the_traceback_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise KeyError("resources")

    monkeypatch.setattr(plan_cmd, "build", broken)
    assert main(["plan"]) == 3
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: internal error, a bug in launchpad (KeyError: 'resources'); traceback in ")
    kept = Path(line.split("traceback in ")[1].split(";")[0])
    assert "Traceback" in kept.read_text() and "broken" in kept.read_text()
    kept.unlink()
    assert main(["--debug", "plan"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    assert main(["plan", "--debug"]) == 3
    assert "Traceback (most recent call last)" in capsys.readouterr().err
