"""Writes that can wait (audit rows, cache entries) leave the request path and are never lost: a full
batch goes at once, and whatever is pending when the app stops is written before it exits."""

from __future__ import annotations

import asyncio

import redis
from app_testing import API_KEY, db_rows
from fake_ai import FakeAI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.core.breaker import Breaker
from app.core.config import Settings
from app.core.db import Database, make_engine, utcnow
from app.core.services import Overrides
from app.decisions.audit import AuditWriter
from app.decisions.models import AuditRecord
from app.main import create_app
from app.migrate import upgrade

AUDITED = "SELECT count(*) AS n FROM decision_audit"
CONFIDENT = "I want to cancel my subscription, ticket {}"


def test_stopping_the_app_writes_every_pending_audit_row_and_cache_entry(
    make_settings, database_url, redis_server
) -> None:
    fake = FakeAI()
    settings = make_settings(audit_flush_seconds=60, anthropic_api_key="sk-claude", ai_providers="claude")
    client = TestClient(create_app(settings, Overrides(ai_transport=fake.transport)))
    client.__enter__()
    client.headers["X-API-Key"] = API_KEY
    for i in range(7):
        assert client.post("/v1/decisions", json={"message": CONFIDENT.format(i)}).status_code == 200
    unsure = client.post("/v1/decisions", json={"message": "How do I export my data to CSV?"}).json()
    assert unsure["source"] == "claude"  # the chain's answer: the one kind the cache keeps
    assert db_rows(database_url, AUDITED)[0].n == 0  # all eight wait for the next flush, a minute away

    client.__exit__(None, None, None)  # shutdown: the lifespan unwinds its exit stack

    assert db_rows(database_url, AUDITED)[0].n == 8
    assert len(redis.Redis.from_url(redis_server.url).keys("decision:*")) == 1


def test_a_full_batch_is_written_at_once_not_at_the_interval(tmp_path) -> None:
    db = Database(make_engine(Settings(sqlite_path=str(tmp_path / "audit.db"))))
    upgrade(db.engine)
    database_breaker = Breaker("database", timeout=5.0, is_outage=lambda _: False)
    writer = AuditWriter(db, database_breaker, interval_seconds=60, max_batch=3)
    row = {
        "created_at": utcnow(),
        "request_id": "r",
        "api_key_label": None,
        "message_sha256": "0" * 64,
        "decision": "escalate",
        "churn_risk": "high",
        "confidence": 0.9,
        "source": "rules",
        "cached": False,
        "latency_ms": 1.0,
        "tokens_in": 0,
        "tokens_out": 0,
        "cost_usd": 0.0,
    }

    async def scenario() -> tuple[int, int]:
        await writer.start()
        for _ in range(3):
            writer.record(dict(row))
        for _ in range(100):  # the batch's own flush, not the minute-long interval
            await asyncio.sleep(0.01)
            if not writer._pending and not writer._in_flight:
                break
        with db.session() as session:
            early = session.execute(db_count()).scalar_one()
        writer.record(dict(row))
        await writer.stop()
        with db.session() as session:
            return early, session.execute(db_count()).scalar_one()

    assert asyncio.run(scenario()) == (3, 4)
    database_breaker.shutdown()
    db.dispose()


def db_count():
    return select(func.count()).select_from(AuditRecord)
