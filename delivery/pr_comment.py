"""One pull-request comment per stack, found by a hidden marker and edited in place.

`python -m delivery.pr_comment --pr 12 --stack dev --body-file plan-dev.md` posts the Markdown that
`launchpad plan --format markdown` wrote: the first run creates the comment, every later run edits the
same one, so a PR carries one comment per stack however often it is pushed. The body is cut to GitHub's
65,536-character limit at a line boundary with a note saying so, and any stack-outputs section is left
out: outputs may name endpoints or carry values that do not belong in a PR.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from delivery.github_api import GitHubApi, RestClient, paginated, repository, run_url

GITHUB_COMMENT_LIMIT = 65_536
STACK_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def marker(stack: str, kind: str = "plan") -> str:
    """The hidden tag that finds a stack's comment ("plan") or drift issue ("drift") again."""
    if not STACK_NAME.fullmatch(stack):
        raise ValueError(f"{stack!r} is not a stack name")
    return f"<!-- launchpad-{kind} stack={stack} -->"


def without_outputs(markdown: str) -> str:
    """Drops every section headed "Outputs" (to the next heading of its level or above)."""
    kept: list[str] = []
    skipping_level = 0
    for line in markdown.splitlines():
        heading = _HEADING.match(line)
        if heading:
            level = len(heading[1])
            if skipping_level and level <= skipping_level:
                skipping_level = 0
            if not skipping_level and re.match(r"(stack\s+)?outputs\b", heading[2].strip(), re.IGNORECASE):
                skipping_level = level
                continue
        if not skipping_level:
            kept.append(line)
    return "\n".join(kept) + ("\n" if markdown.endswith("\n") and kept else "")


def _closers(head: str) -> str:
    """What an unclosed code fence or <details> in `head` needs, or it would swallow what follows."""
    fence = "\n```" if head.count("```") % 2 else ""
    return fence + "\n</details>" * max(0, head.count("<details") - head.count("</details>"))


def truncated(text: str, limit: int, note: str) -> str:
    """`text` if it fits in `limit` characters; else its head, cut at a line end and closed, then `note`."""
    if len(text) <= limit:
        return text
    head = text[: max(0, limit - len(note) - 2)]
    while True:
        head = head[: head.rfind("\n")] if "\n" in head else ""
        closed = head + _closers(head)
        if len(closed) + len(note) + 2 <= limit:
            return f"{closed}\n\n{note}"
        if not head:
            raise ValueError("the note alone passes the limit")


def comment_body(stack: str, markdown: str, run_url: str = "", limit: int = GITHUB_COMMENT_LIMIT) -> str:
    header = f"{marker(stack)}\n"
    where = f" The full plan is in the [workflow run]({run_url})." if run_url else ""
    note = f"> **Truncated** to fit GitHub's comment limit.{where}"
    return header + truncated(without_outputs(markdown), limit - len(header), note)


@dataclass(frozen=True)
class Posted:
    comment_id: int
    created: bool


def upsert_comment(api: GitHubApi, repo: str, pr: int, stack: str, body: str) -> Posted:
    """Edits this stack's comment on the PR if there is one (the oldest, should several exist), else
    creates it. Only comments carrying the stack's marker are touched."""
    tag = marker(stack)
    if not body.startswith(tag):
        raise ValueError("the body must start with the stack's marker, or the next run would not find it")
    comments = paginated(api, f"/repos/{repo}/issues/{pr}/comments")
    ours = sorted((c for c in comments if str(c.get("body", "")).startswith(tag)), key=lambda c: c["id"])
    if ours:
        api.patch(f"/repos/{repo}/issues/comments/{ours[0]['id']}", {"body": body})
        return Posted(ours[0]["id"], created=False)
    created = api.post(f"/repos/{repo}/issues/{pr}/comments", {"body": body})
    return Posted(created["id"], created=True)


def main(argv: list[str] | None = None, api: GitHubApi | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pr", type=int, required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--body-file", type=Path, required=True, help="launchpad plan --format markdown")
    options = parser.parse_args(argv)
    link = run_url() if os.environ.get("GITHUB_RUN_ID") else ""
    body = comment_body(options.stack, options.body_file.read_text(), link)
    posted = upsert_comment(api or RestClient(), repository(), options.pr, options.stack, body)
    verb = "created" if posted.created else "updated"
    print(f"{verb} the {options.stack} plan comment ({len(body)} characters)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
