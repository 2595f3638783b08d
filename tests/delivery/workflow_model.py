"""The repository's GitHub workflows as data, for the structure tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository"
# Actions that receive cloud or Pulumi credentials through OIDC.
CREDENTIAL_ACTIONS = (
    "aws-actions/configure-aws-credentials",
    "pulumi/auth-actions",
    "google-github-actions/auth",
)


@dataclass(frozen=True)
class Workflow:
    name: str
    text: str
    data: dict[str, Any]

    @property
    def triggers(self) -> dict[str, Any]:
        on = self.data.get("on", self.data.get(True))  # YAML 1.1 reads a bare `on` as true
        return on if isinstance(on, dict) else {on: None}

    @property
    def jobs(self) -> dict[str, dict[str, Any]]:
        return self.data["jobs"]


def load(name: str) -> Workflow:
    path = WORKFLOWS / name
    return Workflow(name, path.read_text(), yaml.safe_load(path.read_text()))


def all_workflows() -> list[Workflow]:
    return [load(p.name) for p in sorted(WORKFLOWS.glob("*.yml"))]


def steps(job: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from job.get("steps", [])


def action(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def uses_credentials(step: dict[str, Any]) -> bool:
    return action(step) in CREDENTIAL_ACTIONS


def runs_pulumi(step: dict[str, Any]) -> bool:
    """A step that takes a stack's lock: pulumi/actions with a command, or the CLI and its wrappers."""
    if action(step) == "pulumi/actions":
        return "command" in (step.get("with") or {})
    script = str(step.get("run", ""))
    return bool(re.search(r"(^|\s)pulumi\s|delivery\.(rollback|review_stacks)", script))


def pinned_uses(text: str) -> list[tuple[str, str, str]]:
    """(action, sha, tag comment) of every `uses:` line."""
    return re.findall(r"uses:\s*([\w./-]+)@(\S+)(?:\s*#\s*(\S+))?", text)


# --- GitHub expressions ----------------------------------------------------------------------------------
# docs.github.com/actions/reference/workflows-and-actions/expressions. Hand-written because no maintained
# Python package evaluates them (actionlint checks their types, not their values). Only what the workflows
# use: literals, context paths with `.`/`[ ]`/`.*` filters, ! == != && || and parentheses, and the functions
# below. An unknown context or function raises, so an expression the model cannot read fails its test.

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\],.*])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*))"
)
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
STATUS_FUNCTIONS = {"always": True, "success": True, "failure": False, "cancelled": False}


class Unmodelled(AssertionError):
    pass


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if not match:
            raise Unmodelled(f"cannot read {text[position:]!r}")
        tokens.append(match.group(match.lastgroup or 0))
        position = match.end()
    return tokens


def _equal(left: Any, right: Any) -> bool:
    """== ignores case for strings; null, numbers and booleans compare as values."""
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()
    return left == right


def truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and value != []


def _contains(search: Any, item: Any) -> bool:
    if isinstance(search, list):
        return any(_equal(element, item) for element in search)
    return str(item).lower() in str(search or "").lower()


FUNCTIONS = {
    "contains": _contains,
    "startsWith": lambda s, p: str(s or "").lower().startswith(str(p).lower()),
    "endsWith": lambda s, p: str(s or "").lower().endswith(str(p).lower()),
    "format": lambda f, *a: re.sub(r"\{(\d+)\}", lambda m: as_string(a[int(m[1])]), f),
}


class _Parser:
    def __init__(self, text: str, context: dict[str, Any]) -> None:
        self.tokens, self.at, self.context = _tokens(text), 0, context

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise Unmodelled(f"expected {expected!r}, found {token!r} in {' '.join(self.tokens)}")
        self.at += 1
        return token

    def expression(self) -> Any:
        value = self.conjunction()
        while self.peek() == "||":
            self.take()
            right = self.conjunction()
            value = value if truthy(value) else right
        return value

    def conjunction(self) -> Any:
        value = self.comparison()
        while self.peek() == "&&":
            self.take()
            right = self.comparison()
            value = right if truthy(value) else value
        return value

    def comparison(self) -> Any:
        value = self.unary()
        if self.peek() in ("==", "!="):
            operator = self.take()
            right = self.unary()
            return _equal(value, right) == (operator == "==")
        return value

    def unary(self) -> Any:
        if self.peek() == "!":
            self.take()
            return not truthy(self.unary())
        return self.primary()

    def primary(self) -> Any:
        token = self.take()
        if token == "(":
            value = self.expression()
            self.take(")")
            return value
        if token.startswith("'"):
            return token[1:-1].replace("''", "'")
        if re.fullmatch(r"-?\d+(\.\d+)?", token):
            return float(token) if "." in token else int(token)
        if token in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token]
        if self.peek() == "(":
            return self.call(token)
        if token not in self.context:
            raise Unmodelled(f"the model has no context {token!r}")
        return self.path(self.context[token])

    def call(self, name: str) -> Any:
        self.take("(")
        arguments = []
        while self.peek() != ")":
            arguments.append(self.expression())
            if self.peek() == ",":
                self.take()
        self.take(")")
        if name in STATUS_FUNCTIONS:
            return self.context.get("job_status", {}).get(name, STATUS_FUNCTIONS[name])
        if name not in FUNCTIONS:
            raise Unmodelled(f"the model has no function {name}()")
        return FUNCTIONS[name](*arguments)

    def path(self, value: Any) -> Any:
        while self.peek() in (".", "["):
            if self.take() == "[":
                key = self.expression()
                self.take("]")
            else:
                key = self.take()
            value = _member(value, key)
        return value


def _member(value: Any, key: Any) -> Any:
    if key == "*":
        return list(value.values()) if isinstance(value, dict) else list(value or [])
    if isinstance(value, list) and not isinstance(key, int):  # a `.*` filter: the member of each item
        return [_member(item, key) for item in value]
    if isinstance(value, dict):
        return next((v for k, v in value.items() if str(k).lower() == str(key).lower()), None)
    if isinstance(value, list) and isinstance(key, int):
        return value[key] if key < len(value) else None
    return None


def evaluate(text: str, context: dict[str, Any]) -> Any:
    parser = _Parser(text, context)
    value = parser.expression()
    if parser.peek() is not None:
        raise Unmodelled(f"unread: {parser.tokens[parser.at :]}")
    return value


def as_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(value: Any, context: dict[str, Any]) -> Any:
    """A workflow value with every `${{ }}` evaluated; a string that is one expression keeps its type."""
    if isinstance(value, dict):
        return {k: render(v, context) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, context) for v in value]
    if not isinstance(value, str):
        return value
    whole = EXPRESSION.fullmatch(value.strip())
    if whole:
        return evaluate(whole[1], context)
    return EXPRESSION.sub(lambda m: as_string(evaluate(m[1], context)), value)


def condition(value: Any, context: dict[str, Any]) -> bool:
    """A job's or step's `if:` (the `${{ }}` may be left out there; no `if` means success())."""
    if value is None:
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    whole = EXPRESSION.fullmatch(text)
    return truthy(evaluate(whole[1] if whole else text, context))


def matrix_instances(job: dict[str, Any], context: dict[str, Any]) -> list[dict[str, Any]]:
    """The combinations of `strategy.matrix` (lists crossed, then `include` added), or one empty one."""
    matrix = render((job.get("strategy") or {}).get("matrix") or {}, context)
    include = matrix.pop("include", []) if isinstance(matrix, dict) else []
    combos: list[dict[str, Any]] = [{}]
    for key, values in (matrix or {}).items():
        combos = [{**c, key: v} for c in combos for v in values]
    for extra in include:
        matching = [c for c in combos if all(c.get(k) == v for k, v in extra.items() if k in c)]
        for combo in matching or [{}]:
            combo.update(extra)
        if not matching:
            combos.append(dict(extra))
    return [c for c in combos if c] or [{}]
