"""A `pulumi preview`'s output as Markdown, for a pull-request comment or a job summary:
`python -m delivery.preview_report --stack dev --output-file preview.txt --exit-code 0 > preview.md`.

The output is fenced (terminal colours dropped; nothing inside can close the fence) and cut to fit the
place it goes with a note pointing at the run: GitHub takes 65,536 characters in a comment and 1 MiB in a
step's summary. The first line says whether the preview succeeded, so a reviewer sees a failed preview
before reading any of it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from delivery import cli
from delivery.github_api import run_url
from delivery.pr_comment import GITHUB_COMMENT_LIMIT, fenced, read_if_written

# GitHub refuses a step summary over 1 MiB; UTF-8 takes at most 4 bytes a character.
STEP_SUMMARY_LIMIT = 1024 * 1024 // 4
MARKER_ROOM = 64  # pr_comment puts its hidden marker line above a comment


def preview_markdown(stack: str, output: str, exit_code: int, *, limit: int, run_url: str = "") -> str:
    verdict = "succeeded" if exit_code == 0 else f"**failed** (exit {exit_code})"
    where = f" in the [workflow run]({run_url})" if run_url else " in the workflow run's log"
    header = f"## `pulumi preview` of {stack}\n\nThe preview {verdict}. Its whole output is{where}.\n\n"
    note = f"> **Truncated**: the whole output is{where}."
    return header + fenced(output or "(no output)", limit - len(header) - MARKER_ROOM, note)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--output-file", type=Path, required=True, help="what pulumi preview printed")
    parser.add_argument("--exit-code", type=int, required=True)
    parser.add_argument("--for", dest="target", choices=("comment", "summary"), default="comment")
    options = parser.parse_args(argv)
    output = read_if_written(options.output_file) or ""
    limit = GITHUB_COMMENT_LIMIT if options.target == "comment" else STEP_SUMMARY_LIMIT
    link = run_url()
    sys.stdout.write(preview_markdown(options.stack, output, options.exit_code, limit=limit, run_url=link))
    return 0


if __name__ == "__main__":
    raise SystemExit(cli.run(main))
