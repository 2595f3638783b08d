"""A background task that flushes a buffer on an interval, sooner when asked, and once more on shutdown.

Stopping waits for a flush already under way (the rows it took are written, not dropped with a cancelled
task), then flushes what is left: whatever was buffered when the app stopped is written before it exits.
"""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from typing import Any


class PeriodicFlusher(ABC):
    flush_interval_seconds: float

    _task: asyncio.Task[None] | None = None
    _in_flight: set[asyncio.Future[Any]] | None = None

    @abstractmethod
    async def flush(self) -> Any: ...

    async def start(self) -> None:
        if self.flush_interval_seconds > 0:
            self._task = asyncio.create_task(self._run())

    def flush_soon(self) -> None:
        """Start a flush now, ahead of the interval, unless a flush is under way (it takes these rows too)."""
        if not self._in_flight:
            self._tracked()

    def _tracked(self) -> asyncio.Future[Any]:
        if self._in_flight is None:  # made here: subclasses do not call an __init__ of this class
            self._in_flight = set()
        flushing = asyncio.ensure_future(self.flush())
        self._in_flight.add(flushing)
        flushing.add_done_callback(self._in_flight.discard)
        return flushing

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval_seconds)
            # Shielded: stopping cancels the wait for the next interval, never a flush under way.
            await asyncio.shield(self._tracked())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)
        await self.flush()
