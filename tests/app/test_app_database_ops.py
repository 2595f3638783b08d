"""Database operations the deployment relies on: credentials that rotate, migrations that take turns."""

from __future__ import annotations

import json
import threading

import boto3
import psycopg
import pytest
from app_servers import Postgres
from moto import mock_aws
from sqlalchemy import create_engine, inspect, text

from app.core.config import Settings
from app.core.db import make_engine
from app.migrate import MIGRATION_LOCK_KEY, upgrade

ROLE = "rotating_app"


def _admin(postgres: Postgres, database: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(
        f"host=127.0.0.1 port={postgres.port} user=postgres dbname={database}", autocommit=True
    )


@pytest.fixture(scope="module")
def rotation_db(postgres: Postgres) -> str:
    name = "rotation_test"
    postgres.create_database(name)
    with _admin(postgres) as admin:
        admin.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD 'first-password' IN ROLE password_login")
        admin.execute(f"GRANT ALL ON DATABASE {name} TO {ROLE}")
    return name


def test_a_rotated_database_password_is_followed_without_a_restart(
    postgres: Postgres, rotation_db: str
) -> None:
    with mock_aws():
        secrets = boto3.client("secretsmanager", region_name="us-east-1")
        arn = secrets.create_secret(
            Name="rds!db-launchpad", SecretString=json.dumps({"username": ROLE, "password": "first-password"})
        )["ARN"]
        settings = Settings(
            database_host="127.0.0.1",
            database_port=postgres.port,
            database_name=rotation_db,
            database_secret_arn=arn,
        )
        engine = make_engine(settings)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == ROLE

        # RDS rotates: the server's password and the secret change together; the app's cache still holds
        # the old one (its refresh interval is an hour).
        with _admin(postgres) as admin:
            admin.execute(f"ALTER ROLE {ROLE} PASSWORD 'second-password'")
        secrets.put_secret_value(
            SecretId=arn, SecretString=json.dumps({"username": ROLE, "password": "second-password"})
        )
        engine.dispose()  # new connections from here on, as after pool recycling
        with engine.connect() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == ROLE
        engine.dispose()

    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(
            f"host=127.0.0.1 port={postgres.port} user={ROLE} password=first-password dbname={rotation_db}"
        ).close()


def test_migrations_wait_for_the_advisory_lock(postgres: Postgres) -> None:
    url = postgres.create_database("migration_lock_test")
    engine = create_engine(url)
    holder = _admin(postgres, "migration_lock_test")
    holder.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))  # another task is migrating
    finished = threading.Event()
    errors: list[BaseException] = []

    def migrate() -> None:
        try:
            upgrade(engine)
        except BaseException as error:
            errors.append(error)
        finished.set()

    worker = threading.Thread(target=migrate)
    worker.start()
    assert not finished.wait(1.5), "upgrade ran while another migration held the lock"
    assert "alembic_version" not in inspect(engine).get_table_names()
    holder.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    assert finished.wait(30)
    worker.join()
    holder.close()
    assert not errors
    assert {"alembic_version", "decision_audit", "jobs"} <= set(inspect(engine).get_table_names())
    upgrade(engine)  # the next task finds the schema at head and changes nothing
    engine.dispose()
