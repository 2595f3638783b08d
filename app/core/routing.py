"""`JsonBodyRoute`: an APIRoute for hot JSON endpoints that skips FastAPI's per-request dependency solving.

For endpoints declared as `async def f(body: <pydantic model>, request: Request) -> Response`. FastAPI
builds the OpenAPI operation from that signature as usual; at run time pydantic-core validates the body
straight from its bytes and the endpoint is called directly. Bad bodies raise the RequestValidationError
FastAPI would (422, locations under "body"). Written here because FastAPI offers no lighter path: its
body parsing and dependency solving cost POST /v1/decisions more than the decision itself (bench/).
Any other kind of parameter is refused when the route is built, rather than silently left uninjected.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError
from starlette.requests import ClientDisconnect

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
_NOT_JSON = (
    "model_attributes_type",
    "Input should be a valid dictionary or object to extract fields from",
)


class JsonBodyRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        body_name, body_type, request_name = self._lean_signature()
        adapter: TypeAdapter[Any] = TypeAdapter(body_type)
        endpoint = self.endpoint

        async def handler(request: Request) -> Response:
            try:
                raw = await request.body()
            except ClientDisconnect:  # as FastAPI: the body limit ends oversize streams this way
                raise HTTPException(400, "There was an error parsing the body") from None
            body = parse_json_body(adapter, raw, request.headers.get("content-type"))
            response: Response = await endpoint(**{body_name: body, request_name: request})
            return response

        return handler

    def _lean_signature(self) -> tuple[str, Any, str]:
        dependant = self.dependant
        others = (
            dependant.dependencies,
            dependant.path_params,
            dependant.query_params,
            dependant.header_params,
            dependant.cookie_params,
        )
        returns = typing.get_type_hints(self.endpoint).get("return")
        if (
            any(others)
            or len(dependant.body_params) != 1
            or getattr(dependant.body_params[0].field_info, "embed", False)
            or dependant.request_param_name is None
            or not inspect.iscoroutinefunction(self.endpoint)
            or not (isinstance(returns, type) and issubclass(returns, Response))
        ):
            raise TypeError(
                f"{self.path}: JsonBodyRoute takes endpoints of the form "
                "`async def f(body: Model, request: Request) -> Response`; use APIRoute for anything else"
            )
        body = dependant.body_params[0]
        return body.name, body.field_info.annotation, dependant.request_param_name


def parse_json_body(adapter: TypeAdapter[Any], raw: bytes, content_type: str | None) -> Any:
    """FastAPI's rules: an empty body is missing, a non-JSON content type is not an object, and every
    validation error is located under "body"."""
    if not raw:
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required"}])
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if not (
        media_type == "application/json"
        or (media_type.startswith("application/") and media_type.endswith("+json"))
    ):
        kind, message = _NOT_JSON
        raise RequestValidationError([{"type": kind, "loc": ("body",), "msg": message}])
    try:
        return adapter.validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_input=False)
        if errors[0]["type"] == "json_invalid":
            _raise_json_position(raw)
        raise RequestValidationError([{**err, "loc": ("body", *err["loc"])} for err in errors]) from None


def _raise_json_position(raw: bytes) -> None:
    """FastAPI names where the JSON breaks (its parser's position); pydantic-core does not."""
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        error = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error"}
        raise RequestValidationError([{**error, "ctx": {"error": exc.msg}}]) from None
    except RecursionError:  # nested deeper than the parser goes: pydantic-core's error says so
        return
    except ValueError:  # not decodable text at all: pydantic's own error says so
        return
