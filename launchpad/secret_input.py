"""Reading a secret value: from standard input or a no-echo prompt, never from the command line.

`SecretValue` never shows its value in `repr`, `str` or a traceback's locals; `redact` scrubs it from any
text an error carries.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TextIO

from launchpad.errors import OperateError

MAX_BYTES = 65_536  # Secrets Manager's limit for a secret string (Secret Manager allows more)


class SecretValue:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "SecretValue([secret])"

    __str__ = __repr__

    def redact(self, text: str) -> str:
        return text.replace(self._value, "[secret]") if self._value else text


def scrubbed(error: OperateError, value: SecretValue) -> OperateError:
    """`error` with `value` scrubbed from its field, problem and fix."""
    return OperateError(value.redact(error.field), value.redact(error.problem), value.redact(error.fix))


def read_secret(
    stdin: TextIO,
    *,
    label: str,
    prompt: bool,
    ask: Callable[[str], str] | None = None,
) -> SecretValue:
    """The value piped on stdin (one trailing newline dropped), or typed at a no-echo prompt (getpass
    reads the terminal itself, with echo off)."""
    if prompt:
        raw = (ask or getpass.getpass)(f"{label} (input is not echoed): ")
    elif stdin.isatty():
        raise OperateError(
            "stdin",
            "is a terminal, where a typed value would be echoed and could stay on screen",
            f'pipe the value in (`printf %s "$VALUE" | launchpad ...`) or pass --prompt to type {label} '
            "without echo",
        )
    else:
        raw = stdin.read()
    value = raw.removesuffix("\n").removesuffix("\r")
    if not value.strip():
        raise OperateError(
            "stdin", f"held no value for {label}", 'pipe the value in, e.g. `printf %s "$VALUE" | ...`'
        )
    if len(value.encode()) > MAX_BYTES:
        raise OperateError(
            "stdin", f"{label} is over {MAX_BYTES} bytes, Secrets Manager's limit", "store a smaller value"
        )
    return SecretValue(value)


def refuse_value_argument(command: str) -> OperateError:
    """For a value that arrived as an argument: refused, and never repeated in the message."""
    return OperateError(
        "arguments",
        "a secret value was given on the command line (not shown here); it was not stored: shell history "
        "and the process list keep arguments",
        f'pipe it on stdin, e.g. `printf %s "$VALUE" | launchpad {command}`, or pass --prompt; '
        "remove the value from your shell history",
    )
