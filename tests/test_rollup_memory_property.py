"""Property: on any small random warehouse (units the tree does not know, NULL amounts,
filters that match no row of a month), a cube added up the tree in memory
(queries/rollup.py) is the closure's in the database, row for row."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.pool import StaticPool

from queries.catalogue.models import Catalogue, Grain
from queries.compiler.own_figures import rolls_up
from queries.warehouse import Warehouse
from tests.test_rollup_agreement import assert_same
from tests.test_rollup_property import catalogue as random_catalogue

FLAG = [{"column": "flag", "value": 1}]
MEASURES = {
    "antal": {"type": "count", "filters": FLAG},
    "beloeb": {"type": "sum", "column": "beloeb", "filters": FLAG},
    "maaned": {"type": "sum", "column": "beloeb", "filters": FLAG, "monthly_average": True},
    "maaned_alle": {"type": "sum", "column": "beloeb", "monthly_average": True},
    "gennemsnit": {"type": "avg", "column": "beloeb", "filters": FLAG},
    "andel": {
        "type": "ratio",
        "numerator": {"type": "sum", "column": "beloeb", "filters": FLAG},
        "denominator": {"type": "count"},
    },
}


def catalogue() -> Catalogue:
    return random_catalogue(MEASURES, filters=[{"column": "kind", "op": "!=", "value": 2}])


@st.composite
def warehouses(draw):
    """A random tree of up to 10 units (a parent may be missing from the dimension) and
    up to 50 fact rows, some on a unit the tree does not know."""
    size = draw(st.integers(1, 10))
    parents = [None] + [
        draw(st.sampled_from([f"U{draw(st.integers(0, i - 1))}", "GONE"])) for i in range(1, size)
    ]
    org = pd.DataFrame(
        {
            "org_id": [f"U{i}" for i in range(size)],
            "parent_id": parents,
            "org_navn": [f"Enhed {i}" for i in range(size)],
        }
    )
    row = st.tuples(
        st.integers(0, size),  # `size`: a unit the tree does not know
        st.integers(0, 13),
        st.one_of(st.none(), st.integers(-50, 500)),
        st.integers(0, 1),
        st.integers(0, 2),
    )
    rows = draw(st.lists(row, max_size=50))
    fact = pd.DataFrame(
        [
            {
                "org_id": f"U{u}",
                "dato": pd.Timestamp(2025 + m // 12, 1 + m % 12, 1 + (i % 27)),
                "borger_id": i % 7,
                "beloeb": None if b is None else float(b),
                "flag": f,
                "kind": k,
            }
            for i, (u, m, b, f, k) in enumerate(rows)
        ],
        columns=["org_id", "dato", "borger_id", "beloeb", "flag", "kind"],
    )
    return org, fact.astype({"dato": "datetime64[ns]", "beloeb": float, "borger_id": int})


def load(org: pd.DataFrame, fact: pd.DataFrame, url: str) -> Warehouse:
    engine = sa.create_engine(url, poolclass=StaticPool)
    org.to_sql("dim_org", engine, index=False)
    fact.to_sql("fact", engine, index=False, dtype={"dato": sa.Date})
    return Warehouse(engine, catalogue())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(warehouses(), st.sampled_from(list(MEASURES)), st.sampled_from(["sqlite://", "duckdb://"]))
def test_a_cube_added_up_in_memory_is_the_closures(data, kpi_id, url):
    org, fact = data
    warehouse = load(org, fact, url)
    kpi = warehouse.catalogue.kpi(kpi_id)
    assert rolls_up(kpi)
    for grain in Grain:
        rolled = warehouse.cube_figures(kpi, grain)
        closure = warehouse.cube_figures(kpi, grain, in_memory=False)
        if closure.empty:
            assert rolled.empty
            continue
        assert_same(rolled, closure, f"{kpi_id} {grain.value} {url}")
