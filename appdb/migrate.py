"""Alembic, run from code: at app start, from `python -m queries appdb upgrade`, in tests.

Alembic is imported only when a schema changes: at an ordinary start the database is
already at the newest revision, and importing Alembic (with Mako and Pygments) cost
about 0.3 s of CPU before the first answer, in every worker.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST = "0001"  # the audit_log table as it was before migrations existed
# Alembic's `context` is one module-level object, so one migration at a time per process;
# between processes (gunicorn workers) a PostgreSQL advisory lock in env.py serialises,
# and for a SQLite file a lock file beside it (`_between_processes`).
_ONE_AT_A_TIME = threading.Lock()
STARTING = 7_317_002  # PostgreSQL advisory lock of a whole upgrade (env.py's is 7_317_001)


@contextmanager
def _between_processes(engine: sa.Engine) -> Iterator[None]:
    """Workers starting at once on one SQLite file take turns; otherwise two of them both
    see an empty database, both create the tables, and one fails to boot."""
    if engine.dialect.name == "postgresql":
        # Around the whole check, stamp and upgrade, not only the migration (env.py): a
        # worker that read "no revision" just before another committed would otherwise
        # find audit_log, stamp the first revision over the head and migrate again.
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": STARTING})
            try:
                yield
            finally:
                connection.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": STARTING})
                connection.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def alembic_config(engine: sa.Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(
        alembic_config(sa.create_engine("sqlite://"))
    ).get_current_head()


def newest_file_revision() -> str:
    """The newest revision by its file's name (`0004_….py` is revision "0004"), read
    without Alembic; a test checks that it is Alembic's head."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def at_newest(engine: sa.Engine) -> bool:
    """True when the schema is at the newest revision, asked with one plain query."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return [row[0] for row in rows] == [newest_file_revision()]
    except sa.exc.DBAPIError:  # no alembic_version table yet: a new database
        return False


def current(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: sa.Engine, revision: str = "head") -> str | None:
    """Bring the schema to `revision`; returns the revision it is at afterwards.

    An app database made before migrations (an audit_log table, no alembic_version) is
    taken as the first revision, so its rows are kept and the rest is added.
    """
    if revision == "head" and at_newest(engine):
        return newest_file_revision()
    from alembic import command

    config = alembic_config(engine)
    with _ONE_AT_A_TIME, _between_processes(engine):
        if current(engine) is None and sa.inspect(engine).has_table("audit_log"):
            command.stamp(config, FIRST)
        if current(engine) != head() or revision != "head":
            command.upgrade(config, revision)
        return current(engine)


def downgrade(engine: sa.Engine, revision: str) -> str | None:
    """Step the schema back to `revision` ("base": nothing); for rolling back a release."""
    from alembic import command

    with _ONE_AT_A_TIME, _between_processes(engine):
        command.downgrade(alembic_config(engine), revision)
        return current(engine)
