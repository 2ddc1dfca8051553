"""Start her in Chromium: from the overview's link, through the decision tree, to an
answer — one walk per branch of the shipped tree. A KPI answer must show its lenses for
the unit the leader chose; a page answer must reach its address with the unit. Every
walk ends with a clean browser console."""

from __future__ import annotations

import contextlib
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import COLD_OVERVIEW
from tests.browser.test_follow import REDRAWN, TEAMS_JS

JSY = "Job og Sygedagpenge"
BENCHMARK_UNITS_JS = "return document.querySelectorAll('#benchmark-graph .ytick text').length"
CHOICE = (
    "//a[contains(@class, 'start-choice')]"
    "[.//span[contains(@class, 'start-choice-label') and normalize-space() = '{}']]"
)

# (first answer, second answer, where the walk ends, its query besides enhed, a KPI?)
WALKS = [
    (
        "Vil du sætte mål?",
        "Se hvilke teams der ligger under målet",
        "/kpi/sygedagpenge_over_22_uger",
        {"sammenlign": "teams"},
        True,
    ),
    ("Undrer et tal dig?", "Sygedagpenge", "/kpi/sygedagpenge_over_22_uger", {}, True),
    (
        "Ved du ikke hvorfor?",
        "Hvilket team ligger dårligst – og hvem er borgerne?",
        "/kpi/borgere_sygedagpenge",
        {"sammenlign": "teams"},
        True,
    ),
    (
        "Mangler du data?",
        "At vide hvor tallene kommer fra, og hvor nye de er",
        "/datalandskab",
        {},
        False,
    ),
    ("Skal du følge op på et møde?", None, "/statusrapport", {}, False),
    ("Vil du sætte mål?", "Sætte mål for min enhed", "/maalkompas", {}, False),
    ("Ved du ikke hvorfor?", "Få hjælp af en analytiker", "/dialog", {}, False),
]


def choose(kpi_page, label: str) -> None:
    """Click the choice with this label, again if the page was redrawn under the click."""
    driver = kpi_page.driver

    def clicked():
        try:
            found = driver.find_element(By.XPATH, CHOICE.format(label))
            kpi_page.scroll_to(found)
            found.click()
        except REDRAWN:  # not drawn yet, or redrawn under the click: look again
            return False
        return True

    kpi_page.wait(clicked, f"no choice '{label}' on Start her")


@pytest.mark.parametrize(
    ("first", "second", "path", "query", "is_kpi"), WALKS, ids=[w[2] for w in WALKS]
)
def test_a_walk_from_start_her_ends_at_the_answer(
    dash_duo, app, kpi_page, first, second, path, query, is_kpi
):
    dash_duo.start_server(app)
    driver = dash_duo.driver
    kpi_page.visit("/?enhed=JSY")
    # The overview shows a new leader where to begin (once its cards are decided).
    kpi_page.click("#home-start-her", timeout=COLD_OVERVIEW)
    kpi_page.wait_for_query(enhed="JSY")
    kpi_page.wait(lambda: urlsplit(driver.current_url).path == "/start", "Start her never opened")

    choose(kpi_page, first)
    if second is not None:
        kpi_page.wait_for_query(enhed="JSY")
        choose(kpi_page, second)
    kpi_page.wait(
        lambda: urlsplit(driver.current_url).path == path, f"the walk never reached {path}"
    )
    found = parse_qs(urlsplit(driver.current_url).query)
    assert found == {"enhed": ["JSY"], **{k: [v] for k, v in query.items()}}

    if is_kpi:
        # The four lenses show, for the unit chosen before Start her: the trend is
        # drawn, the benchmark names its units (a hidden one as "<5"), the target grid is
        # there (empty, with its message, for a KPI without a target) and the list speaks.
        def drawn():
            state = kpi_page.lenses()
            units = driver.execute_script(BENCHMARK_UNITS_JS)
            ready = (
                state["trendDrawn"]
                and units
                and driver.find_elements(By.ID, "target-grid")
                and kpi_page.text("#list-sentence")
            )
            return state if ready and state["trend"][:1] == [JSY] else False

        kpi_page.wait(drawn, f"the lenses of {path} never showed for {JSY}")
        if query.get("sammenlign") == "teams":
            checked = driver.find_element(
                By.ID, "_dbcprivate_radioitems_benchmark-mode_input_teams"
            )
            assert checked.is_selected(), "the benchmark opens on Alle teams"
    elif path == "/datalandskab":
        kpi_page.wait_for_text("#sources-summary", "kilder ligger bag nøgletallene")
    assert dash_duo.get_logs() == []


def test_a_new_leader_finds_the_worst_team_and_its_citizens_from_start_her(
    dash_duo, app, kpi_page, duckdb_warehouse
):
    """The issue's question, from Start her without help: choose the unit there, two
    answers, then the worst team's bar opens its citizens."""
    dash_duo.start_server(app)
    driver = dash_duo.driver
    org = duckdb_warehouse.org
    teams = {u for u in org.descendants("JSY") if not org.children(u)}
    kpi_page.visit("/start")

    def chosen() -> bool:
        """Choose JSY until the address says so (a redraw can drop a choice)."""
        if parse_qs(urlsplit(driver.current_url).query).get("enhed") == ["JSY"]:
            return True
        with contextlib.suppress(REDRAWN):
            Select(driver.find_element(By.ID, "start-unit")).select_by_value("JSY")
        return False

    kpi_page.wait(chosen, "could not choose a unit on Start her")
    kept = "a.start-choice[href*='enhed=JSY']"  # the page is drawn again for JSY
    kpi_page.wait(lambda: driver.find_elements(By.CSS_SELECTOR, kept), "the unit was not kept")
    choose(kpi_page, "Ved du ikke hvorfor?")
    kpi_page.wait_for_query(trin="hvorfor", enhed="JSY")
    choose(kpi_page, "Hvilket team ligger dårligst – og hvem er borgerne?")
    kpi_page.wait_for_query(enhed="JSY", sammenlign="teams")

    def drawn():
        found = driver.execute_script(TEAMS_JS)
        return found if found and set(found["order"]) == teams else False

    shown = kpi_page.wait(drawn, "Alle teams never drew JSY's teams")
    worst = [u for u in shown["order"] if u in shown["bars"]][-1]
    assert shown["bars"][worst] == max(shown["bars"].values())
    kpi_page.click_bar(worst)
    kpi_page.wait_for_query(enhed=worst)

    def described() -> bool:
        try:
            return org.name(worst) in kpi_page.text("#list-sentence")
        except REDRAWN:  # the page is being redrawn for the team
            return False

    kpi_page.wait(described, "the list never spoke of the worst team")
    kpi_page.open_list()  # Vis borgerne, with a purpose
    seen: list[list[str]] = []

    def listed():
        """The grid's rows once drawn in full. A row can be drawn before all its columns
        are (they come from a callback of their own, and AG Grid draws only those in
        view): a run under load once read a row without its team."""
        rows = kpi_page.list_rows()
        seen.append(rows)
        return rows if rows and all(org.name(worst) in row for row in rows) else False

    try:
        kpi_page.wait(listed, f"no citizens listed for {org.name(worst)}")
    except TimeoutException:
        pytest.fail(f"the list never named only {org.name(worst)}: last rows {seen[-1:]}")
    assert dash_duo.get_logs() == []
