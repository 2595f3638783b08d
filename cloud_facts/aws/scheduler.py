"""EventBridge Scheduler's schedule expressions, and five-field unix cron -> `cron(...)`: one schedule
string serves AWS and GCP."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _day(token: str) -> int:
    """Unix day of week (0-7, Sunday is 0 and 7, or a name) -> 0-6."""
    lowered = token.lower()
    if lowered in _DAY_NAMES:
        return _DAY_NAMES.index(lowered)
    if not lowered.isdigit() or int(lowered) > 7:
        raise ValueError(f"{token!r} is not a day of week (0-7 or sun-sat)")
    return int(lowered) % 7


def _days(field: str) -> set[int]:
    """Every day (0-6) a unix day-of-week field selects: lists, ranges, steps and names."""
    selected: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise ValueError(f"step in {part!r} must be positive")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            low, high = span.split("-", 1)
            first, last = _day(low), (7 if high.strip() == "7" else _day(high))
        else:
            first = last = _day(span)
        selected.update(day % 7 for day in range(first, last + 1, step))
    return selected


def _aws_step(field: str, first: str) -> str:
    # AWS documents increments as `start/step` (0/15); unix's `*/15` means the same from the field's start.
    return field.replace("*/", f"{first}/")


def eventbridge_cron(unix: str) -> str:
    """`0 2 * * *` -> `cron(0 2 * * ? *)`. AWS numbers days 1-7 from Sunday and needs `?` in one of
    day-of-month / day-of-week; unix ORs the two when both are set, which AWS cannot express."""
    fields = unix.split()
    if len(fields) != 5:
        raise ValueError(f"{unix!r} must have five fields: minute hour day-of-month month day-of-week")
    minute, hour, dom, month, dow = (
        _aws_step(fields[0], "0"),
        _aws_step(fields[1], "0"),
        _aws_step(fields[2], "1"),
        _aws_step(fields[3], "1"),
        fields[4],
    )
    days = _days(dow)
    every_day = days == set(range(7))
    if dom != "*" and not every_day:
        raise ValueError("EventBridge cannot combine a day-of-month with a day-of-week; restrict only one")
    if every_day:
        return f"cron({minute} {hour} {dom} {month} ? *)"
    aws_days = ",".join(str(day + 1) for day in sorted(days))
    return f"cron({minute} {hour} ? {month} {aws_days} *)"


@dataclass(frozen=True)
class SchedulerExpression:
    """EventBridge Scheduler: `cron(min hour dom month dow year)` with `?` in exactly one of the day
    fields, `rate(n unit)`, or `at(yyyy-mm-ddThh:mm:ss)`."""

    def problems(self, value: Any) -> list[str]:
        text = str(value)
        if re.fullmatch(r"rate\([1-9][0-9]* (minute|minutes|hour|hours|day|days)\)", text):
            return []
        if re.fullmatch(r"at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)", text):
            return []
        match = re.fullmatch(r"cron\((.*)\)", text)
        fields = match.group(1).split() if match else []
        if len(fields) != 6:
            return [f"{text!r} is not cron() with six fields, rate() or at()"]
        if (fields[2] == "?") == (fields[4] == "?"):
            return [f"{text!r} needs '?' in exactly one of day-of-month and day-of-week"]
        return []
