"""A GitHub REST fake holding comments, issues and pull requests in memory, with the paging GitHub does,
and a Pulumi CLI fake that answers from canned output and records every command."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class FakeGitHub:
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # PR number -> comments
    issues: list[dict[str, Any]] = field(default_factory=list)
    pulls: list[dict[str, Any]] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 1000

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        self.calls.append(("GET", path))
        params = params or {}
        page, size = int(params.get("page", "1")), int(params.get("per_page", "30"))
        if m := re.fullmatch(r"/repos/[^/]+/[^/]+/issues/(\d+)/comments", path):
            items = self.comments.get(int(m[1]), [])
        elif re.fullmatch(r"/repos/[^/]+/[^/]+/issues", path):
            items = [i for i in self.issues if i["state"] == params.get("state", "open")]
            items = [i for i in items if params.get("labels", "") in i["labels"]]
        elif re.fullmatch(r"/repos/[^/]+/[^/]+/pulls", path):
            items = [p for p in self.pulls if p["state"] == params.get("state", "open")]
        elif m := re.fullmatch(r"/repos/[^/]+/[^/]+/commits/([0-9a-f]+)/pulls", path):
            return [p for p in self.pulls if p["head"]["sha"] == m[1]]
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
            issue = {"number": self._new_id(), "state": "open", **body}
            self.issues.append(issue)
            return issue
        raise AssertionError(f"unexpected POST {path}")

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


@dataclass
class FakePulumi:
    """Answers `stack output --json` and `stack ls --json` from canned data; records every command."""

    outputs: dict[str, Any] = field(default_factory=dict)
    stacks: list[dict[str, Any]] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)

    def __call__(self, args: Sequence[str]) -> str:
        self.commands.append(list(args))
        if list(args[:2]) == ["stack", "output"]:
            return json.dumps(self.outputs)
        if list(args[:2]) == ["stack", "ls"]:
            return json.dumps(self.stacks)
        return ""
