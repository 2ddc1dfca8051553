"""The leadership method: forløb on the Spilleplade, action cards, unit goals
(Målkompas), requests to the analysts, the programme's 1–10 measure, and one history
table that keeps every change to the first three.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "forloeb",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kpi_id", sa.String(60), nullable=False),
        sa.Column("unit", sa.String(100), nullable=False),
        sa.Column("grain", sa.String(10), nullable=False),
        sa.Column("period", sa.Date, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("known", sa.Text),
        sa.Column("noticed", sa.Text),
        sa.Column("external_collective", sa.Text),
        sa.Column("external_individual", sa.Text),
        sa.Column("internal_collective", sa.Text),
        sa.Column("internal_individual", sa.Text),
        sa.Column("watch_kpis", sa.Text),
        sa.Column("direction", sa.String(10)),
        sa.Column("inform", sa.Text),
        sa.Column("follow_up_on", sa.Date),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_forloeb_unit", "forloeb", ["unit"])
    op.create_index("ix_forloeb_kpi_id", "forloeb", ["kpi_id"])
    op.create_table(
        "action_card",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("forloeb_id", sa.Integer, sa.ForeignKey("forloeb.id")),
        sa.Column("kpi_id", sa.String(60), nullable=False),
        sa.Column("unit", sa.String(100), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("why_dropped", sa.Text),
        sa.Column("started_period", sa.Date),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_action_card_unit", "action_card", ["unit"])
    op.create_index("ix_action_card_due_on", "action_card", ["due_on"])
    op.create_table(
        "unit_goal",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kpi_id", sa.String(60), nullable=False),
        sa.Column("unit", sa.String(100), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("tolerance", sa.Float),
        sa.Column("from_period", sa.Date, nullable=False),
        sa.Column("why", sa.Text),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("set_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_unit_goal_kpi_unit", "unit_goal", ["kpi_id", "unit"])
    op.create_table(
        "method_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("entity_id", sa.Integer, nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("changed_by", sa.String(200), nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_method_history_entity", "method_history", ["entity", "entity_id"])
    op.create_table(
        "analyst_request",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("asked_by", sa.String(200), nullable=False),
        sa.Column("asked_by_name", sa.String(200)),
        sa.Column("asked_at", sa.DateTime, nullable=False),
        sa.Column("page", sa.String(500)),
        sa.Column("kpi_id", sa.String(60)),
        sa.Column("unit", sa.String(100)),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("why", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("answer", sa.Text),
        sa.Column("answered_by", sa.String(200)),
        sa.Column("answered_at", sa.DateTime),
    )
    op.create_table(
        "data_use_answer",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("area_unit", sa.String(100)),
        sa.Column("quarter", sa.String(7), nullable=False),
        sa.Column("score", sa.Integer),
        sa.Column("answered_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("user_id", "quarter", name="uq_data_use_answer_user_quarter"),
    )


def downgrade() -> None:
    op.drop_table("data_use_answer")
    op.drop_table("analyst_request")
    op.drop_index("ix_method_history_entity", "method_history")
    op.drop_table("method_history")
    op.drop_index("ix_unit_goal_kpi_unit", "unit_goal")
    op.drop_table("unit_goal")
    op.drop_index("ix_action_card_due_on", "action_card")
    op.drop_index("ix_action_card_unit", "action_card")
    op.drop_table("action_card")
    op.drop_index("ix_forloeb_kpi_id", "forloeb")
    op.drop_index("ix_forloeb_unit", "forloeb")
    op.drop_table("forloeb")
