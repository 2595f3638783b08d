"""Job queues: RQ on Redis (JSON serializer, explicit timeouts and TTLs), or in-process threads in the
embedded profile. Both keep the durable record in the database."""

from __future__ import annotations

import logging
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, Protocol

import redis
from rq import Queue, Worker
from rq.command import send_stop_job_command
from rq.exceptions import AbandonedJobError, InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.job import JobStatus as RqStatus
from rq.registry import FailedJobRegistry, StartedJobRegistry
from rq.serializers import JSONSerializer
from rq.worker_registration import clean_worker_registry

from app.core.breaker import Breaker, DependencyUnavailable
from app.core.config import Settings
from app.core.db import Database
from app.core.errors import ConflictError, NotFoundError
from app.core.metrics import Metrics
from app.jobs import store, tasks
from app.jobs.schemas import JobRequest, JobStatus, JobView, as_utc

logger = logging.getLogger(__name__)
TASK_PATH = f"{tasks.__name__}.{tasks.run_analysis.__name__}"
_FROM_RQ = {
    RqStatus.QUEUED: JobStatus.QUEUED,
    RqStatus.DEFERRED: JobStatus.QUEUED,
    RqStatus.SCHEDULED: JobStatus.QUEUED,
    RqStatus.STARTED: JobStatus.STARTED,
    RqStatus.FINISHED: JobStatus.FINISHED,
    RqStatus.FAILED: JobStatus.FAILED,
    RqStatus.STOPPED: JobStatus.CANCELED,  # only a cancel stops a job
    RqStatus.CANCELED: JobStatus.CANCELED,
}
_ENDED = frozenset({JobStatus.FINISHED, JobStatus.FAILED, JobStatus.CANCELED})


class JobQueue(Protocol):
    async def enqueue(self, request: JobRequest) -> str: ...

    async def get(self, job_id: str) -> JobView: ...

    async def cancel(self, job_id: str) -> JobView: ...

    async def recent(self, limit: int) -> list[JobView]: ...

    async def depth(self) -> int: ...

    async def oldest_age(self) -> float:
        """Seconds the oldest waiting job has waited; 0 when none waits."""
        ...

    async def workers(self) -> int:
        """Workers that would take a job now."""
        ...


def make_rq_queue(connection: redis.Redis, settings: Settings) -> Queue:
    return Queue(settings.queue_name, connection=connection, serializer=JSONSerializer)


ABANDONED = "abandoned: the worker running it died"


def requeue_abandoned(queue: Queue, max_reruns: int, db: Database | None = None) -> list[str]:
    """Jobs left "started" by a dead worker (heartbeat expired) run again, up to `max_reruns` times each
    (jobs are idempotent); after that they stay failed, with the reason the client reads. Returns the
    ids put back on the queue. The worker calls this at start and on every maintenance pass."""
    abandoned: list[Job] = []

    def remember(job: Job, *_: Any) -> bool:
        abandoned.append(job)
        return True

    StartedJobRegistry(queue=queue).cleanup(exception_handlers=[remember])
    failed = FailedJobRegistry(queue=queue)
    requeued: list[str] = []
    for job in abandoned:
        reruns = int(job.meta.get("reruns", 0))
        if reruns >= max_reruns:
            logger.error("abandoned job failed", extra={"job_id": job.id, "reruns": reruns})
            _record(db, job.id, JobStatus.FAILED, error=ABANDONED)
            continue
        job.meta["reruns"] = reruns + 1
        job.save_meta()
        try:
            failed.requeue(job.id)
        except (InvalidJobOperation, NoSuchJobError):
            continue
        logger.warning("requeued abandoned job", extra={"job_id": job.id, "rerun": reruns + 1})
        _record(db, job.id, JobStatus.QUEUED)
        requeued.append(job.id)
    return requeued


def _record(db: Database | None, job_id: str, status: JobStatus, **fields: Any) -> None:
    if db is not None:
        tasks._safe_update(db, job_id, status, **fields)


def _error_of(job: Job) -> str | None:
    """The exception line only: a traceback would leak paths and payloads to API clients."""
    latest = job.latest_result()
    if latest is None or not latest.exc_string:
        return None
    line = latest.exc_string.strip().splitlines()[-1]
    return ABANDONED if AbandonedJobError.__name__ in line else line[:500]


class RqJobQueue:
    """The record is written before the job is queued, or the submit fails (503) and nothing is queued;
    a job that could not be queued takes its record with it."""

    def __init__(
        self,
        connection: redis.Redis,
        db: Database,
        settings: Settings,
        database_breaker: Breaker,
        redis_breaker: Breaker,
    ) -> None:
        self.db = db
        self.settings = settings
        self.queue = make_rq_queue(connection, settings)
        self.database_breaker = database_breaker
        self.redis_breaker = redis_breaker

    async def enqueue(self, request: JobRequest) -> str:
        job_id = uuid.uuid4().hex
        await self.database_breaker.call_sync(store.create, self.db, job_id, request.name)
        try:
            await self.redis_breaker.call_sync(self._enqueue, job_id, request)
        except BaseException:
            await _forget(self.database_breaker, self.db, job_id)
            raise
        return job_id

    def _enqueue(self, job_id: str, request: JobRequest) -> None:
        self.queue.enqueue(
            TASK_PATH,
            job_id,
            request.name,
            request.description,
            job_id=job_id,
            job_timeout=self.settings.job_timeout_seconds,
            result_ttl=self.settings.job_result_ttl_seconds,
            failure_ttl=self.settings.job_result_ttl_seconds,
            description=f"analysis {job_id}",
        )

    async def get(self, job_id: str) -> JobView:
        """From Redis; from the database copy once Redis forgot the job, or while Redis is unavailable."""
        try:
            found = await self.redis_breaker.call_sync(self._fetch, job_id)
        except DependencyUnavailable:
            found = None
        if found is None:
            found = await self.database_breaker.call_sync(store.get, self.db, job_id)
        if found is None:
            raise NotFoundError(f"job {job_id} not found")
        return found

    def _fetch(self, job_id: str) -> JobView | None:
        try:
            job = Job.fetch(job_id, connection=self.queue.connection, serializer=JSONSerializer)
        except NoSuchJobError:
            return None
        status = _FROM_RQ.get(job.get_status(), JobStatus.QUEUED)
        result = job.return_value() if status == JobStatus.FINISHED else None
        error = _error_of(job) if status == JobStatus.FAILED else None
        name = job.args[1] if len(job.args) > 1 else ""
        return JobView(
            job_id=job.id,
            name=str(name),
            status=status,
            created_at=job.created_at,
            ended_at=job.ended_at,
            result=result,
            error=error,
        )

    async def cancel(self, job_id: str) -> JobView:
        current = await self.get(job_id)
        if current.status in _ENDED:
            raise ConflictError(f"job {job_id} already {current.status.value}")
        # The record first: if RQ then cannot be reached, the job still runs and its worker writes the
        # truth over it; the other way round, a canceled job could keep a "queued" record for ever.
        await self.database_breaker.call_sync(store.update, self.db, job_id, JobStatus.CANCELED)
        await self.redis_breaker.call_sync(self._stop, job_id, current.status)
        return current.model_copy(update={"status": JobStatus.CANCELED})

    def _stop(self, job_id: str, status: JobStatus) -> None:
        if status == JobStatus.STARTED:
            # The worker kills the work horse and records the job "stopped", which reads as canceled;
            # Job.cancel() here would race that write.
            send_stop_job_command(self.queue.connection, job_id, serializer=JSONSerializer)
            return
        try:
            Job.fetch(job_id, connection=self.queue.connection, serializer=JSONSerializer).cancel()
        except NoSuchJobError:
            raise NotFoundError(f"job {job_id} not found") from None

    async def recent(self, limit: int) -> list[JobView]:
        return await self.database_breaker.call_sync(store.recent, self.db, limit)

    async def depth(self) -> int:
        return await self.redis_breaker.call_sync(waiting_count, self.queue)

    async def oldest_age(self) -> float:
        return await self.redis_breaker.call_sync(oldest_waiting_age, self.queue)

    async def workers(self) -> int:
        return await self.redis_breaker.call_sync(listening_workers, self.queue)


def waiting_count(queue: Queue) -> int:
    """Jobs waiting for a worker: queued ones, and started ones whose worker died (heartbeat expired). The
    worker service scales out on this count, and a worker reruns the latter when it starts
    (requeue_abandoned); counting only the queue would leave them behind a worker scaled to zero."""
    abandoned = queue.connection.zcount(StartedJobRegistry(queue=queue).key, 0, time.time())
    return int(queue.count) + int(abandoned)


def listening_workers(queue: Queue) -> int:
    """Workers registered on the queue. A worker killed without its warm shutdown stays registered until
    its key expires (RQ's worker_ttl); dropping such registrations first counts only the living ones."""
    clean_worker_registry(queue)
    return Worker.count(queue=queue)


# Jobs looked at from the head of the queue: a requeued job can sit ahead of an older one.
OLDEST_SCAN = 10


def oldest_waiting_age(queue: Queue) -> float:
    """Seconds since the earliest enqueue among the jobs at the head of the queue (RQ pops from there)."""
    ids = queue.get_job_ids(0, OLDEST_SCAN - 1)
    jobs = [job for job in Job.fetch_many(ids, connection=queue.connection, serializer=JSONSerializer) if job]
    enqueued = [job.enqueued_at for job in jobs if job.enqueued_at is not None]
    if not enqueued:
        return 0.0
    oldest = min(as_utc(t) for t in enqueued)
    return max(0.0, (datetime.now(UTC) - oldest).total_seconds())


async def _forget(database_breaker: Breaker, db: Database, job_id: str) -> None:
    try:
        await database_breaker.call_sync(store.delete, db, job_id)
    except Exception as exc:
        logger.warning(
            "job record of an unqueued job left", extra={"job_id": job_id, "error_type": type(exc).__name__}
        )


class InProcessJobQueue:
    """Embedded profile: one background thread, state only in the database."""

    def __init__(self, db: Database, metrics: Metrics, database_breaker: Breaker) -> None:
        self.db = db
        self.metrics = metrics
        self.database_breaker = database_breaker
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="job")
        # Each job still held: its future and the monotonic time it was submitted.
        self._submitted: dict[str, tuple[Future[Any], float]] = {}

    async def enqueue(self, request: JobRequest) -> str:
        job_id = uuid.uuid4().hex
        await self.database_breaker.call_sync(store.create, self.db, job_id, request.name)
        future = self._executor.submit(
            tasks.execute_analysis, self.db, self.metrics, job_id, request.name, request.description
        )
        self._submitted[job_id] = (future, time.monotonic())
        return job_id

    async def get(self, job_id: str) -> JobView:
        found = await self.database_breaker.call_sync(store.get, self.db, job_id)
        if found is None:
            raise NotFoundError(f"job {job_id} not found")
        return found

    async def cancel(self, job_id: str) -> JobView:
        current = await self.get(job_id)
        future, _ = self._submitted.get(job_id, (None, 0.0))
        if current.status in _ENDED or future is None or not future.cancel():
            raise ConflictError(f"job {job_id} can no longer be canceled")
        await self.database_breaker.call_sync(store.update, self.db, job_id, JobStatus.CANCELED)
        return await self.get(job_id)

    async def recent(self, limit: int) -> list[JobView]:
        return await self.database_breaker.call_sync(store.recent, self.db, limit)

    async def depth(self) -> int:
        self._submitted = {k: (f, t) for k, (f, t) in self._submitted.items() if not f.done()}
        return len(self._submitted)

    async def oldest_age(self) -> float:
        now = time.monotonic()
        waiting = [
            now - queued_at
            for future, queued_at in list(self._submitted.values())
            if not (future.running() or future.done())
        ]
        return max(waiting, default=0.0)

    async def workers(self) -> int:
        return 1  # the job thread of this process: it exists as long as the process serves

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
