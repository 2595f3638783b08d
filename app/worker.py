"""`python -m app.worker [--burst]`: the RQ worker. Requeues abandoned jobs, then works the queue.

RQ forks a work horse per job; the database engine is built inside it (app.jobs.tasks), never inherited.
SIGTERM triggers RQ's warm shutdown: the current job finishes, no new one starts.
"""

from __future__ import annotations

import argparse
import logging
import sys

from rq import Worker
from rq.serializers import JSONSerializer

from app.core.config import get_settings
from app.core.logging import configure_logging
from app.core.redis import make_sync_redis
from app.jobs.queue import make_rq_queue, requeue_abandoned

logger = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="app.worker")
    parser.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level)
    connection = make_sync_redis(settings)
    if connection is None:
        logger.error("the worker needs Redis: set REDIS_URL or REDIS_HOST")
        return 2
    queue = make_rq_queue(connection, settings)
    requeue_abandoned(queue)
    worker = Worker([queue], connection=connection, serializer=JSONSerializer)
    worker.work(burst=args.burst, with_scheduler=False, logging_level=settings.log_level.upper())
    return 0


if __name__ == "__main__":
    sys.exit(main())
