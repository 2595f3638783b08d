"""An httpx2 MockTransport that plays the three AI providers' HTTP APIs, and records every request."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

HOSTS = {
    "api.anthropic.com": "claude",
    "generativelanguage.googleapis.com": "gemini",
    "router.huggingface.co": "huggingface",
}
GOOD_VERDICT = {
    "decision": "escalate",
    "churn_risk": "high",
    "confidence": 0.83,
    "reason": "customer is upset",
}


def _claude_body(text: str, tokens_in: int, tokens_out: int) -> dict[str, Any]:
    return {
        "id": "msg_test",
        "type": "message",
        "role": "assistant",
        "model": "claude-haiku-4-5",
        "content": [{"type": "text", "text": text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": tokens_in, "output_tokens": tokens_out},
    }


def _gemini_body(text: str, tokens_in: int, tokens_out: int) -> dict[str, Any]:
    return {
        "candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP"}],
        "usageMetadata": {
            "promptTokenCount": tokens_in,
            "candidatesTokenCount": tokens_out,
            "totalTokenCount": tokens_in + tokens_out,
        },
    }


def _hf_body(text: str, tokens_in: int, tokens_out: int) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "Qwen/Qwen2.5-72B-Instruct",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": tokens_in,
            "completion_tokens": tokens_out,
            "total_tokens": tokens_in + tokens_out,
        },
    }


BODIES: dict[str, Callable[[str, int, int], dict[str, Any]]] = {
    "claude": _claude_body,
    "gemini": _gemini_body,
    "huggingface": _hf_body,
}


@dataclass
class Seen:
    provider: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class FakeAI:
    """Behaviour per provider: "ok", "timeout", "500", "429", "401", "malformed", or a callable."""

    behaviour: dict[str, Any] = field(default_factory=dict)
    tokens: tuple[int, int] = (120, 40)
    seen: list[Seen] = field(default_factory=list)
    verdict: dict[str, Any] = field(default_factory=lambda: dict(GOOD_VERDICT))

    @property
    def transport(self) -> httpx2.MockTransport:
        return httpx2.MockTransport(self._handle)

    def providers_called(self) -> list[str]:
        return [item.provider for item in self.seen]

    async def _handle(self, request: httpx2.Request) -> httpx2.Response:
        provider = HOSTS.get(request.url.host)
        if provider is None:
            raise AssertionError(f"unexpected host {request.url.host}")
        body = json.loads(request.content or b"{}")
        self.seen.append(Seen(provider, str(request.url), dict(request.headers), body))
        action = self.behaviour.get(provider, "ok")
        if callable(action):
            action = action(request)
        return await self._respond(provider, action)

    async def _respond(self, provider: str, action: str) -> httpx2.Response:
        if action == "timeout":
            await asyncio.sleep(30)
        if action in {"500", "429", "401", "403", "503"}:
            error = {"error": {"type": "error", "message": f"status {action}", "code": int(action)}}
            return httpx2.Response(int(action), json=error, headers={"retry-after": "1"})
        text = json.dumps(self.verdict)
        if action == "malformed":
            text = "I think you should escalate this, the customer seems upset."
        if action == "invalid":
            text = json.dumps({**self.verdict, "decision": "panic", "confidence": 7})
        return httpx2.Response(200, json=BODIES[provider](text, *self.tokens))
