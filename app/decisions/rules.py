"""Deterministic rules: spam, noise and the obvious cases. They answer alone when confident and end the
provider chain otherwise, so a decision is always returned."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from app.decisions.schemas import ChurnRisk, Decision, Verdict

_SPAM = re.compile(
    r"\b(viagra|casino|crypto giveaway|free money|you have won|winner|click here|bit\.ly|seo services)\b",
    re.I,
)
_CHURN = re.compile(
    r"\b(cancel(ling|ing)? my (subscription|account|plan)|close my account|refund|switching to|"
    r"moving to (a )?competitor|terminate (the|our) contract|unsubscribe)\b",
    re.I,
)
_LEGAL = re.compile(r"\b(lawyer|legal action|lawsuit|data breach|gdpr|chargeback)\b", re.I)
_ANGRY = re.compile(r"\b(terrible|worst|unacceptable|furious|angry|useless|broken again|ridiculous)\b", re.I)
_THANKS = re.compile(r"^\W*(thanks?|thank you|ok(ay)?|great|cool|got it|test|hi|hello)\W*$", re.I)
_TWO_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_]", re.S)
_HIGH_VALUE_PLANS = frozenset({"enterprise", "business", "premium"})


def _raise(risk: ChurnRisk) -> ChurnRisk:
    order = [ChurnRisk.LOW, ChurnRisk.MEDIUM, ChurnRisk.HIGH]
    return order[min(order.index(risk) + 1, len(order) - 1)]


def _verdict(decision: Decision, risk: ChurnRisk, confidence: float, reason: str) -> Verdict:
    return Verdict(decision=decision, churn_risk=risk, confidence=confidence, reason=reason)


def _is_noise(text: str) -> bool:
    return _TWO_LETTERS.search(text) is None or bool(_THANKS.match(text))


# First match wins. Confidence below the threshold (settings) sends the message on to the AI chain.
RULES: tuple[tuple[Callable[[str], object], Verdict], ...] = (
    (_SPAM.search, _verdict(Decision.IGNORE, ChurnRisk.LOW, 0.95, "spam")),
    (_is_noise, _verdict(Decision.IGNORE, ChurnRisk.LOW, 0.9, "noise")),
    (_LEGAL.search, _verdict(Decision.ESCALATE, ChurnRisk.HIGH, 0.95, "legal or security")),
    (_CHURN.search, _verdict(Decision.ESCALATE, ChurnRisk.HIGH, 0.9, "explicit churn intent")),
    (_ANGRY.search, _verdict(Decision.ESCALATE, ChurnRisk.MEDIUM, 0.6, "negative sentiment")),
)
NO_MATCH = _verdict(Decision.AUTO_REPLY, ChurnRisk.LOW, 0.5, "no rule matched")


def _classify(message: str) -> Verdict:
    text = message.strip()
    return next((verdict for matches, verdict in RULES if matches(text)), NO_MATCH)


@functools.lru_cache(maxsize=1024)
def evaluate(message: str, customer_plan: str | None = None) -> Verdict:
    """The rules' verdict. Remembered for repeated questions, which the service answers from its cache
    only after asking the rules (a confident answer needs no cache); callers share the verdict and never
    change it in place."""
    verdict = _classify(message)
    if customer_plan and customer_plan.lower() in _HIGH_VALUE_PLANS and verdict.decision != Decision.IGNORE:
        return verdict.model_copy(update={"churn_risk": _raise(verdict.churn_risk)})
    return verdict
