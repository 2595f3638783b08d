"""Rules first, the AI chain only when rules are not confident, identical requests from the cache.

A confident rules answer never touches the cache: recomputing it takes microseconds, a cache read and
write two Redis round trips, so the cache holds only what the chain decided. A fallback answer
(providers configured, none answered) is not cached: once they are back, the same question gets their
answer, not an hour of the rules'."""

from __future__ import annotations

import functools
import hashlib
import json
import time

from pydantic import BaseModel, ConfigDict

from app import contract
from app.core.cache import Cache
from app.core.db import utcnow
from app.core.logging import request_id_var
from app.core.metrics import Metrics
from app.decisions import rules
from app.decisions.audit import AuditWriter
from app.decisions.chain import ChainOutcome, ProviderChain
from app.decisions.schemas import DecisionRequest, DecisionResponse, Verdict


class DecisionService:
    def __init__(
        self,
        *,
        chain: ProviderChain,
        cache: Cache,
        audit: AuditWriter,
        metrics: Metrics,
        cache_ttl_seconds: int,
        confidence_threshold: float,
    ) -> None:
        self.chain = chain
        self.cache = cache
        self.audit = audit
        self.metrics = metrics
        self.cache_ttl_seconds = cache_ttl_seconds
        self.confidence_threshold = confidence_threshold
        self._chain_names = json.dumps(chain.names).encode()

    def cache_key(self, request: DecisionRequest) -> str:
        # The chain is part of the key: flipping the kill switch must not serve answers from the AI.
        digest = hashlib.sha256(self._chain_names)
        digest.update(request.model_dump_json().encode())
        return digest.hexdigest()

    async def decide(self, request: DecisionRequest, api_key_label: str | None) -> DecisionResponse:
        started = time.perf_counter()
        verdict = rules.evaluate(request.message, request.customer_plan)
        if verdict.confidence >= self.confidence_threshold:
            outcome, is_cached = ChainOutcome(verdict=verdict, source="rules"), False
        else:
            outcome, is_cached = await self._through_cache(request, verdict)
        # Every field is already validated (the verdict on its way in): construct without a second pass.
        response = DecisionResponse.model_construct(
            **dict(outcome.verdict),
            source=outcome.source,
            cached=is_cached,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
            # A cached answer spent nothing now; its cost was recorded when it was computed.
            tokens_in=0 if is_cached else outcome.tokens_in,
            tokens_out=0 if is_cached else outcome.tokens_out,
            cost_usd=0.0 if is_cached else round(outcome.cost_usd, 8),
        )
        self.audit.record(_audit_row(request, response, api_key_label))
        return response

    async def _through_cache(self, request: DecisionRequest, verdict: Verdict) -> tuple[ChainOutcome, bool]:
        """The chain's answer to a question the rules are unsure of, from the cache when it has it."""
        key = self.cache_key(request)
        cached = await self.cache.get(key)
        if cached is not None:
            await self.metrics.emit({contract.CACHE_HITS: 1})
            return _load(cached), True
        outcome = await self.chain.run(request, verdict)
        if not outcome.degraded:
            self.cache.put(key, _dump(outcome), self.cache_ttl_seconds)
        await self.metrics.emit({contract.CACHE_MISSES: 1})
        return outcome, False


class CachedOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    source: str


def _dump(outcome: ChainOutcome) -> str:
    return CachedOutcome(verdict=outcome.verdict, source=outcome.source).model_dump_json()


def _load(raw: str) -> ChainOutcome:
    cached = _parsed(raw)
    return ChainOutcome(verdict=cached.verdict, source=cached.source)


@functools.lru_cache(maxsize=1024)
def _parsed(raw: str) -> CachedOutcome:
    """A cached answer is read far more often than written: validate each distinct one once. Requests share
    the result, which is frozen, and nothing changes a verdict in place (the rules copy theirs)."""
    return CachedOutcome.model_validate_json(raw)


def _audit_row(
    request: DecisionRequest, response: DecisionResponse, api_key_label: str | None
) -> dict[str, object]:
    return {
        "created_at": utcnow(),
        "request_id": request_id_var.get(),
        "api_key_label": api_key_label,
        "message_sha256": hashlib.sha256(request.message.encode()).hexdigest(),
        "decision": response.decision.value,
        "churn_risk": response.churn_risk.value,
        "confidence": response.confidence,
        "source": response.source,
        "cached": response.cached,
        "latency_ms": response.latency_ms,
        "tokens_in": response.tokens_in,
        "tokens_out": response.tokens_out,
        "cost_usd": response.cost_usd,
    }
