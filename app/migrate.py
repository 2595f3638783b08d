"""`python -m app.migrate`: bring the database schema to the latest Alembic revision (its own step)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from psycopg import sql
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_exponential

from app.contract import ENV, READONLY_DATABASE_ROLE
from app.core.config import Settings, get_settings
from app.core.db import READONLY_LOGIN, make_engine
from app.core.logging import configure_logging
from app.core.secrets import SecretReader

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
logger = logging.getLogger(__name__)


# Every new web task runs migrations before it serves (ECS starts several at once): a transaction-scoped
# advisory lock makes them take turns, so the first migrates and the rest find the schema at head.
MIGRATION_LOCK_KEY = 0x4C61756E6368  # "Launch"


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _readonly_password(settings: Settings) -> str | None:
    """The read-only role's password: given as such (Google Cloud), or from its login secret (AWS)."""
    if settings.database_readonly_password:
        return settings.database_readonly_password
    if not settings.database_readonly_secret_arn:
        return None
    reader = SecretReader({ENV.DATABASE_READONLY_SECRET_ARN: settings.database_readonly_secret_arn})
    login = reader.get_fields(READONLY_LOGIN)
    if login.get("username") != READONLY_DATABASE_ROLE:
        raise ValueError(f"the read-only secret must name user {READONLY_DATABASE_ROLE!r}")
    return login["password"]


def grant_readonly_login(engine: Engine, settings: Settings) -> bool:
    """Give the read-only role its login (every deploy, so a new password takes effect). The password is
    sent as a quoted literal: ALTER ROLE takes no bind parameters."""
    password = _readonly_password(settings) if engine.dialect.name == "postgresql" else None
    if password is None:
        return False
    with engine.begin() as connection:
        driver = connection.connection.driver_connection
        statement = sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD {}").format(
            sql.Identifier(READONLY_DATABASE_ROLE), sql.Literal(password)
        )
        connection.exec_driver_sql(statement.as_string(driver))
    return True


def wait_for_database(engine: Engine, seconds: float) -> None:
    """Migrations may start while the database is still coming up (a fresh local volume, an RDS restart):
    retry connecting, with backoff, for up to `seconds`, then let the last error through."""
    for attempt in Retrying(
        stop=stop_after_delay(seconds),
        wait=wait_exponential(multiplier=0.5, max=5),
        retry=retry_if_exception_type(OperationalError),
        before_sleep=lambda state: logger.info(
            "database not ready, retrying", extra={"attempt": state.attempt_number}
        ),
        reraise=True,
    ):
        with attempt, engine.connect():
            pass


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    engine = make_engine(settings)
    try:
        wait_for_database(engine, settings.migrate_wait_seconds)
        upgrade(engine)
        granted = grant_readonly_login(engine, settings)
        logger.info("migrations applied", extra={"dialect": engine.dialect.name, "readonly_login": granted})
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
