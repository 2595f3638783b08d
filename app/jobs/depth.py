"""Publishes the queue depth and the oldest waiting job's age on an interval from every API task.

The load balancer probes the cheap live path, so /health cannot be relied on to publish them, and the
worker service scales on the depth (tasks publish the same values: alarms should use Maximum).
"""

from __future__ import annotations

import logging

from app import contract
from app.core.metrics import Metrics
from app.core.periodic import PeriodicFlusher
from app.jobs.queue import JobQueue

logger = logging.getLogger(__name__)


async def sample_queue_depth(jobs: JobQueue, metrics: Metrics) -> int | None:
    """The number of waiting jobs, recorded as queue_depth beside queue_oldest_job_age; None when unknown."""
    try:
        depth = await jobs.depth()
        oldest = await jobs.oldest_age() if depth else 0.0
    except Exception as exc:
        logger.warning("queue depth unavailable", extra={"error_type": type(exc).__name__})
        return None
    await metrics.emit({contract.QUEUE_DEPTH: depth, contract.QUEUE_OLDEST_JOB_AGE: oldest})
    return depth


class QueueDepthSampler(PeriodicFlusher):
    def __init__(self, jobs: JobQueue, metrics: Metrics, interval_seconds: float) -> None:
        self.jobs = jobs
        self.metrics = metrics
        self.flush_interval_seconds = interval_seconds

    async def flush(self) -> int | None:
        return await sample_queue_depth(self.jobs, self.metrics)
