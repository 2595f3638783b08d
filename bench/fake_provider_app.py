"""A stand-in for Hugging Face's OpenAI-style chat completions endpoint, for bench/fault_bench.py: the
service's real SDK client calls it over HTTP on loopback (no network, no key)."""

from __future__ import annotations

import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

VERDICT = {"decision": "auto_reply", "churn_risk": "low", "confidence": 0.8, "reason": "a how-to question"}


async def chat_completions(request: Request) -> JSONResponse:
    body = await request.json()
    return JSONResponse(
        {
            "id": "chatcmpl-bench",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "bench"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": json.dumps(VERDICT)},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 120, "completion_tokens": 40, "total_tokens": 160},
        }
    )


async def live(_: Request) -> JSONResponse:  # what http_bench.server() waits for
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[Route("/v1/chat/completions", chat_completions, methods=["POST"]), Route("/health/live", live)]
)
