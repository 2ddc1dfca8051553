"""Start her in Chromium: from the overview's link, through the decision tree, to an
answer — one walk per branch of the shipped tree. A KPI answer must show its lenses for
the unit the leader chose; a page answer must reach its address with the unit. Every
walk ends with a clean browser console."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By

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
        found = driver.find_elements(By.XPATH, CHOICE.format(label))
        if not found:
            return False
        kpi_page.scroll_to(found[0])
        try:
            found[0].click()
        except Exception:  # redrawn under the click: look again
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
    kpi_page.click("#home-start-her")  # the overview shows a new leader where to begin
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
