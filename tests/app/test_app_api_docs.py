"""docs/api.md is the app's OpenAPI document rendered (never stale), and every request the docs show, its
examples and any curl in README.md or docs/, gets the answer the docs promise when sent to the app."""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from app_testing import API_KEY
from fastapi.testclient import TestClient

from app import contract

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import api_docs  # noqa: E402 - scripts/ is not a package

SERVICE_PATHS = ("/v1/", contract.HEALTH_PATH)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    data: str | None = None
    form: dict[str, str] = field(default_factory=dict)


def parse_curl(command: str) -> Request:
    """The request a documented curl command sends, as curl would: -d without -X is a POST, with curl's
    default form content type unless a header says otherwise."""
    words = shlex.split(command.replace("\\\n", " "))
    assert words[0] == "curl", command
    request = Request("", "")
    index = 1
    while index < len(words):
        word = words[index]
        value = words[index + 1] if index + 1 < len(words) else ""
        if word in ("-X", "--request"):
            request.method = value
        elif word in ("-H", "--header"):
            name, _, content = value.partition(":")
            request.headers[name.strip()] = content.strip()
        elif word in ("-d", "--data", "--data-raw"):
            request.data = value
        elif word in ("-F", "--form"):
            name, _, content = value.partition("=")
            request.form[name] = content
        elif not word.startswith("-"):
            found = next((word.index(p) for p in SERVICE_PATHS if p in word), None)
            assert found is not None, f"no service path in {word}"
            request.path = word[found:]
            index -= 1
        index += 1 if word.startswith("-s") else 2
    request.method = request.method or ("POST" if request.data or request.form else "GET")
    if request.data is not None:
        request.headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return request


def send(client: TestClient, request: Request, variables: dict[str, str], files_dir: Path) -> Any:
    def fill(text: str) -> str:
        for name, value in variables.items():
            text = text.replace(f"${name}", value)
        return text

    headers = {name: fill(value) for name, value in request.headers.items() if name != "Authorization"}
    headers = {name: value for name, value in headers.items() if "$" not in value}  # a deployed stack's
    files = {}
    for name, value in request.form.items():
        path, _, kind = value.removeprefix("@").partition(";type=")
        files[name] = (path, (files_dir / path).read_bytes(), kind or "application/octet-stream")
    client.headers.pop(contract.API_KEY_HEADER, None)
    return client.request(
        request.method,
        fill(request.path),
        headers=headers,
        content=fill(request.data) if request.data is not None else None,
        files=files or None,
    )


def documented_examples() -> list[tuple[int, str]]:
    """(status, curl command) of each example in docs/api.md, in order."""
    text = (REPO / "docs" / "api.md").read_text()
    found = re.findall(r"answered `(\d{3})`[^\n]*\n\n```bash\n(.*?)\n```", text, re.S)
    return [(int(status), command) for status, command in found]


def test_the_api_reference_is_the_apps_openapi_rendered() -> None:
    assert api_docs.render(api_docs.openapi()) == (REPO / "docs" / "api.md").read_text(), (
        "docs/api.md is stale: run .venv/bin/python scripts/api_docs.py"
    )


def test_every_route_of_the_app_is_in_the_reference() -> None:
    text = (REPO / "docs" / "api.md").read_text()
    for path, operations in api_docs.openapi()["paths"].items():
        for method in operations:
            assert f"### {method.upper()} `{path}`" in text
    assert f"### GET `{contract.LIVE_PATH}`" in text


def _schema_for(spec: dict[str, Any], method: str, path: str, status: int) -> dict[str, Any] | None:
    template = re.sub(r"/[0-9a-f-]{32,36}$", "/{job_id}", path.split("?", maxsplit=1)[0])
    operation = spec["paths"].get(template, {}).get(method.lower())
    if operation is None:
        return None
    content = operation["responses"][str(status)].get("content", {}).get("application/json")
    return {**content["schema"], "components": spec["components"]} if content else None


def test_every_example_gets_the_documented_answer(make_client, tmp_path: Path) -> None:
    client = make_client()
    (tmp_path / "notes.txt").write_text("Meeting notes: renew the support contract.\n")
    spec = api_docs.openapi()
    variables = {"URL": "", "API_KEY": API_KEY}
    examples = documented_examples()
    assert len(examples) == len(api_docs.EXAMPLES)
    for status, command in examples:
        request = parse_curl(command)
        answer = send(client, request, variables, tmp_path)
        assert answer.status_code == status, (command, answer.text)
        schema = _schema_for(
            spec, request.method, request.path.replace("$JOB_ID", variables.get("JOB_ID", "")), status
        )
        if schema is not None:
            jsonschema.Draft202012Validator(schema).validate(answer.json())
        if request.path == "/v1/jobs" and request.method == "POST":
            variables["JOB_ID"] = answer.json()["job_id"]


def service_curls() -> list[tuple[str, str]]:
    """Every curl to the service in README.md and docs/ (docs/api.md aside): (file, command)."""
    found = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        if path.name == "api.md":
            continue
        for block in re.findall(r"```(?:bash|sh|shell)\n(.*?)```", path.read_text(), re.S):
            for command in re.findall(r"^(curl (?:.*\\\n)*.*)$", block, re.M):
                if any(p in command for p in SERVICE_PATHS):
                    found.append((path.name, command))
    return found


def test_the_docs_curls_are_requests_the_service_accepts(make_client, tmp_path: Path) -> None:
    client = make_client()
    curls = service_curls()
    assert curls, "README.md or docs/ show no request to the service"
    for name, command in curls:
        answer = send(client, parse_curl(command), {"API_KEY": API_KEY, "KEY": API_KEY}, tmp_path)
        assert answer.status_code < 300, f"{name}: {command}\n-> {answer.status_code} {answer.text}"


@pytest.mark.parametrize(
    ("command", "method", "path", "content_type", "data"),
    [
        (
            'curl "$URL/v1/decisions" -d \'{"message": "x"}\'',
            "POST",
            "/v1/decisions",
            "application/x-www-form-urlencoded",
            '{"message": "x"}',
        ),
        ('curl -X GET "$URL/health"', "GET", "/health", None, None),
    ],
)
def test_curls_are_read_as_curl_sends_them(
    command: str, method: str, path: str, content_type: str | None, data: str | None
) -> None:
    request = parse_curl(command)
    assert request.method == method and request.headers.get("Content-Type") == content_type
    assert (request.path, request.data) == (path, data)  # the body as the shell hands it to curl
