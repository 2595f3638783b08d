"""Where upload bytes go: the S3 uploads bucket, or a local directory in the embedded profile."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, BinaryIO, Protocol


class UploadStorage(Protocol):
    name: str

    def put(self, key: str, stream: BinaryIO, content_type: str) -> None: ...

    def delete(self, key: str) -> None: ...


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
