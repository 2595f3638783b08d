"""The one error a bad stack configuration raises: every problem, each naming its key and its fix."""

from __future__ import annotations

Problem = tuple[str, str]  # (key, what is wrong and how to fix it)


class ConfigError(Exception):
    """Every problem found in a stack's configuration, one per line, each naming its key and fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"invalid stack configuration ({len(problems)} problem(s)):\n{listing}")
