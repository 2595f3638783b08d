"""The provider chain: each AI provider in order, then rules. Every call's tokens, cost and outcome are
recorded as metrics; a failing provider only hands over to the next."""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import dataclass

from pydantic import ValidationError

from app import contract
from app.core.config import ModelPrice
from app.core.metrics import Metrics
from app.decisions.providers import AiProvider, Completion, ProviderFailure
from app.decisions.schemas import DecisionRequest, Verdict

logger = logging.getLogger(__name__)
_JSON_OBJECT = re.compile(r"\{.*\}", re.S)


@dataclass
class ChainOutcome:
    verdict: Verdict
    source: str
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0


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


class ProviderChain:
    def __init__(self, providers: list[AiProvider], prices: dict[str, ModelPrice], metrics: Metrics) -> None:
        self.providers = providers
        self.prices = prices
        self.metrics = metrics

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
            verdict = await self._attempt(provider, prompt, outcome)
            if verdict is not None:
                outcome.verdict, outcome.source = verdict, provider.name
                return outcome
        return outcome

    async def _attempt(self, provider: AiProvider, prompt: str, outcome: ChainOutcome) -> Verdict | None:
        started = time.perf_counter()
        completion: Completion | None = None
        verdict: Verdict | None = None
        reason = "ok"
        try:
            completion = await provider.complete(prompt)
            verdict = parse_verdict(completion.text)
        except ProviderFailure as failure:
            reason = failure.reason
        except (ValueError, ValidationError):
            reason = "malformed"
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
        return verdict

    async def aclose(self) -> None:
        for provider in self.providers:
            await provider.aclose()
