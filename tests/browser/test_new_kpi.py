"""An analyst adds a KPI to the YAML and nothing else: it is in the menu and on its page."""

from __future__ import annotations

import dash
import pytest

from dashboard import create_app
from queries.catalogue.loader import load_catalogue
from queries.settings import ROOT
from queries.warehouse import Warehouse

NEW_ID = "afgjorte_kontanthjaelpssager"
NEW_TITLE = "Afgjorte ansøgninger om kontanthjælp"
# Indented to continue the `kpis:` list, which ends the file.
NEW_KPI = f"""
  - id: {NEW_ID}
    title: {NEW_TITLE}
    description: Antal afgjorte ansøgninger om kontanthjælp i perioden.
    owner: Ledelsesinformation, Tværgående
    section: sager
    source: fact_sag
    time: {{column: afgjort_dato, grain: year}}
    org: org_id
    citizen: borger_id
    filters: [{{column: sagstype, value: Ansøgning om kontanthjælp}}]
    measure: {{type: count}}
    format: number
    direction: lower_is_better
    target: {{default: 40, tolerance: 5}}
    list:
      noun: [sag, sager]
      columns:
        - {{column: cpr, table: citizen, label: CPR-nummer}}
        - {{column: navn, table: citizen, label: Navn}}
        - {{column: sagstype, label: Sagstype}}
        - {{column: afgjort_dato, label: Afgjort}}
        - {{column: org_navn, table: org, label: Team}}
"""


@pytest.fixture
def app_with_new_kpi(tmp_path, duckdb_warehouse):
    original = (ROOT / "kpi_definitions.yaml").read_text(encoding="utf-8")
    assert original.rstrip().splitlines()[-1].startswith("    "), "kpis: should end the file"
    path = tmp_path / "kpi_definitions.yaml"
    path.write_text(original.rstrip("\n") + "\n" + NEW_KPI, encoding="utf-8")
    engine = duckdb_warehouse.engine
    catalogue = load_catalogue(path, engine=engine)
    assert catalogue.kpi(NEW_ID).title == NEW_TITLE
    app = create_app(Warehouse(engine, catalogue))
    yield app
    dash.page_registry.clear()


def test_a_kpi_added_to_the_yaml_appears_in_the_menu_with_four_lenses(
    dash_duo, app_with_new_kpi, kpi_page
):
    dash_duo.start_server(app_with_new_kpi)
    dash_duo.wait_for_element(".kpi-card", timeout=20)
    toggle = next(
        t
        for t in dash_duo.find_elements(".app-navbar .dropdown-toggle")
        if t.text.strip() == "Tværgående"
    )
    toggle.click()
    item = dash_duo.wait_for_element(f".app-navbar a.dropdown-item[href='/kpi/{NEW_ID}']")
    assert item.text == NEW_TITLE
    item.click()

    state = kpi_page.wait_for_lenses("MSB – Sociale Forhold og Beskæftigelse")
    assert kpi_page.text("h1") == NEW_TITLE
    assert "Tværgående" in kpi_page.text(".kpi-page") and "Sager" in kpi_page.text(".kpi-page")
    assert state["bars"] and state["targetRows"] and state["listRows"]
    assert "Ansøgning om kontanthjælp" in kpi_page.list_rows()[0]
    assert dash_duo.get_logs() == []
