"""Models of what the delivery scripts and workflows drive: GitHub's REST API, artifacts, concurrency groups
and OIDC subjects, and the Pulumi CLI over a DIY (S3) or Pulumi Cloud backend.

Each model answers the way the real tool does, including how it fails, and each rule cites where it was
read: pulumi/pulumi at 1b59498 (3.260.0-dev, after v3.259.0, the newest snapshot stored; the workflows pin
3.272.0), the pinned actions at their SHAs (docs/actions-pins.md), GitHub's REST and Actions documentation.
A command, endpoint or flag a model does not know fails the test: nothing is answered by default.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from delivery.pulumi_cli import PulumiError

# The CLI's exit codes, pkg/cmd/pulumi/cmd/exit_codes.go:28-40 (stable "once released", since 3.226).
EXIT_ERROR, EXIT_STACK_NOT_FOUND, EXIT_NO_CHANGES = 1, 6, 7


def cli_error(message: str, exit_code: int = EXIT_ERROR) -> PulumiError:
    """What run_pulumi raises for a failed command: the CLI's message and its exit code."""
    return PulumiError(message, exit_code)


# --- GitHub REST -------------------------------------------------------------------------------------

# docs.github.com/rest/using-the-rest-api/using-pagination-in-the-rest-api: list endpoints return 30 items
# a page unless `per_page` says otherwise, and at most 100.
DEFAULT_PER_PAGE, MAX_PER_PAGE = 30, 100
# docs.github.com/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data: `ref` is
# refs/heads/<branch>, refs/tags/<tag>, refs/pull/<n>/merge or refs/pull/<n>/head; `commit_sha` 40 hex;
# `sarif` gzip-compressed then Base64; the category is `runs[].automationDetails.id`.
SARIF_REF = re.compile(r"refs/(heads|tags)/\S+|refs/pull/\d+/(merge|head)")


class GitHubRefused(AssertionError):
    """What GitHub answers with a 4xx; the scripts' RestClient raises GitHubError for it."""


@dataclass
class FakeGitHub:
    repo: str = "example-org/launchpad"
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # PR number -> comments
    issues: list[dict[str, Any]] = field(default_factory=list)
    pulls: list[dict[str, Any]] = field(default_factory=list)
    sarifs: list[dict[str, Any]] = field(default_factory=list)  # what code scanning recorded
    calls: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 1000

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        self.calls.append(("GET", path))
        params = params or {}
        page = int(params.get("page", "1"))
        size = min(int(params.get("per_page", DEFAULT_PER_PAGE)), MAX_PER_PAGE)
        if m := re.fullmatch(r"/repos/[^/]+/[^/]+/issues/(\d+)/comments", path):
            items = self.comments.get(int(m[1]), [])
        elif re.fullmatch(r"/repos/[^/]+/[^/]+/issues", path):
            # docs: REST issues, "List repository issues": `state` open (the default), closed or all;
            # `labels` comma-separated names, an issue must carry every one; no `labels`, every issue.
            state = params.get("state", "open")
            wanted = {name for name in params.get("labels", "").split(",") if name}
            items = [i for i in self.issues if state in ("all", i["state"])]
            items = [i for i in items if wanted <= {label["name"] for label in i["labels"]}]
        elif re.fullmatch(r"/repos/[^/]+/[^/]+/pulls", path):
            items = [p for p in self.pulls if p["state"] == params.get("state", "open")]
            if "head" in params:  # `head=<owner>:<branch>` (docs: REST pulls, "List pull requests")
                items = [p for p in items if head_label(p) == params["head"]]
        elif m := re.fullmatch(r"/repos/[^/]+/[^/]+/commits/([0-9a-f]+)/pulls", path):
            # The commit's pull requests in this repository only: a fork's head commit finds none
            # (reported in quarkusio/pt.quarkus.io#389 and nerva-project/nerva#79, both switching to
            # `pulls?head=owner:branch`).
            items = [p for p in self.pulls if p["head"]["sha"] == m[1] and not is_fork(p, self.repo)]
        else:
            raise AssertionError(f"unexpected GET {path}")
        return items[(page - 1) * size : page * size]

    def post(self, path: str, body: dict[str, Any]) -> Any:
        self.calls.append(("POST", path))
        if m := re.fullmatch(r"/repos/[^/]+/[^/]+/issues/(\d+)/comments", path):
            comment = {"id": self._new_id(), "body": body["body"]}
            self.comments.setdefault(int(m[1]), []).append(comment)
            return comment
        if re.fullmatch(r"/repos/[^/]+/[^/]+/issues", path):
            # Created from label names; read back as label objects, like every issue GitHub lists.
            labels = [{"name": name} for name in body.get("labels", [])]
            issue = {"number": self._new_id(), "state": "open", **body, "labels": labels}
            self.issues.append(issue)
            return issue
        if re.fullmatch(r"/repos/[^/]+/[^/]+/code-scanning/sarifs", path):
            return self._sarif(body)
        raise AssertionError(f"unexpected POST {path}")

    def _sarif(self, body: dict[str, Any]) -> dict[str, Any]:
        if not re.fullmatch(r"[0-9a-f]{40}", str(body.get("commit_sha"))):
            raise GitHubRefused("422: commit_sha is not a 40-character SHA")
        if not SARIF_REF.fullmatch(str(body.get("ref"))):
            raise GitHubRefused(f"422: ref {body.get('ref')!r} is not a branch, tag or pull request ref")
        try:
            sarif = json.loads(gzip.decompress(base64.b64decode(body["sarif"], validate=True)))
        except (KeyError, ValueError, OSError) as error:
            raise GitHubRefused(f"400: sarif is not gzip-compressed Base64 JSON ({error})") from None
        categories = [(r.get("automationDetails") or {}).get("id") for r in sarif.get("runs", [])]
        record = {"id": f"sarif-{self._new_id()}", **body, "categories": categories}
        self.sarifs.append(record)
        return {"id": record["id"], "url": f"https://api.github.com/repos/{self.repo}/code-scanning/sarifs/x"}

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        self.calls.append(("PATCH", path))
        if m := re.fullmatch(r"/repos/[^/]+/[^/]+/issues/comments/(\d+)", path):
            [comment] = [c for cs in self.comments.values() for c in cs if c["id"] == int(m[1])]
            comment.update(body)
            return comment
        if m := re.fullmatch(r"/repos/[^/]+/[^/]+/issues/(\d+)", path):
            [issue] = [i for i in self.issues if i["number"] == int(m[1])]
            issue.update(body)
            return issue
        raise AssertionError(f"unexpected PATCH {path}")


def pull(
    number: int, *, sha: str, head_repo: str, branch: str, base_repo: str, labels: Sequence[str] = ()
) -> dict:
    """A pull request as the REST API shows it (the fields the scripts and the fake read)."""
    return {
        "number": number,
        "state": "open",
        "labels": [{"name": n} for n in labels],
        "head": {"sha": sha, "ref": branch, "repo": {"full_name": head_repo}},
        "base": {"repo": {"full_name": base_repo}},
    }


def head_label(pull_request: Mapping[str, Any]) -> str:
    head = pull_request["head"]
    return f"{head['repo']['full_name'].split('/')[0]}:{head['ref']}"


def is_fork(pull_request: Mapping[str, Any], repo: str) -> bool:
    return str(pull_request["head"]["repo"]["full_name"]).lower() != repo.lower()


def pulumi_actions_comment(github: FakeGitHub, pr: int, heading: str, body: str) -> None:
    """pulumi/actions v7.0.0 `comment-on-pr` with `edit-pr-comment` (src/libs/pr.ts:110-140 at 8e5e406):
    one `issues.listComments` call without `per_page` (so the first 30 comments), the first whose body
    starts with the heading is edited, else a new comment is created."""
    comments = github.get(f"/repos/{github.repo}/issues/{pr}/comments")
    found = next((c for c in comments if str(c["body"]).startswith(heading)), None)
    if found:
        github.patch(f"/repos/{github.repo}/issues/comments/{found['id']}", {"body": heading + body})
    else:
        github.post(f"/repos/{github.repo}/issues/{pr}/comments", {"body": heading + body})


def codeql_upload_sarif(
    github: FakeGitHub, inputs: Mapping[str, str], sarif: dict, checkout_head: str
) -> None:
    """github/codeql-action/upload-sarif v4.36.2 (8aad20d): the commit is `git rev-parse HEAD` in
    `checkout_path`, `sha` only when git fails (src/upload-lib.ts:766, src/git-utils.ts:103-124); the
    `ref` input is used as given (git-utils.ts:359-366); `category` fills only runs that have no
    automationDetails (upload-lib.ts:192-211)."""
    category = inputs.get("category")
    for run in sarif.get("runs", []):
        if category and "automationDetails" not in run:
            run["automationDetails"] = {"id": category.rstrip("/") + "/"}
    packed = base64.b64encode(gzip.compress(json.dumps(sarif).encode())).decode()
    github.post(
        f"/repos/{github.repo}/code-scanning/sarifs",
        {"commit_sha": checkout_head, "ref": inputs.get("ref") or "refs/heads/main", "sarif": packed},
    )


# --- Artifacts, concurrency, OIDC -----------------------------------------------------------------------


@dataclass
class FakeArtifacts:
    """One workflow run's artifacts. actions/upload-artifact v7.0.0 (bbbca2d) action.yml:37-42: with
    `overwrite: false` (the default) an upload fails when an artifact of that name exists; the name is
    unique per run, and a re-run attempt is the same run (README.md:72-74, 288; the 409 "an artifact with
    this name already exists on the workflow run" of actions/upload-artifact#478). `if-no-files-found`
    (action.yml:11-19): error fails, warn and ignore upload nothing."""

    artifacts: dict[str, dict[str, str]] = field(default_factory=dict)

    def upload(self, with_: Mapping[str, Any], files: Mapping[str, str]) -> None:
        name = str(with_.get("name", "artifact"))
        if not files:
            if with_.get("if-no-files-found", "warn") == "error":
                raise GitHubRefused(f"no files were found for artifact {name}")
            return
        if name in self.artifacts and str(with_.get("overwrite", "false")).lower() != "true":
            raise GitHubRefused("409 Conflict: an artifact with this name already exists on the workflow run")
        self.artifacts[name] = dict(files)

    def download(self, name: str) -> dict[str, str]:
        if name not in self.artifacts:  # actions/download-artifact: "Artifact not found for name"
            raise GitHubRefused(f"Unable to download artifact(s): Artifact not found for name: {name}")
        return self.artifacts[name]


@dataclass
class FakeConcurrency:
    """GitHub's concurrency groups (docs.github.com/actions/how-tos/write-workflows/choose-when-workflows-
    run/control-workflow-concurrency): at most one running and one pending job per group; a newly queued
    job cancels the pending one and takes its place; `cancel-in-progress: true` cancels the running one
    too. Group names are case-insensitive. (`queue: max`, changelog 2026-05-07, is not used here.)"""

    running: dict[str, str] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)
    cancelled: list[str] = field(default_factory=list)

    def queue(self, job: str, group: str, *, cancel_in_progress: bool = False) -> None:
        key = group.lower()
        if key in self.pending:
            self.cancelled.append(self.pending.pop(key))
        if key in self.running and cancel_in_progress:
            self.cancelled.append(self.running.pop(key))
        if key in self.running:
            self.pending[key] = job
        else:
            self.running[key] = job


def oidc_subject(
    repository: str,
    *,
    environment: str = "",
    event_name: str = "",
    ref: str = "",
    ids: tuple[int, int] | None = None,
) -> str:
    """The default `sub` GitHub mints for a job (docs.github.com/actions/reference/security/oidc, "Example
    subject claims"): the environment when the job names one, else `pull_request` for that event, else the
    ref. Repositories created or renamed after 2026-06-18 (or opted in) carry immutable owner and
    repository IDs: `repo:octocat-123456/my-repo-456789:...` (github.blog changelog 2026-04-23)."""
    owner, name = repository.split("/")
    prefix = f"repo:{owner}-{ids[0]}/{name}-{ids[1]}" if ids else f"repo:{owner}/{name}"
    if environment:
        return f"{prefix}:environment:{environment}"
    if event_name == "pull_request":
        return f"{prefix}:pull_request"
    return f"{prefix}:ref:{ref}"


# --- Pulumi CLI ------------------------------------------------------------------------------------------

DIY_ORGANIZATION = "organization"  # pkg/backend/diy/store.go:168-173: the only organization a DIY ref has
FALLBACK = "PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER"
PASSPHRASE_MISSING = (  # pkg/secrets/passphrase/manager.go:394-396
    "passphrase must be set with PULUMI_CONFIG_PASSPHRASE or "
    "PULUMI_CONFIG_PASSPHRASE_FILE environment variables"
)
TAG_NAME = re.compile(r"[a-zA-Z0-9-_.:]{1,40}")  # pkg/util/validation/stack.go:27-42
# Flags that take a value; any other flag is a boolean. An unknown flag fails the test.
VALUE_FLAGS = {
    "--stack", "-s", "--secrets-provider", "--project", "-p", "--tag", "-t", "--organization", "-o",
    "--policy-pack", "--policy-pack-config", "--color", "--message", "-m", "--parallel", "--config-file",
}  # fmt: skip
BOOL_FLAGS = {
    "--create", "-c", "--json", "-j", "--all", "-a", "--yes", "-y", "--remove", "--refresh", "--diff",
    "--expect-no-changes", "--preview-only", "--suppress-outputs", "--suppress-progress", "--non-interactive",
    "--skip-preview", "--run-program", "--show-secrets",
}  # fmt: skip


@dataclass
class FakeStack:
    project: str
    name: str
    secrets_provider: str  # the manager the state records (io.go:384-411 stores it at creation)
    last_update: datetime | None = None
    locked: bool = False  # an update holds the DIY lock (pkg/backend/diy/lock.go:64-112)
    readable: bool = True  # False: this identity may not read the stack's files (S3 AccessDenied)
    outputs: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)  # resource -> value at the last deployment
    cloud: dict[str, str] = field(default_factory=dict)  # resource -> value in the cloud now


@dataclass
class Invocation:
    path: list[str]  # the command words: ["stack", "select"]
    flags: dict[str, str | bool]
    positionals: list[str]

    def flag(self, *names: str) -> Any:
        return next((self.flags[n] for n in names if n in self.flags), None)


def parse(args: Sequence[str], words: int) -> Invocation:
    flags: dict[str, str | bool] = {}
    rest: list[str] = []
    items = iter(args)
    for item in items:
        name, _, inline = item.partition("=")
        if name in VALUE_FLAGS:
            flags[name] = inline or next(items)
        elif item in BOOL_FLAGS:
            flags[item] = True
        elif item.startswith("-"):
            raise AssertionError(f"the Pulumi model does not know the flag {item}")
        else:
            rest.append(item)
    return Invocation(rest[:words], flags, rest[words:])


@dataclass
class FakePulumi:
    """The Pulumi CLI over one backend, run in a checkout (`cwd`, holding the stack files) with an
    environment. Called like `run_pulumi`: returns stdout, raises PulumiError(message, exit_code)."""

    stacks: list[FakeStack] = field(default_factory=list)
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    backend: str = "diy"  # or "cloud" (Pulumi Cloud)
    organization: str = DIY_ORGANIZATION
    project: str = "launchpad"
    program: dict[str, str] = field(default_factory=dict)  # resource -> value the checked-out code declares
    commands: list[list[str]] = field(default_factory=list)

    def __call__(self, args: Sequence[str]) -> str:
        self.commands.append(list(args))
        group = list(args[:2]) if args and args[0] in ("stack", "config") else list(args[:1])
        handler = {
            ("stack", "select"): self._select,
            ("stack", "ls"): self._list,
            ("stack", "output"): self._output,
            ("stack", "tag"): self._tag,
            ("config", "set"): self._config_set,
            ("up",): self._up,
            ("destroy",): self._destroy,
            ("preview",): self._preview,
            ("refresh",): self._refresh,
        }.get(tuple(group))
        if handler is None:
            raise AssertionError(f"the Pulumi model does not know `pulumi {' '.join(args[:2])}`")
        return handler(parse(args[len(group) :], 0))

    # -- stacks and files ---------------------------------------------------------------------------

    def find(self, ref: str) -> FakeStack | None:
        _, project, name = self.resolve(ref)
        return next((s for s in self.stacks if (s.project, s.name) == (project, name)), None)

    def resolve(self, ref: str) -> tuple[str, str, str]:
        parts = ref.split("/")
        if len(parts) == 1:
            return self.organization, self.current_project(), parts[0]
        if len(parts) != 3:
            raise cli_error(f"could not parse stack reference '{ref}'")
        if self.backend == "diy" and parts[0] != DIY_ORGANIZATION:  # store.go:172-173
            raise cli_error("organization name must be 'organization'")
        return parts[0], parts[1], parts[2]

    def require(self, ref: str) -> FakeStack:
        stack = self.find(ref)
        if stack is None:  # io.go:171 StackNotFoundError -> exit_codes.go:94-98
            raise cli_error(f"no stack named '{ref}' found", EXIT_STACK_NOT_FOUND)
        return stack

    def current_project(self) -> str:
        if self.cwd is not None and (self.cwd / "Pulumi.yaml").exists():
            return str(yaml.safe_load((self.cwd / "Pulumi.yaml").read_text())["name"])
        return self.project

    def stack_file(self, stack: FakeStack) -> Path | None:
        return self.cwd / f"Pulumi.{stack.name}.yaml" if self.cwd is not None else None

    def read_stack_file(self, stack: FakeStack) -> dict[str, Any]:
        path = self.stack_file(stack)
        return (yaml.safe_load(path.read_text()) or {}) if path and path.exists() else {}

    def write_secrets_lines(self, stack: FakeStack, provider: str) -> None:
        """What cloud.EditProjectStack saves: the provider and the data key it wrapped."""
        path = self.stack_file(stack)
        if path is not None:
            data = {**self.read_stack_file(stack), "secretsprovider": provider, "encryptedkey": "AQICAHh="}
            path.write_text(yaml.safe_dump(data, sort_keys=False))

    def secrets_manager(self, stack: FakeStack) -> str:
        """GetSecretsManager (pkg/cmd/pulumi/stack/secrets.go:226-289): the stack file's provider; else its
        passphrase salt; else, with PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER true ("1" or "true",
        sdk/go/common/util/env/env.go:338-347), the state's manager, saved into the file; else the
        backend's default: a passphrase on DIY (diy/backend.go:1713-1717), the service on Pulumi Cloud."""
        declared = self.read_stack_file(stack)
        provider = str(declared.get("secretsprovider") or "")
        if provider not in ("", "passphrase", "default"):
            return provider
        if not declared.get("encryptionsalt"):
            if str(self.env.get(FALLBACK, "")).lower() in ("1", "true"):
                if stack.secrets_provider not in ("passphrase", "service"):
                    self.write_secrets_lines(stack, stack.secrets_provider)
                    return stack.secrets_provider
                provider = stack.secrets_provider
            elif self.backend == "cloud":
                return "service"
        if provider == "service":
            return provider
        if "PULUMI_CONFIG_PASSPHRASE" not in self.env and "PULUMI_CONFIG_PASSPHRASE_FILE" not in self.env:
            raise cli_error(PASSPHRASE_MISSING)
        return "passphrase"

    def readable(self, stack: FakeStack) -> FakeStack:
        if not stack.readable:
            key = f".pulumi/stacks/{stack.project}/{stack.name}.json"
            raise cli_error(f"failed to load checkpoint: blob (key {key!r}) (code=PermissionDenied)")
        return stack

    # -- commands -----------------------------------------------------------------------------------

    def _select(self, call: Invocation) -> str:
        """stack_select.go:79-107: an existing stack is only selected; --create creates a missing one
        with the secrets provider, and only then are the provider lines saved (io.go:450-456)."""
        ref = str(call.flag("--stack", "-s") or call.positionals[0])
        if self.find(ref) is not None:
            return ""
        if not call.flag("--create", "-c"):
            raise cli_error(f"no stack named '{ref}' found", EXIT_STACK_NOT_FOUND)
        _, project, name = self.resolve(ref)
        provider = str(call.flag("--secrets-provider") or "default")
        if provider in ("default", "passphrase") and self.backend == "diy":
            if "PULUMI_CONFIG_PASSPHRASE" not in self.env:  # secrets.go:117-121 -> a passphrase manager
                raise cli_error(PASSPHRASE_MISSING)
            provider = "passphrase"
        stack = FakeStack(project, name, provider if provider != "default" else "service")
        self.stacks.append(stack)
        if stack.secrets_provider not in ("passphrase", "service"):
            self.write_secrets_lines(stack, stack.secrets_provider)
        return ""

    def _list(self, call: Invocation) -> str:
        """stack_list.go:143-159 filters to the current project unless --all or --project. The DIY
        ListStacks (diy/backend.go:926-1038) filters by project, then by tag, skipping stacks whose tags
        it cannot read (:955-959), then reads every remaining stack's checkpoint and fails on the first
        it cannot read (:1003-1027). JSON (stack_list.go:239-262): `updateInProgress` only where the
        backend supports progress, which DIY does not (diy/backend.go:810-812)."""
        project = call.flag("--project", "-p") or (
            None if call.flag("--all", "-a") else self.current_project()
        )
        listed = [s for s in self.stacks if project is None or s.project == project]
        if tag := call.flag("--tag", "-t"):
            tag_name, _, tag_value = str(tag).partition("=")
            listed = [s for s in listed if s.readable and tag_name in s.tags]
            listed = [s for s in listed if not tag_value or s.tags[tag_name] == tag_value]
        rows = []
        for stack in sorted((self.readable(s) for s in listed), key=lambda s: s.name):
            bare = stack.project == self.current_project()
            row: dict[str, Any] = {
                "name": stack.name if bare else f"{self.organization}/{stack.project}/{stack.name}",
                "current": False,
            }
            if stack.locked and self.backend == "cloud":
                row["updateInProgress"] = True
            elif stack.last_update is not None:
                row["lastUpdate"] = stack.last_update.astimezone(UTC).isoformat()
                if self.backend == "cloud":
                    row["updateInProgress"] = False
            rows.append(row)
        return json.dumps(rows)

    def _output(self, call: Invocation) -> str:
        return json.dumps(self.readable(self.require(str(call.flag("--stack", "-s")))).outputs)

    def _tag(self, call: Invocation) -> str:
        if call.positionals[:1] != ["set"]:
            raise AssertionError(f"the Pulumi model does not know `stack tag {call.positionals[:1]}`")
        name, value = call.positionals[1:3]
        if not TAG_NAME.fullmatch(name):
            raise cli_error(
                "stack tag names may only contain alphanumerics, hyphens, underscores, periods, or colons"
            )
        if len(value) > 256:  # validation/stack.go:46-54
            raise cli_error(f"stack tag {name!r} value is too long (max length 256 characters)")
        self.require(str(call.flag("--stack", "-s"))).tags[name] = value
        return ""

    def _config_set(self, call: Invocation) -> str:
        stack = self.require(str(call.flag("--stack", "-s")))
        key, value = call.positionals[:2]
        path = self.stack_file(stack)
        if path is not None:
            data = self.read_stack_file(stack)
            data.setdefault("config", {})[key] = value
            path.write_text(yaml.safe_dump(data, sort_keys=False))
        return ""

    def _locked_for_update(self, call: Invocation) -> FakeStack:
        stack = self.readable(self.require(str(call.flag("--stack", "-s"))))
        self.secrets_manager(stack)
        if not call.flag("--yes", "-y", "--skip-preview"):
            raise cli_error(
                "--yes or --skip-preview must be passed in to proceed when running in non-interactive mode"
            )
        if stack.locked and self.backend == "diy":  # diy/backend.go:1206, lock.go:85-88
            raise cli_error(
                "the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end"
            )
        return stack

    def _up(self, call: Invocation) -> str:
        stack = self._locked_for_update(call)
        stack.state = dict(self.program)
        stack.cloud = dict(self.program)
        stack.last_update = datetime.now(UTC)
        return "Update succeeded"

    def _destroy(self, call: Invocation) -> str:
        stack = self._locked_for_update(call)
        stack.state, stack.cloud = {}, {}
        if call.flag("--remove"):
            self.stacks.remove(stack)
        return "Destroy succeeded"

    def _preview(self, call: Invocation) -> str:
        """A preview runs the checked-out program against the state (or, with --refresh, the cloud) and
        takes no lock (diy/backend.go:1197-1201; pulumi/pulumi#8642 for Pulumi Cloud);
        --expect-no-changes turns changes into exit 7 (preview.go:636, exit_codes.go:107-109)."""
        stack = self.readable(self.require(str(call.flag("--stack", "-s"))))
        self.secrets_manager(stack)
        base = stack.cloud if call.flag("--refresh") else stack.state
        return self._changes(call, "preview", self.program != base)

    def _refresh(self, call: Invocation) -> str:
        """A refresh compares the cloud with the state and runs no program unless --run-program
        (refresh.go:389); non-interactive it needs --yes, --skip-preview or --preview-only
        (refresh.go:137-141); --preview-only takes no lock and writes nothing (diy/backend.go:1245-1256)."""
        stack = self.readable(self.require(str(call.flag("--stack", "-s"))))
        self.secrets_manager(stack)
        if not call.flag("--yes", "-y", "--skip-preview", "--preview-only"):
            raise cli_error("--yes or --skip-preview or --preview-only must be passed in to proceed")
        changed = stack.cloud != stack.state
        if not call.flag("--preview-only"):
            if stack.locked and self.backend == "diy":
                raise cli_error("the stack is currently locked by 1 lock(s).")
            stack.state = dict(stack.cloud)
        return self._changes(call, "refresh", changed)

    @staticmethod
    def _changes(call: Invocation, operation: str, changed: bool) -> str:
        if changed and call.flag("--expect-no-changes"):
            raise cli_error(
                f"error: no changes were expected but changes occurred ({operation})", EXIT_NO_CHANGES
            )
        return f"{operation}: {'changes' if changed else 'no changes'}"
