"""`python -m app.worker [--burst]`: the RQ worker. Requeues abandoned jobs, then works the queue.

RQ forks a work horse per job; the database engine is built inside it (app.jobs.tasks), never inherited.
SIGTERM triggers RQ's warm shutdown: the current job finishes, no new one starts.

A job whose worker died (killed, out of memory, its task stopped) keeps its "started" entry until the
heartbeat expires; RQ alone would then mark it failed and never run it again. Every maintenance pass
(WORKER_MAINTENANCE_SECONDS) reruns such jobs, so a worker that comes back quickly finds them too.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from rq import Queue, Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from app.core.config import Settings, get_settings
from app.core.logging import configure_logging
from app.core.redis import make_sync_redis
from app.jobs.queue import make_rq_queue, requeue_abandoned
from app.jobs.tasks import process_database

RQ_HEARTBEAT_GRACE_SECONDS = 60  # what RQ adds to the monitoring interval; fixed in RQ itself
RQ_DEQUEUE_MARGIN_SECONDS = 15  # RQ waits worker_ttl minus this for a job before its next pass


class LaunchpadWorker(Worker):
    """RQ's worker with a configurable heartbeat grace and abandoned jobs rerun on every maintenance pass."""

    def __init__(self, queues: list[Queue], *, settings: Settings, **kwargs: Any) -> None:
        super().__init__(
            queues,
            job_monitoring_interval=settings.worker_heartbeat_seconds,
            maintenance_interval=settings.worker_maintenance_seconds,
            worker_ttl=settings.worker_maintenance_seconds + RQ_DEQUEUE_MARGIN_SECONDS,
            **kwargs,
        )
        self.settings = settings

    def get_heartbeat_ttl(self, job: Job) -> int:
        ttl = int(super().get_heartbeat_ttl(job))
        return ttl - RQ_HEARTBEAT_GRACE_SECONDS + self.settings.worker_heartbeat_grace_seconds

    def clean_registries(self) -> None:
        for queue in self.queues:
            requeue_abandoned(queue, self.settings.job_max_reruns, process_database())
        super().clean_registries()


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
    worker = LaunchpadWorker([queue], connection=connection, serializer=JSONSerializer, settings=settings)
    worker.work(burst=args.burst, with_scheduler=False, logging_level=settings.log_level.upper())
    return 0


if __name__ == "__main__":
    sys.exit(main())
