"""One pull-request comment per stack and kind, found by a hidden marker and edited in place.

`python -m delivery.pr_comment --pr 12 --stack dev --body-file plan-dev.md` posts the Markdown that
`launchpad plan --format markdown` wrote: the first run creates the comment, every later run edits the
same one, so a PR carries one comment per stack however often it is pushed. The body is cut to GitHub's
65,536-character limit at a line boundary with a note saying so, and any stack-outputs section is left
out: outputs may name endpoints or carry values that do not belong in a PR.

When the plan wrote no Markdown (a config error, a crash, a job that failed before planning), the comment
says which kind of failure it was, from the plan's exit code (`--status-file`), and quotes its error
output (`--stderr-file`): a config error is the comment the author most needs. `--kind preview` keeps a
second comment per stack for `pulumi preview` (delivery.preview_report writes its Markdown).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from delivery import cli
from delivery.github_api import GitHubApi, GitHubError, RestClient, paginated, repository, run_url

GITHUB_COMMENT_LIMIT = 65_536
STACK_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
KINDS = ("plan", "preview", "review", "drift")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
FENCE = "~~~~"  # a tilde fence: backtick fences inside quoted output cannot close it
# `launchpad plan`'s exit codes (issue 21): 0 pass, 1 a mandatory finding, 2 config or usage, 3 internal.
PLAN_FAILURES = {
    0: "no report (it passed, but the report file is missing)",
    1: "a mandatory finding, but no report",
    2: "a configuration or usage error",
    3: "an internal error in launchpad",
}


def marker(stack: str, kind: str = "plan") -> str:
    """The hidden tag that finds a stack's comment (plan, preview, review) or drift issue again."""
    if not STACK_NAME.fullmatch(stack):
        raise ValueError(f"{stack!r} is not a stack name")
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not one of {', '.join(KINDS)}")
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


def fenced(text: str, room: int, note: str) -> str:
    """`text` (terminal colours dropped) in a tilde fence nothing inside can close, cut to fit `room`."""
    plain = _ANSI.sub("", text).replace(FENCE, "~ ~ ~ ~")
    opening, closing = f"{FENCE}\n", f"\n{FENCE}\n"
    return opening + truncated(plain, room - len(opening) - len(closing), note) + closing


def failure_markdown(stack: str, status: int | None, stderr: str, run_url: str = "") -> str:
    """What the comment says when `launchpad plan` wrote no Markdown: the kind of failure and its error."""
    where = f"the [workflow run]({run_url})" if run_url else "the workflow run"
    if status is None:
        said = f"The plan did not run: the job failed before it. See {where}."
    else:
        what = PLAN_FAILURES.get(status, "an unknown failure")
        said = f"`launchpad plan` stopped with {what} (exit {status})."
    quoted = fenced(stderr.strip() or "(no error output)", GITHUB_COMMENT_LIMIT // 2, "> **Truncated**")
    return f"## Plan for {stack}: not made\n\n{said}\n\n{quoted}"


def comment_body(
    stack: str, markdown: str, run_url: str = "", limit: int = GITHUB_COMMENT_LIMIT, kind: str = "plan"
) -> str:
    header = f"{marker(stack, kind)}\n"
    where = f" The full plan is in the [workflow run]({run_url})." if run_url else ""
    note = f"> **Truncated** to fit GitHub's comment limit.{where}"
    return header + truncated(without_outputs(markdown), limit - len(header), note)


@dataclass(frozen=True)
class Posted:
    comment_id: int
    created: bool


def upsert_comment(
    api: GitHubApi, repo: str, pr: int, stack: str, body: str, *, kind: str = "plan"
) -> Posted:
    """Edits this stack's comment of this kind on the PR if there is one (the oldest, should several
    exist), else creates it. Only comments carrying the stack's marker are touched."""
    tag = marker(stack, kind)
    if not body.startswith(tag):
        raise ValueError("the body must start with the stack's marker, or the next run would not find it")
    comments = paginated(api, f"/repos/{repo}/issues/{pr}/comments")
    ours = sorted((c for c in comments if str(c.get("body", "")).startswith(tag)), key=lambda c: c["id"])
    if ours:
        api.patch(f"/repos/{repo}/issues/comments/{ours[0]['id']}", {"body": body})
        return Posted(ours[0]["id"], created=False)
    created = api.post(f"/repos/{repo}/issues/{pr}/comments", {"body": body})
    return Posted(created["id"], created=True)


def read_if_written(path: Path | None) -> str | None:
    """What an earlier step wrote to `path`, or None if it wrote nothing (it may have failed first);
    bytes that are not UTF-8 (a tool's raw output) are replaced rather than stopping the script."""
    return path.read_text(errors="replace") if path is not None and path.is_file() else None


def plan_status(path: Path | None) -> int | None:
    """The exit code the plan step wrote, or None when there is none (a number is all it may hold)."""
    text = (read_if_written(path) or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,3}", text) else None


def markdown_for(options: argparse.Namespace, link: str) -> str:
    markdown = read_if_written(options.body_file)
    if markdown is not None:
        return markdown
    stderr = read_if_written(options.stderr_file) or ""
    return failure_markdown(options.stack, plan_status(options.status_file), stderr, link)


def main(argv: list[str] | None = None, api: GitHubApi | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pr", type=int, required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--kind", choices=KINDS[:3], default="plan", help="which of the stack's comments")
    parser.add_argument("--body-file", type=Path, required=True, help="the Markdown (may be missing)")
    parser.add_argument("--status-file", type=Path, help="the plan's exit code, when it wrote no Markdown")
    parser.add_argument("--stderr-file", type=Path, help="the plan's error output, quoted then")
    options = parser.parse_args(argv)
    link = run_url()
    body = comment_body(options.stack, markdown_for(options, link), link, kind=options.kind)
    posted = upsert_comment(
        api or RestClient(), repository(), options.pr, options.stack, body, kind=options.kind
    )
    verb = "created" if posted.created else "updated"
    print(f"{verb} the {options.stack} {options.kind} comment ({len(body)} characters)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(cli.run(main, expected=(GitHubError,)))
