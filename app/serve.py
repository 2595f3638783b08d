"""`python -m app.serve [--host ADDRESS]`: the one way to serve the app, in the image and on a laptop.

uvicorn on $PORT (Cloud Run injects it) with a shutdown budget under Cloud Run's 10 s SIGTERM-to-SIGKILL
window, the stdlib event loop, and a bound on request headers. `probe()` is the container HEALTHCHECK.
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.request

from app import contract

# The stdlib loop, not uvloop: saturated at 100 connections by requests that hold the CPU for 250 us or
# more (a rules-only decision on a small Fargate task), uvloop answered a few percent of them up to 1.5 s
# late (p99 0.8 s) where the stdlib loop stays fair (p99 33 ms) at the same req/s: bench/loop_fairness.py.
EVENT_LOOP = "asyncio"


def port() -> int:
    return int(os.environ.get(contract.ENV.PORT, contract.CONTAINER_PORT))


def probe(host: str = "127.0.0.1", timeout: float = 2.0) -> None:
    url = f"http://{host}:{port()}{contract.LIVE_PATH}"
    with urllib.request.urlopen(url, timeout=timeout) as response:
        if response.status != 200:
            sys.exit(1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="app.serve")
    # Inside a container the load balancer reaches the task's interface; on a laptop pass 127.0.0.1.
    parser.add_argument("--host", default="0.0.0.0")  # noqa: S104
    args = parser.parse_args(argv)
    import uvicorn  # noqa: PLC0415 - probe() must start fast without it

    from app.core.config import get_settings  # noqa: PLC0415
    from app.core.http_protocol import HeaderLimitedHttpToolsProtocol  # noqa: PLC0415

    HeaderLimitedHttpToolsProtocol.max_header_bytes = get_settings().max_header_bytes
    uvicorn.run(
        "app.main:app",
        host=args.host,
        port=port(),
        loop=EVENT_LOOP,
        http=HeaderLimitedHttpToolsProtocol,
        # The app reads the client address from X-Forwarded-For itself, counting TRUSTED_PROXY_HOPS from
        # the right; uvicorn's proxy headers would take the leftmost entry, which the client writes.
        proxy_headers=False,
        timeout_graceful_shutdown=contract.SHUTDOWN_GRACE_SECONDS,
        timeout_keep_alive=75,  # above the ALB's 60 s idle timeout, so the ALB closes first
        access_log=False,
        server_header=False,
        log_config=None,
    )


if __name__ == "__main__":
    main()
