from __future__ import annotations

import pytest

from app.decisions import rules
from app.jobs.analysis import analyse


@pytest.mark.parametrize(
    ("message", "decision", "reason"),
    [
        ("WINNER!!! click here to claim", "ignore", "spam"),
        ("thanks!", "ignore", "noise"),
        ("??? 123", "ignore", "noise"),
        ("Our lawyer will be in touch about the data breach", "escalate", "legal or security"),
        ("Please cancel my subscription today", "escalate", "explicit churn intent"),
        ("This is unacceptable, the export is broken again", "escalate", "negative sentiment"),
        ("How do I rotate my API token?", "auto_reply", "no rule matched"),
    ],
)
def test_rules_classify_the_obvious_cases(message, decision, reason) -> None:
    verdict = rules.evaluate(message)
    assert (verdict.decision.value, verdict.reason) == (decision, reason)


def test_only_confident_rules_skip_the_ai() -> None:
    threshold = 0.8
    assert rules.evaluate("refund please, I am switching to a competitor").confidence >= threshold
    assert rules.evaluate("the app is terrible").confidence < threshold
    assert rules.evaluate("How do I export?").confidence < threshold


def test_high_value_plans_raise_churn_risk_but_not_for_spam() -> None:
    assert rules.evaluate("this is terrible", "enterprise").churn_risk.value == "high"
    assert rules.evaluate("this is terrible", "free").churn_risk.value == "medium"
    assert rules.evaluate("free money, click here", "enterprise").churn_risk.value == "low"


def test_analysis_flags_the_sentences_that_need_a_human() -> None:
    text = "Great onboarding. We will cancel my subscription next month! Support was useless."
    result = analyse("Acme", text)
    assert result["sentences"] == 3
    assert [item["sentence_index"] for item in result["escalations"]] == [1, 2]
    assert result["overall_churn_risk"] == "high"
