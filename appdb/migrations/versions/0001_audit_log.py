"""The audit log as it was first written (before view state and role).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("logged_at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("kpi_id", sa.String(60)),
        sa.Column("unit", sa.String(100)),
        sa.Column("period", sa.String(20)),
        sa.Column("citizens", sa.Text),
        sa.Column("purpose", sa.String(200)),
    )


def downgrade() -> None:
    op.drop_table("audit_log")
