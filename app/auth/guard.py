"""Every path under /v1 needs a valid API key (X-API-Key) and passes the rate limits; /health* needs neither.

The per-IP limit comes first, before the key is looked at, so invalid keys cost nothing. The client IP is
the X-Forwarded-For entry `TRUSTED_PROXY_HOPS` from the right: entries further left were written by the
client and prove nothing.

A pure ASGI middleware rather than a FastAPI dependency: no route can forget it, and FastAPI's dependency
solving cost more per request than the key check and both rate limits together (bench/http_bench.py).
The route reads the caller's key label from `request.state.api_key_label`.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.contract import API_KEY_HEADER
from app.core.errors import AppError, UnauthorizedError
from app.core.middleware import send_json_error
from app.core.services import Services

API_PREFIX = "/v1"
SECURITY_SCHEME = "APIKeyHeader"
_CHALLENGE = {"WWW-Authenticate": "APIKey"}


def client_ip(scope: Scope, trusted_hops: int) -> str:
    """The address of whoever the first trusted proxy saw, or the socket peer when no proxy is trusted."""
    peer = scope.get("client")
    peer_ip = str(peer[0]) if peer else "unknown"
    if trusted_hops <= 0:
        return peer_ip
    forwarded = [value for name, value in scope["headers"] if name == b"x-forwarded-for"]
    entries = [e.strip() for e in b",".join(forwarded).decode("latin-1").split(",") if e.strip()]
    if not entries:
        return peer_ip
    # Fewer entries than hops: the request skipped an outer proxy, and the leftmost is still ours.
    candidate = entries[max(0, len(entries) - trusted_hops)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer_ip


async def authenticate(services: Services, raw_key: str | None, client_ip: str) -> str | None:
    """The caller's key label (None only on a laptop with no keys configured); raises 401, 429 or 503."""
    await services.limiter.check_ip(client_ip)
    label: str | None = None
    if services.api_key_store.enabled:
        if not raw_key:
            raise UnauthorizedError("missing API key", headers=_CHALLENGE)
        label = await services.api_key_store.verify(raw_key)
        if label is None:
            raise UnauthorizedError("invalid API key", headers=_CHALLENGE)
    elif services.settings.deployment_env != "local":
        raise UnauthorizedError("no API keys are configured")
    await services.limiter.check_key(label)
    return label


def is_api_path(path: str) -> bool:
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


class ApiKeyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_api_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        services: Services = scope["app"].state.services
        raw_key = Headers(scope=scope).get(API_KEY_HEADER)
        try:
            label = await authenticate(
                services, raw_key, client_ip(scope, services.settings.trusted_proxy_hops)
            )
        except AppError as exc:
            await send_json_error(send, exc.status_code, exc.code, exc.message, exc.headers)
            return
        scope.setdefault("state", {})["api_key_label"] = label
        await self.app(scope, receive, send)


def document_api_key(app: FastAPI) -> None:
    """Declares the key on every /v1 operation of the app's OpenAPI document, as a Security() dependency
    would. FastAPI's documented way to extend the document: wrap app.openapi and keep its cache."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            schema.setdefault("components", {}).setdefault("securitySchemes", {})[SECURITY_SCHEME] = {
                "type": "apiKey",
                "in": "header",
                "name": API_KEY_HEADER,
            }
            for path, operations in schema.get("paths", {}).items():
                if is_api_path(path):
                    for operation in operations.values():
                        operation["security"] = [{SECURITY_SCHEME: []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
