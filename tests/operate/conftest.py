"""Fixtures for the operating commands: a deployed dev stack in moto, a loopback /health, Google fakes.

No test reaches the network: AWS is moto, the Google APIs are fakes, /health is served on 127.0.0.1.
"""

from __future__ import annotations

import http.server
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import mock_aws

from offline.program import run_program
from tests.infra.conftest import GCP_PROJECT, plan_with_gcp
from tests.operate import moto_stack
from tests.operate.google_fakes import FakeRun, FakeSecretManager


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", moto_stack.REGION)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def leaks(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Any:
    """Everything printed or logged, at DEBUG, for a secret value to be looked for."""
    caplog.set_level(logging.DEBUG)

    def collected() -> str:
        captured = capsys.readouterr()
        return captured.out + captured.err + caplog.text

    return collected


@pytest.fixture(scope="session")
def dev_outputs() -> dict[str, Any]:
    """What `pulumi stack output --json` prints for dev, from the real program under the mocks."""
    return json.loads(json.dumps(run_program("dev").outputs))


@pytest.fixture(scope="session")
def dev_gcp_outputs() -> dict[str, Any]:
    return json.loads(json.dumps(plan_with_gcp("dev", {}).outputs))


class HealthServer:
    """Answers GET /health with `status` and the app's JSON body, on a free loopback port."""

    def __init__(self) -> None:
        self.status = 200
        self.failing: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps({"status": "ok", "failing": server.failing}).encode()
                self.send_response(server.status if self.path == "/health" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def health() -> Iterator[HealthServer]:
    server = HealthServer()
    yield server
    server.close()


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


@pytest.fixture
def stack(aws: None, dev_outputs: dict[str, Any], health: HealthServer) -> dict[str, Any]:
    """The dev stack deployed in moto, its service answering on loopback (plain HTTP, as `edge: alb`
    without a domain serves)."""
    out = moto_stack.deploy(dev_outputs)
    out["service_url"], out["https_enabled"] = health.url, False
    return out


@pytest.fixture
def outputs_file(tmp_path: Path):
    def write(out: dict[str, Any]) -> str:
        return str(moto_stack.write(out, tmp_path))

    return write


@pytest.fixture
def google() -> tuple[FakeSecretManager, FakeRun]:
    return FakeSecretManager(GCP_PROJECT), FakeRun()
