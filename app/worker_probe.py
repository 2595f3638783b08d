"""`python -m app.worker_probe`: the worker container's health check (exit 0 healthy, 1 not).

Healthy when an RQ worker on this host is registered in Redis: RQ keeps a worker's key alive only while
the worker heartbeats, and removes it when the worker stops. The image's HEALTHCHECK probes the web
route, which a worker does not serve, so each role gets the check it can answer (app/contract.py).
"""

from __future__ import annotations

import socket
import sys

from rq import Worker

from app.core.config import get_settings
from app.core.redis import make_sync_redis


def healthy(hostname: str | None = None) -> bool:
    connection = make_sync_redis(get_settings())
    if connection is None:
        return False
    host = hostname or socket.gethostname()
    try:
        return any(worker.hostname == host for worker in Worker.all(connection=connection))
    finally:
        connection.close()


def main() -> int:
    return 0 if healthy() else 1


if __name__ == "__main__":
    sys.exit(main())
