"""Deterministic rules: spam, noise and the obvious cases. They answer alone when confident and end the
provider chain otherwise, so a decision is always returned."""

from __future__ import annotations

import re

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
_LETTER = re.compile(r"[^\W\d_]")
_HIGH_VALUE_PLANS = frozenset({"enterprise", "business", "premium"})


def _raise(risk: ChurnRisk) -> ChurnRisk:
    order = [ChurnRisk.LOW, ChurnRisk.MEDIUM, ChurnRisk.HIGH]
    return order[min(order.index(risk) + 1, len(order) - 1)]


def _classify(message: str) -> Verdict:
    text = message.strip()
    if _SPAM.search(text):
        return Verdict(decision=Decision.IGNORE, churn_risk=ChurnRisk.LOW, confidence=0.95, reason="spam")
    if len(_LETTER.findall(text)) < 2 or _THANKS.match(text):
        return Verdict(decision=Decision.IGNORE, churn_risk=ChurnRisk.LOW, confidence=0.9, reason="noise")
    if _LEGAL.search(text):
        return Verdict(
            decision=Decision.ESCALATE, churn_risk=ChurnRisk.HIGH, confidence=0.95, reason="legal or security"
        )
    if _CHURN.search(text):
        return Verdict(
            decision=Decision.ESCALATE,
            churn_risk=ChurnRisk.HIGH,
            confidence=0.9,
            reason="explicit churn intent",
        )
    if _ANGRY.search(text):
        return Verdict(
            decision=Decision.ESCALATE,
            churn_risk=ChurnRisk.MEDIUM,
            confidence=0.6,
            reason="negative sentiment",
        )
    return Verdict(
        decision=Decision.AUTO_REPLY, churn_risk=ChurnRisk.LOW, confidence=0.5, reason="no rule matched"
    )


def evaluate(message: str, customer_plan: str | None = None) -> Verdict:
    verdict = _classify(message)
    if customer_plan and customer_plan.lower() in _HIGH_VALUE_PLANS and verdict.decision != Decision.IGNORE:
        return verdict.model_copy(update={"churn_risk": _raise(verdict.churn_risk)})
    return verdict
