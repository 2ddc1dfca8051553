"""The main flows in Chromium: overview to KPI, drilling down the tree, shared links, 404s.

Every test ends with a clean browser console.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By

KPI = "sygedagpenge_over_22_uger"
MSB = "MSB – Sociale Forhold og Beskæftigelse"
NOT_FOUND = "Vi kunne ikke finde det, du ledte efter"


def test_a_card_on_the_overview_opens_all_four_lenses(dash_duo, app, kpi_page, duckdb_warehouse):
    dash_duo.start_server(app)
    kpi_page.click(f".kpi-card a[href^='/kpi/{KPI}?']")

    state, ms = kpi_page.timed_lenses(MSB)
    print(f"\nclick on card → four lenses drawn: {ms:.0f} ms (cold cache)")
    assert urlsplit(dash_duo.driver.current_url).path == f"/kpi/{KPI}"
    assert kpi_page.text("h1") == duckdb_warehouse.catalogue.kpi(KPI).title
    assert state["trend"][:2] == [MSB, "Samme periode sidste år"]
    assert state["bars"] and state["targetRows"] and state["listRows"]

    kpi_page.visit(f"/kpi/{KPI}?enhed=JSY")
    state = kpi_page.wait_for_lenses("Job og Sygedagpenge")
    print(
        f"address typed → four lenses drawn: {state['sinceNavigation']:.0f} ms "
        "(from navigation start, page load, cold cache)"
    )

    requested = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    server = urlsplit(dash_duo.server_url).netloc
    assert {urlsplit(name).netloc for name in requested} <= {server}  # nothing from outside
    assert dash_duo.get_logs() == []


def test_drilling_down_the_tree_by_clicking_bars(dash_duo, app, kpi_page):
    """MSB → driftsområde → afdeling → team. The year is used because in a single month
    the demo's teams have fewer than five forløb each, and suppressed units have no bar."""
    dash_duo.start_server(app)
    kpi_page.visit(f"/kpi/{KPI}?enhed=MSB&interval=aar&periode=2026")
    kpi_page.wait_for_lenses(MSB)

    kpi_page.click_bar("JSY")
    kpi_page.wait_for_query(enhed="JSY", interval="aar", periode="2026")
    kpi_page.wait_for_lenses("Job og Sygedagpenge")

    kpi_page.click_bar("JSY-01")
    kpi_page.wait_for_query(enhed="JSY-01")
    afdeling = kpi_page.wait_for_lenses("Sygedagpenge Syd")
    assert set(afdeling["bars"]) <= {"JSY-01-01", "JSY-01-02", "JSY-01-03", "JSY-01-04"}
    assert "Sygedagpenge Syd" in kpi_page.text("#picker-unit")

    # the afdeling has more than one page of forløb: page 2 shows other rows
    kpi_page.wait_for_text("#list-grid .ag-paging-panel", "Side 1 af 3")
    assert "1 – 25 af 53" in kpi_page.list_paging()
    first_page = kpi_page.list_rows()
    kpi_page.next_list_page()
    kpi_page.wait_for_text("#list-grid .ag-paging-panel", "Side 2 af 3")
    assert "26 – 50 af 53" in kpi_page.list_paging()
    kpi_page.wait(
        lambda: (rows := kpi_page.list_rows()) and rows[0] != first_page[0],
        "page 2 of the list shows the rows of page 1",
    )
    assert not set(kpi_page.list_rows()) & set(first_page)

    kpi_page.click_bar("JSY-01-03")
    kpi_page.wait_for_query(enhed="JSY-01-03")
    kpi_page.wait_for_lenses("Team Risskov")
    rows = kpi_page.list_rows()
    assert rows and all("Team Risskov" in row for row in rows)

    dash_duo.driver.back()
    kpi_page.wait_for_query(enhed="JSY-01")
    kpi_page.wait_for_lenses("Sygedagpenge Syd")
    assert "Sygedagpenge Syd" in kpi_page.text("#picker-unit")
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize(
    ("query", "grain", "said", "unit_name"),
    [
        ("enhed=MSB&interval=kvartal&periode=2026-K3", "kvartal", "3. kvartal 2026", MSB),
        (
            "enhed=JSY&interval=maaned&periode=2026-09",
            "maaned",
            "september 2026",
            "Job og Sygedagpenge",
        ),
    ],
    ids=["quarter", "month"],
)
def test_a_shared_link_shows_the_same_view(dash_duo, app, kpi_page, query, grain, said, unit_name):
    dash_duo.start_server(app)
    kpi_page.visit(f"/kpi/{KPI}?{query}")
    kpi_page.wait_for_lenses(unit_name)

    assert unit_name in kpi_page.text("#picker-unit")
    checked = dash_duo.driver.find_element(By.CSS_SELECTOR, "#picker-grain input:checked")
    assert checked.get_attribute("value") == grain
    assert said in kpi_page.text("#picker-period")
    for sentence in ("trend", "benchmark", "target", "list"):
        assert said in kpi_page.wait_for_text(f"#{sentence}-sentence", said)
    assert dash_duo.get_logs() == []


def test_unknown_addresses_get_a_friendly_danish_page(dash_duo, app, kpi_page):
    dash_duo.start_server(app)
    cases = {
        "/kpi/findes_ikke": "Nøgletallet 'findes_ikke' findes ikke.",
        f"/kpi/{KPI}?enhed=XYZ": "Enheden 'XYZ' findes ikke i organisationen.",
        f"/kpi/{KPI}?interval=uge": "Ukendt interval 'uge'",
        "/?enhed=XYZ": "Enheden 'XYZ' findes ikke i organisationen.",
        "/findes/ikke": "Adressen findes ikke i MSB i tal.",
    }
    for path, reason in cases.items():
        kpi_page.visit(path)
        dash_duo.wait_for_text_to_equal(".not-found h1", NOT_FOUND, timeout=10)
        assert reason in kpi_page.text(".not-found .alert"), path
        assert dash_duo.driver.find_element(By.LINK_TEXT, "Ledelsesoverblik")
    assert dash_duo.get_logs() == []
