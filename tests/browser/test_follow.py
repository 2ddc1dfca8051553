"""In Chromium: "which JSY team is worst last month?" in one click from the KPI page, and
the chosen unit following the leader from the overview through the menu.

Every test ends with a clean browser console.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pandas as pd
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from components.formatting import format_value
from queries.catalogue.models import Grain
from tests.oracle import expected

KPI = "borgere_sygedagpenge"  # a count, lower is better; in a month some JSY teams are <5
JSY = "Job og Sygedagpenge"

# What a click on a page that is being redrawn can meet; the wait then tries again.
REDRAWN = (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
)

# The benchmark as drawn: the order of its rows (best on top), their labels, which rows
# have a bar and the values on the bars, and the "<5" texts of hidden rows.
TEAMS_JS = """
const gd = document.querySelector('#benchmark-graph .js-plotly-plot');
if (!gd || !gd._fullData || !gd.layout.yaxis || !gd.layout.yaxis.categoryarray) return null;
const bars = {}, blanks = {};
for (const t of gd._fullData) {
  (t.y || []).forEach((id, i) => {
    if (t.type === 'bar') bars[id] = t.x[i]; else blanks[id] = t.text[i];
  });
}
return {order: gd.layout.yaxis.categoryarray, labels: gd.layout.yaxis.ticktext, bars, blanks,
        ticks: Array.from(gd.querySelectorAll('.ytick text')).map(e => e.textContent)};
"""


def wait_for_bars(kpi_page, unit_name: str) -> None:
    """Until the benchmark has bars and the trend is the unit's (the KPI has no list)."""

    def ready():
        state = kpi_page.lenses()
        return state["barsDrawn"] and state["trend"] and state["trend"][0] == unit_name

    kpi_page.wait(ready, f"no benchmark for {unit_name}")


def test_which_jsy_team_is_worst_last_month_in_one_click(
    dash_duo, app, kpi_page, duckdb_warehouse, frames
):
    dash_duo.start_server(app)
    org = duckdb_warehouse.org
    teams = {u for u in org.descendants("JSY") if not org.children(u)}
    kpi_page.visit(f"/kpi/{KPI}?enhed=JSY")  # the KPI page opens on the last whole month
    wait_for_bars(kpi_page, JSY)

    kpi_page.click("label[for='_dbcprivate_radioitems_benchmark-mode_input_teams']")  # click 1
    kpi_page.wait_for_query(enhed="JSY", sammenlign="teams")

    def drawn():
        found = dash_duo.driver.execute_script(TEAMS_JS)
        return found if found and set(found["order"]) == teams else False

    shown = kpi_page.wait(drawn, "Alle teams never drew JSY's teams")
    # The answer: the last team with a bar is the worst; its label names its afdeling.
    with_bars = [u for u in shown["order"] if u in shown["bars"]]
    worst = with_bars[-1]
    label = dict(zip(shown["order"], shown["labels"], strict=True))[worst]
    assert label == f"{org.name(worst)} ({org.name(org.parent(worst))})"
    assert label in shown["ticks"], "the label is drawn on the axis"

    # The figures are the oracle's (pandas over the raw rows), and the worst is the highest.
    kpi = duckdb_warehouse.catalogue.kpi(KPI)
    period = app._msb_services.default_period(KPI, Grain.month)
    truth = expected(
        frames, kpi, sorted(teams), period, period + pd.DateOffset(months=1), Grain.month
    )
    for unit, value in shown["bars"].items():
        assert value == truth[(unit, pd.Timestamp(period))][0], unit
    assert shown["bars"][worst] == max(shown["bars"].values())
    # Hidden teams say "<5" and carry no value anywhere in the figure.
    assert shown["blanks"] and set(shown["blanks"].values()) == {f"<{kpi.min_n}"}
    assert not set(shown["blanks"]) & set(shown["bars"])
    # A count grows with the team, so the sentence names the highest rather than the worst
    # (of teams tied at the top, any one).
    sentence = kpi_page.wait_for_text("#benchmark-sentence", "det højeste tal")
    labels = dict(zip(shown["labels"], shown["order"], strict=True))
    named = next(name for name in labels if f"havde {name} det højeste tal af " in sentence)
    assert shown["bars"][labels[named]] == shown["bars"][worst]
    assert f" med {format_value(shown['bars'][worst], 'number')}, og " in sentence
    assert dash_duo.get_logs() == []


def test_the_unit_chosen_on_the_overview_follows_through_the_menu(dash_duo, app, kpi_page):
    dash_duo.start_server(app)
    driver = dash_duo.driver
    kpi_page.wait(lambda: driver.find_elements(By.CSS_SELECTOR, ".kpi-card"), "no overview")

    def choose() -> bool:
        try:
            Select(driver.find_element(By.ID, "home-unit")).select_by_value("JSY")
        except REDRAWN:
            return False  # the overview was still being drawn
        return True

    def chosen() -> bool:
        """Choose again until the address says so: a redraw of the overview can drop a
        choice made while it was being drawn."""
        if parse_qs(urlsplit(driver.current_url).query).get("enhed") == ["JSY"]:
            return True
        choose()
        return False

    kpi_page.wait(chosen, "could not choose a unit on the overview")
    link = f"#nav-collapse a[href='/kpi/{KPI}?enhed=JSY']"
    kpi_page.wait(lambda: driver.find_elements(By.CSS_SELECTOR, link), "the menu kept no unit")

    def open_from_menu() -> bool:
        """Open Beskæftigelsesområdet (again, if a redraw closed it) and click the KPI,
        until the KPI page is the address (a click during a redraw can be lost)."""
        if urlsplit(driver.current_url).path == f"/kpi/{KPI}":
            return True
        try:
            found = driver.find_element(By.CSS_SELECTOR, link)
            if not found.is_displayed():
                driver.find_element(By.CSS_SELECTOR, "#nav-collapse .dropdown-toggle").click()
                return False
            found.click()
        except REDRAWN:
            pass
        return False

    kpi_page.wait(open_from_menu, "could not open the KPI from the menu")  # two clicks
    kpi_page.wait_for_query(enhed="JSY")
    assert urlsplit(driver.current_url).path == f"/kpi/{KPI}"
    wait_for_bars(kpi_page, JSY)

    # A grain and period chosen on the KPI page go on to the next KPI in the menu.
    Select(driver.find_element(By.ID, "picker-period")).select_by_index(2)
    url = kpi_page.wait(
        lambda: "periode" in driver.current_url and driver.current_url, "no period chosen"
    )
    periode = parse_qs(urlsplit(url).query)["periode"][0]
    next_kpi = "/kpi/sygedagpenge_over_22_uger"
    other = f"#nav-collapse a[href='{next_kpi}?enhed=JSY&interval=maaned&periode={periode}']"
    kpi_page.wait(lambda: driver.find_elements(By.CSS_SELECTOR, other), "the period was dropped")
    home = "#nav-collapse a.nav-link[href='/?enhed=JSY']"
    assert driver.find_elements(By.CSS_SELECTOR, home), "Ledelsesoverblik forgot the unit"
    assert dash_duo.get_logs() == []
