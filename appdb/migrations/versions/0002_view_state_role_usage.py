"""Audit rows carry the view state and the viewer's role; usage events for Brugerstatistik.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as table:  # batch: SQLite cannot alter in place
        table.add_column(sa.Column("view_state", sa.Text))
        table.add_column(sa.Column("role", sa.String(40)))
    op.create_index("ix_audit_log_logged_at", "audit_log", ["logged_at"])
    op.create_table(
        "usage_event",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("logged_at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("role", sa.String(40)),
        sa.Column("page", sa.String(60), nullable=False),
        sa.Column("kpi_id", sa.String(60)),
        sa.Column("unit", sa.String(100)),
    )
    op.create_index("ix_usage_event_logged_at", "usage_event", ["logged_at"])


def downgrade() -> None:
    op.drop_index("ix_usage_event_logged_at", "usage_event")
    op.drop_table("usage_event")
    op.drop_index("ix_audit_log_logged_at", "audit_log")
    with op.batch_alter_table("audit_log") as table:
        table.drop_column("role")
        table.drop_column("view_state")
