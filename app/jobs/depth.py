"""Publishes the queue depth, the oldest waiting job's age and the listening workers on an interval from
every API task.

The load balancer probes the cheap live path, so /health cannot be relied on to publish them, and the
worker service scales on the depth (tasks publish the same values: alarms should use Maximum). The
workers go in the same record as the depth, so a worker service at zero is started on two series that
always have points together.
"""

from __future__ import annotations

import logging

from app import contract
from app.core.metrics import Metrics
from app.core.periodic import PeriodicFlusher
from app.jobs.queue import JobQueue

logger = logging.getLogger(__name__)


async def sample_queue_depth(jobs: JobQueue, metrics: Metrics) -> int | None:
    """The number of waiting jobs, recorded as queue_depth beside queue_oldest_job_age and queue_workers;
    None when unknown."""
    try:
        depth = await jobs.depth()
        oldest = await jobs.oldest_age() if depth else 0.0
        workers = await jobs.workers()
    except Exception as exc:
        logger.warning("queue depth unavailable", extra={"error_type": type(exc).__name__})
        return None
    await metrics.emit(
        {contract.QUEUE_DEPTH: depth, contract.QUEUE_OLDEST_JOB_AGE: oldest, contract.QUEUE_WORKERS: workers}
    )
    return depth


class QueueDepthSampler(PeriodicFlusher):
    def __init__(self, jobs: JobQueue, metrics: Metrics, interval_seconds: float) -> None:
        self.jobs = jobs
        self.metrics = metrics
        self.flush_interval_seconds = interval_seconds

    async def flush(self) -> int | None:
        return await sample_queue_depth(self.jobs, self.metrics)
