"""The list is exactly the rows behind the figure.

For every KPI with a list (the shipped catalogue, and KPIs added here with measure
filters, `in`/`!=` filters and ratio denominators with their own filters), the list's
total equals an independent pandas count over the raw demo rows, at units on every level,
at every grain and in several periods, on DuckDB and PostgreSQL. For a count, the list's
total is also the figure itself.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from queries.catalogue.loader import load_catalogue
from queries.catalogue.models import Grain, Kpi, MeasureType
from queries.compiler.lenses import aggregate_select
from queries.compiler.periods import next_period, period_bounds
from queries.scope import Scope
from queries.warehouse import Warehouse
from tests.conftest import CATALOGUE
from tests.oracle import descendants, mask

EVERYONE = Scope.everything()
# (grain, how many periods back from the latest): the running period and older ones.
WHEN = [(Grain.month, 0), (Grain.month, 7), (Grain.quarter, 1), (Grain.year, 1)]

# KPIs an analyst could add, each stressing one way the list used to disagree with its figure.
ADDED_KPIS = [
    {  # a measure filter with `in` on a count_distinct
        "id": "borgere_paa_passive_ydelser",
        "title": "Borgere på passive ydelser",
        "description": "Borgere på kontanthjælp eller dagpenge i perioden.",
        "measure": {
            "type": "count_distinct",
            "column": "borger_id",
            "filters": [{"column": "ydelse", "op": "in", "value": ["kontanthjælp", "dagpenge"]}],
        },
    },
    {  # a ratio whose denominator has its own `!=` filter
        "id": "andel_fuldtid_uden_sygedagpenge",
        "title": "Andel på fuld tid uden sygedagpenge",
        "description": "Ydelsesmåneder på fuld tid blandt dem, der ikke er på sygedagpenge.",
        "measure": {
            "type": "ratio",
            "numerator": {
                "type": "count",
                "filters": [
                    {"column": "ydelse", "op": "!=", "value": "sygedagpenge"},
                    {"column": "fuldtid", "op": ">=", "value": 1.0},
                ],
            },
            "denominator": {
                "type": "count",
                "filters": [{"column": "ydelse", "op": "!=", "value": "sygedagpenge"}],
            },
        },
    },
    {  # a count with a KPI filter and a measure filter
        "id": "maaneder_jobafklaring_lang",
        "title": "Lange måneder i jobafklaring",
        "description": "Ydelsesmåneder i jobafklaring efter mere end et halvt år.",
        "filters": [{"column": "ydelse", "op": "not_in", "value": ["fleksjob"]}],
        "measure": {
            "type": "count",
            "filters": [
                {"column": "ydelse", "value": "jobafklaring"},
                {"column": "varighed_dage", "op": ">", "value": 182},
            ],
        },
    },
    {  # a sum with a measure filter
        "id": "fuldtid_kontanthjaelp",
        "title": "Fuldtidspersoner på kontanthjælp",
        "description": "Fuldtidspersoner på kontanthjælp, summeret over perioden.",
        "measure": {
            "type": "sum",
            "column": "fuldtid",
            "filters": [{"column": "ydelse", "value": "kontanthjælp"}],
        },
    },
]


def _added_catalogue(tmp: Path) -> Path:
    """The shipped catalogue with ADDED_KPIS on fact_ydelse appended."""
    document = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    section = document["kpis"][0]["section"]
    for extra in ADDED_KPIS:
        document["kpis"].append(
            {
                "owner": "Ledelsesinformation",
                "section": section,
                "source": "fact_ydelse",
                "time": {"column": "maaned", "grain": "month"},
                "org": "org_id",
                "citizen": "borger_id",
                "format": "number",
                "direction": "higher_is_better",
                "list": {"columns": ["maaned", "ydelse", {"column": "org_navn", "table": "org"}]},
                **extra,
            }
        )
    path = tmp / "kpi_definitions.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture(scope="module", params=["duckdb_warehouse", "postgres_warehouse"])
def warehouse(request, tmp_path_factory) -> Warehouse:
    shipped = request.getfixturevalue(request.param)
    path = _added_catalogue(tmp_path_factory.mktemp("catalogue"))
    return Warehouse(shipped.engine, load_catalogue(path, engine=shipped.engine))


def _units(frames: dict[str, pd.DataFrame]) -> list[str]:
    """MSB, a driftsområde, an afdeling and a team, following the first child each time."""
    org = frames["dim_org"]
    root = org.loc[org["parent_id"].isna(), "org_id"].iloc[0]
    chain = [root]
    for _ in range(3):
        children = sorted(org.loc[org["parent_id"] == chain[-1], "org_id"])
        chain.append(children[len(children) // 2])
    return chain


def expected_rows(
    frames: dict[str, pd.DataFrame], kpi: Kpi, unit: str, start: date, end: date, numerator: bool
) -> int:
    """Rows behind the figure, counted in pandas from the raw frame (no compiler)."""
    rows = frames[kpi.source]
    stamps = pd.to_datetime(rows[kpi.time.column])
    chosen = (stamps >= pd.Timestamp(start)) & (stamps < pd.Timestamp(end))
    chosen &= rows[kpi.org].isin(descendants(frames["dim_org"])[unit])
    chosen &= mask(rows, kpi.filters)
    m = kpi.measure
    if m.type is MeasureType.ratio:
        part = m.numerator if numerator else m.denominator
        kind, column, filters = part.type, part.column, part.filters
    else:
        kind, column, filters = m.type.value, m.column, m.filters
    chosen &= mask(rows, filters)
    if kind != "count":
        chosen &= rows[column].notna()
    return int(chosen.sum())


def _periods(warehouse: Warehouse, kpi: Kpi) -> list[tuple[Grain, date]]:
    found = []
    for grain, back in WHEN:
        latest = warehouse.latest_period(kpi.id, grain)
        found.append((grain, next_period(latest, grain, -back)))
    return found


def _listed(warehouse: Warehouse) -> list[Kpi]:
    return [kpi for kpi in warehouse.catalogue.kpis if kpi.list is not None]


def test_every_list_total_equals_the_rows_behind_the_figure(warehouse, frames):
    compared = 0
    for kpi in _listed(warehouse):
        toggles = [False, True] if kpi.measure.type is MeasureType.ratio else [False]
        for grain, period in _periods(warehouse, kpi):
            start, end = period_bounds(period, grain)
            for unit in _units(frames):
                for numerator in toggles:
                    query = warehouse.list_query(
                        kpi, unit, grain, period, EVERYONE, numerator_only=numerator
                    )
                    total = warehouse.scalar(query.total)
                    wanted = expected_rows(frames, kpi, unit, start, end, numerator)
                    where = f"{kpi.id} {unit} {grain.value} {period} numerator={numerator}"
                    assert total == wanted, where
                    compared += 1
    # The comparison ran over every listed KPI and actually saw rows.
    assert compared >= len(_listed(warehouse)) * len(WHEN) * 4


def test_the_added_kpis_list_fewer_rows_than_their_kpi_filters_alone(warehouse, frames):
    """The measure's and the denominator's own filters narrow the list (the old bug)."""
    msb = _units(frames)[0]
    for extra in ADDED_KPIS:
        kpi = warehouse.catalogue.kpi(extra["id"])
        period = warehouse.latest_period(kpi.id, Grain.year)
        start, end = period_bounds(period, Grain.year)
        listed = warehouse.scalar(
            warehouse.list_query(kpi, msb, Grain.year, period, EVERYONE).total
        )
        rows = frames[kpi.source]
        stamps = pd.to_datetime(rows[kpi.time.column])
        in_window = (stamps >= pd.Timestamp(start)) & (stamps < pd.Timestamp(end))
        assert 0 < listed < int((in_window & mask(rows, kpi.filters)).sum()), kpi.id


def _figure(warehouse: Warehouse, kpi: Kpi, unit: str, grain: Grain, period: date) -> pd.Series:
    start, end = period_bounds(period, grain)
    query = aggregate_select(
        warehouse.catalogue, kpi, units=[unit], start=start, end=end, grain=grain, by_period=False
    )
    found = warehouse.frame(query)
    # No row at all behind the figure: the database returns no group.
    return found.iloc[0] if len(found) else pd.Series({"numerator": 0, "denominator": 0})


def test_a_count_lists_exactly_its_figure(warehouse, frames):
    counts = [k for k in _listed(warehouse) if k.measure.type is MeasureType.count]
    ratios_of_counts = [
        k
        for k in _listed(warehouse)
        if k.measure.type is MeasureType.ratio
        and k.measure.numerator.type == k.measure.denominator.type == "count"
    ]
    assert counts and ratios_of_counts
    for kpi in counts + ratios_of_counts:
        for grain, period in _periods(warehouse, kpi):
            for unit in _units(frames):
                figure = _figure(warehouse, kpi, unit, grain, period)
                for numerator in [False, True] if kpi in ratios_of_counts else [False]:
                    query = warehouse.list_query(
                        kpi, unit, grain, period, EVERYONE, numerator_only=numerator
                    )
                    wanted = figure["numerator"] if numerator or kpi in counts else None
                    wanted = figure["denominator"] if wanted is None else wanted
                    assert warehouse.scalar(query.total) == int(wanted), (kpi.id, unit, period)


def test_a_non_ratio_ignores_the_numerator_toggle(warehouse):
    kpi = warehouse.catalogue.kpi("underretninger_antal")
    period = warehouse.latest_period(kpi.id, Grain.year)
    both = [
        warehouse.scalar(
            warehouse.list_query(
                kpi, "MSB", Grain.year, period, EVERYONE, numerator_only=flag
            ).total
        )
        for flag in (False, True)
    ]
    assert both[0] == both[1] > 0


@pytest.mark.parametrize("hidden", ["_citizen", "citizen_cpr"])
def test_sorting_by_a_hidden_column_is_refused(duckdb_warehouse, hidden):
    kpi = duckdb_warehouse.catalogue.kpi("sygedagpenge_over_22_uger")
    period = duckdb_warehouse.latest_period(kpi.id)
    with pytest.raises(ValueError, match="cannot sort by"):
        duckdb_warehouse.list_query(
            kpi, "MSB", Grain.month, period, EVERYONE, sort=[(hidden, True)]
        )
    allowed = duckdb_warehouse.list_query(
        kpi, "MSB", Grain.month, period, EVERYONE, sort=[("citizen_navn", True)]
    )
    assert allowed.rows is not None
