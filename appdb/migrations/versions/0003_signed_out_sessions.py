"""Sessions that have been signed out, so a copied cookie is refused after sign-out.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("signed_out_sessions"):
        return  # made by an app version that created it itself
    op.create_table(
        "signed_out_sessions",
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("signed_out_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("signed_out_sessions")
