"""The repository's GitHub workflows as data, for the structure tests."""

from __future__ import annotations

import re
import shlex
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
    if whole and value.count("${{") == 1:
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
    return truthy(evaluate(whole[1] if whole and text.count("${{") == 1 else text, context))


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


# --- Jobs as they run for an event ------------------------------------------------------------------------

REPOSITORY = "example-org/launchpad"
# What the workflows' steps write to $GITHUB_OUTPUT, as the tests assume it (the pull request is #7).
STEP_OUTPUTS = {
    "pr": {"number": "7"},
    "plan": {"status": "2"},
    "preview": {"status": "0"},
    "check": {"status": "7"},
    "stack": {"ref": "organization/launchpad/pr-7"},
    "up": {"service_url": "https://d1.cloudfront.net"},
}
ENVIRONMENTS = ("dev", "review", "prod", "dev-preview", "prod-preview")
# Variables each GitHub environment defines (docs/delivery.md section 2); the repository defines PULUMI_ORG.
PER_ENVIRONMENT_VARIABLES = frozenset(
    {
        "AWS_ROLE_ARN",
        "AWS_REGION",
        "PULUMI_BACKEND_URL",
        "PULUMI_SECRETS_PROVIDER",
        "GCP_WORKLOAD_IDENTITY_PROVIDER",
        "GCP_SERVICE_ACCOUNT",
    }
)
REPOSITORY_VARIABLES = frozenset({"PULUMI_ORG"})


def environment_variables(environment: str) -> dict[str, str]:
    """What the environment's variables hold in the tests: values that name the environment."""
    return {
        "AWS_ROLE_ARN": f"arn:aws:iam::111111111111:role/github-launchpad-{environment}",
        "AWS_REGION": "us-east-1",
        "PULUMI_BACKEND_URL": f"s3://launchpad-state-{environment}?region=us-east-1",
        "PULUMI_SECRETS_PROVIDER": "awskms://alias/launchpad-pulumi-state?region=us-east-1",
        "GCP_WORKLOAD_IDENTITY_PROVIDER": "",
        "GCP_SERVICE_ACCOUNT": "",
    }


@dataclass
class JobRun:
    """One job of one workflow as an event runs it (a matrix leg, or a reusable workflow's job)."""

    workflow: str
    job_id: str
    job: dict[str, Any]
    context: dict[str, Any]
    workflow_concurrency: Any = None

    @property
    def label(self) -> str:
        matrix = ",".join(f"{v}" for v in self.context.get("matrix", {}).values())
        return f"{self.workflow}:{self.job_id}" + (f"[{matrix}]" if matrix else "")

    @property
    def environment(self) -> str:
        value = render(self.job.get("environment") or "", self.context)
        return str(value.get("name") if isinstance(value, dict) else value)

    def scoped(self) -> dict[str, Any]:
        """The context once the job is in its environment: that environment's variables win."""
        scope = dict(self.context)
        if self.environment:
            scope["vars"] = {**scope["vars"], **environment_variables(self.environment)}
        scope["env"] = {**scope.get("env", {}), **_strings(render(self.job.get("env") or {}, scope))}
        return scope

    def groups(self) -> list[tuple[str, bool]]:
        """(group, cancel-in-progress) of the workflow's and the job's concurrency."""
        found = []
        for given in (self.workflow_concurrency, self.job.get("concurrency")):
            if given:
                spec = given if isinstance(given, dict) else {"group": given}
                group = as_string(render(spec["group"], self.context))
                found.append((group, bool(render(spec.get("cancel-in-progress", False), self.context))))
        return found

    def steps(self) -> list[dict[str, Any]]:
        """The steps that run, `with` and `env` rendered, earlier steps' outputs from STEP_OUTPUTS."""
        scope = {**self.scoped(), "steps": {k: {"outputs": v} for k, v in STEP_OUTPUTS.items()}}
        ran = []
        for step in self.job.get("steps", []):
            if condition(step.get("if"), scope):
                env = {**scope["env"], **_strings(render(step.get("env") or {}, scope))}
                ran.append({**step, "with": render(step.get("with") or {}, scope), "env": env})
        return ran

    def variables_read(self) -> set[str]:
        return set(re.findall(r"vars\.([A-Za-z_][A-Za-z0-9_]*)", yaml.safe_dump(self.job)))


def _strings(env: dict[str, Any]) -> dict[str, str]:
    """Environment variables are strings: GitHub converts what an expression gave."""
    return {name: as_string(value) for name, value in env.items()}


def _inputs(callee: Workflow, given: dict[str, Any]) -> dict[str, Any]:
    declared = callee.triggers["workflow_call"].get("inputs", {})
    return {name: given.get(name, spec.get("default")) for name, spec in declared.items()}


def job_runs(
    workflow: Workflow,
    github: dict[str, Any],
    inputs: dict[str, Any] | None = None,
    vars_: dict | None = None,
) -> list[JobRun]:
    """The jobs that run for an event (`github` context), every dependency having succeeded."""
    runs: list[JobRun] = []
    base = {
        "github": {"repository": REPOSITORY, "run_id": "4242", "sha": "a" * 40, **github},
        "inputs": inputs or {},
        "vars": {"PULUMI_ORG": "", **(vars_ or {})},
        "needs": {name: {"result": "success", "outputs": {}} for name in workflow.jobs},
        "env": _strings(render(workflow.data.get("env") or {}, {})),
        "runner": {"temp": "/home/runner/work/_temp"},
    }
    for job_id, job in workflow.jobs.items():
        for matrix in matrix_instances(job, base):
            context = {**base, "matrix": matrix, "strategy": {}}
            if not condition(job.get("if"), context):
                continue
            if "uses" in job:
                callee = load(job["uses"].rsplit("/", 1)[1])
                given = _inputs(callee, render(job.get("with") or {}, context))
                runs += job_runs(callee, github, given, vars_)
            else:
                runs.append(JobRun(workflow.name, job_id, job, context, workflow.data.get("concurrency")))
    return runs


def pull_request_event(
    number: int = 7,
    action: str = "synchronize",
    labels: tuple[str, ...] = (),
    label: str = "",
    fork: bool = False,
) -> dict[str, Any]:
    head_repo = "someone/launchpad" if fork else REPOSITORY
    return {
        "event_name": "pull_request",
        "ref": f"refs/pull/{number}/merge",
        "event": {
            "action": action,
            "number": number,
            "label": {"name": label} if label else None,
            "pull_request": {
                "number": number,
                "labels": [{"name": n} for n in labels],
                "head": {"repo": {"full_name": head_repo}, "sha": "b" * 40, "ref": "feature"},
                "base": {"sha": "c" * 40, "repo": {"full_name": REPOSITORY}},
            },
        },
    }


PUSH_MAIN = {"event_name": "push", "ref": "refs/heads/main", "event": {}}
SCHEDULE = {"event_name": "schedule", "ref": "refs/heads/main", "event": {}}


def dispatch(**inputs: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    return {"event_name": "workflow_dispatch", "ref": "refs/heads/main", "event": {"inputs": inputs}}, inputs


def all_job_runs() -> list[JobRun]:
    """Every job of every workflow under the events that start them, PR numbers 7 (labelled) and 8."""
    runs: list[JobRun] = []
    for workflow in all_workflows():
        on = workflow.triggers
        if "pull_request" in on:
            # pull_request's default activity types (docs: events that trigger workflows)
            types = (on["pull_request"] or {}).get("types", ["opened", "synchronize", "reopened"])
            for action in types:
                event = pull_request_event(7, action, ("review-stack",), label="review-stack")
                runs += job_runs(workflow, event)
        if "push" in on:
            runs += job_runs(workflow, PUSH_MAIN)
        if "schedule" in on:
            runs += job_runs(workflow, SCHEDULE)
        if "workflow_dispatch" in on and "inputs" in (on["workflow_dispatch"] or {}):
            for stack in ("dev", "prod"):
                for rollback in (False, True):
                    event, inputs = dispatch(stack=stack, rollback=rollback, digest="")
                    runs += job_runs(workflow, event, inputs)
        if "workflow_run" in on:
            runs += job_runs(workflow, workflow_run_event())
    return runs


def workflow_run_event(fork: bool = False) -> dict[str, Any]:
    owner = "someone" if fork else REPOSITORY.split("/", maxsplit=1)[0]
    return {
        "event_name": "workflow_run",
        "ref": "refs/heads/main",
        "event": {
            "repository": {"default_branch": "main"},
            "workflow_run": {
                "id": 99,
                "event": "pull_request",
                "conclusion": "success",
                "head_sha": "b" * 40,
                "head_branch": "feature",
                "head_repository": {"owner": {"login": owner}, "full_name": f"{owner}/launchpad"},
            },
        },
    }


def shell_commands(script: str, env: dict[str, str]) -> list[list[str]]:
    """The commands of a `run:` script, continuation lines joined, `$VAR`/`"$VAR"` taken from `env` and
    `${VAR:+word}` expanded as bash does, each `$(command)` read as a command of its own, each cut at its
    first pipe, redirection or `||` (what the tests feed to the Pulumi and script models)."""
    joined = re.sub(r"\\\n\s*", " ", script)
    joined = re.sub(r"\$\{(\w+):\+([^}]*)\}", lambda m: m[2] if env.get(m[1]) else "", joined)
    lines = [
        piece
        for line in joined.splitlines()
        for piece in (*re.findall(r"\$\(([^()]*)\)", line), re.sub(r"\$\([^()]*\)", "", line))
    ]
    commands = []
    for line in lines:
        words = []
        for word in shlex.split(line, posix=True) if line.strip() else []:
            if word in ("|", "||", "&&", ">", ">>", "2>&1", ";") or word.startswith((">", "2>")):
                break
            words.append(re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m[1], m[0]), word))
        if words:
            commands.append(words)
    return commands
