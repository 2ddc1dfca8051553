"""Citizen lists: scope in the data layer, deny by default, masked CPR, every look logged."""

from __future__ import annotations

import re

import sqlalchemy as sa

from queries.audit import AuditLog
from queries.catalogue.models import Grain
from queries.scope import Scope

KPI = "sagsbehandlingstid"  # facts in every driftsområde


def _page(warehouse, unit: str, scope: Scope, **kw):
    period = warehouse.latest_period(KPI)
    return warehouse.list_page(KPI, unit, Grain.year, period, scope, limit=500, **kw)


def test_list_shows_only_rows_within_the_viewers_scope(duckdb_warehouse):
    w = duckdb_warehouse
    everything = _page(w, "MSB", Scope.everything())
    only_bff = _page(w, "MSB", Scope.of("BFF"))
    assert 0 < only_bff.total < everything.total
    bff_teams = {w.org.name(u) for u in w.org.descendants("BFF")}
    assert {row["org_org_navn"] for row in only_bff.rows} <= bff_teams


def test_no_scope_means_no_rows(duckdb_warehouse):
    page = _page(duckdb_warehouse, "MSB", Scope())
    assert page.total == 0 and page.rows == []


def test_a_unit_outside_the_scope_shows_nothing(duckdb_warehouse):
    page = _page(duckdb_warehouse, "JSY", Scope.of("BFF"))
    assert page.total == 0


def test_cpr_is_masked_unless_asked(duckdb_warehouse):
    masked = _page(duckdb_warehouse, "BFF", Scope.everything())
    assert all(re.fullmatch(r"\d{6}-XXXX", row["citizen_cpr"]) for row in masked.rows)
    plain = _page(duckdb_warehouse, "BFF", Scope.everything(), unmask=True)
    assert all(re.fullmatch(r"\d{6}-\d{4}", row["citizen_cpr"]) for row in plain.rows)


def test_the_citizen_id_travels_for_the_audit_log_but_is_not_a_column(duckdb_warehouse):
    page = _page(duckdb_warehouse, "BFF", Scope.everything())
    assert page.citizens and all("_citizen" not in row for row in page.rows)
    assert "_citizen" not in dict(page.columns)


def test_audit_log_answers_an_access_request(tmp_path):
    log = AuditLog(sa.create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}"))
    log.record(
        "leder1",
        "list_view",
        kpi_id=KPI,
        unit="BFF",
        period="month:2026-10-01",
        citizens=[17, 42],
        purpose="Ledelsesinformation",
    )
    log.record("leder2", "list_view", kpi_id=KPI, unit="JSY", citizens=[99])
    seen = log.entries(citizen="42")
    assert [(e["user_id"], e["unit"]) for e in seen] == [("leder1", "BFF")]
    assert log.entries(citizen="4") == []  # whole ids only, not a prefix


def test_one_hidden_sibling_takes_the_smallest_other_with_it():
    import numpy as np
    import pandas as pd

    from queries.lenses import suppress_secondary

    siblings = pd.DataFrame(
        {
            "unit_id": ["A", "B", "C", "D"],
            "value": [np.nan, 10.0, 7.0, np.nan],
            "n": [3, 40, 12, np.nan],  # D has no data at all: not a candidate
            "suppressed": [True, False, False, False],
        }
    )
    result = suppress_secondary(siblings)
    assert list(result["suppressed"]) == [True, False, True, False]
    assert np.isnan(result.loc[2, "value"]) and result.loc[1, "value"] == 10.0
    # two hidden already: the parent minus the others reveals only their sum
    two = siblings.assign(
        suppressed=[True, False, True, False], value=[np.nan, 10.0, np.nan, np.nan]
    )
    assert list(suppress_secondary(two)["suppressed"]) == [True, False, True, False]


def test_benchmark_never_lets_the_parent_reveal_a_hidden_unit(duckdb_warehouse):
    """Across every KPI and driftsområde: never exactly one hidden child beside shown ones."""
    w = duckdb_warehouse
    for kpi in w.catalogue.kpis:
        if not kpi.min_n:
            continue
        period = w.latest_period(kpi.id)
        for unit in w.org.children(w.org.root):
            frame = w.benchmark(kpi.id, unit, Grain.month, period).frame
            shown = frame["value"].notna().sum()
            assert not (frame["suppressed"].sum() == 1 and shown > 0), (kpi.id, unit)
