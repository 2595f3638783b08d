"""A background task that flushes a buffer on an interval and once more on shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from typing import Any


class PeriodicFlusher(ABC):
    flush_interval_seconds: float

    _task: asyncio.Task[None] | None = None

    @abstractmethod
    async def flush(self) -> Any: ...

    async def start(self) -> None:
        if self.flush_interval_seconds > 0:
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval_seconds)
            await self.flush()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()
