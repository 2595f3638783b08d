"""The request's time budget. The edge middleware starts it when the request arrives; every wait on a
dependency (database, Redis, Secrets Manager, an AI provider) is capped by what is left of it, so an
answer (degraded or 503) always leaves within the budget whatever the dependencies do."""

from __future__ import annotations

import time
from contextvars import ContextVar

_deadline: ContextVar[float | None] = ContextVar("request_deadline", default=None)


def start(budget_seconds: float) -> object:
    """Starts the current request's budget; returns the token `reset` takes."""
    return _deadline.set(time.monotonic() + budget_seconds)


def reset(token: object) -> None:
    _deadline.reset(token)  # type: ignore[arg-type]


def remaining() -> float | None:
    """Seconds left of the current request's budget; None outside a request (background work)."""
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


def cap(timeout: float) -> float:
    """`timeout`, or less when the request's budget ends sooner (never below zero)."""
    left = remaining()
    return timeout if left is None else max(0.0, min(timeout, left))
