"""The FastAPI floor: the same two routes as bare_app.py, written the usual FastAPI way (a pydantic body
parameter, the response model), with no middleware, auth, limits or work. No FastAPI service can be
faster than this; http_bench.py prints it next to the bare app to show how much of 0.6x is left."""

from __future__ import annotations

from fastapi import FastAPI

from app import contract
from app.decisions.schemas import DecisionRequest, DecisionResponse
from bench.bare_app import DECISION

app = FastAPI(telemetry={"tracing": False, "metrics": False, "logs": False})


@app.get(contract.LIVE_PATH)
async def live() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/v1/decisions", response_model=DecisionResponse)
async def decide(body: DecisionRequest) -> dict[str, object]:
    return DECISION
