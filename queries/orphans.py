"""Rows no unit can count: an org id that is NULL or not in the organisation table.

Such rows fall out of every figure (no ancestor takes them), so they are counted and told
— by `python -m queries check`, on /healthz and on Definitioner — never dropped silently.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from queries.catalogue.models import Catalogue
from queries.compiler.relations import SQL_DIR, org_table, source_relation


def orphan_query(catalogue: Catalogue, kpi_id: str, sql_dir: Path = SQL_DIR) -> sa.Select:
    """COUNT of the KPI's source rows whose org id no unit has (KPI filters not applied:
    the question is about the load, not about one figure)."""
    kpi = catalogue.kpi(kpi_id)
    src = source_relation(kpi, sql_dir)
    org = org_table(catalogue)
    known = sa.select(org.c[catalogue.warehouse.org.id])
    column = src.c[kpi.org]
    return (
        sa.select(sa.func.count())
        .select_from(src)
        .where(sa.or_(column.is_(None), column.not_in(known)))
    )


def orphan_rows(
    connection: sa.Connection, catalogue: Catalogue, sql_dir: Path = SQL_DIR
) -> dict[str, int]:
    """Per KPI, the rows without a known unit; only KPIs that have any. KPIs that read
    the same source by the same org column share one count (eight KPIs read the largest
    fact table)."""
    counted: dict[tuple[str, str], int] = {}
    found = {}
    for kpi in catalogue.kpis:
        key = (kpi.source, kpi.org)
        if key not in counted:
            query = orphan_query(catalogue, kpi.id, sql_dir)
            counted[key] = int(connection.execute(query).scalar() or 0)
        if counted[key]:
            found[kpi.id] = counted[key]
    return found
