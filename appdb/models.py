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

# The leadership method (migration 0004). A forløb is one pass round the Spilleplade for
# a KPI and unit; action cards are its Få-det-nu-gjort-kort; unit goals are the
# Målkompas. Every change to the three is one row in `method_history`.
FORLOEB_STATUSES = ("åben", "afsluttet")
ACTION_STATUSES = ("ikke startet", "i gang", "gjort", "droppet")
REQUEST_STATUSES = ("åben", "besvaret")

forloeb = sa.Table(
    "forloeb",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kpi_id", sa.String(60), nullable=False, index=True),
    sa.Column("unit", sa.String(100), nullable=False, index=True),
    sa.Column("grain", sa.String(10), nullable=False),
    sa.Column("period", sa.Date, nullable=False),  # the period the leader looked at
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),  # one of FORLOEB_STATUSES
    sa.Column("known", sa.Text),  # step 1: what we already know
    sa.Column("noticed", sa.Text),  # step 2: what we noticed
    sa.Column("external_collective", sa.Text),  # step 3: the 2×2 of explanations
    sa.Column("external_individual", sa.Text),
    sa.Column("internal_collective", sa.Text),
    sa.Column("internal_individual", sa.Text),
    sa.Column("watch_kpis", sa.Text),  # step 5: JSON list of KPI ids
    sa.Column("direction", sa.String(10)),  # "op" or "ned"
    sa.Column("inform", sa.Text),  # who needs to know
    sa.Column("follow_up_on", sa.Date),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

action_card = sa.Table(
    "action_card",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("forloeb_id", sa.Integer, sa.ForeignKey("forloeb.id")),
    sa.Column("kpi_id", sa.String(60), nullable=False),
    sa.Column("unit", sa.String(100), nullable=False, index=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("due_on", sa.Date, nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),  # one of ACTION_STATUSES
    sa.Column("why_dropped", sa.Text),  # "hvorfor ikke?" when droppet
    sa.Column("started_period", sa.Date),  # the period the action began, for the trend mark
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
)

unit_goal = sa.Table(
    "unit_goal",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kpi_id", sa.String(60), nullable=False),
    sa.Column("unit", sa.String(100), nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("tolerance", sa.Float),
    sa.Column("from_period", sa.Date, nullable=False),
    sa.Column("why", sa.Text),
    sa.Column("active", sa.Boolean, nullable=False),  # one active goal per KPI and unit
    sa.Column("set_by", sa.String(200), nullable=False),
    sa.Column("set_at", sa.DateTime, nullable=False),
    sa.Index("ix_unit_goal_kpi_unit", "kpi_id", "unit"),
)

method_history = sa.Table(
    "method_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("entity", sa.String(20), nullable=False),  # forloeb, action_card, unit_goal
    sa.Column("entity_id", sa.Integer, nullable=False),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
    sa.Column("changed_by", sa.String(200), nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
    sa.Index("ix_method_history_entity", "entity", "entity_id"),
)

analyst_request = sa.Table(
    "analyst_request",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("asked_by", sa.String(200), nullable=False),
    sa.Column("asked_by_name", sa.String(200)),
    sa.Column("asked_at", sa.DateTime, nullable=False),
    sa.Column("page", sa.String(500)),  # the address the leader asked from
    sa.Column("kpi_id", sa.String(60)),
    sa.Column("unit", sa.String(100)),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("why", sa.Text),
    sa.Column("status", sa.String(20), nullable=False),  # one of REQUEST_STATUSES
    sa.Column("answer", sa.Text),
    sa.Column("answered_by", sa.String(200)),
    sa.Column("answered_at", sa.DateTime),
    sa.Column("answer_seen_at", sa.DateTime),  # the asker opened Start dialog after the answer
)

# "På en skala fra 1–10, hvor meget bruger du data i din ledelse …": at most one row per
# leader and quarter (score NULL when skipped); shown per driftsområde, never per person.
data_use_answer = sa.Table(
    "data_use_answer",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.String(200), nullable=False),
    sa.Column("area_unit", sa.String(100)),  # the leader's driftsområde
    sa.Column("quarter", sa.String(7), nullable=False),  # "2026-K4"
    sa.Column("score", sa.Integer),
    sa.Column("answered_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("user_id", "quarter", name="uq_data_use_answer_user_quarter"),
)
