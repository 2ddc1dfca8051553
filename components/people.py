"""How the leadership method's pages name people and moments: a user id as the person's
name from the access file, a stored UTC time in Danish local time."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from components.formatting import format_datetime
from identity import current


def person(user_id: str | None) -> str:
    """The name the access file gives the user, else their id."""
    if not user_id:
        return "–"
    found = current.config()
    user = found.access.user(user_id) if found else None
    return user.name if user is not None and user.name else user_id


def when(stored: datetime | None) -> str:
    """A time kept as naive UTC (appdb.history.now), shown in Danish time."""
    return format_datetime(None if stored is None else stored.replace(tzinfo=UTC))


def app_db(services) -> sa.Engine | None:
    """The app database's engine (the audit log's), or None in a test without one."""
    audit = getattr(services, "audit", None)
    return getattr(audit, "engine", None)
