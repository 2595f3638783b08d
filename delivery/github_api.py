"""A small GitHub REST client for the workflows: the token comes from the environment and is never printed.

Only the calls the delivery scripts need. Errors name the method, the path and the status, never headers.
Tests use `FakeGitHub` in their place; both satisfy `GitHubApi`.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Protocol

from delivery.cli import SetupError

API_URL = "https://api.github.com"


class GitHubError(RuntimeError):
    pass


class MissingSetting(GitHubError, SetupError):
    """An environment variable the workflow must pass to the step is not set."""


class GitHubApi(Protocol):
    def get(self, path: str, params: dict[str, str] | None = None) -> Any: ...

    def post(self, path: str, body: dict[str, Any]) -> Any: ...

    def patch(self, path: str, body: dict[str, Any]) -> Any: ...


class RestClient:
    """GitHub's REST API with the workflow's GITHUB_TOKEN (read from the environment, kept private)."""

    def __init__(self, token: str | None = None, api_url: str | None = None) -> None:
        self._token = token if token is not None else os.environ.get("GITHUB_TOKEN", "")
        if not self._token:
            raise MissingSetting("GITHUB_TOKEN is not set; pass it to this step through `env:`")
        self._api = (api_url or os.environ.get("GITHUB_API_URL") or API_URL).rstrip("/")

    def __repr__(self) -> str:  # never show the token, even in a traceback's locals
        return f"RestClient({self._api})"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        if not path.startswith("/"):
            raise GitHubError(f"{path!r}: API paths start with /")
        request = urllib.request.Request(  # noqa: S310 - the URL is GitHub's API (https), built here
            self._api + path,
            data=None if body is None else json.dumps(body).encode(),
            method=method,
            headers={
                "Authorization": f"Bearer {self._token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                payload = response.read()
        except urllib.error.HTTPError as error:
            raise GitHubError(f"{method} {path.partition('?')[0]}: HTTP {error.code}") from None
        return json.loads(payload) if payload else None

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        query = "?" + urllib.parse.urlencode(params) if params else ""
        return self._call("GET", path + query)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self._call("POST", path, body)

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self._call("PATCH", path, body)


def paginated(api: GitHubApi, path: str, params: dict[str, str] | None = None, limit: int = 10) -> list[Any]:
    """Every item of a list endpoint, 100 a page, at most `limit` pages. A longer list is refused, never
    cut short: the callers act on what is missing from it (the sweeper destroys the review stack of every
    pull request it does not see)."""
    items: list[Any] = []
    for page in range(1, limit + 1):
        batch = api.get(path, {**(params or {}), "per_page": "100", "page": str(page)}) or []
        items += batch
        if len(batch) < 100:
            return items
    raise GitHubError(f"{path} lists more than {limit * 100} items; refusing to act on a partial list")


def run_url() -> str:
    """The Actions run this workflow step belongs to (GITHUB_SERVER_URL, GITHUB_RUN_ID); "" outside a run,
    where there is nothing to link to."""
    run_id = os.environ.get("GITHUB_RUN_ID", "")
    if not run_id:
        return ""
    server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
    return f"{server}/{repository()}/actions/runs/{run_id}"


def repository() -> str:
    """owner/name of the repository the workflow runs in (GITHUB_REPOSITORY)."""
    repo = os.environ.get("GITHUB_REPOSITORY", "")
    if "/" not in repo:
        raise MissingSetting("GITHUB_REPOSITORY is not set (owner/name)")
    return repo
