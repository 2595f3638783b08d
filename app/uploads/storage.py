"""Where upload bytes go: the S3 or Cloud Storage uploads bucket, or a local directory (embedded profile)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, BinaryIO, Protocol


class UploadStorage(Protocol):
    name: str

    def put(self, key: str, stream: BinaryIO, content_type: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def close(self) -> None:
        """Release the client's connections (shutdown)."""


class S3Storage:
    name = "s3"

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    def put(self, key: str, stream: BinaryIO, content_type: str) -> None:
        # upload_fileobj streams in parts (multipart above 8 MiB) instead of reading the file into memory.
        # No encryption header: the bucket's default (SSE-KMS with the stack key and a bucket key) applies,
        # and its policy refuses a request that asks for anything else.
        self.client.upload_fileobj(stream, self.bucket, key, ExtraArgs={"ContentType": content_type})

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def close(self) -> None:
        self.client.close()


class GcsStorage:
    """Cloud Storage through google-cloud-storage, as the runtime's own identity (Cloud Run's metadata
    server; STORAGE_EMULATOR_HOST in tests). No encryption arguments: the bucket's default key (the
    stack's Cloud KMS key) applies to every object written without one."""

    name = "gcs"
    # (connect, read) seconds per request: a hung endpoint costs seconds, as with S3 (BOTO_CONFIG).
    TIMEOUT = (3.0, 30.0)

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = client.bucket(bucket)

    def put(self, key: str, stream: BinaryIO, content_type: str) -> None:
        # upload_from_file streams the spooled file (resumable above 8 MiB), never reading it whole.
        self.bucket.blob(key).upload_from_file(stream, content_type=content_type, timeout=self.TIMEOUT)

    def delete(self, key: str) -> None:
        from google.api_core.exceptions import NotFound  # noqa: PLC0415 - only the GCS profile needs it

        try:
            self.bucket.blob(key).delete(timeout=self.TIMEOUT)
        except NotFound:  # already gone, as S3's DeleteObject answers for a missing key
            return

    def close(self) -> None:
        self.client.close()


class LocalStorage:
    name = "local"

    def __init__(self, root: str) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("storage key escapes the uploads directory")
        return path

    def put(self, key: str, stream: BinaryIO, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            shutil.copyfileobj(stream, target)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def close(self) -> None:
        """Nothing is held open between calls."""
