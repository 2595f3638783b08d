"""The one error the operating commands raise: what is wrong, with which field, and the fix."""

from __future__ import annotations


class OperateError(Exception):
    """Printed as `error: <field>: <problem>` and `  fix: <fix>`, never as a traceback (exit 2)."""

    def __init__(self, field: str, problem: str, fix: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem
        self.fix = fix

    def render(self) -> str:
        return f"error: {self.field}: {self.problem}\n  fix: {self.fix}\n"
