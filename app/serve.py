"""`python -m app.serve`: uvicorn on $PORT (Cloud Run injects it) with a shutdown budget under Cloud Run's
10 s SIGTERM-to-SIGKILL window. `probe()` is the container HEALTHCHECK: no curl in the image."""

from __future__ import annotations

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


def main() -> None:
    import uvicorn  # noqa: PLC0415 - probe() must start fast without it

    uvicorn.run(
        "app.main:app",
        host="0.0.0.0",  # noqa: S104 - inside a container, the load balancer reaches the task's interface
        port=port(),
        loop=EVENT_LOOP,
        proxy_headers=True,
        forwarded_allow_ips="*",  # only the load balancer can reach the task (security groups / Cloud Run)
        timeout_graceful_shutdown=contract.SHUTDOWN_GRACE_SECONDS,
        timeout_keep_alive=75,  # above the ALB's 60 s idle timeout, so the ALB closes first
        access_log=False,
        server_header=False,
        log_config=None,
    )


if __name__ == "__main__":
    main()
