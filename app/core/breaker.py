"""Every call to a dependency (database, Redis, Secrets Manager, an AI provider) goes through its
`Breaker`: a circuit breaker (pybreaker), a time limit capped by the request's budget, and, for
blocking clients, a thread pool of its own so a hung dependency cannot take the threads others need.

After `fail_max` consecutive outage failures the breaker opens: calls fail at once for `reset_seconds`,
then one probe is let through (half-open); its success closes the breaker. Opening and closing are
counted in the `circuit_opened` / `circuit_closed` metrics. Only outages count: a call that fails for a
reason of its own (a constraint, a 404) passes through unchanged and leaves the breaker alone.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import pybreaker

from app import contract
from app.core import deadline
from app.core.errors import ServiceUnavailableError
from app.core.metrics import Metrics

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_AFTER_SECONDS = 5


class DependencyUnavailable(ServiceUnavailableError):
    """A dependency is down, hung, or skipped while its breaker is open: the route answers 503."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name} unavailable, retry later", headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
        self.dependency = name


class _BreakerMetrics(pybreaker.CircuitBreakerListener):
    def __init__(self, name: str, metrics: Metrics | None) -> None:
        self.name = name
        self.metrics = metrics
        self.loop = _running_loop()

    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        metric = {
            pybreaker.STATE_OPEN: contract.CIRCUIT_OPENED,
            pybreaker.STATE_CLOSED: contract.CIRCUIT_CLOSED,
        }
        spec = metric.get(new_state.name)
        if spec is None:
            return
        logger.warning("circuit breaker %s", new_state.name, extra={"dependency": self.name})
        if self.metrics is not None and self.loop is not None:
            # Listeners run on whichever thread made the call; metrics are buffered on the event loop.
            self.loop.call_soon_threadsafe(self._emit, spec)

    def _emit(self, spec: contract.MetricSpec) -> None:
        assert self.metrics is not None
        task = asyncio.ensure_future(self.metrics.emit({spec: 1}, **{contract.DIM.DEPENDENCY: self.name}))
        _background.add(task)
        task.add_done_callback(_background.discard)


_background: set[asyncio.Future[None]] = set()
_gave_up: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar("gave_up", default=None)


def caller_gave_up() -> bool:
    """In a blocking call run by `call_sync`: whether its caller stopped waiting (timeout, breaker). A
    write checks this before committing, so a request answered 503 does not leave its write behind
    once the dependency comes back."""
    event = _gave_up.get()
    return event is not None and event.is_set()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Breaker:
    """One dependency's circuit breaker, time limit and (for blocking clients) threads; `name` is the
    dependency's, as the `Dependency` metric dimension carries it (contract.DEPENDENCY)."""

    def __init__(
        self,
        name: str,
        *,
        timeout: float,
        is_outage: Callable[[BaseException], bool],
        fail_max: int = 5,
        reset_seconds: float = 10.0,
        metrics: Metrics | None = None,
        max_threads: int = 8,
    ) -> None:
        self.name = name
        self.timeout = timeout
        # Running out of time is an outage whatever the dependency: that is how a hung one shows.
        self._is_outage = lambda exc: isinstance(exc, TimeoutError) or is_outage(exc)
        self.circuit = pybreaker.CircuitBreaker(
            fail_max=fail_max,
            reset_timeout=reset_seconds,
            exclude=[lambda exc: not self._is_outage(exc)],
            listeners=[_BreakerMetrics(name, metrics)],
            name=name,
            throw_new_error_on_trip=False,
        )
        self._max_threads = max_threads
        self._executor: ThreadPoolExecutor | None = None
        self._probe_in_flight = False

    @property
    def is_open(self) -> bool:
        return self.circuit.current_state == pybreaker.STATE_OPEN

    @contextmanager
    def _admitted(self) -> Iterator[None]:
        # pybreaker lets every call through while half-open; against a hung dependency that would be
        # every request in flight waiting its full timeout, so the others fail fast until the probe ends.
        if self._probe_in_flight:
            raise pybreaker.CircuitBreakerError("probe in flight")
        with self.circuit.calling():
            probing = self.circuit.current_state == pybreaker.STATE_HALF_OPEN
            self._probe_in_flight = probing
            try:
                yield
            finally:
                if probing:
                    self._probe_in_flight = False

    def _budget(self, timeout: float | None) -> float:
        budget = deadline.cap(self.timeout if timeout is None else timeout)
        if budget <= 0:
            raise DependencyUnavailable(self.name)
        return budget

    async def call(self, func: Callable[..., Awaitable[T]], *args: Any, timeout: float | None = None) -> T:
        """`await func(*args)` under the breaker and the time limit; DependencyUnavailable on an outage."""
        budget = self._budget(timeout)
        try:
            with self._admitted():
                async with asyncio.timeout(budget):
                    return await func(*args)
        except Exception as exc:
            translated = self._translated(exc)
            if translated is exc:
                raise
            raise translated from exc

    async def call_sync(self, func: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """`func(*args)` on this dependency's own threads, under the breaker and the time limit."""
        budget = self._budget(timeout)
        loop = asyncio.get_running_loop()
        gave_up = threading.Event()
        context = contextvars.copy_context()
        context.run(_gave_up.set, gave_up)
        try:
            with self._admitted():
                async with asyncio.timeout(budget):
                    return await loop.run_in_executor(self._threads(), context.run, func, *args)
        except BaseException as exc:
            gave_up.set()
            if not isinstance(exc, Exception):
                raise
            translated = self._translated(exc)
            if translated is exc:
                raise
            raise translated from exc

    def _translated(self, exc: Exception) -> Exception:
        if isinstance(exc, pybreaker.CircuitBreakerError):
            # Skipped while the breaker is open: its opening was logged once (and counted); a line per
            # skipped call would log thousands a second under load, on the event loop that serves them.
            return DependencyUnavailable(self.name)
        if isinstance(exc, DependencyUnavailable) or self._is_outage(exc):
            logger.warning(
                "dependency unavailable", extra={"dependency": self.name, "error_type": type(exc).__name__}
            )
            return DependencyUnavailable(self.name)
        return exc

    def _threads(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._max_threads, thread_name_prefix=self.name)
        return self._executor

    def shutdown(self) -> None:
        if self._executor is not None:
            # Threads stuck on a hung socket must not hold up the process's exit.
            self._executor.shutdown(wait=False, cancel_futures=True)
