"""API keys: stored as SHA-256 hashes (keys are long random strings, so a slow KDF buys nothing),
bootstrapped from API_KEYS or a Secrets Manager secret, looked up through bounded in-process caches."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging

from cachetools import TTLCache
from sqlalchemy import select

from app.auth.models import ApiKey
from app.core.breaker import Breaker, DependencyUnavailable
from app.core.db import Database

logger = logging.getLogger(__name__)


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def parse_key_list(raw: str | None) -> list[str]:
    """Comma-separated, or a JSON list (how a Secrets Manager secret naturally holds several keys)."""
    if not raw:
        return []
    text = raw.strip()
    if text.startswith("["):
        return [str(item).strip() for item in json.loads(text) if str(item).strip()]
    return [item.strip() for item in text.split(",") if item.strip()]


class ApiKeyStore:
    """Configured keys (API_KEYS or its secret) are answered from memory, before any database lookup.
    Other keys are looked up once per `cache_seconds`, found or not, in bounded caches: a flood of random
    keys costs at most one lookup each and evicts itself. A key the database confirmed stays accepted for
    `stale_seconds` while the database is unreachable; a key it never saw is then a 503, not a 401."""

    def __init__(
        self,
        db: Database,
        database_breaker: Breaker,
        *,
        cache_seconds: float = 30.0,
        cache_size: int = 10_000,
        stale_seconds: float = 3600.0,
    ) -> None:
        self._db = db
        self._database_breaker = database_breaker
        self._recent: TTLCache[str, str | None] = TTLCache(maxsize=cache_size, ttl=cache_seconds)
        self._confirmed: TTLCache[str, str] = TTLCache(maxsize=cache_size, ttl=stale_seconds)
        # Keys from configuration stay valid while Postgres is down: decisions must still be served.
        self._bootstrap: dict[str, str] = {}
        self._has_stored_keys = False
        self._inflight: dict[str, asyncio.Future[str | None]] = {}

    @property
    def enabled(self) -> bool:
        return bool(self._bootstrap) or self._has_stored_keys

    @property
    def cached_entries(self) -> int:
        return len(self._recent) + len(self._confirmed)

    def bootstrap(self, raw_keys: list[str], source: str) -> None:
        hashes = {hash_key(key): f"{source}-{hash_key(key)[:8]}" for key in raw_keys}
        self._bootstrap.update(hashes)
        try:
            with self._db.session() as session:
                existing = set(session.scalars(select(ApiKey.key_hash).where(ApiKey.key_hash.in_(hashes))))
                for key_hash, label in hashes.items():
                    if key_hash not in existing:
                        session.add(ApiKey(key_hash=key_hash, label=label, source=source))
                self._has_stored_keys = session.scalar(select(ApiKey.id).limit(1)) is not None
        except Exception as exc:
            logger.warning(
                "api keys not stored: database unavailable", extra={"error_type": type(exc).__name__}
            )

    async def verify(self, raw_key: str) -> str | None:
        """The key's label when valid, else None; DependencyUnavailable when it cannot be checked."""
        key_hash = hash_key(raw_key)
        # A dict lookup by SHA-256 digest: learning its timing needs preimages, so no compare_digest loop.
        configured = self._bootstrap.get(key_hash)
        if configured is not None:
            return configured
        if key_hash in self._recent:
            return self._recent[key_hash]
        # One lookup per key at a time: when the entry expires under load, every request in flight would
        # otherwise queue its own database lookup and wait for it.
        pending = self._inflight.get(key_hash)
        if pending is None:
            pending = asyncio.ensure_future(self._lookup_and_cache(key_hash))
            self._inflight[key_hash] = pending
            pending.add_done_callback(lambda _: self._inflight.pop(key_hash, None))
        return await asyncio.shield(pending)

    async def _lookup_and_cache(self, key_hash: str) -> str | None:
        try:
            label = await self._database_breaker.call_sync(self._lookup, key_hash)
        except DependencyUnavailable:
            confirmed = self._confirmed.get(key_hash)
            if confirmed is not None:
                return confirmed
            raise
        self._recent[key_hash] = label
        if label is None:
            self._confirmed.pop(key_hash, None)
        else:
            self._confirmed[key_hash] = label
        return label

    def _lookup(self, key_hash: str) -> str | None:
        with self._db.session() as session:
            row = session.scalar(
                select(ApiKey).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
            )
            return row.label if row else None
