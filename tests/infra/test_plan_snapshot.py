"""scripts/plan_snapshot.py is how a refactor proves it changed no resource: two snapshots of one program
agree, a changed input is reported, and a secret's value never reaches the file."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import pytest

from components import app_image
from offline.program import run_program

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import plan_snapshot  # noqa: E402 - scripts/ is not a package


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The script seeds uuid4 and hashes the image's build settings alone; both are undone after."""
    monkeypatch.setattr(uuid, "uuid4", uuid.uuid4)
    monkeypatch.setattr(app_image, "context_files", lambda root: [])


def test_two_snapshots_of_one_program_agree_and_a_changed_input_is_found(
    settled: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = plan_snapshot.snapshot("local")
    assert plan_snapshot.snapshot("local") == text  # the local stack's per-run uuid is seeded
    (tmp_path / "local.json").write_text(text)
    assert plan_snapshot._compare("local", tmp_path, text)
    assert "local: 15 resources, identical" in capsys.readouterr().out

    resources = json.loads(text)
    container = next(r for r in resources if r["type"] == "docker:index/container:Container")
    container["inputs"]["restart"] = "always"  # one input of one resource
    assert not plan_snapshot._compare("local", tmp_path, json.dumps(resources, indent=1, sort_keys=True))
    assert '"restart": "always"' in capsys.readouterr().out


def test_a_secret_value_is_masked_in_the_snapshot(settled: None) -> None:
    postgres = next(r for r in run_program("local", None).resources if r.name == "launchpad-local-postgres")
    [password] = [e.split("=", 1)[1] for e in postgres.inputs["envs"] if e.startswith("POSTGRES_PASSWORD=")]
    text = plan_snapshot.snapshot("local")
    assert len(password) >= 16 and password not in text
    assert "[secret]" in text
