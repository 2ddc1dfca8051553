"""In Chromium: a team leader sets their team's own goal in Målkompas on a KPI page, and
the trend draws it as a second dashed line beside the organisation's target. The console
stays empty."""

from __future__ import annotations

import dash
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from components.figures import OWN_GOAL_NAME
from dashboard import create_app
from tests.browser.test_accessibility import violations

KPI = "sygedagpenge_over_22_uger"
TEAM = "JSY-01-01"  # demo-teamleder-jsy's team
LEADER = "demo-teamleder-jsy"

# The trend as drawn: its traces' names, and the drawn path of the own goal's line.
TREND_JS = """
const gd = document.querySelector('#trend-graph .js-plotly-plot');
if (!gd || !gd._fullData) return null;
const names = gd._fullData.map(t => t.name);
const own = gd._fullData.find(t => t.name === arguments[0]);
const drawn = own ? document.querySelectorAll(
    '#trend-graph .scatterlayer .trace:nth-of-type(' + (own.index + 1) + ') .js-line').length : 0;
return {names, drawn, y: own ? own.y.filter(v => v !== null) : []};
"""


@pytest.fixture
def app(duckdb_warehouse, tmp_path):
    """An app database of this test's own, so the goal set here shows nowhere else."""
    duckdb_warehouse.engine.msb_breaker.succeeded()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MSB_APP_DB_URL", f"sqlite:///{tmp_path / 'app.sqlite'}")
        built = create_app(duckdb_warehouse)
    yield built
    dash.page_registry.clear()


OWN_GOAL_CELL = "#target-grid .ag-cell[col-id='eget_maal']"


def test_a_leader_sets_a_goal_and_sees_it_in_the_trend(dash_duo, app, kpi_page, duckdb_warehouse):
    dash_duo.start_server(app, persona=LEADER)
    kpi_page.visit(f"/kpi/{KPI}?enhed={TEAM}&interval=maaned&periode=2026-10")
    team = duckdb_warehouse.org.name(TEAM)
    kpi_page.wait(
        lambda: (
            (found := dash_duo.driver.execute_script(TREND_JS, OWN_GOAL_NAME))
            and found["names"]
            and found["names"][0] == team
        ),
        "the trend never showed the team",
    )
    kpi_page.wait_for_text("#maalkompas-summary", "Enhedens eget mål")
    assert "Ikke fastsat" in kpi_page.text("#maalkompas-summary")
    # No unit in the target grid has its own goal yet: the column takes no room.
    assert not dash_duo.driver.find_elements(By.CSS_SELECTOR, OWN_GOAL_CELL)

    value = dash_duo.driver.find_element(By.ID, "maalkompas-value")
    kpi_page.scroll_to(value)
    value.send_keys("20,5")
    dash_duo.driver.find_element(By.ID, "maalkompas-tolerance").send_keys("1,5")
    Select(dash_duo.driver.find_element(By.ID, "maalkompas-from")).select_by_visible_text(
        "januar 2026"
    )
    dash_duo.driver.find_element(By.ID, "maalkompas-why").send_keys("Færre lange forløb")
    kpi_page.click("#maalkompas-save")
    kpi_page.wait_for_text("#maalkompas-status", "Enhedens mål er gemt.")

    def drawn():
        found = dash_duo.driver.execute_script(TREND_JS, OWN_GOAL_NAME)
        return found if found and found["drawn"] else False

    trend = kpi_page.wait(drawn, "the trend never drew the unit's own goal")
    assert "Organisationens mål" in trend["names"] and OWN_GOAL_NAME in trend["names"]
    assert set(trend["y"]) == {0.205} and len(trend["y"]) == 10  # January–October 2026
    kpi_page.wait_for_text("#maalkompas-summary", "20,5")
    kpi_page.wait_for_text("#maalkompas-history", "→ 20,5 %")
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/", "#data-use-box:not([hidden]) input[type='radio']"),  # the 1–10 question
        ("/maalkompas", ".lens-card"),
        ("/dialog", "h1"),
    ],
)
def test_a_leaders_method_pages_meet_wcag_2_1_aa(dash_duo, app, path, ready):
    dash_duo.start_server(app, persona=LEADER)
    dash_duo.driver.get(dash_duo.server_url.rstrip("/") + path)
    dash_duo.wait_for_element(ready, timeout=30)
    found = [v for v in violations(dash_duo) if v["impact"] in ("serious", "critical", "moderate")]
    assert found == [], found
    assert dash_duo.get_logs() == []
