"""Rows without a known unit, counted once per source table and org column and told for
every KPI that reads them."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from queries.orphans import orphan_rows


def test_kpis_of_one_source_share_one_count(sqlite_warehouse):
    warehouse = sqlite_warehouse
    catalogue = warehouse.catalogue
    on_ydelse = {k.id for k in catalogue.kpis if k.source == "fact_ydelse"}
    assert len(on_ydelse) >= 5
    sources = {(k.source, k.org) for k in catalogue.kpis}
    statements: list[str] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with warehouse.engine.connect() as connection:
        transaction = connection.begin()
        try:
            for org_id in ("UKENDT-ENHED", "UKENDT-TEAM"):
                connection.execute(
                    sa.text(
                        "INSERT INTO fact_ydelse (maaned, borger_id, org_id, ydelse, fuldtid, "
                        "udgift_kr, varighed_dage) VALUES (:m, 1, :org, 'dagpenge', 1, 1, 1)"
                    ),
                    {"m": date(2026, 1, 1), "org": org_id},
                )
            sa.event.listen(connection, "before_cursor_execute", seen)
            found = orphan_rows(connection, catalogue, warehouse.sql_dir)
        finally:
            transaction.rollback()
    assert {kpi: found.get(kpi) for kpi in on_ydelse} == dict.fromkeys(on_ydelse, 2)
    assert not set(found) - on_ydelse  # the other sources hold no such rows
    assert len(statements) == len(sources) < len(catalogue.kpis)
