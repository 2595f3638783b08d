"""A progress line on stderr while something slow runs (importing the Pulumi SDKs and running the program
takes seconds): rich's status spinner on a terminal, nothing when stderr is piped or in CI."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from rich.console import Console


def status(message: str, console: Console | None = None) -> AbstractContextManager[object]:
    console = console or Console(stderr=True)
    if not console.is_terminal:
        return nullcontext()
    return console.status(f"{message}…")
