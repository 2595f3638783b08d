"""Pure ASGI middleware (BaseHTTPMiddleware costs a task and a copy per request; see bench/)."""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Iterable, Mapping

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import contract
from app.core import deadline
from app.core.errors import error_body
from app.core.logging import request_id_var
from app.core.metrics import Metrics

logger = logging.getLogger(__name__)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_DOC_PATHS = ("/docs", "/redoc", "/openapi.json")
_BODILESS = frozenset({"GET", "HEAD"})
API_CSP = "default-src 'none'; frame-ancestors 'none'"
_RAW_SECURITY_HEADERS = [
    (name.lower().encode(), value.encode()) for name, value in contract.SECURITY_HEADERS.items()
]
_RAW_CSP = (b"content-security-policy", API_CSP.encode())


def _with_context_headers(
    headers: Iterable[tuple[bytes, bytes]], request_id: str, scope: Scope
) -> list[tuple[bytes, bytes]]:
    """The response's headers plus the request id, and each security header the response did not set.
    Raw byte pairs rather than MutableHeaders: this runs on every response."""
    kept = [(name, value) for name, value in headers if name.lower() != b"x-request-id"]
    present = {name.lower() for name, _ in kept}
    defaults = _RAW_SECURITY_HEADERS
    if not scope["path"].startswith(_DOC_PATHS):
        defaults = [*defaults, _RAW_CSP]
    kept += [pair for pair in defaults if pair[0] not in present]
    kept.append((b"x-request-id", request_id.encode()))
    return kept


async def send_json_error(
    send: Send, status: int, code: str, message: str, extra_headers: Mapping[str, str] | None = None
) -> None:
    import json  # noqa: PLC0415 - only on the error path

    body = json.dumps(error_body(status, code, message)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(name.lower().encode(), value.encode()) for name, value in (extra_headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    """Request id, security headers, the time budget and the per-route request metrics, on every response.
    An unhandled error is answered here, inside the context: Starlette's own 500 handler sits outside
    every user middleware, so its answers carried neither the request id nor the security headers."""

    def __init__(self, app: ASGIApp, metrics: Metrics, budget_seconds: float) -> None:
        self.app = app
        self.metrics = metrics
        self.budget_seconds = budget_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        # 128 random bits like uuid4().hex, at a fraction of its cost on every request.
        request_id = incoming if _REQUEST_ID.match(incoming) else os.urandom(16).hex()
        token = request_id_var.set(request_id)
        budget = deadline.start(self.budget_seconds)
        started = time.perf_counter()
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = _with_context_headers(message.get("headers", ()), request_id, scope)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            logger.exception("unhandled error", extra={"error_type": type(exc).__name__})
            if status:  # the response had started: all that is left is to end the connection
                raise
            await send_json_error(send_with_headers, 500, "internal_error", "internal error")
        finally:
            deadline.reset(budget)
            route = getattr(scope.get("route"), "path", "unmatched")
            await self.metrics.emit(
                {
                    contract.REQUESTS: 1,
                    contract.REQUEST_LATENCY: (time.perf_counter() - started) * 1000,
                    contract.HTTP_5XX: 1 if status >= 500 or not status else 0,
                },
                **{contract.DIM.ROUTE: route},
            )
            request_id_var.reset(token)


class TrustedHostMiddleware:
    """Starlette's version answers in plain text; ours keeps the one JSON error shape and lets the health
    paths through, because load balancers probe with the task's IP as Host."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str], exempt_paths: Iterable[str]) -> None:
        self.app = app
        self.allowed = [host.lower() for host in allowed_hosts]
        self.exempt = frozenset(exempt_paths)
        self.allow_any = "*" in self.allowed

    def host_allowed(self, host: str) -> bool:
        host = host.split(":", maxsplit=1)[0].lower()
        for pattern in self.allowed:
            if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
                return True
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.allow_any or scope["path"] in self.exempt:
            await self.app(scope, receive, send)
            return
        if not self.host_allowed(Headers(scope=scope).get("host", "")):
            await send_json_error(send, 400, "invalid_host", "invalid host header")
            return
        await self.app(scope, receive, send)


class BodyLimitMiddleware:
    """Rejects bodies over the limit by Content-Length up front, and by counting when it is absent."""

    def __init__(self, app: ASGIApp, default_limit: int, path_limits: dict[str, int]) -> None:
        self.app = app
        self.default_limit = default_limit
        self.path_limits = path_limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.path_limits.get(scope["path"], self.default_limit)
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await send_json_error(send, 413, "payload_too_large", f"body exceeds {limit} bytes")
            return
        if "transfer-encoding" not in headers and (declared is not None or scope["method"] in _BODILESS):
            # HTTP/1.1 framing: the server hands the app at most the declared length, and a GET with
            # neither a length nor chunking has no body. Only chunked bodies are left to count.
            await self.app(scope, receive, send)
            return
        state = {"received": 0, "exceeded": False, "started": False}

        async def counting_receive() -> Message:
            message = await receive()
            state["received"] += len(message.get("body", b""))
            if state["received"] > limit:
                # Ending the stream makes the app stop reading; its answer is replaced by the 413 below.
                state["exceeded"] = True
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                if state["started"]:
                    return
                state["started"] = True
                if state["exceeded"]:
                    await send_json_error(send, 413, "payload_too_large", f"body exceeds {limit} bytes")
                    return
            if not state["exceeded"]:
                await send(message)

        await self.app(scope, counting_receive, guarded_send)
        if state["exceeded"] and not state["started"]:
            await send_json_error(send, 413, "payload_too_large", f"body exceeds {limit} bytes")
