from __future__ import annotations

from fastapi import APIRouter

from app.auth.deps import ApiKeyLabel
from app.core.deps import DecisionServiceDep
from app.decisions.schemas import DecisionRequest, DecisionResponse

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])


@router.post("", response_model=DecisionResponse)
async def create_decision(
    body: DecisionRequest, service: DecisionServiceDep, api_key_label: ApiKeyLabel
) -> DecisionResponse:
    return await service.decide(body, api_key_label)
