"""Audit rows are written in batches off the request path; when the database is down they go to the log.

A request only appends its row. The rows go in one insert every `interval_seconds`, or at once when a
batch is full (so what waits stays bounded under load), and whatever is pending when the app stops is
written before it exits (PeriodicFlusher.stop): none is dropped to keep up."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import insert

from app.core.breaker import Breaker
from app.core.db import Database
from app.core.periodic import PeriodicFlusher
from app.decisions.models import AuditRecord

logger = logging.getLogger(__name__)
# Off the request path, so longer than a request's database wait; a hung database still cannot stall the
# writer (and its pending rows) for ever. Rows whose write failed or timed out go to the log.
WRITE_TIMEOUT_SECONDS = 5.0


class AuditWriter(PeriodicFlusher):
    def __init__(
        self, db: Database, database_breaker: Breaker, interval_seconds: float = 0.5, max_batch: int = 500
    ) -> None:
        self._db = db
        self._database_breaker = database_breaker
        self.flush_interval_seconds = interval_seconds
        self._max_batch = max_batch
        self._pending: list[dict[str, Any]] = []

    def record(self, row: dict[str, Any]) -> None:
        self._pending.append(row)
        if len(self._pending) >= self._max_batch:
            self.flush_soon()

    async def flush(self) -> int:
        """Write what is pending; returns the number of rows that reached the database."""
        written = 0
        while self._pending:
            rows, self._pending = self._pending[: self._max_batch], self._pending[self._max_batch :]
            try:
                await self._database_breaker.call_sync(self._write, rows, timeout=WRITE_TIMEOUT_SECONDS)
                written += len(rows)
            except Exception as exc:
                for row in rows:
                    logger.warning(
                        "audit record not stored: database unavailable",
                        extra={"audit": row, "error_type": type(exc).__name__},
                    )
        return written

    def _write(self, rows: list[dict[str, Any]]) -> None:
        # One executemany through Core: building an ORM object per row held the GIL long enough to show
        # up in request latency under load.
        with self._db.session() as session:
            session.execute(insert(AuditRecord), rows)
