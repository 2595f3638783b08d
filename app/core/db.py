"""SQLAlchemy 2 engine and session. Sync engine driven from worker threads: SQLite has no async driver
installed, and one code path for both keeps the embedded profile honest."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from app.contract import ENV, READONLY_DATABASE_ROLE
from app.core.breaker import caller_gave_up
from app.core.config import Settings
from app.core.secrets import SecretReader


class Base(DeclarativeBase):
    pass


def utcnow() -> datetime:
    return datetime.now(UTC)


def has_control_characters(text: str) -> bool:
    """NUL, which PostgreSQL refuses to store, any other C0 control or DEL, or a lone surrogate (which
    cannot be encoded to UTF-8). No name the service stores needs one."""
    return any(ord(char) < 32 or ord(char) == 127 or 0xD800 <= ord(char) <= 0xDFFF for char in text)


def make_engine(settings: Settings) -> Engine:
    url = settings.sqlalchemy_url
    if str(url).startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
        pool_timeout=2,
        # TCP keepalives and tcp_user_timeout end connections to a server that vanished (failover,
        # black-holed packets) instead of leaving their threads waiting on the socket for ever.
        connect_args={
            "connect_timeout": 3,
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": 10_000,
            **_verified_tls(settings),
        },
    )
    if settings.database_secret_arn:
        credentials = SecretReader({ENV.DATABASE_SECRET_ARN: settings.database_secret_arn})
        event.listen(engine, "do_connect", _connect_with_current_credentials(credentials))
    return engine


def _verified_tls(settings: Settings) -> dict[str, str]:
    """libpq verifies the server against a CA file (`sslrootcert`); the CA arrives as PEM text (Cloud SQL's
    per-instance CA, DATABASE_CA_CERT), so it is written once under TMPDIR, named by its content."""
    pem = settings.database_ca_cert
    if not pem:
        return {}
    path = (
        Path(tempfile.gettempdir()) / f"launchpad-db-ca-{hashlib.sha256(pem.encode()).hexdigest()[:16]}.pem"
    )
    if not path.exists():
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(pem)
        partial.replace(path)  # atomic: a process starting beside this one never reads half a file
    return {"sslrootcert": str(path)}


def make_readonly_engine(settings: Settings) -> Engine:
    """An engine logged in as the read-only role (contract.READONLY_DATABASE_ROLE); the main engine where
    no read-only login is configured (SQLite, the local stack). The login comes from its secret on AWS
    (read at connect time) or as the password itself on Google Cloud (mounted from Secret Manager)."""
    configured = settings.database_readonly_secret_arn or settings.database_readonly_password
    if not configured or str(settings.sqlalchemy_url).startswith("sqlite"):
        return make_engine(settings)
    login = (
        {"user": READONLY_DATABASE_ROLE, "password": settings.database_readonly_password}
        if settings.database_readonly_password
        else {}
    )
    engine = create_engine(
        settings.sqlalchemy_url,
        pool_pre_ping=True,
        pool_size=2,
        pool_timeout=2,
        connect_args={"connect_timeout": 3, **_verified_tls(settings), **login},
    )
    if not settings.database_readonly_secret_arn:
        return engine
    credentials = SecretReader({ENV.DATABASE_READONLY_SECRET_ARN: settings.database_readonly_secret_arn})
    event.listen(engine, "do_connect", _connect_with_current_credentials(credentials, READONLY_LOGIN))
    return engine


# The names a SecretReader reads the two logins under (each from its `<NAME>_SECRET_ARN`).
DATABASE_LOGIN = ENV.DATABASE_SECRET_ARN.removesuffix("_SECRET_ARN")
READONLY_LOGIN = ENV.DATABASE_READONLY_SECRET_ARN.removesuffix("_SECRET_ARN")
AUTH_FAILED = "28P01"  # invalid_password


def _connect_with_current_credentials(
    credentials: SecretReader, name: str = DATABASE_LOGIN
) -> Callable[..., Any]:
    """RDS rotates its managed master password (every 7 days by default). Credentials injected at task
    start would lock new connections out after a rotation; reading the secret at connect time, and once
    more when the server refuses the cached password, follows the rotation without a restart."""

    def connect(dialect: Any, _record: Any, cargs: tuple[Any, ...], cparams: dict[str, Any]) -> Any:
        cparams.update(_login(credentials.get_fields(name)))
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as error:
            if getattr(error, "sqlstate", None) != AUTH_FAILED and "password authentication" not in str(
                error
            ):
                raise
            credentials.refresh(name)
            cparams.update(_login(credentials.get_fields(name)))
            return dialect.connect(*cargs, **cparams)

    return connect


def _login(fields: dict[str, str]) -> dict[str, str]:
    return {"user": fields["username"], "password": fields["password"]}


def _sqlite_pragmas(dbapi_connection: object, _: object) -> None:
    # WAL lets the audit writer and request threads share the file without "database is locked".
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def is_database_outage(exc: BaseException) -> bool:
    """Failures of the database itself (unreachable, hung, out of connections), not of a statement."""
    return isinstance(
        exc, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError | OSError | TimeoutError
    )


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class Database:
    """The engine plus a session factory; one per process (the RQ worker builds its own after fork)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as session, session.begin():
            yield session
            session.flush()  # the statements go out here: where a hung database holds the thread
            if caller_gave_up():  # rolls back: the caller already answered without this write
                raise TimeoutError("the caller stopped waiting for this transaction")

    def dispose(self) -> None:
        self.engine.dispose()
