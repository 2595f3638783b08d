from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.core.errors import V1_ERRORS
from app.core.request_services import get_services
from app.core.routing import JsonBodyRoute
from app.decisions.schemas import DecisionRequest, DecisionResponse

# The hottest route: JsonBodyRoute spares it FastAPI's per-request dependency solving.
router = APIRouter(prefix="/v1/decisions", tags=["decisions"], responses=V1_ERRORS, route_class=JsonBodyRoute)


@router.post("", response_model=DecisionResponse)
async def create_decision(body: DecisionRequest, request: Request) -> Response:
    services = await get_services(request)
    decision = await services.decisions.decide(body, request.state.api_key_label)
    # Already a validated DecisionResponse: spare FastAPI validating and encoding it a second time.
    return Response(decision.model_dump_json(), media_type="application/json")
