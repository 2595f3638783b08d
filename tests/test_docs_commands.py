"""Docs as tests: every command in a fenced shell block of README.md, CONTRIBUTING.md and docs/*.md is
either run here (and must succeed) or skipped by a rule below that says why it cannot run offline.

A command that no rule covers fails the test, so a command another change adds to the docs is run or
reasoned about, never silently ignored. A fence without a language fails too (label prose `text`).
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from launchpad.cli import main
from offline.policy_check import config_path

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
SHELL = ("bash", "sh", "shell", "console")
NOT_COMMANDS = ("text", "json", "yaml", "mermaid", "python")
RUN = "run"

# (pattern searched in the command, RUN or the reason it cannot run here). The first match decides.
RULES: tuple[tuple[str, str], ...] = (
    (r"\| (\.venv/bin/)?launchpad (secrets|token-sync) ", "writes a deployed stack's secrets: needs its "
     "outputs (the Pulumi CLI) and cloud credentials; tests/operate runs it against moto"),
    (r"^(\.venv/bin/)?launchpad (plan|init|--help|--version)\b", RUN),
    (r"^(\.venv/bin/)?launchpad (verify|secrets|token-sync)\b", "reads a deployed stack (`pulumi stack "
     "output`) and calls the clouds; tests/operate runs it against moto and Google fakes"),
    (r"^make plan\b", RUN),
    (r"^make (test|setup)\b", "installs the toolchain and runs the whole suite, this test included"),
    (r"^\.venv/bin/python -m pytest\b", "a test run: this test is part of one"),
    (r"^\.venv/bin/python scripts/api_docs\.py", "rewrites docs/api.md: tests/app/test_app_api_docs.py "
     "checks the committed file equals its output"),
    (r"^\.venv/bin/python scripts/plan_snapshot\.py", "writes a folder outside the repository: "
     "tests/infra/test_plan_snapshot.py runs its snapshot and comparison"),
    (r"^pulumi\b", "needs the Pulumi CLI and a backend, which this machine and a fork's CI do not have"),
    (r"^(aws|gcloud) ", "needs a cloud account and its credentials"),
    (r"\bgcloud ", "needs Google Cloud credentials"),
    (r"^docker ", "needs a Docker engine"),
    (r"^psql ", "needs the local stack's PostgreSQL, which runs on Docker"),
    (r"^curl ", "a request to a deployed service: tests/app/test_app_api_docs.py sends each one to the app"),
    (r"^cd bootstrap$|^cp Pulumi\.example\.yaml ", "part of the bootstrap sequence, which needs the Pulumi "
     "CLI and AWS (docs/delivery.md)"),
    (r"^(DB|KEY)=", "sets a variable for the cloud commands that follow it"),
    (r"^<mint", "a placeholder for the tool that mints the credential in a browser"),
)  # fmt: skip


@dataclass(frozen=True)
class Command:
    doc: str
    line: int
    text: str

    @property
    def rule(self) -> str | None:
        return next((verdict for pattern, verdict in RULES if re.search(pattern, self.text)), None)


def _fences(path: Path) -> Iterator[tuple[str, int, str]]:
    text = path.read_text()
    for match in re.finditer(r"^```([^\n]*)\n(.*?)^```", text, re.S | re.M):
        yield match.group(1).strip(), text[: match.start()].count("\n") + 2, match.group(2)


def _commands(body: str, first_line: int) -> Iterator[tuple[int, str]]:
    """Each command of a block: continuation lines joined, comments and blank lines dropped."""
    pending, start = "", first_line
    for number, line in enumerate(body.splitlines(), start=first_line):
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        command = _without_comment(pending + line)
        pending = ""
        if command:
            yield start, command


def _without_comment(text: str) -> str:
    """The command as written, its trailing `  # comment` dropped (the docs put a space after `#`)."""
    return re.sub(r"(^|\s+)#(\s.*)?$", "", text).strip()


def blocks() -> list[list[Command]]:
    found = []
    for path in DOCS:
        for language, line, body in _fences(path):
            if language in SHELL:
                found.append([Command(path.name, n, text) for n, text in _commands(body, line)])
    return found


def test_every_fence_says_what_it_holds() -> None:
    unlabelled = [
        f"{path.name}:{line}"
        for path in DOCS
        for language, line, _ in _fences(path)
        if language not in SHELL + NOT_COMMANDS
    ]
    assert not unlabelled, f"fences without a known language (bash, text, json, ...): {unlabelled}"


def test_every_documented_command_is_run_or_skipped_for_a_reason() -> None:
    commands = [command for block in blocks() for command in block]
    assert len(commands) > 30
    unknown = [f"{c.doc}:{c.line}: {c.text}" for c in commands if c.rule is None]
    assert not unknown, "commands neither run nor skipped; add a rule to RULES:\n" + "\n".join(unknown)


def _argv(command: Command) -> list[str]:
    """The launchpad arguments of a command to run: `make plan` is what `make -n` says it runs."""
    if command.text.startswith("make "):
        dry = subprocess.run(
            ["make", "-n", "-C", str(REPO), *command.text.split()[1:]],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        [launch] = [line for line in dry.stdout.splitlines() if line.startswith(".venv/bin/launchpad ")]
        return shlex.split(launch)[1:]
    return shlex.split(command.text)[1:]


def _created_stacks(argv: list[str]) -> list[Path]:
    if argv[:1] == ["init"]:
        return [REPO / f"Pulumi.{argv[1]}.yaml", config_path(argv[1])]
    return []


RUNNABLE = [block for block in blocks() if any(c.rule == RUN for c in block)]


@pytest.mark.parametrize("block", RUNNABLE, ids=lambda b: f"{b[0].doc}:{b[0].line}")
def test_the_commands_that_run_offline_succeed(
    block: list[Command], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # files a command writes land here
    created: list[Path] = []
    try:
        for command in (c for c in block if c.rule == RUN):
            argv = _argv(command)
            for path in _created_stacks(argv):
                assert not path.exists(), f"{path.name} exists: a previous run left it; remove it"
                created.append(path)
            try:
                status = main(argv)
            except SystemExit as exited:  # --help and --version
                status = exited.code
            assert status == 0, f"{command.doc}:{command.line}: {command.text}\n{capsys.readouterr().err}"
    finally:
        for path in created:
            path.unlink(missing_ok=True)


def test_the_rule_counts_the_docs_give_are_the_packs() -> None:
    from policies.deploy import DEPLOY_POLICIES
    from policies.rules import POLICIES

    readme = " ".join((REPO / "README.md").read_text().split())
    security = " ".join((REPO / "docs" / "security.md").read_text().split())
    total, deploy = len(POLICIES), len(DEPLOY_POLICIES)
    assert (
        f"(`policies/`, {total} rules)" in readme
        and f"The other {deploy} are the deploy constraints" in readme
    )
    assert f"{total - deploy} come from" in readme
    assert f"(`policies/`, {total} rules;" in security and f"The {deploy} deploy constraints" in security
