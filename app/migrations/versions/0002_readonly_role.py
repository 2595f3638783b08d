"""the read-only role: SELECT on every table, now and later, and nothing else (seed 004)

Revision ID: 0002_readonly_role
Revises: 0001

The role is created without a login; `app.migrate` gives it one from DATABASE_READONLY_SECRET_ARN, so no
password lives in a migration. Roles are cluster-wide, hence IF NOT EXISTS.
"""

from collections.abc import Sequence

from alembic import op

from app.contract import READONLY_DATABASE_ROLE as ROLE

# ROLE is a constant of ours, not input: the f-strings below build DDL, which takes no bind parameters.
# ruff: noqa: S608

revision: str = "0002_readonly_role"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no roles: the embedded profile reads with the one connection it has
    op.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN
                CREATE ROLE {ROLE} NOLOGIN;
            END IF;
            EXECUTE format('GRANT CONNECT ON DATABASE %I TO {ROLE}', current_database());
        END $$
        """
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
    op.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {ROLE}")
    # Tables later migrations create (as the same owner) are readable too.
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {ROLE}")
    # A second wall: even a privilege granted by mistake cannot write inside its transactions.
    op.execute(f"ALTER ROLE {ROLE} SET default_transaction_read_only = on")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT ON TABLES FROM {ROLE}")
    op.execute(f"REVOKE SELECT ON ALL TABLES IN SCHEMA public FROM {ROLE}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {ROLE}")
    op.execute(f"ALTER ROLE {ROLE} NOLOGIN")
