"""The lifespan's exit stack: a start-up that fails part-way stops what had already started (and the error
is the one raised), and a shutdown after serving stops everything.

The lifespan runs on an event loop of the test's own, so what it leaves behind can be looked at: tasks
still pending on that loop, sockets this process holds to PostgreSQL or Redis, threads still alive.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import psutil  # installed with pytest-postgresql (mirakuru)
import pytest
from app_servers import Postgres, Redis
from fastapi import FastAPI

from app.core.config import Settings
from app.core.services import Overrides
from app.decisions.audit import AuditWriter
from app.main import create_app

Socket = tuple[int, Any, Any]  # file descriptor, local address, remote address


class StartUpFailed(Exception):
    """What the failing step raises; the lifespan must end with this very error."""


def sockets_to(ports: set[int]) -> set[Socket]:
    """This process's TCP sockets connected to one of `ports`."""
    return {
        (connection.fd, connection.laddr, connection.raddr)
        for connection in psutil.Process().net_connections(kind="tcp")
        if connection.raddr and connection.raddr.port in ports
    }


class Leftovers:
    """What the process holds before the app starts, to compare with what it holds after the app ended."""

    def __init__(self, ports: set[int]) -> None:
        self.ports = ports
        self.sockets = sockets_to(ports)
        self.threads = set(threading.enumerate())

    def new_sockets(self) -> set[Socket]:
        return sockets_to(self.ports) - self.sockets

    def assert_none(self, tasks_left: set[asyncio.Task[Any]]) -> None:
        assert tasks_left == set()
        assert self.new_sockets() == set()
        new_threads = [thread for thread in threading.enumerate() if thread not in self.threads]
        for thread in new_threads:  # a pool told to stop ends its idle threads as they wake
            thread.join(timeout=10)
        assert [thread.name for thread in new_threads if thread.is_alive()] == []


def run_lifespan(
    app: FastAPI, inside: Callable[[], Awaitable[None]]
) -> tuple[StartUpFailed | None, set[asyncio.Task[Any]]]:
    """The app's start-up, `inside`, then its shutdown, on a fresh event loop: the start-up error, if
    any, and the tasks left pending on the loop (asyncio.run would cancel them quietly)."""

    async def scenario() -> tuple[StartUpFailed | None, set[asyncio.Task[Any]]]:
        error = None
        try:
            async with app.router.lifespan_context(app):
                await inside()
        except StartUpFailed as exc:
            error = exc
        return error, {task for task in asyncio.all_tasks() if task is not asyncio.current_task()}

    return asyncio.run(scenario())


def _s3_client_fails(monkeypatch: pytest.MonkeyPatch, boom: StartUpFailed) -> Overrides:
    """The last service (the uploads bucket's client) cannot be built: everything before it had started."""

    def client_factory(service: str) -> Any:
        raise boom

    return Overrides(boto_client_factory=client_factory)


def _audit_writer_fails(monkeypatch: pytest.MonkeyPatch, boom: StartUpFailed) -> Overrides:
    """A service in the middle fails: the database pool, Redis clients and metrics had started before it."""

    async def start(self: AuditWriter) -> None:
        raise boom

    monkeypatch.setattr(AuditWriter, "start", start)
    return Overrides()


@pytest.fixture
def leftovers(postgres: Postgres, redis_server: Redis) -> Leftovers:
    return Leftovers({postgres.port, redis_server.port})


@pytest.mark.parametrize("failing", [_s3_client_fails, _audit_writer_fails], ids=["last", "middle"])
def test_a_start_up_that_fails_part_way_leaves_nothing_running(
    make_settings: Callable[..., Settings],
    leftovers: Leftovers,
    monkeypatch: pytest.MonkeyPatch,
    failing: Callable[[pytest.MonkeyPatch, StartUpFailed], Overrides],
) -> None:
    boom = StartUpFailed("a service could not start")
    overrides = failing(monkeypatch, boom)
    # API_KEYS are stored at start-up, so the database pool holds a connection by the time anything fails.
    app = create_app(make_settings(uploads_bucket="launchpad-uploads", metrics_flush_seconds=1.0), overrides)

    async def served() -> None:
        pytest.fail("the app started although one of its services could not")

    error, tasks_left = run_lifespan(app, served)

    assert error is boom
    leftovers.assert_none(tasks_left)


def test_a_shutdown_after_serving_leaves_nothing_running(
    make_settings: Callable[..., Settings], leftovers: Leftovers
) -> None:
    app = create_app(make_settings(metrics_flush_seconds=1.0))

    async def served() -> None:
        services = app.state.services
        # A key lookup and a queue depth: each on its breaker's own threads, over a connection of its own.
        assert await services.api_key_store.verify("a-key-nobody-was-given") is None
        assert await services.jobs.depth() == 0
        assert {remote.port for _, _, remote in leftovers.new_sockets()} == leftovers.ports

    error, tasks_left = run_lifespan(app, served)

    assert error is None
    leftovers.assert_none(tasks_left)
