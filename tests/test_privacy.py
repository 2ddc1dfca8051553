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
