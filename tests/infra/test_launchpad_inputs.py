"""A corpus of broken inputs through every `launchpad` subcommand: each must give one error line naming
the file, line or key and the fix, and the documented exit status (2), never a traceback.

The corpus is data (CORPUS, one row per broken input); the closing note of issue 21 counts it per
subcommand. A row's stack file and policy config are written into the repository under a throwaway stack
name (the commands read them from there) and removed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from launchpad.cli import main
from offline.policy_check import config_path
from offline.stack_files import REPO_ROOT

DEV_FILE = (REPO_ROOT / "Pulumi.dev.yaml").read_text()
USAGE_FILE = (REPO_ROOT / "launchpad-usage.yml").read_text()
USAGE_ERROR = 2


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # the class of input it breaks
    argv: tuple[str, ...]  # {stack}: a throwaway stack; {tmp}: a folder for files
    expect: tuple[str, ...]  # fragments of the one error line
    stack_file: str | None = None  # Pulumi.{stack}.yaml's text
    policy: str | None = None  # policies/config/{stack}.json's text
    files: dict[str, str] = field(default_factory=dict)  # {tmp}/<name> -> text
    line: bool = True  # False for argparse's own errors, which print the usage line first

    @property
    def command(self) -> str:
        return " ".join(self.argv[:2]) if self.argv[0] in ("secrets", "token-sync") else self.argv[0]


def _dev_with(old: str, new: str) -> str:
    assert old in DEV_FILE
    return DEV_FILE.replace(old, new)


PLAN = ("plan", "--stack", "{stack}")
NOT_A_PLAN = '{"stack": "dev", "summary": {}}'
OUTPUTS = ("--outputs", "{tmp}/outputs.json")
CORPUS = (
    # -- stack files
    Case("stack-yaml-syntax", "stack file", PLAN, ("Pulumi.{stack}.yaml line 6", "YAML", "Fix:"),
         stack_file=_dev_with("  launchpad:owner: platform-team", "  launchpad:owner: [platform-team")),
    Case("stack-tab-indent", "stack file", PLAN, ("Pulumi.{stack}.yaml line", "Fix:"),
         stack_file=_dev_with("  launchpad:azCount: 2", "\tlaunchpad:azCount: 2")),
    Case("stack-not-a-mapping", "stack file", PLAN, ("Pulumi.{stack}.yaml", "mapping", "Fix:"),
         stack_file="- launchpad:owner: a\n"),
    Case("stack-config-a-list", "stack file", PLAN, ("Pulumi.{stack}.yaml config", "mapping", "Fix:"),
         stack_file="config:\n  - launchpad:owner\n"),
    Case("stack-wrong-type", "stack file", PLAN,
         ("'azCount' must be of type 'integer'", "Fix: pulumi config set"),
         stack_file=_dev_with("launchpad:azCount: 2", "launchpad:azCount: two")),
    Case("stack-out-of-range", "stack file", PLAN, ("launchpad:azCount", "less than or equal to 3", "Fix:"),
         stack_file=_dev_with("launchpad:azCount: 2", "launchpad:azCount: 9")),
    Case("stack-unknown-key", "stack file", PLAN, ("launchpad:natStrategie", "did you mean", "Fix:"),
         stack_file=_dev_with("launchpad:natStrategy:", "launchpad:natStrategie:")),
    Case("stack-missing-key", "stack file", PLAN, ("missing configuration value 'owner'", "Fix:"),
         stack_file=_dev_with("  launchpad:owner: platform-team\n", "")),
    Case("stack-aws-region-typo", "stack file", PLAN, ("aws:region", "'us-east1'", "us-east-1", "Fix:"),
         stack_file=_dev_with("aws:region: us-east-1", "aws:region: us-east1")),
    Case("stack-gcp-region-typo", "stack file", PLAN, ("gcp:region", "us-central1", "Fix:"),
         stack_file=_dev_with("gcp:region: us-central1", "gcp:region: us-centrall")),
    Case("stack-china-region", "stack file", PLAN, ("aws:region", "other partitions", "Fix:"),
         stack_file=_dev_with("aws:region: us-east-1", "aws:region: cn-north-1")),
    Case("stack-rule-between-keys", "stack file", PLAN, ("alertEmails", "Fix:"),
         stack_file=_dev_with("    - launchpad-dev-alerts@example.com\n", "").replace(
             "  launchpad:alertEmails:\n", "")),
    Case("stack-file-missing", "stack file", ("plan", "--stack", "pr-123"),
         ("no stack file Pulumi.pr-123.yaml", "Fix:", "--config-from dev")),
    Case("stack-name-invalid", "stack file", ("plan", "--stack", "PR_123", "--config-from", "dev"),
         ("stack name", "PR_123", "Fix:")),
    # -- policy configs
    Case("policy-json-syntax", "policy config", PLAN, ("policies/config/{stack}.json line 3", "JSON", "Fix:"),
         stack_file=DEV_FILE, policy='{\n  "rds-multi-az": "advisory",\n}\n'),
    Case("policy-not-an-object", "policy config", PLAN,
         ("policies/config/{stack}.json", "JSON object", "Fix:"),
         stack_file=DEV_FILE, policy='["rds-multi-az"]'),
    Case("policy-unknown-rule", "policy config", PLAN, ("rds-multi-azz", "did you mean rds-multi-az"),
         stack_file=DEV_FILE, policy='{"rds-multi-azz": "advisory"}'),
    Case("policy-bad-level", "policy config", PLAN, ("rds-multi-az", "enforcementLevel must be one of"),
         stack_file=DEV_FILE, policy='{"rds-multi-az": "sometimes"}'),
    Case("policy-entry-type", "policy config", PLAN, ("rds-multi-az", "must be a level"),
         stack_file=DEV_FILE, policy='{"rds-multi-az": 3}'),
    Case("policy-waiver-no-date", "policy config", PLAN, ("rds-multi-az", "expires"),
         stack_file=DEV_FILE,
         policy='{"rds-multi-az": {"waivers": [{"resource": "x", "justification": "until the load test"}]}}'),
    # -- usage files
    Case("usage-yaml-syntax", "usage file", ("plan", "--usage", "{tmp}/usage.yml"),
         ("usage file {tmp}/usage.yml line 3", "YAML", "Fix:"), files={"usage.yml": "stacks:\n  dev: [\n"}),
    Case("usage-missing", "usage file", ("plan", "--usage", "{tmp}/none.yml"),
         ("usage file {tmp}/none.yml", "cannot read", "Fix:")),
    Case("usage-unknown-key", "usage file", ("plan", "--usage", "{tmp}/usage.yml"),
         ("unknown key 'requests_per_mnth'", "did you mean requests_per_month", "Fix:"),
         files={"usage.yml": USAGE_FILE.replace("  dev:\n", "  dev:\n    requests_per_mnth: 5\n")}),
    Case("usage-wrong-type", "usage file", ("plan", "--usage", "{tmp}/usage.yml"),
         ("requests_per_month", "must be a number", "Fix:"),
         files={"usage.yml": USAGE_FILE.replace("requests_per_month: 200000", "requests_per_month: lots")}),
    Case("usage-stacks-shape", "usage file", ("plan", "--usage", "{tmp}/usage.yml"),
         ("`stacks` must map stack names", "Fix:"), files={"usage.yml": "stacks: [dev]\n"}),
    # -- --set
    Case("set-no-equals", "--set", ("plan", "--set", "natStrategy"),
         ("--set 'natStrategy'", "KEY=VALUE", "Fix:")),
    Case("set-not-yaml", "--set", ("plan", "--set", "nightlyCron=* * * * *"),
         ("--set nightlyCron", "YAML", "Fix:")),
    Case("set-unknown-key", "--set", ("plan", "--set", "natStrategie=single"),
         ("natStrategie", "did you mean", "Fix: drop --set natStrategie")),
    Case("set-bad-value", "--set", ("plan", "--set", "natStrategy=sometimes"),
         ("launchpad:natStrategy", "Fix: --set 'natStrategy=none|single|per_az'")),
    Case("set-wrong-type", "--set", ("plan", "--set", "azCount=two"), ("'azCount'", "integer", "Fix: --set")),
    Case("set-region-typo", "--set", ("plan", "--set", "aws:region=us-east1"),
         ("'us-east1'", "Fix: --set aws:region=us-east-1")),
    Case("set-list-item", "--set", ("plan", "--set", "targets=[aws, moon]"), ("targets", "Fix: --set")),
    # -- --out and --compare
    Case("out-missing-folder", "--out", ("plan", "--out", "{tmp}/nowhere/plan.txt"), ("--out", "mkdir -p")),
    Case("out-is-a-folder", "--out", ("plan", "--out", "{tmp}"), ("--out {tmp}", "is a folder", "Fix:")),
    Case("compare-missing", "--compare", ("plan", "--compare", "{tmp}/none.json"),
         ("--compare", "cannot read", "Fix:")),
    Case("compare-not-json", "--compare", ("plan", "--compare", "{tmp}/base.json"), ("not JSON", "Fix:"),
         files={"base.json": "stack: dev\n"}),
    Case("compare-not-a-plan", "--compare", ("plan", "--compare", "{tmp}/base.json"),
         ("not a `launchpad plan --format json` document", "Fix:"), files={"base.json": NOT_A_PLAN}),
    Case("compare-stack-missing", "--compare", ("plan", "--compare-stack", "qa"),
         ("--compare-stack qa", "no stack file Pulumi.qa.yaml", "Fix:")),
    # -- arguments argparse refuses (its usage line comes first)
    Case("plan-unknown-option", "arguments", ("plan", "--stak", "dev"), ("unrecognized arguments: --stak",),
         line=False),
    Case("plan-bad-format", "arguments", ("plan", "--format", "yaml"), ("--format", "invalid choice"),
         line=False),
    # -- init
    Case("init-exists", "init", ("init", "local", "--from", "dev"),
         ("Pulumi.local.yaml: already exists", "Fix:")),
    Case("init-bad-name", "init", ("init", "Staging_1", "--from", "dev"), ("stack name", "Fix:")),
    Case("init-no-source", "init", ("init", "{stack}", "--from", "qa"),
         ("no stack file Pulumi.qa.yaml", "Fix:")),
    # -- the operating commands: outputs files and the Pulumi CLI
    Case("verify-no-pulumi-cli", "missing CLI", ("verify", "--stack", "dev"),
         ("Pulumi CLI is not on PATH", "Fix:")),
    Case("verify-outputs-missing", "outputs file", ("verify", "--stack", "dev", *OUTPUTS),
         ("cannot read", "Fix:")),
    Case("verify-outputs-not-json", "outputs file", ("verify", "--stack", "dev", *OUTPUTS),
         ("not JSON", "Fix:"), files={"outputs.json": "{oops"}),
    Case("secrets-list-outputs-list", "outputs file", ("secrets", "list", "--stack", "dev", *OUTPUTS),
         ("not a JSON object", "Fix:"), files={"outputs.json": "[]"}),
    Case("secrets-set-no-pulumi-cli", "missing CLI", ("secrets", "set", "gemini-api-key", "--stack", "dev"),
         ("Pulumi CLI is not on PATH", "Fix:")),
    Case("secrets-set-value-argument", "arguments",
         ("secrets", "set", "gemini-api-key", "AIza-secret", "--stack", "dev"),
         ("given on the command line", "Fix:")),
    Case("token-sync-push-no-bucket", "outputs file", ("token-sync", "push", "--stack", "dev", *OUTPUTS),
         ("token_sync_bucket", "Fix:"), files={"outputs.json": "{}"}),
    Case("token-sync-status-no-cli", "missing CLI", ("token-sync", "status", "--stack", "dev"),
         ("Pulumi CLI is not on PATH", "Fix:")),
)  # fmt: skip


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.id)
def test_a_broken_input_is_one_error_line_with_the_fix_and_exit_2(
    case: Case,
    throwaway_stack: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no Pulumi CLI, as on this machine and a fork's CI
    if case.stack_file is not None:
        (REPO_ROOT / f"Pulumi.{throwaway_stack}.yaml").write_text(case.stack_file)
    if case.policy is not None:
        config_path(throwaway_stack).write_text(case.policy)
    for name, text in case.files.items():
        (tmp_path / name).write_text(text)

    def fill(text: str) -> str:
        return text.replace("{stack}", throwaway_stack).replace("{tmp}", str(tmp_path))

    status = run_cli([fill(arg) for arg in case.argv])
    captured = capsys.readouterr()
    assert status == USAGE_ERROR, captured.err
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.strip().splitlines()
    error_line = lines[-1]
    if case.line:
        assert len(lines) == 1 and error_line.startswith("error: "), captured.err
    for fragment in case.expect:
        assert fill(fragment) in error_line, error_line


def run_cli(argv: list[str]) -> int | str | None:
    """`launchpad ARGV`'s exit status, argparse's own exits included."""
    try:
        return main(argv)
    except SystemExit as exited:
        return exited.code


def test_the_corpus_covers_every_subcommand() -> None:
    commands = {case.command for case in CORPUS}
    assert commands >= {
        "plan", "init", "verify", "secrets list", "secrets set", "token-sync push", "token-sync status"
    }  # fmt: skip
