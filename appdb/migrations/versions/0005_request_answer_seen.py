"""When a leader has seen the analysts' answer to a request, so the overview tells them
of a new answer once and then stops.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("analyst_request") as table:  # SQLite alters by copying
        table.add_column(sa.Column("answer_seen_at", sa.DateTime))


def downgrade() -> None:
    with op.batch_alter_table("analyst_request") as table:
        table.drop_column("answer_seen_at")
