"""Start-up check that every directory this process will write is writable.

The containers run on a read-only root with `contract.WRITABLE_PATHS` mounted writable. A volume the app
user cannot write (a Fargate bind mount is root-owned, mode 0755, unless the image declares the path a
VOLUME) passes every health check and turns each upload over 1 MiB (spooled to a temp file) into a 500.
Failing at start-up instead makes the deploy fail, where the circuit breaker rolls it back.
"""

from __future__ import annotations

import os
import tempfile

from app.core.config import Settings


class UnwritableDirectoryError(RuntimeError):
    """A directory the service must write is missing or not writable by its user."""


def write_dirs(settings: Settings) -> list[str]:
    """Where this process writes: temp files (spooled uploads, SDK caches under TMPDIR), and in the
    embedded profile the SQLite file and the uploads directory."""
    dirs = [tempfile.gettempdir()]
    if not (settings.database_url or settings.database_host):
        dirs.append(os.path.dirname(settings.sqlite_path))
    if not (settings.uploads_bucket or settings.uploads_gcs_bucket):
        dirs.append(os.path.dirname(settings.local_uploads_dir.rstrip("/")))
    return list(dict.fromkeys(dirs))


def check_writable(dirs: list[str]) -> None:
    problems = []
    for directory in dirs:
        try:
            with tempfile.NamedTemporaryFile(dir=directory, prefix=".launchpad-write-check-"):
                pass
        except OSError as error:
            problems.append(f"{directory}: {error.strerror} (uid {os.getuid()})")
    if problems:
        raise UnwritableDirectoryError(
            "cannot write "
            + "; ".join(problems)
            + ". The image must create each writable path owned by the app user and declare it a VOLUME "
            "(app/Dockerfile), and the task must mount it (app/contract.py WRITABLE_PATHS)."
        )
