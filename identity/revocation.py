"""Sessions that have been signed out, in the app's own database.

Flask's session is a signed cookie: without this list a copy of it would stay valid
after sign-out. Every worker shares the app database, so a sign-out holds on all of them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from appdb.migrate import upgrade

metadata = sa.MetaData()
signed_out = sa.Table(
    "signed_out_sessions",
    metadata,
    sa.Column("session_id", sa.String(64), primary_key=True),
    sa.Column("signed_out_at", sa.DateTime, nullable=False),
)


class SignedOutSessions:
    def __init__(self, engine: sa.Engine, keep_s: int = 12 * 3600) -> None:
        self.engine = engine
        self.keep = timedelta(seconds=keep_s)  # older sessions are refused for their age
        upgrade(engine)  # the table is an Alembic migration of the app database

    def end(self, session_id: str) -> None:
        with self.engine.begin() as connection:
            now = datetime.now(UTC).replace(tzinfo=None)
            connection.execute(
                signed_out.delete().where(signed_out.c.signed_out_at < now - self.keep)
            )
            exists = connection.execute(
                sa.select(signed_out.c.session_id).where(signed_out.c.session_id == session_id)
            ).first()
            if exists is None:
                connection.execute(
                    signed_out.insert(), {"session_id": session_id, "signed_out_at": now}
                )

    def ended(self, session_id: str) -> bool:
        query = sa.select(signed_out.c.session_id).where(signed_out.c.session_id == session_id)
        with self.engine.connect() as connection:
            return connection.execute(query).first() is not None
