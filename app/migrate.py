"""`python -m app.migrate`: bring the database schema to the latest Alembic revision (its own step)."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from app.core.config import get_settings
from app.core.db import make_engine
from app.core.logging import configure_logging

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


def main() -> None:
    settings = get_settings()
    configure_logging(settings.log_level)
    engine = make_engine(settings)
    try:
        upgrade(engine)
        logger.info("migrations applied", extra={"dialect": engine.dialect.name})
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
