"""Usage events for Brugerstatistik: who opened which page, never which citizen."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from appdb.audit import utc_now
from appdb.migrate import upgrade
from appdb.models import usage_event
from queries.lazy import pandas as pd


class UsageLog:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        upgrade(engine)

    def record(
        self,
        user_id: str,
        page: str,
        *,
        role: str | None = None,
        kpi_id: str | None = None,
        unit: str | None = None,
        at: datetime | None = None,
    ) -> None:
        row = {
            "logged_at": at or utc_now(),
            "user_id": user_id,
            "role": role,
            "page": page,
            "kpi_id": kpi_id,
            "unit": unit,
        }
        with self.engine.begin() as connection:
            connection.execute(usage_event.insert(), row)

    def events(self, since: datetime | None = None) -> pd.DataFrame:
        """Events since a time (all when None); few columns, so a year's use fits easily."""
        query = sa.select(
            usage_event.c.logged_at,
            usage_event.c.user_id,
            usage_event.c.role,
            usage_event.c.page,
            usage_event.c.kpi_id,
            usage_event.c.unit,
        )
        if since is not None:
            query = query.where(usage_event.c.logged_at >= since)
        with self.engine.connect() as connection:
            return pd.DataFrame(connection.execute(query).mappings().all(), columns=EVENT_COLUMNS)


EVENT_COLUMNS = ["logged_at", "user_id", "role", "page", "kpi_id", "unit"]
