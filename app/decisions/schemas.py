from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MetadataValue = str | int | float | bool | None


class Decision(StrEnum):
    ESCALATE = "escalate"
    AUTO_REPLY = "auto_reply"
    IGNORE = "ignore"


class ChurnRisk(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: Annotated[str, StringConstraints(min_length=1, max_length=5000)]
    customer_plan: Annotated[str, StringConstraints(min_length=1, max_length=50)] | None = None
    metadata: (
        Annotated[dict[Annotated[str, StringConstraints(max_length=64)], MetadataValue], Field(max_length=20)]
        | None
    ) = None


class Verdict(BaseModel):
    """What a provider (AI or rules) concluded. Also the schema an AI answer must validate against."""

    model_config = ConfigDict(extra="ignore")

    decision: Decision
    churn_risk: ChurnRisk
    confidence: float = Field(ge=0, le=1)
    reason: Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]


class DecisionResponse(Verdict):
    source: str = Field(
        description=(
            "Which provider answered: claude, huggingface, gemini or rules; rules_deadline when the "
            "request's time budget ran out before a provider answered"
        )
    )
    cached: bool
    latency_ms: float
    tokens_in: int
    tokens_out: int
    cost_usd: float
