"""The app's own database: the audit log and usage events (later goals and notes).

Separate from the warehouse, which the app only reads. SQLite by default
(`MSB_APP_DB_URL`), PostgreSQL in production; the schema is managed by Alembic
(`appdb/migrations`) and upgraded at start and by `python -m queries appdb upgrade`.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from appdb.migrate import upgrade


def open_app_db(url: str) -> sa.Engine:
    """An engine on the app database with its schema at the newest migration."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, pool_pre_ping=True)
    upgrade(engine)
    return engine
