"""The one error a bad stack configuration raises: every problem, each naming its key and its fix."""

from __future__ import annotations

Problem = tuple[str, str]  # (key, what is wrong and how to fix it)


class ConfigError(Exception):
    """Every problem found in a stack's configuration, one per line, each naming its key and fix.
    Subclasses say which input it is about (`subject`): the policy config, the usage file, ..."""

    subject = "invalid stack configuration"

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        """One line for one problem; a count and a line per problem for several."""
        if len(self.problems) == 1:
            return self.problems[0]
        listing = "\n".join(f"  - {p}" for p in self.problems)
        return f"{self.subject} ({len(self.problems)} problems):\n{listing}"
