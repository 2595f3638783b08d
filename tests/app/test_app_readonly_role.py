"""The read-only role (seed 004): made by the migrations, logged in from its secret, and unable to write."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import psycopg
import pytest
from app_servers import Postgres
from moto import mock_aws
from sqlalchemy import create_engine, text

from app import nightly
from app.contract import READONLY_DATABASE_ROLE as ROLE
from app.core.config import Settings
from app.core.db import Database, make_readonly_engine
from app.migrate import grant_readonly_login, upgrade

DATABASE = "readonly_role_test"
TABLES = ("api_keys", "decision_audit", "jobs", "uploads")
PASSWORD = "reader-password-0123456789"


@pytest.fixture(scope="module")
def migrated(postgres: Postgres) -> Iterator[str]:
    url = postgres.create_database(DATABASE)
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    with psycopg.connect(f"host=127.0.0.1 port={postgres.port} user=postgres", autocommit=True) as admin:
        admin.execute(f"GRANT password_login TO {ROLE}")  # the test server asks members for a password
    yield url


@pytest.fixture
def reader_secret() -> Iterator[str]:
    with mock_aws():
        secrets = boto3.client("secretsmanager", region_name="us-east-1")
        login = {"username": ROLE, "password": PASSWORD}
        yield secrets.create_secret(Name="launchpad/test/db-readonly", SecretString=json.dumps(login))["ARN"]


def _settings(postgres: Postgres, arn: str | None) -> Settings:
    return Settings(
        database_host="127.0.0.1",
        database_port=postgres.port,
        database_name=DATABASE,
        database_user="postgres",
        database_readonly_secret_arn=arn,
    )


def test_the_migrations_create_the_role_without_a_login(migrated: str) -> None:
    engine = create_engine(migrated)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :r"), {"r": ROLE})
        assert row.scalar() is False or row.scalar() is None
    engine.dispose()


def test_the_reader_logs_in_from_its_secret_and_reads_every_table(
    postgres: Postgres, migrated: str, reader_secret: str
) -> None:
    admin = create_engine(migrated)
    assert grant_readonly_login(admin, _settings(postgres, reader_secret)) is True
    admin.dispose()
    reader = make_readonly_engine(_settings(postgres, reader_secret))
    with reader.connect() as connection:
        assert connection.execute(text("SELECT current_user")).scalar() == ROLE
        for table in TABLES:
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    reader.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO api_keys (key_hash, label, source, created_at) VALUES ('h', 'l', 's', now())",
        "UPDATE jobs SET status = 'failed'",
        "DELETE FROM decision_audit",
        "CREATE TABLE reader_was_here (id int)",
    ],
)
def test_the_reader_cannot_write(
    postgres: Postgres, migrated: str, reader_secret: str, statement: str
) -> None:
    admin = create_engine(migrated)
    grant_readonly_login(admin, _settings(postgres, reader_secret))
    admin.dispose()
    dsn = f"host=127.0.0.1 port={postgres.port} dbname={DATABASE} user={ROLE} password={PASSWORD}"
    # The first wall: its transactions are read-only by default.
    with psycopg.connect(dsn) as connection, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        connection.execute(statement)
    # The second: a session that turns that off still holds SELECT and nothing more.
    with psycopg.connect(dsn) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute("SET default_transaction_read_only = off")
        connection.commit()
        connection.execute(statement)


def test_a_wrong_password_is_refused(postgres: Postgres, migrated: str, reader_secret: str) -> None:
    admin = create_engine(migrated)
    grant_readonly_login(admin, _settings(postgres, reader_secret))
    admin.dispose()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(
            f"host=127.0.0.1 port={postgres.port} dbname={DATABASE} user={ROLE} password=x"
        ).close()


def test_without_a_reader_secret_reads_use_the_main_login(postgres: Postgres, migrated: str) -> None:
    engine = make_readonly_engine(_settings(postgres, None))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT current_user")).scalar() == "postgres"
    engine.dispose()
    assert grant_readonly_login(create_engine(migrated), _settings(postgres, None)) is False


def test_the_nightly_report_reads_through_the_reader(
    postgres: Postgres, migrated: str, reader_secret: str
) -> None:
    admin = create_engine(migrated)
    grant_readonly_login(admin, _settings(postgres, reader_secret))
    admin.dispose()
    reader = Database(make_readonly_engine(_settings(postgres, reader_secret)))
    with reader.session() as session:
        assert session.scalar(text("SELECT current_user")) == ROLE
    assert nightly.holdings(reader) == {"audit_rows": 0, "job_records": 0, "uploads": 0}
    reader.dispose()
