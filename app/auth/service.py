"""API keys: stored as SHA-256 hashes (keys are long random strings, so a slow KDF buys nothing),
bootstrapped from API_KEYS or a Secrets Manager secret, looked up with a short in-process cache."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time

from sqlalchemy import select

from app.auth.models import ApiKey
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
    def __init__(self, db: Database, cache_seconds: float = 30.0) -> None:
        self._db = db
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, str | None]] = {}
        # Keys from configuration stay valid while Postgres is down: decisions must still be served.
        self._bootstrap: dict[str, str] = {}
        self._has_stored_keys = False
        self._inflight: dict[str, asyncio.Future[str | None]] = {}

    @property
    def enabled(self) -> bool:
        return bool(self._bootstrap) or self._has_stored_keys

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
        """The key's label when valid, else None."""
        key_hash = hash_key(raw_key)
        hit = self._cache.get(key_hash)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        # One lookup per key at a time: when the entry expires under load, every request in flight would
        # otherwise queue its own database lookup on the small thread pool and wait seconds for it.
        pending = self._inflight.get(key_hash)
        if pending is None:
            pending = asyncio.ensure_future(self._lookup_and_cache(key_hash))
            self._inflight[key_hash] = pending
            pending.add_done_callback(lambda _: self._inflight.pop(key_hash, None))
        return await asyncio.shield(pending)

    async def _lookup_and_cache(self, key_hash: str) -> str | None:
        try:
            label = await asyncio.to_thread(self._lookup, key_hash)
        except Exception as exc:
            logger.warning("api key lookup failed", extra={"error_type": type(exc).__name__})
            return next((lbl for h, lbl in self._bootstrap.items() if hmac.compare_digest(h, key_hash)), None)
        self._cache[key_hash] = (time.monotonic() + self._cache_seconds, label)
        return label

    def _lookup(self, key_hash: str) -> str | None:
        with self._db.session() as session:
            row = session.scalar(
                select(ApiKey).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
            )
            return row.label if row else None
