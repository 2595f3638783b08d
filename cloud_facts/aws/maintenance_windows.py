"""Maintenance and backup windows (RDS, ElastiCache): their formats, and two windows of one resource that
must each be long enough and must not overlap."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = r"([01][0-9]|2[0-3]):([0-5][0-9])"
# terraform-provider-aws internal/types/timestamp: ValidOnceADayWindowFormat / ValidOnceAWeekWindowFormat.
DAILY_WINDOW = rf"{_HHMM}-{_HHMM}"
WEEKLY_WINDOW = rf"(sun|mon|tue|wed|thu|fri|sat):{_HHMM}-(sun|mon|tue|wed|thu|fri|sat):{_HHMM}"
_WEEK_MINUTES = 7 * 24 * 60


def _minutes(day: str | None, hhmm: str) -> int:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return (_DAYS.index(day) * 24 * 60 if day else 0) + hours * 60 + minutes


def window_span(window: str) -> list[tuple[int, int]]:
    """A "hh:mm-hh:mm" (every day) or "ddd:hh:mm-ddd:hh:mm" window as week-minute intervals."""
    text = window.lower()
    if re.fullmatch(WEEKLY_WINDOW, text):
        start_day, start, end_day, end = re.fullmatch(
            r"(\w{3}):(\d\d:\d\d)-(\w{3}):(\d\d:\d\d)", text
        ).groups()  # type: ignore[union-attr]
        begin, finish = _minutes(start_day, start), _minutes(end_day, end)
        return [(begin, finish if finish > begin else finish + _WEEK_MINUTES)]
    start, end = text.split("-")
    begin, finish = _minutes(None, start), _minutes(None, end)
    finish = finish if finish > begin else finish + 24 * 60
    return [(begin + day * 1440, finish + day * 1440) for day in range(7)]


def _well_formed(window: Any) -> str | None:
    text = str(window).lower() if window else ""
    return text if re.fullmatch(DAILY_WINDOW, text) or re.fullmatch(WEEKLY_WINDOW, text) else None


def _length(window: str) -> int:
    begin, finish = window_span(window)[0]
    return finish - begin


def _overlap(a: str, b: str) -> bool:
    spans_b = window_span(b)
    shifted = [(s + k * _WEEK_MINUTES, e + k * _WEEK_MINUTES) for s, e in spans_b for k in (-1, 0, 1)]
    return any(s1 < e2 and s2 < e1 for s1, e1 in window_span(a) for s2, e2 in shifted)


@dataclass(frozen=True)
class Windows:
    """Two windows of one resource: each at least `minimum` minutes long, and apart when `apart`."""

    first: str
    second: str
    minimum_first: int
    minimum_second: int
    apart: bool = True

    def problems(self, props: Mapping[str, Any]) -> list[str]:
        # A malformed window is its format row's finding; only well-formed ones are measured here.
        a, b = (_well_formed(props.get(key)) for key in (self.first, self.second))
        problems = [
            f"{key} {window!r} is {_length(window)} minutes; at least {minimum} are required"
            for key, window, minimum in (
                (self.first, a, self.minimum_first),
                (self.second, b, self.minimum_second),
            )
            if window and minimum and _length(window) < minimum
        ]
        if self.apart and a and b and _overlap(a, b):
            problems.append(f"{self.first} {a!r} overlaps {self.second} {b!r}; they must not overlap")
        return problems
