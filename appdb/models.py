"""The app database's tables. Alembic migrations (appdb/migrations) create them; this
module is what the code reads and writes through, and must match the newest migration."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# Every look at citizen data, and every denied attempt. Rows are only ever appended
# (and removed by `audit purge` after the retention period).
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("logged_at", sa.DateTime, nullable=False, index=True),  # UTC
    sa.Column("user_id", sa.String(200), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),  # list_view, sort, export, denied, …
    sa.Column("kpi_id", sa.String(60)),
    sa.Column("unit", sa.String(100)),
    sa.Column("period", sa.String(20)),
    sa.Column("citizens", sa.Text),  # JSON list of the citizen ids shown
    sa.Column("purpose", sa.String(200)),
    sa.Column("view_state", sa.Text),  # JSON: numerator_only, sort, page, …
    sa.Column("role", sa.String(40)),
)

# Who uses which page: no citizen data, only enough to see whether leaders use the tool.
usage_event = sa.Table(
    "usage_event",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("logged_at", sa.DateTime, nullable=False, index=True),  # UTC
    sa.Column("user_id", sa.String(200), nullable=False),
    sa.Column("role", sa.String(40)),
    sa.Column("page", sa.String(60), nullable=False),  # page name or action (export, …)
    sa.Column("kpi_id", sa.String(60)),
    sa.Column("unit", sa.String(100)),
)

AUDIT_ACTIONS = ("list_view", "sort", "toggle", "export", "unmask", "denied", "search")
