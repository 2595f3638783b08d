"""The Breaker: what pybreaker does not (one probe at a time while half-open), the budget cap,
and which failures count."""

from __future__ import annotations

import asyncio

import pytest

from app.core import deadline
from app.core.breaker import Breaker, DependencyUnavailable


def breaker(**kw) -> Breaker:
    values = {"timeout": 1.0, "is_outage": lambda exc: isinstance(exc, ConnectionError), "fail_max": 1}
    values.update(kw)
    return Breaker("thing", reset_seconds=0.1, **values)


async def fail() -> None:
    raise ConnectionError("down")


async def test_half_open_lets_one_probe_through_and_fails_the_others_fast() -> None:
    thing = breaker()
    with pytest.raises(DependencyUnavailable):
        await thing.call(fail)
    assert thing.is_open
    await asyncio.sleep(0.15)  # the cool-down is over: the next call is the probe
    release = asyncio.Event()

    async def slow_success() -> str:
        await release.wait()
        return "ok"

    probe = asyncio.ensure_future(thing.call(slow_success))
    await asyncio.sleep(0.01)
    with pytest.raises(DependencyUnavailable):  # not a second caller waiting on a maybe-hung dependency
        await thing.call(slow_success)
    release.set()
    assert await probe == "ok"
    assert thing.circuit.current_state == "closed"
    assert await thing.call(asyncio.sleep, 0, "again") == "again"


async def test_a_call_gets_no_more_than_the_request_has_left() -> None:
    thing = breaker(timeout=5.0)
    token = deadline.start(0.1)
    try:
        with pytest.raises(DependencyUnavailable):
            await thing.call(asyncio.sleep, 1)
    finally:
        deadline.reset(token)


async def test_failures_of_the_call_itself_pass_through_and_do_not_trip() -> None:
    thing = breaker()

    async def bad_input() -> None:
        raise ValueError("the caller's mistake")

    for _ in range(3):
        with pytest.raises(ValueError):
            await thing.call(bad_input)
    assert thing.circuit.current_state == "closed"


async def test_calls_skipped_by_an_open_breaker_log_nothing_each(caplog) -> None:
    # The opening is logged once; a warning per skipped call would be thousands a second under load,
    # written on the event loop that serves the requests.
    thing = breaker()
    with caplog.at_level("WARNING", logger="app.core.breaker"):
        with pytest.raises(DependencyUnavailable):
            await thing.call(fail)  # the outage itself: logged, and the breaker opens
        assert thing.is_open
        for _ in range(50):
            with pytest.raises(DependencyUnavailable):
                await thing.call(fail)
    unavailable = [r for r in caplog.records if r.getMessage() == "dependency unavailable"]
    opened = [r for r in caplog.records if r.getMessage() == "circuit breaker open"]
    assert len(unavailable) == 1 and len(opened) == 1
