"""JsonBodyRoute answers bad bodies as FastAPI's own route does, and refuses what it cannot inject."""

from __future__ import annotations

from typing import Annotated

import pytest
from fastapi import APIRouter, Body, Depends, FastAPI, Request, Response
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.core.errors import install_error_handlers
from app.core.routing import JsonBodyRoute
from app.decisions.schemas import DecisionRequest

JSON = "application/json"
BODIES = [
    (b'{"message": "hi"}', JSON),
    (b'{"message": "hi"}', "application/json; charset=utf-8"),
    (b'{"message": "hi"}', "application/problem+json"),
    (b'{"message": "hi"}', "text/plain"),
    (b'{"message": "hi"}', None),
    (b"", JSON),
    (b"{not json", JSON),
    (b'{"message": "hi"} trailing', JSON),
    (b"\xff\xfe", JSON),
    (b'{"message": ""}', JSON),
    (b'{"message": 42}', JSON),
    (b'{"message": "hi", "unexpected": true}', JSON),
    (b'{"message": "hi", "metadata": {"k": {"nested": 1}}}', JSON),
    (b"[]", JSON),
]
# FastAPI validates the parsed object in Python mode, pydantic-core the JSON itself: the same 422 at the
# same location, named differently.
SAME_ERROR = {"model_attributes_type": "model_type"}


def _client(route_class: type[APIRoute]) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter(route_class=route_class)

    @router.post("/echo")
    async def echo(body: DecisionRequest, request: Request) -> Response:
        return Response(body.model_dump_json(), media_type=JSON)

    app.include_router(router)
    return TestClient(app)


def _answer(client: TestClient, body: bytes, content_type: str | None) -> tuple[int, object]:
    response = client.post(
        "/echo", content=body, headers={"Content-Type": content_type} if content_type else {}
    )
    if response.status_code == 200:
        return 200, response.json()
    details = response.json()["error"]["details"]
    return response.status_code, [(d["loc"], SAME_ERROR.get(d["type"], d["type"])) for d in details]


def test_bad_bodies_get_the_answers_fastapi_gives() -> None:
    fastapi_route, lean_route = _client(APIRoute), _client(JsonBodyRoute)
    for body, content_type in BODIES:
        expected = _answer(fastapi_route, body, content_type)
        assert _answer(lean_route, body, content_type) == expected, (body, content_type)
    assert _answer(lean_route, b"{not json", JSON) == (422, [(["body", 1], "json_invalid")])


def _needs_label(request: Request) -> str:
    return "label"


async def with_dependency(
    body: DecisionRequest, request: Request, label: Annotated[str, Depends(_needs_label)]
) -> Response:
    return Response()


async def with_query(body: DecisionRequest, request: Request, limit: int = 5) -> Response:
    return Response()


async def without_request(body: DecisionRequest) -> Response:
    return Response()


async def returning_a_model(body: DecisionRequest, request: Request) -> DecisionRequest:
    return body


def not_async(body: DecisionRequest, request: Request) -> Response:
    return Response()


async def embedded(body: Annotated[DecisionRequest, Body(embed=True)], request: Request) -> Response:
    return Response()


@pytest.mark.parametrize(
    "endpoint", [with_dependency, with_query, without_request, returning_a_model, not_async, embedded]
)
def test_endpoints_it_cannot_serve_are_refused_when_the_route_is_built(endpoint) -> None:
    router = APIRouter(route_class=JsonBodyRoute)
    with pytest.raises(TypeError, match="/bad: JsonBodyRoute takes endpoints of the form"):
        router.add_api_route("/bad", endpoint, methods=["POST"])
