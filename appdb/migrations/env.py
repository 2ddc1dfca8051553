"""Alembic environment: the engine comes from the caller (appdb.migrate), never a file."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from appdb.models import metadata

# Several workers may start at once against a new PostgreSQL database: one migrates,
# the others wait for its transaction and then find the schema already at the head.
POSTGRES_LOCK = 7_317_001

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_LOCK}
            )
        context.run_migrations()
    connection.commit()
