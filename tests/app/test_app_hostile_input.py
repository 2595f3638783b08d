"""Hostile and odd input: a 4xx that names the field, never a 500, and nothing stored half-way."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from app_servers import free_port
from app_testing import db_rows
from uvicorn.config import Config
from uvicorn.server import ServerState

from app import contract
from app.contract import SECURITY_HEADERS
from app.core.http_protocol import HeaderLimitedHttpToolsProtocol

REPO = Path(__file__).resolve().parents[2]
JOB = {"name": "Acme renewal", "description": "The app is terrible lately. We are switching to a competitor."}


@pytest.mark.parametrize("path", ["/v1/decisions", "/v1/jobs"])
def test_deeply_nested_json_is_a_4xx(client, path) -> None:
    body = b'{"message": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"  # under the 64 KiB body limit
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code in {400, 422}
    assert response.json()["error"]["code"] in {"validation_error", "bad_request"}


def test_a_nul_in_a_job_name_is_refused_naming_the_field(client, database_url) -> None:
    response = client.post("/v1/jobs", json={**JOB, "name": "Acme\x00renewal"})
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["loc"] == ["body", "name"]
    assert "NUL" in detail["msg"]
    assert db_rows(database_url, "SELECT id FROM jobs") == []


def test_a_nul_in_an_upload_file_name_is_refused_and_nothing_is_stored(make_client, database_url, tmp_path):
    client = make_client(local_uploads_dir=str(tmp_path))
    # Written by hand: httpx would percent-encode the NUL; a hostile client sends it raw.
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="notes\x00.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nplain text\n\r\n--b--\r\n"
    )
    response = client.post(
        "/v1/uploads", content=body, headers={"Content-Type": "multipart/form-data; boundary=b"}
    )
    assert response.status_code == 422
    assert "rename the file" in response.json()["error"]["details"][0]["msg"]
    assert db_rows(database_url, "SELECT id FROM uploads") == []
    assert not any(tmp_path.rglob("*.txt"))


def test_an_unexpected_error_is_a_500_with_request_id_and_security_headers(client) -> None:
    async def broken(limit: int):
        raise RuntimeError("a bug")

    client.app.state.services.jobs.recent = broken
    response = client.get("/v1/jobs", headers={"X-Request-ID": "trace-500"})
    assert response.status_code == 500
    assert response.json()["error"] == {
        "code": "internal_error",
        "message": "internal error",
        "request_id": "trace-500",
    }
    assert response.headers["X-Request-ID"] == "trace-500"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value


def test_405_lists_every_method_of_the_path(client) -> None:
    response = client.put("/v1/jobs")
    assert response.status_code == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == {"GET", "POST"}


def test_embedded_profile_timestamps_carry_their_utc_offset(make_client, tmp_path) -> None:
    client = make_client(database_url=None, redis_url=None, sqlite_path=str(tmp_path / "db.sqlite"))
    job_id = client.post("/v1/jobs", json=JOB).json()["job_id"]
    for view in (client.get(f"/v1/jobs/{job_id}").json(), client.get("/v1/jobs").json()["jobs"][0]):
        created = datetime.fromisoformat(view["created_at"])
        assert created.utcoffset() is not None and created.utcoffset().total_seconds() == 0


@pytest.fixture
def served(tmp_path):
    """`python -m app.serve`, the documented way to serve, on a free port."""
    port = free_port()
    env = {**os.environ, contract.ENV.PORT: str(port), "SQLITE_PATH": str(tmp_path / "db.sqlite")}
    for name in (contract.ENV.DATABASE_URL, contract.ENV.REDIS_URL):
        env.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, "-m", "app.serve", "--host", "127.0.0.1"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 45  # startup imports every SDK: 8 s and more on a loaded machine
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(10)


def _raw_request(port: int, header_bytes: int) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ")
        try:
            for _ in range(header_bytes // 65536):
                sock.sendall(b"a" * 65536)
            sock.sendall(b"\r\n\r\n")
        except OSError:  # the server closed the connection on us: its answer is already there
            pass
        return sock.recv(65536)


def test_oversize_request_headers_are_refused_early_by_the_server(served) -> None:
    started = time.monotonic()
    answer = _raw_request(served, 8 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 431"), answer[:80]
    assert time.monotonic() - started < 5  # refused after 64 KiB, not read to the end
    assert _raw_request(served, 0).startswith(b"HTTP/1.1 200")


class RecordingTransport:
    """What the protocol writes and whether it closed; addresses as asyncio's socket transport gives them."""

    def __init__(self) -> None:
        self.written = b""
        self.closed = False

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


async def _never_called(scope: object, receive: object, send: object) -> None:
    raise AssertionError("an oversize request reached the app")


@pytest.mark.parametrize("header_bytes", [70_000, 150_000])
async def test_oversize_headers_arriving_in_one_read_are_refused_too(header_bytes: int) -> None:
    # 150 KB sent at once completes the headers within one read: the received-bytes count alone let it in.
    config = Config(app=_never_called, http=HeaderLimitedHttpToolsProtocol, log_level="warning")
    config.load()
    protocol = HeaderLimitedHttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
    transport = RecordingTransport()
    protocol.connection_made(transport)  # type: ignore[arg-type]
    request = b"POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nX-Big: "
    protocol.data_received(request + b"a" * header_bytes + b"\r\n\r\n{}")
    assert transport.written.startswith(b"HTTP/1.1 431") and transport.closed
    assert transport.written.count(b"HTTP/1.1") == 1 and not protocol.tasks


async def test_headers_within_the_bound_in_one_read_are_served() -> None:
    seen: list[str] = []

    async def app(scope: dict, receive: object, send: object) -> None:
        seen.append(scope["path"])

    config = Config(app=app, http=HeaderLimitedHttpToolsProtocol, log_level="warning")
    config.load()
    protocol = HeaderLimitedHttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
    protocol.connection_made(RecordingTransport())  # type: ignore[arg-type]
    protocol.data_received(b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 60_000 + b"\r\n\r\n")
    assert len(protocol.tasks) == 1
    await next(iter(protocol.tasks))
    assert seen == ["/health/live"]
