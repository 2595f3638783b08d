"""Secrets from env or, when `<NAME>_SECRET_ARN` is set, from Secrets Manager via aws-secretsmanager-caching.

A provider answering 401/403 calls `refresh`, so a rotated key is picked up without a restart.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from typing import Any

from aws_secretsmanager_caching import SecretCache, SecretCacheConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from app.contract import ENV, secret_arn_env

logger = logging.getLogger(__name__)
# botocore waits 60 s per read and retries by default; a hung endpoint must cost seconds, not minutes.
BOTO_CONFIG = Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 2, "mode": "standard"})
# The credential minted on a machine with a browser and synced to Secrets Manager (seed 000): read like a
# provider key, under this name, from SYNCED_TOKEN_SECRET_ARN.
SYNCED_TOKEN = ENV.SYNCED_TOKEN_SECRET_ARN.removesuffix("_SECRET_ARN")
# Keys looked up, in order, when a secret is a JSON object (RDS-style secrets hold several fields).
_JSON_FIELDS = ("api_key", "token", "value", "key")


class SecretReader:
    def __init__(
        self,
        values: dict[str, str | None],
        client_factory: Any = None,
        ttl_seconds: int = 3600,
        ttl_overrides: Mapping[str, int] | None = None,
    ) -> None:
        """`values` maps env names (and `<NAME>_SECRET_ARN` names) to their configured values;
        `ttl_overrides` gives some names a refresh interval of their own (the synced token's)."""
        self._values = values
        self._client_factory = client_factory
        self._ttl_seconds = ttl_seconds
        self._ttl_overrides = dict(ttl_overrides or {})
        self._client: Any = None
        self._caches: dict[int, SecretCache] = {}  # one per refresh interval
        self._lock = threading.Lock()

    def _secret_cache(self, name: str) -> SecretCache:
        ttl = self._ttl_overrides.get(name, self._ttl_seconds)
        with self._lock:
            if ttl not in self._caches:
                # The library re-describes a secret at a random point within [ttl/2, ttl] after the last
                # read, so ttl bounds how long a new version goes unseen.
                config = SecretCacheConfig(secret_refresh_interval=ttl)
                self._caches[ttl] = SecretCache(config=config, client=self._secrets_client())
            return self._caches[ttl]

    def _secrets_client(self) -> Any:
        """One Secrets Manager client, built on first use and shared by every cache, refreshed or not
        (a boto3 client is thread-safe and renews its own credentials). Called under `_lock`."""
        if self._client is None:
            if self._client_factory:
                self._client = self._client_factory()
            else:
                import boto3  # noqa: PLC0415 - only processes that read a secret pay for boto3

                self._client = boto3.client("secretsmanager", config=BOTO_CONFIG)
        return self._client

    def arn_for(self, name: str) -> str | None:
        return self._values.get(secret_arn_env(name))

    def get(self, name: str) -> str | None:
        """The secret's value, from Secrets Manager if it has an ARN, otherwise from the plain variable."""
        arn = self.arn_for(name)
        if not arn:
            return self._values.get(name) or None
        raw = self._secret_cache(name).get_secret_string(arn)
        return _unwrap(raw, name)

    def get_fields(self, name: str) -> dict[str, str]:
        """A JSON secret's fields (RDS-managed secrets hold `username` and `password`)."""
        arn = self.arn_for(name)
        if not arn:
            return {}
        parsed = json.loads(self._secret_cache(name).get_secret_string(arn))
        return {k: str(v) for k, v in parsed.items()} if isinstance(parsed, dict) else {}

    def refresh(self, name: str) -> None:
        arn = self.arn_for(name)
        if arn:
            logger.info("refreshing secret", extra={"secret_name": name})
            # A fresh cache re-reads each secret on its next use. SecretCache.refresh_secret_now would
            # sleep 2.5-5 s of jitter first, past any request's time budget.
            with self._lock:
                self._caches.clear()

    def configured(self, name: str) -> bool:
        return bool(self.arn_for(name) or self._values.get(name))

    def close(self) -> None:
        """Close the Secrets Manager client, if one was built (shutdown)."""
        with self._lock:
            client, self._client = self._client, None
            self._caches.clear()
        if client is not None:
            client.close()


def is_secrets_outage(exc: BaseException) -> bool:
    """Secrets Manager itself failing (unreachable, hung, throttling, 5xx); a missing secret or value, or
    a denied read, is an answer about that one secret."""
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 500
        return status >= 500 or status == 429 or "Throttl" in str(exc.response.get("Error", {}).get("Code"))
    return isinstance(exc, Exception) and not isinstance(exc, ValueError | TypeError | KeyError)


def _unwrap(raw: str | None, name: str) -> str | None:
    if raw is None:  # a secret container with no value yet
        return None
    try:
        parsed = json.loads(raw)
    except ValueError:
        return raw.strip()
    if isinstance(parsed, dict):
        for field in (name.lower(), *_JSON_FIELDS):
            if isinstance(parsed.get(field), str):
                return str(parsed[field])
    if isinstance(parsed, str):
        return parsed
    return raw.strip()
