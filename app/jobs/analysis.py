"""The long analysis a job runs: the decision rules applied sentence by sentence, plus text statistics."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from app.decisions import rules
from app.decisions.schemas import ChurnRisk, Decision

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]{4,}")
_RISK_SCORE = {ChurnRisk.LOW: 0, ChurnRisk.MEDIUM: 1, ChurnRisk.HIGH: 2}


def analyse(name: str, description: str) -> dict[str, Any]:
    sentences = [s for s in _SENTENCE.split(description.strip()) if s]
    verdicts = [rules.evaluate(sentence) for sentence in sentences]
    flagged = [
        {
            "sentence_index": index,
            "decision": v.decision.value,
            "churn_risk": v.churn_risk.value,
            "reason": v.reason,
        }
        for index, v in enumerate(verdicts)
        if v.decision == Decision.ESCALATE
    ]
    worst = max((v.churn_risk for v in verdicts), key=_RISK_SCORE.__getitem__, default=ChurnRisk.LOW)
    words = [word.lower() for word in _WORD.findall(description)]
    return {
        "name": name,
        "sentences": len(sentences),
        "words": len(description.split()),
        "overall_churn_risk": worst.value,
        "escalations": flagged,
        "top_terms": [term for term, _ in Counter(words).most_common(5)],
    }
