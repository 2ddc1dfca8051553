"""The audit log: every look at citizen data is appended to the app's own database.

It answers a citizen's access request ("who has seen my data, when and why"). The app
only appends; rows leave only through `purge`, after the retention period.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa

from appdb.migrate import upgrade
from appdb.models import audit_log


def utc_now() -> datetime:
    """Naive UTC, the same in every dialect's DateTime column."""
    return datetime.now(UTC).replace(tzinfo=None)


class AuditUnavailable(Exception):
    """The audit row could not be written, so nothing it would log may be shown."""


class AuditLog:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        upgrade(engine)

    def record(
        self,
        user_id: str,
        action: str,
        *,
        kpi_id: str | None = None,
        unit: str | None = None,
        period: str | None = None,
        citizens: Iterable[object] = (),
        purpose: str | None = None,
        view_state: dict | None = None,
        role: str | None = None,
    ) -> None:
        """Append one row; raises AuditUnavailable if the store cannot be written (within
        the app database's time limit), so a list fails closed."""
        row = {
            "logged_at": utc_now(),
            "user_id": user_id,
            "action": action,
            "kpi_id": kpi_id,
            "unit": unit,
            "period": period,
            "citizens": json.dumps([str(c) for c in citizens]),
            "purpose": purpose,
            "view_state": json.dumps(view_state, default=str) if view_state is not None else None,
            "role": role,
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(audit_log.insert(), row)
        except sa.exc.SQLAlchemyError as error:
            raise AuditUnavailable(type(error).__name__) from error

    def entries(self, citizen: str | None = None, since: datetime | None = None) -> list[dict]:
        """All entries, or those that showed one citizen (for an access request)."""
        query = sa.select(audit_log).order_by(audit_log.c.id)
        if citizen is not None:
            query = query.where(audit_log.c.citizens.like(f'%"{citizen}"%'))
        if since is not None:
            query = query.where(audit_log.c.logged_at >= since)
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def purge(self, older_than: datetime) -> int:
        """Remove the rows logged before `older_than` (retention); returns how many."""
        with self.engine.begin() as connection:
            result = connection.execute(
                audit_log.delete().where(audit_log.c.logged_at < older_than)
            )
        return result.rowcount
