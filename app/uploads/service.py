from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from datetime import UTC, datetime
from typing import BinaryIO

from pydantic import BaseModel

from app.core.breaker import Breaker, DependencyUnavailable
from app.core.db import Database
from app.core.errors import PayloadTooLargeError
from app.uploads.models import Upload
from app.uploads.storage import UploadStorage
from app.uploads.validation import CHUNK_BYTES, detect_kind

logger = logging.getLogger(__name__)


class UploadResult(BaseModel):
    upload_id: str
    kind: str
    size_bytes: int
    sha256: str


def _digest(stream: BinaryIO) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    stream.seek(0)
    while chunk := stream.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return size, digest.hexdigest()


class UploadService:
    """The object is stored, then its metadata; an object whose metadata could not be written is deleted,
    and nothing is stored at all while the database's breaker is open (503)."""

    def __init__(
        self, storage: UploadStorage, db: Database, max_bytes: int, database_breaker: Breaker
    ) -> None:
        self.storage = storage
        self.db = db
        self.max_bytes = max_bytes
        self.database_breaker = database_breaker

    async def store(self, stream: BinaryIO, filename: str) -> UploadResult:
        if self.database_breaker.is_open:
            raise DependencyUnavailable(self.database_breaker.name)
        upload = await asyncio.to_thread(self._put, stream, filename)
        try:
            await self.database_breaker.call_sync(self._record, upload)
        except BaseException:
            await asyncio.to_thread(self.storage.delete, upload.storage_key)  # no orphan objects
            raise
        logger.info(
            "upload stored",
            extra={"upload_id": upload.id, "kind": upload.kind, "size_bytes": upload.size_bytes},
        )
        return UploadResult(
            upload_id=upload.id, kind=upload.kind, size_bytes=upload.size_bytes, sha256=upload.sha256
        )

    def _put(self, stream: BinaryIO, filename: str) -> Upload:
        size, sha256 = _digest(stream)
        if size > self.max_bytes:
            raise PayloadTooLargeError(f"file exceeds {self.max_bytes} bytes")
        kind, content_type = detect_kind(stream)
        upload_id = str(uuid.uuid4())
        # The key is generated: client file names never reach the bucket's key space.
        key = f"uploads/{datetime.now(UTC):%Y/%m/%d}/{upload_id}.{kind}"
        self.storage.put(key, stream, content_type)
        return Upload(
            id=upload_id,
            storage_key=key,
            filename=filename[:255],
            content_type=content_type,
            kind=kind,
            size_bytes=size,
            sha256=sha256,
        )

    def _record(self, upload: Upload) -> None:
        with self.db.session() as session:
            session.add(upload)
