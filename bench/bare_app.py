"""The baseline: a bare Starlette app answering the same JSON as the service, with no middleware at all."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app import contract

DECISION = {
    "decision": "escalate",
    "churn_risk": "high",
    "confidence": 0.9,
    "reason": "explicit churn intent",
    "source": "rules",
    "cached": False,
    "latency_ms": 0.1,
    "tokens_in": 0,
    "tokens_out": 0,
    "cost_usd": 0.0,
}


async def live(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def decide(request: Request) -> JSONResponse:
    await request.json()  # parse the body like the service does
    return JSONResponse(DECISION)


app = Starlette(
    routes=[Route(contract.LIVE_PATH, live), Route("/v1/decisions", decide, methods=["POST"])],
)
