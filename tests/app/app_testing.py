"""Helpers shared by the app tests (conftest holds the fixtures)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from app.core.config import Settings
from app.core.db import make_engine

API_KEY = "test-key-0123456789abcdef"


def emf_records(text_out: str) -> list[dict[str, Any]]:
    """The EMF lines printed on stdout."""
    records = []
    for line in text_out.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            records.append(json.loads(line))
    return records


def db_rows(url: str, sql: str) -> list[Any]:
    engine = make_engine(Settings(database_url=url))
    with engine.connect() as connection:
        rows = list(connection.execute(text(sql)))
    engine.dispose()
    return rows


def flush_audit(client: Any) -> int:
    """Write the pending audit rows now, on the app's own event loop."""
    return int(client.portal.call(client.app.state.services.audit.flush))


def flush_metrics(client: Any) -> None:
    """Write the buffered EMF records now (the app flushes on an interval)."""
    client.portal.call(client.app.state.services.metrics.flush)


def emitted_records(client: Any, capsys: Any) -> list[dict[str, Any]]:
    """Every EMF record the app has written so far, after flushing its buffer."""
    flush_metrics(client)
    return emf_records(capsys.readouterr().out)
