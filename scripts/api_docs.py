"""Writes docs/api.md from the app's own OpenAPI document, so the reference cannot drift from the code.

    .venv/bin/python scripts/api_docs.py           # rewrite docs/api.md
    .venv/bin/python scripts/api_docs.py --check   # exit 1 when docs/api.md differs (the tests do this)

Every route, its parameters, request body and answers come from `create_app().openapi()`; the examples
are EXAMPLES below, rendered as curl commands that tests/app/test_app_api_docs.py runs against the app.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import contract
from app.main import create_app

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
REF = "#/components/schemas/"


@dataclass(frozen=True)
class Example:
    """One request and the status it must get. `$URL`, `$API_KEY` and `$JOB_ID` (the id a POST /v1/jobs
    answered) are the reader's; `form` is multipart (`file=@name`)."""

    method: str
    path: str
    status: int
    json: dict[str, Any] | None = None
    form: dict[str, str] = field(default_factory=dict)
    auth: bool = True
    note: str = ""


_CANCEL = "I want to cancel my subscription today"
EXAMPLES = (
    Example("POST", "/v1/decisions", 200, json={"message": _CANCEL, "customer_plan": "pro"}),
    Example(
        "POST",
        "/v1/decisions",
        422,
        json={"question": "Should I escalate?"},
        note="an unknown field is refused with the field named: the text goes in `message`",
    ),
    Example(
        "POST", "/v1/decisions", 401, json={"message": "hello"}, auth=False, note="without the key header"
    ),
    Example(
        "POST",
        "/v1/jobs",
        202,
        json={"name": "weekly-digest", "description": "Summarise the tickets of last week"},
    ),
    Example("GET", "/v1/jobs?limit=5", 200),
    Example("GET", "/v1/jobs/$JOB_ID", 200),
    Example("DELETE", "/v1/jobs/$JOB_ID", 200, note="cancels a queued job; a finished one is kept"),
    Example(
        "POST",
        "/v1/uploads",
        201,
        form={"file": "@notes.txt;type=text/plain"},
        note="notes.txt holds UTF-8 text; PDF and DOCX are recognised by their content, not their name",
    ),
    Example("GET", "/health", 200, auth=False),
    Example("GET", contract.LIVE_PATH, 200, auth=False),
)


def curl(example: Example) -> str:
    parts = [f'curl -sS -X {example.method} "$URL{example.path}"']
    if example.auth:
        parts.append(f'-H "{contract.API_KEY_HEADER}: $API_KEY"')
    if example.json is not None:
        parts += ['-H "Content-Type: application/json"', f"-d {shlex.quote(json.dumps(example.json))}"]
    parts += [f'-F "{name}={value}"' for name, value in example.form.items()]
    return " \\\n  ".join(parts)


def _schema_name(schema: dict[str, Any]) -> str:
    return schema["$ref"].removeprefix(REF) if "$ref" in schema else ""


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        name = _schema_name(schema)
        return f"[{name}](#{name.lower()})"
    if "anyOf" in schema:
        kinds = [_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " or ".join(kinds) + (" or null" if len(kinds) < len(schema["anyOf"]) else "")
    if schema.get("type") == "array":
        return f"array of {_type(schema.get('items', {}))}"
    if "enum" in schema:
        return " \\| ".join(f"`{value}`" for value in schema["enum"])
    if schema.get("type") == "object" and "additionalProperties" in schema:
        inner = schema["additionalProperties"]
        return f"object of {_type(inner)}" if isinstance(inner, dict) and inner else "object"
    return str(schema.get("format") or schema.get("type") or "any")


def _limits(schema: dict[str, Any]) -> str:
    names = {
        "minLength": "min length",
        "maxLength": "max length",
        "minimum": "min",
        "maximum": "max",
        "maxProperties": "max keys",
        "default": "default",
        "pattern": "pattern",
    }
    found = {**schema, **next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), {})}
    return ", ".join(f"{label} `{found[key]}`" for key, label in names.items() if key in found)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _fields(schema: dict[str, Any]) -> list[str]:
    rows = ["| field | type | required | limits | meaning |", "|---|---|---|---|---|"]
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        rows.append(
            f"| `{name}` | {_type(prop)} | {'yes' if name in required else 'no'} | {_cell(_limits(prop))} "
            f"| {_cell(prop.get('description', ''))} |"
        )
    return rows


def _body(operation: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    lines = []
    for media, body in content.items():
        name = _schema_name(body.get("schema", {}))
        lines.append(f"Request body: `{media}`, [{name}](#{name.lower()}).")
    return lines


def _parameters(operation: dict[str, Any]) -> list[str]:
    params = operation.get("parameters", [])
    if not params:
        return []
    rows = ["| parameter | in | type | required | limits |", "|---|---|---|---|---|"]
    rows += [
        f"| `{p['name']}` | {p['in']} | {_type(p['schema'])} | {'yes' if p.get('required') else 'no'} "
        f"| {_cell(_limits(p['schema']))} |"
        for p in params
    ]
    return [*rows, ""]


def _answers(operation: dict[str, Any]) -> list[str]:
    rows = ["| status | meaning | body |", "|---|---|---|"]
    for status, answer in sorted(operation["responses"].items()):
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        body = _type(schema) if schema else ""
        rows.append(f"| {status} | {_cell(answer.get('description', ''))} | {body} |")
    return rows


def _examples(method: str, path: str) -> list[str]:
    lines: list[str] = []
    for example in EXAMPLES:
        if example.method != method or example.path.split("?")[0].replace("$JOB_ID", "{job_id}") != path:
            continue
        note = f": {example.note}" if example.note else ""
        lines += [f"Example, answered `{example.status}`{note}:", "", "```bash", curl(example), "```", ""]
    return lines


def _route(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    secured = bool(operation.get("security"))
    lines = [f"### {method.upper()} `{path}`", "", f"{operation.get('summary', '')}.", ""]
    if operation.get("description"):
        lines += [operation["description"].strip(), ""]
    lines += [f"Authentication: {'the `' + contract.API_KEY_HEADER + '` header' if secured else 'none'}.", ""]
    lines += _parameters(operation) + _body(operation)
    lines += ["", *_answers(operation), "", *_examples(method.upper(), path)]
    return lines


def render(spec: dict[str, Any]) -> str:
    info = spec["info"]
    lines = [
        f"# {info['title']} API ({info['version']})",
        "",
        "<!-- Generated by scripts/api_docs.py from the app's OpenAPI document; do not edit by hand. -->",
        "",
        "Every route of `app/`, its request and its answers, generated from the OpenAPI document the app "
        "itself serves at `/openapi.json` outside production (`python scripts/api_docs.py` rewrites this "
        "file; a test fails when it is stale). Each example is a curl command a test runs against the app: "
        "set `URL` to the service (`pulumi stack output service_url`, or `http://127.0.0.1:8000` for "
        "`python -m app.serve`) and `API_KEY` to one of its client keys (the `api-keys` secret).",
        "",
        "Every error has one shape, [ErrorResponse](#errorresponse): a machine-readable `code`, a `message`, "
        "the `request_id` (also the `X-Request-ID` answer header) and, for 422, `details` naming each field.",
        "",
        "## Routes",
        "",
    ]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            lines += _route(path, method, operation)
    lines += [
        f"### GET `{contract.LIVE_PATH}`",
        "",
        "Liveness: answers 200 while the process serves, without touching a dependency (the load "
        "balancer's and Cloud Run's probe). Not in the OpenAPI document.",
        "",
        *_examples("GET", contract.LIVE_PATH),
        "## Schemas",
        "",
    ]
    for name, schema in sorted(spec["components"]["schemas"].items()):
        lines += [f"### {name}", ""]
        if schema.get("description"):
            lines += [schema["description"], ""]
        lines += (_fields(schema) if "properties" in schema else [f"{_type(schema)}"]) + [""]
    return "\n".join(lines).rstrip() + "\n"


def openapi() -> dict[str, Any]:
    return create_app().openapi()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/api.md is stale")
    options = parser.parse_args(argv)
    text = render(openapi())
    if options.check:
        stale = not DOC.exists() or DOC.read_text() != text
        if stale:
            print(f"{DOC.name} is stale: run .venv/bin/python scripts/api_docs.py", file=sys.stderr)
        return int(stale)
    DOC.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
