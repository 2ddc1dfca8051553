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
    """Per KPI, the rows without a known unit; only KPIs that have any."""
    found = {}
    for kpi in catalogue.kpis:
        count = int(connection.execute(orphan_query(catalogue, kpi.id, sql_dir)).scalar() or 0)
        if count:
            found[kpi.id] = count
    return found
