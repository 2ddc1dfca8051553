"""Property: on any small random warehouse, every unit's figure equals pandas over the
rows of the unit and all its descendants — never a sum or average of its children."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.pool import StaticPool

from queries.catalogue.models import Catalogue, Grain
from queries.warehouse import Warehouse
from tests import oracle

MEASURES = {
    "antal": {"type": "count"},
    "borgere": {"type": "count_distinct", "column": "borger_id"},
    "beloeb": {"type": "sum", "column": "beloeb"},
    "gennemsnit": {"type": "avg", "column": "beloeb"},
    "andel": {
        "type": "ratio",
        "numerator": {
            "type": "count_distinct",
            "column": "borger_id",
            "filters": [{"column": "flag", "value": 1}],
        },
        "denominator": {"type": "count_distinct", "column": "borger_id"},
    },
}


def catalogue(measures: dict | None = None, **extra: object) -> Catalogue:
    """One KPI per measure over the random `fact` table; `extra` adds KPI fields (such as
    the KPI's own filters)."""
    kpis = [
        {
            "id": name,
            "title": f"Nøgletal {name}",
            "description": "Et tilfældigt nøgletal.",
            "owner": "Test",
            "section": "s",
            "source": "fact",
            "time": {"column": "dato"},
            "org": "org_id",
            "citizen": "borger_id",
            **extra,
            "measure": measure,
            "format": "number",
            "direction": "higher_is_better",
            "min_n": 0,
        }
        for name, measure in (MEASURES if measures is None else measures).items()
    ]
    org = {"table": "dim_org", "id": "org_id", "parent": "parent_id", "name": "org_navn"}
    return Catalogue.model_validate(
        {
            "warehouse": {"org": org},
            "areas": [{"id": "a", "title": "Område", "sections": [{"id": "s", "title": "Afsnit"}]}],
            "kpis": kpis,
        }
    )


@st.composite
def warehouses(draw):
    """A random tree of up to 12 units and up to 60 fact rows on any of its units."""
    size = draw(st.integers(1, 12))
    parents = [None] + [f"U{draw(st.integers(0, i - 1))}" for i in range(1, size)]
    org = pd.DataFrame(
        {
            "org_id": [f"U{i}" for i in range(size)],
            "parent_id": parents,
            "org_navn": [f"Enhed {i}" for i in range(size)],
        }
    )
    row = st.tuples(
        st.integers(0, size - 1),
        st.integers(0, 5),
        st.integers(1, 8),
        st.integers(0, 500),
        st.integers(0, 1),
    )
    rows = draw(st.lists(row, max_size=60))
    fact = pd.DataFrame(
        [
            {
                "org_id": f"U{u}",
                "dato": pd.Timestamp(2026, 1 + m, 1 + (c % 27)),
                "borger_id": c,
                "beloeb": float(b),
                "flag": f,
            }
            for u, m, c, b, f in rows
        ],
        columns=["org_id", "dato", "borger_id", "beloeb", "flag"],
    )
    return org, fact.astype({"dato": "datetime64[ns]", "beloeb": float, "borger_id": int})


def load(org: pd.DataFrame, fact: pd.DataFrame) -> Warehouse:
    engine = sa.create_engine("sqlite://", poolclass=StaticPool)
    org.to_sql("dim_org", engine, index=False)
    stored = fact.assign(dato=fact["dato"].dt.strftime("%Y-%m-%d"))
    stored.to_sql("fact", engine, index=False, dtype={"dato": sa.String(10)})
    return Warehouse(engine, catalogue())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(warehouses(), st.sampled_from(list(MEASURES)), st.sampled_from(list(Grain)))
def test_every_unit_rolls_up_over_all_its_descendants(data, kpi_id, grain):
    org, fact = data
    warehouse = load(org, fact)
    kpi = warehouse.catalogue.kpi(kpi_id)
    period = date(2026, 4, 1) if grain is Grain.month else date(2026, 1, 1)
    expected = oracle.expected(
        {"fact": fact, "dim_org": org},
        kpi,
        list(org["org_id"]),
        date(2000, 1, 1),
        date(2100, 1, 1),
        grain,
    )
    result = warehouse.targets(kpi_id, grain, period).frame.set_index("unit_id")
    start = (
        pd.Timestamp(period)
        .to_period({"month": "M", "quarter": "Q", "year": "Y"}[grain.value])
        .start_time
    )
    for unit in org["org_id"]:
        want, _ = expected.get((unit, start), (math.nan, None))
        got = result.loc[unit, "value"]
        assert (math.isnan(want) and math.isnan(got)) or math.isclose(got, want, rel_tol=1e-9), (
            unit,
            kpi_id,
            grain,
            got,
            want,
        )
