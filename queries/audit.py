"""The audit log: every look at citizen data is appended to the app's own database.

It answers a citizen's access request ("who has seen my data, when and why").
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa

metadata = sa.MetaData()
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("logged_at", sa.DateTime, nullable=False),
    sa.Column("user_id", sa.String(200), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),  # list_view, export, denied, …
    sa.Column("kpi_id", sa.String(60)),
    sa.Column("unit", sa.String(100)),
    sa.Column("period", sa.String(20)),
    sa.Column("citizens", sa.Text),  # JSON list of the citizen ids shown
    sa.Column("purpose", sa.String(200)),
    sa.Column("view_state", sa.Text),  # JSON: numerator only, sort, page, why denied
)


class AuditLog:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)
        columns = {c["name"] for c in sa.inspect(engine).get_columns("audit_log")}
        if "view_state" not in columns:  # a log created before the view state was kept
            with engine.begin() as connection:
                connection.execute(sa.text("ALTER TABLE audit_log ADD COLUMN view_state TEXT"))

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
    ) -> None:
        row = {
            "logged_at": datetime.now(UTC).replace(tzinfo=None),
            "user_id": user_id,
            "action": action,
            "kpi_id": kpi_id,
            "unit": unit,
            "period": period,
            "citizens": json.dumps([str(c) for c in citizens]),
            "purpose": purpose,
            "view_state": None if view_state is None else json.dumps(view_state),
        }
        with self.engine.begin() as connection:
            connection.execute(audit_log.insert(), row)

    def entries(self, citizen: str | None = None) -> list[dict]:
        """All entries, or those that showed one citizen (for an access request)."""
        query = sa.select(audit_log).order_by(audit_log.c.id)
        if citizen is not None:
            query = query.where(audit_log.c.citizens.like(f'%"{citizen}"%'))
        with self.engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]
