"""Alembic, run from code: at app start, from `python -m queries appdb upgrade`, in tests."""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST = "0001"  # the audit_log table as it was before migrations existed
# Alembic's `context` is one module-level object, so one migration at a time per process;
# between processes (gunicorn workers) a PostgreSQL advisory lock in env.py serialises,
# and for a SQLite file a lock file beside it (`_between_processes`).
_ONE_AT_A_TIME = threading.Lock()


@contextmanager
def _between_processes(engine: sa.Engine) -> Iterator[None]:
    """Workers starting at once on one SQLite file take turns; otherwise two of them both
    see an empty database, both create the tables, and one fails to boot."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def alembic_config(engine: sa.Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head() -> str:
    return ScriptDirectory.from_config(
        alembic_config(sa.create_engine("sqlite://"))
    ).get_current_head()


def current(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> str | None:
    """Bring the schema to `revision`; returns the revision it is at afterwards.

    An app database made before migrations (an audit_log table, no alembic_version) is
    taken as the first revision, so its rows are kept and the rest is added.
    """
    config = alembic_config(engine)
    with _ONE_AT_A_TIME, _between_processes(engine):
        if current(engine) is None and sa.inspect(engine).has_table("audit_log"):
            command.stamp(config, FIRST)
        if current(engine) != head() or revision != "head":
            command.upgrade(config, revision)
        return current(engine)


def downgrade(engine: sa.Engine, revision: str) -> str | None:
    """Step the schema back to `revision` ("base": nothing); for rolling back a release."""
    with _ONE_AT_A_TIME, _between_processes(engine):
        command.downgrade(alembic_config(engine), revision)
        return current(engine)
