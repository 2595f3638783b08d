"""Uploads over the spooling threshold work on a volume set up as the image sets it up, and a volume the
app user cannot write stops the service at start-up instead of failing uploads with a 500.

The service runs in a child process as the image's user (uid 10001 when the tests run as root, who
could write anywhere) with its temp directory, SQLite file and uploads on a directory prepared the way
app/Dockerfile prepares each writable path, or the way Fargate mounts one the image does not declare.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import contract

DOCKERFILE = Path(__file__).resolve().parents[2] / "app" / "Dockerfile"
UPLOAD_BYTES = 2 * 1024 * 1024  # over Starlette's 1 MiB spooling threshold: the part goes to a temp file

CHILD = """
import json, os, sys, tempfile
from fastapi.testclient import TestClient
from app.main import create_app
from app.core.config import Settings

def upload(settings):
    with TestClient(create_app(settings)) as client:
        body = b"line of text\\n" * (int(sys.argv[1]) // 13)
        response = client.post("/v1/uploads", files={"file": ("notes.txt", body, "text/plain")})
        return {"status": response.status_code, "body": response.text[:300]}

drop_to = int(sys.argv[2])
if drop_to:
    # Root can write anywhere: warm every import up as root in a scratch directory of its own (the
    # interpreter lives where the app user cannot read), then run the real thing as the app user.
    scratch = tempfile.mkdtemp(dir=sys.argv[3])
    tempfile.tempdir = scratch
    upload(Settings(sqlite_path=scratch + "/warm.db", local_uploads_dir=scratch + "/uploads"))
    tempfile.tempdir = None
    os.setgid(drop_to)
    os.setuid(drop_to)
try:
    print(json.dumps(upload(Settings())))
except Exception as error:
    print(json.dumps({"error": type(error).__name__, "message": str(error)}))
"""


def _image_mode(path: str) -> tuple[int, int]:
    """(owner uid, mode) the Dockerfile gives `path` with `install -d -o UID -g GID -m MODE path`."""
    text = DOCKERFILE.read_text()
    match = re.search(rf"install -d -o (\d+) -g \d+ -m ([0-7]+) {re.escape(path)}\b", text)
    assert match, f"app/Dockerfile does not create {path} for the app user"
    return int(match.group(1)), int(match.group(2), 8)


def _run_service(volume: Path) -> dict:
    env = {
        "PATH": os.environ["PATH"],
        "TMPDIR": str(volume),
        "HOME": str(volume),
        "SQLITE_PATH": str(volume / "launchpad.db"),
        "LOCAL_UPLOADS_DIR": str(volume / "uploads"),
        contract.ENV.DEPLOYMENT_ENV: "local",
        "METRICS_ENABLED": "false",
    }
    drop_to = contract.APP_UID if os.getuid() == 0 else 0
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(UPLOAD_BYTES), str(drop_to), str(volume.parent)],
        env=env | {"PYTHONPATH": str(repo)},
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    last = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert last, result.stderr[-2000:]
    return json.loads(last[-1])


@pytest.fixture
def mount_point() -> Iterator[Path]:
    """A directory every user can reach (pytest's own tmp dirs are private to the test runner)."""
    base = Path(tempfile.mkdtemp(prefix="launchpad-volume-"))
    base.chmod(0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _volume(base: Path, owner: int, mode: int) -> Path:
    volume = base / "volume"
    volume.mkdir()
    if os.getuid() == 0:
        os.chown(volume, owner, owner)
    volume.chmod(mode)
    return volume


@pytest.mark.parametrize("path", contract.WRITABLE_PATHS)
def test_a_large_upload_succeeds_on_the_volume_the_image_declares(mount_point: Path, path: str) -> None:
    owner, mode = _image_mode(path)
    assert owner == contract.APP_UID and mode & 0o002  # writable by the app user, whoever owns the mount
    result = _run_service(_volume(mount_point, owner if os.getuid() == 0 else os.getuid(), mode))
    assert result.get("status") == 201, result


def test_a_volume_the_app_user_cannot_write_stops_the_service_at_start(mount_point: Path) -> None:
    # What Fargate mounts for a path the image does not declare a VOLUME: root-owned, mode 0755.
    result = _run_service(_volume(mount_point, 0, 0o755 if os.getuid() == 0 else 0o555))
    assert result.get("error") == "UnwritableDirectoryError", result
    assert "cannot write" in result["message"] and "Permission denied" in result["message"]


def test_the_image_declares_every_writable_path_a_volume_after_creating_it() -> None:
    text = DOCKERFILE.read_text()
    final_stage = text[text.rindex("FROM ") :]
    for path in contract.WRITABLE_PATHS:
        created = final_stage.index(f" {path}")
        volume = re.search(r"^VOLUME \[(.*)\]$", final_stage, re.MULTILINE)
        assert volume and f'"{path}"' in volume.group(1), f"{path} is not a VOLUME"
        assert volume.start() > created


def test_every_path_valued_variable_of_the_image_lies_on_a_writable_path() -> None:
    text = DOCKERFILE.read_text()
    final_stage = text[text.rindex("FROM ") :]
    paths = dict(re.findall(r"\b(HOME|TMPDIR|HF_HOME|XDG_CACHE_HOME)=(\S+)", final_stage))
    assert {"HOME", "TMPDIR", "HF_HOME"} <= set(paths)
    for name, value in paths.items():
        assert any(value == p or value.startswith(p + "/") for p in contract.WRITABLE_PATHS), name
