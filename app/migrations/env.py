"""Alembic environment: the connection comes from `app.migrate`, which builds it from Settings."""

from __future__ import annotations

from alembic import context

from app.models import Base


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
