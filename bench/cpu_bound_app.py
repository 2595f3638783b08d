"""A handler that holds the CPU for BENCH_CPU_US microseconds without yielding, then answers, as a
rules-only decision does on a small task. Used by loop_fairness.py."""

from __future__ import annotations

import os
import time

from starlette.types import Receive, Scope, Send

CPU_SECONDS = int(os.environ.get("BENCH_CPU_US", "250")) / 1_000_000
BODY = b'{"status":"ok"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    until = time.perf_counter() + CPU_SECONDS
    while time.perf_counter() < until:
        pass
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
