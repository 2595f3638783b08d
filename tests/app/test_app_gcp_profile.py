"""The production profile on Google Cloud's environment contract, with real servers: TLS-only PostgreSQL
and Redis verified against the CAs they are given, a password and AUTH, uploads on Cloud Storage, and a
job accepted by one app process that completes after that process is killed (web, worker and migrations
as the separate processes Cloud Run runs: the service, the worker pool and the migration job)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import psycopg
import pytest
from app_servers import free_port
from app_testing import API_KEY
from gcp_tier import BUCKET, DATABASE, READER_PASSWORD, GcpTier, make_authority, start_gcp_tier
from google.cloud import storage

from app import contract
from app.contract import ENV, READONLY_DATABASE_ROLE

REPO = Path(__file__).resolve().parents[2]
JOB = {"name": "Acme renewal", "description": "The app is terrible lately. We are switching to a competitor."}


@pytest.fixture(scope="module")
def tier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GcpTier]:
    yield from start_gcp_tier(tmp_path_factory.mktemp("gcp-tier"))


def _env(tier: GcpTier, **changes: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_", "UPLOADS_"))}
    extra = {ENV.API_KEYS: API_KEY, ENV.DATABASE_READONLY_PASSWORD: READER_PASSWORD, ENV.AI_DISABLED: "true"}
    return {**inherited, **tier.env(), **extra, **changes}


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *command[1:]],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


class Server:
    """`python -m app.serve` as Cloud Run starts it, on a port of its own."""

    def __init__(self, env: dict[str, str]) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.serve", "--host", "127.0.0.1"],
            cwd=REPO,
            env={**env, ENV.PORT: str(self.port)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.http = httpx2.Client(base_url=f"http://127.0.0.1:{self.port}", headers={"X-API-Key": API_KEY})
        deadline = time.monotonic() + 60  # imports every SDK first: seconds on a loaded machine
        while not self._ready():
            assert self.process.poll() is None, self.process.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the server never answered /health with 200"
            time.sleep(0.2)

    def _ready(self) -> bool:
        try:  # the deep check: 200 only once the database and Redis both answer
            return self.http.get(contract.HEALTH_PATH, timeout=2).status_code == 200
        except httpx2.TransportError:
            return False

    def kill(self) -> None:
        self.http.close()
        self.process.send_signal(signal.SIGKILL)  # no shutdown hook runs: an instance lost, not drained
        self.process.wait(10)


def _objects(tier: GcpTier) -> list[str]:
    os.environ["STORAGE_EMULATOR_HOST"] = tier.storage_host
    try:
        return [blob.name for blob in storage.Client().list_blobs(BUCKET)]
    finally:
        del os.environ["STORAGE_EMULATOR_HOST"]


def _checked(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_a_job_accepted_by_a_killed_process_completes_on_the_gcp_contract(tier: GcpTier) -> None:
    env = _env(tier)
    _checked(_run(contract.MIGRATE_COMMAND, env))  # the migration job, before any revision serves
    first = Server(env)
    try:
        accepted = first.http.post("/v1/jobs", json=JOB)
        assert accepted.status_code == 202, accepted.text
        notes = {"file": ("notes.txt", b"renewal notes\n", "text/plain")}
        upload = first.http.post("/v1/uploads", files=notes)
        assert upload.status_code == 201, upload.text
    finally:
        first.kill()
    job_id = accepted.json()["job_id"]
    _checked(_run([*contract.WORKER_COMMAND, "--burst"], env))  # the worker pool's instance
    second = Server(env)
    try:
        view = second.http.get(f"/v1/jobs/{job_id}").json()
    finally:
        second.kill()
    assert view["status"] == "finished" and view["result"]["name"] == JOB["name"]
    assert [name for name in _objects(tier) if name.endswith(f"{upload.json()['upload_id']}.txt")]


def test_the_nightly_job_reads_through_the_read_only_role_with_its_password(tier: GcpTier) -> None:
    env = _env(tier)
    _checked(_run(contract.MIGRATE_COMMAND, env))  # gives the role its login from DATABASE_READONLY_PASSWORD
    _checked(_run(contract.NIGHTLY_COMMAND, env))
    login = f"host=127.0.0.1 port={tier.postgres.port} dbname={DATABASE} sslmode=require"
    with psycopg.connect(f"{login} user={READONLY_DATABASE_ROLE} password={READER_PASSWORD}") as reader:
        assert reader.execute("SHOW default_transaction_read_only").fetchone() == ("on",)


@pytest.mark.parametrize(
    "changes",
    [
        {ENV.DATABASE_CA_CERT: "impostor"},
        {ENV.REDIS_CA_CERT: "impostor"},
        {ENV.REDIS_AUTH_TOKEN: "wrong-token-0123456789"},
    ],
    ids=["database-ca", "redis-ca", "redis-auth"],
)
def test_a_server_the_given_ca_did_not_sign_or_a_wrong_token_is_refused(
    tier: GcpTier, tmp_path: Path, changes: dict[str, Any]
) -> None:
    impostor = make_authority(tmp_path, "impostor").pem
    env = _env(tier, **{key: impostor if value == "impostor" else value for key, value in changes.items()})
    if ENV.DATABASE_CA_CERT in changes:
        failed = _run(contract.MIGRATE_COMMAND, {**env, "MIGRATE_WAIT_SECONDS": "1"})  # no retries for long
        assert failed.returncode != 0 and "certificate verify failed" in failed.stderr
    else:
        failed = _run([*contract.WORKER_COMMAND, "--burst"], env)
        assert failed.returncode != 0
        reason = "certificate verify failed" if ENV.REDIS_CA_CERT in changes else "invalid username-password"
        assert reason in failed.stderr.lower() or reason in failed.stdout.lower(), failed.stderr[-2000:]


def test_gcs_storage_writes_under_the_key_and_deleting_a_missing_object_is_quiet(tier: GcpTier) -> None:
    from io import BytesIO

    from app.uploads.storage import GcsStorage

    os.environ["STORAGE_EMULATOR_HOST"] = tier.storage_host
    try:
        store = GcsStorage(storage.Client(), BUCKET)
        store.put("uploads/unit/a.txt", BytesIO(b"a"), "text/plain")
        assert storage.Client().bucket(BUCKET).blob("uploads/unit/a.txt").download_as_bytes() == b"a"
        store.delete("uploads/unit/a.txt")
        store.delete("uploads/unit/a.txt")  # S3 answers a missing key the same way: nothing to do
    finally:
        del os.environ["STORAGE_EMULATOR_HOST"]
    assert "uploads/unit/a.txt" not in _objects(tier)


def test_one_uploads_store_at_a_time() -> None:
    from pydantic import ValidationError

    from app.core.config import Settings

    with pytest.raises(ValidationError, match="not both"):
        Settings(uploads_bucket="s3-bucket", uploads_gcs_bucket="gcs-bucket")


def test_one_readonly_login_at_a_time() -> None:
    from pydantic import ValidationError

    from app.core.config import Settings

    with pytest.raises(ValidationError, match=r"DATABASE_READONLY_SECRET_ARN .* not both"):
        Settings(
            database_readonly_password="from-secret-manager",
            database_readonly_secret_arn="arn:aws:secretsmanager:us-east-1:123456789012:secret:ro-abc123",
        )
