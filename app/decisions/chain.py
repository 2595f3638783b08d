"""The provider chain: each AI provider in order, then rules. Every call's tokens, cost and outcome are
recorded as metrics; a failing provider only hands over to the next, whatever the failure.

Each provider has a circuit breaker (skipped while open) and each call a timeout capped by the request's
budget: when too little of it is left to try another provider, the rules answer, with the source
`rules_deadline` so the caller knows why."""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass

import pybreaker
from pydantic import ValidationError

from app import contract
from app.core import deadline
from app.core.breaker import Breaker, DependencyUnavailable
from app.core.config import ModelPrice
from app.core.metrics import Metrics
from app.decisions.providers import AiProvider, Completion, ProviderFailure
from app.decisions.schemas import DecisionRequest, Verdict

logger = logging.getLogger(__name__)
_JSON_OBJECT = re.compile(r"\{.*\}", re.S)
DEADLINE_SOURCE = "rules_deadline"
# Kept back from the budget for composing the answer; a provider gets a call only with this much more.
RESERVE_SECONDS = 0.05
MIN_CALL_SECONDS = 0.1


@dataclass
class ChainOutcome:
    verdict: Verdict
    source: str
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    # Providers were configured and none answered: a fallback, not worth caching.
    degraded: bool = False


def parse_verdict(text: str) -> Verdict:
    """Models wrap JSON in prose or code fences: take the outermost object and validate it."""
    match = _JSON_OBJECT.search(text)
    if match is None:
        raise ValueError("no JSON object in the answer")
    return Verdict.model_validate(json.loads(match.group(0)))


def build_prompt(request: DecisionRequest, hint: Verdict) -> str:
    return json.dumps(
        {
            "message": request.message,
            "customer_plan": request.customer_plan,
            "rules_hint": {"decision": hint.decision, "churn_risk": hint.churn_risk, "reason": hint.reason},
        }
    )


def is_provider_outage(exc: BaseException) -> bool:
    # Running out of time is not tested here: Breaker already counts every TimeoutError as an outage.
    return isinstance(exc, ProviderFailure) and exc.reason != "not_configured"


class ProviderChain:
    def __init__(
        self,
        providers: list[AiProvider],
        prices: dict[str, ModelPrice],
        metrics: Metrics,
        breakers: dict[str, Breaker],
    ) -> None:
        self.providers = providers
        self.prices = prices
        self.metrics = metrics
        self.breakers = breakers

    @property
    def names(self) -> list[str]:
        return [provider.name for provider in self.providers] + ["rules"]

    def cost_of(self, completion: Completion) -> float:
        price = self.prices.get(completion.model)
        if price is None:
            return 0.0
        return (
            completion.tokens_in * price.input_per_mtok + completion.tokens_out * price.output_per_mtok
        ) / 1e6

    async def run(self, request: DecisionRequest, rules_verdict: Verdict) -> ChainOutcome:
        outcome = ChainOutcome(verdict=rules_verdict, source="rules")
        prompt = build_prompt(request, rules_verdict)
        for provider in self.providers:
            if not provider.configured():
                continue
            outcome.degraded = True
            if _budget_spent():
                break
            left = deadline.remaining()
            timeout = provider.timeout if left is None else min(provider.timeout, left - RESERVE_SECONDS)
            verdict = await self._attempt(provider, prompt, outcome, timeout)
            if verdict is not None:
                outcome.verdict, outcome.source, outcome.degraded = verdict, provider.name, False
                return outcome
        if outcome.degraded and _budget_spent():
            outcome.source = DEADLINE_SOURCE
        return outcome

    async def _attempt(
        self, provider: AiProvider, prompt: str, outcome: ChainOutcome, timeout: float
    ) -> Verdict | None:
        started = time.perf_counter()
        completion: Completion | None = None
        verdict: Verdict | None = None
        reason = "ok"
        try:
            breaker = self.breakers[provider.name]
            completion = await breaker.call(provider.complete, prompt, timeout=timeout)
            verdict = parse_verdict(completion.text)
        except DependencyUnavailable as unavailable:
            reason = _reason_of(unavailable.__cause__)
            if reason == "circuit_open":
                logger.info("ai provider skipped: circuit open", extra={"provider": provider.name})
                return None
        except ProviderFailure as failure:
            reason = failure.reason
        except (ValueError, ValidationError):
            reason = "malformed"
        except Exception as exc:  # whatever else goes wrong with one provider, the next one answers
            logger.warning(
                "ai call error", extra={"provider": provider.name, "error_type": type(exc).__name__}
            )
            reason = "error"
        await self._record(
            provider=provider,
            outcome=outcome,
            completion=completion,
            verdict=verdict,
            reason=reason,
            started=started,
        )
        return verdict

    async def _record(
        self,
        *,
        provider: AiProvider,
        outcome: ChainOutcome,
        completion: Completion | None,
        verdict: Verdict | None,
        reason: str,
        started: float,
    ) -> None:
        cost = self.cost_of(completion) if completion else 0.0
        if completion:
            outcome.tokens_in += completion.tokens_in
            outcome.tokens_out += completion.tokens_out
            outcome.cost_usd += cost
        latency_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "ai call",
            extra={"provider": provider.name, "outcome": reason, "latency_ms": round(latency_ms, 1)},
        )
        await self.metrics.emit(
            {
                contract.AI_CALLS: 1,
                contract.AI_FAILURES: 0 if verdict else 1,
                contract.AI_LATENCY: latency_ms,
                contract.AI_COST_USD: cost,
                contract.AI_TOKENS_IN: completion.tokens_in if completion else 0,
                contract.AI_TOKENS_OUT: completion.tokens_out if completion else 0,
            },
            **{contract.DIM.PROVIDER: provider.name},
        )

    async def aclose(self) -> None:
        for provider in self.providers:
            await provider.aclose()


def _budget_spent() -> bool:
    left = deadline.remaining()
    return left is not None and left - RESERVE_SECONDS < MIN_CALL_SECONDS


def _reason_of(cause: BaseException | None) -> str:
    if isinstance(cause, pybreaker.CircuitBreakerError):
        return "circuit_open"
    if isinstance(cause, ProviderFailure):
        return cause.reason
    if isinstance(cause, TimeoutError):
        return "timeout"
    return "error"
