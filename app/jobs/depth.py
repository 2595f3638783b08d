"""Publishes the queue depth on an interval from every API task.

The load balancer probes the cheap live path, so /health cannot be relied on to publish it, and the
worker service scales on this metric (tasks publish the same value: alarms should use Maximum).
"""

from __future__ import annotations

import logging

from app import contract
from app.core.metrics import Metrics
from app.core.periodic import PeriodicFlusher
from app.jobs.queue import JobQueue

logger = logging.getLogger(__name__)


async def sample_queue_depth(jobs: JobQueue, metrics: Metrics) -> int | None:
    """The number of waiting jobs, also recorded as the queue_depth metric; None when unknown."""
    try:
        depth = await jobs.depth()
    except Exception as exc:
        logger.warning("queue depth unavailable", extra={"error_type": type(exc).__name__})
        return None
    await metrics.emit({contract.QUEUE_DEPTH: depth})
    return depth


class QueueDepthSampler(PeriodicFlusher):
    def __init__(self, jobs: JobQueue, metrics: Metrics, interval_seconds: float) -> None:
        self.jobs = jobs
        self.metrics = metrics
        self.flush_interval_seconds = interval_seconds

    async def flush(self) -> int | None:
        return await sample_queue_depth(self.jobs, self.metrics)
