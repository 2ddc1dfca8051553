"""A demo warehouse whose organisation holds markup in a unit's name, as an attacker who
can name a team (or a careless source system) would leave it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from queries.catalogue.loader import load_catalogue
from queries.demo import write_duckdb
from queries.engine import create_warehouse_engine
from queries.settings import ROOT
from queries.warehouse import Warehouse

UNIT = "JSY-01"
NAME = '<a href="https://example.org/?x=1">Sygedagpenge <b>Syd</b></a> & co'


def hostile_warehouse(frames: dict[str, pd.DataFrame], folder: Path) -> Warehouse:
    """The small demo with NAME as the name of UNIT, in a DuckDB file of its own."""
    frames = dict(frames)
    org = frames["dim_org"].copy()
    org.loc[org["org_id"] == UNIT, "org_navn"] = NAME
    frames["dim_org"] = org
    path = folder / "hostile.duckdb"
    write_duckdb(frames, path)
    engine = create_warehouse_engine(f"duckdb:///{path}")
    return Warehouse(engine, load_catalogue(ROOT / "kpi_definitions.yaml", engine=engine))
