from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.deps import DecisionServiceDep
from app.core.errors import V1_ERRORS
from app.decisions.schemas import DecisionRequest, DecisionResponse

router = APIRouter(prefix="/v1/decisions", tags=["decisions"], responses=V1_ERRORS)


@router.post("", response_model=DecisionResponse)
async def create_decision(body: DecisionRequest, service: DecisionServiceDep, request: Request) -> Response:
    decision = await service.decide(body, request.state.api_key_label)
    # Already a validated DecisionResponse: spare FastAPI validating and encoding it a second time.
    return Response(decision.model_dump_json(), media_type="application/json")
