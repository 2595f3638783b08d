"""How each container role starts and reports health: migrations wait for a database that is still
coming up, and the worker's health check follows its registration in Redis."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_servers import Postgres, Redis, free_port
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import OperationalError

from app.contract import ENV
from app.core.config import get_settings
from app.migrate import upgrade, wait_for_database
from app.worker_probe import healthy

REPO = Path(__file__).resolve().parents[2]


class DelayedForwarder:
    """A TCP port that refuses connections for `delay` seconds (the server is still starting), then
    forwards to the real PostgreSQL."""

    def __init__(self, target_port: int, delay: float) -> None:
        self.port = free_port()
        self._target = target_port
        self._stop = threading.Event()
        self._timer = threading.Timer(delay, self._listen)
        self._timer.start()

    def _listen(self) -> None:
        self._server = socket.create_server(("127.0.0.1", self.port))
        self._server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            upstream = socket.create_connection(("127.0.0.1", self._target))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    def close(self) -> None:
        self._timer.cancel()
        self._stop.set()


def test_migrations_wait_for_a_database_that_comes_up_late(postgres: Postgres) -> None:
    postgres.create_database("late_start_test")
    forwarder = DelayedForwarder(postgres.port, delay=2.0)
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{forwarder.port}/late_start_test")
    try:
        started = time.monotonic()
        wait_for_database(engine, seconds=30)
        assert time.monotonic() - started >= 1.5  # it was refused at first, and kept trying
        upgrade(engine)
        assert "jobs" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
        forwarder.close()


def test_migrations_give_up_with_the_connection_error_after_their_wait() -> None:
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing_here")
    with pytest.raises(OperationalError, match="refused"):
        wait_for_database(engine, seconds=1.5)
    engine.dispose()


@pytest.fixture
def redis_env(redis_server: Redis, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    redis_server_url = redis_server.url
    monkeypatch.setenv(ENV.REDIS_URL, redis_server_url)
    get_settings.cache_clear()
    yield {**os.environ, ENV.REDIS_URL: redis_server_url, "PYTHONPATH": str(REPO)}
    get_settings.cache_clear()


def test_the_worker_probe_follows_the_workers_registration(redis_env: dict[str, str]) -> None:
    assert healthy() is False  # no worker on this host yet
    worker = subprocess.Popen(
        [sys.executable, "-m", "app.worker"], env=redis_env, cwd=REPO, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while not healthy() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert healthy() is True
        assert healthy(hostname="some-other-host") is False
    finally:
        worker.send_signal(signal.SIGTERM)  # RQ's warm shutdown unregisters the worker
        worker.wait(30)
    assert healthy() is False
