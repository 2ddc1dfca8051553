"""Browser tests: headless Chromium through dash.testing's `dash_duo`.

Plain `pytest` runs them headless; `--headless` is accepted but not needed. Debian ships
the browser as /usr/bin/chromium (found on PATH); DASH_TEST_CHROMEPATH overrides it.
chromedriver is taken from PATH.

`KpiPage` reads the four lenses the way a user sees them: drawn bars and lines, grid
rows, sentences. Waits are explicit; nothing sleeps.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dash
import pytest
from dash.testing import application_runners
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from dashboard import create_app

WINDOW = "1400,1000"  # wide enough for the desktop layout (Bootstrap lg)
TIMEOUT = 20  # seconds; a cold cache on 2 cores takes a few
# The overview of a fresh app first decides suppression for every KPI it shows (about
# 11 s of CPU on the demo; a new load does the same once, for every worker).
COLD_OVERVIEW = 60
POLL = 0.05  # seconds between looks, so the timings printed are close to the truth


def _stop_the_server_thread_only(self) -> None:
    """dash.testing stops its server by raising SystemExit in every thread started since
    the server: request threads, the pages' thread pools, and the timer each warehouse
    statement starts for its deadline. A thread hit while it is still starting never
    says it has started, so whoever started it waits for ever, and the test run hung at
    exit. Only the server's own thread is stopped (its socket is closed on the way out);
    the request threads finish what they were doing."""
    if self.ident is not None and self.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(self.ident), ctypes.py_object(SystemExit)
        )


application_runners.KillerThread.kill = _stop_the_server_thread_only


def pytest_setup_options() -> Options:
    """dash.testing asks for the webdriver options through this hook."""
    options = Options()
    options.add_argument("--headless=new")
    options.add_argument(f"--window-size={WINDOW}")
    options.add_argument("--lang=da-DK")
    browser = os.environ.get("DASH_TEST_CHROMEPATH") or shutil.which("chromium")
    if browser:
        options.binary_location = browser
    return options


def pytest_collection_modifyitems(items) -> None:
    """Selenium 4.2 calls a urllib3 method that is deprecated; that is not ours to fix."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore::DeprecationWarning:selenium"))


ANALYST = "demo-analytiker"


def sign_in_browser(duo, persona: str = ANALYST) -> None:
    """Through the demo sign-in page, as a person does: pick the persona, press Log ind."""
    driver = duo.driver
    driver.get(duo.server.url.rstrip("/") + "/login")
    radio = WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.find_element(By.CSS_SELECTOR, f"input[name='persona'][value='{persona}']")
    )
    radio.click()
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type='submit']").click()
    WebDriverWait(driver, TIMEOUT).until(lambda d: "/login" not in d.current_url)


@pytest.fixture(autouse=True)
def _server_port(request):
    """MSB_TEST_PORT moves the test server off 8050, so two checkouts can test at once; and
    every test starts signed in (as the analyst unless `persona=` is given), since nothing
    of the app shows before sign-in."""
    port = os.environ.get("MSB_TEST_PORT")
    if "dash_duo" in request.fixturenames:
        duo = request.getfixturevalue("dash_duo")
        start = duo.start_server

        def start_signed_in(app, persona: str | None = ANALYST, **kwargs):
            kwargs["navigate"] = False
            start(app, **({"port": int(port)} if port else {}), **kwargs)
            if persona:
                sign_in_browser(duo, persona)
                duo.server_url = duo.server.url  # opens the overview and waits for Dash

        duo.start_server = start_signed_in
    yield


@pytest.fixture
def app(duckdb_warehouse):
    """A fresh app per test; `dash.page_registry` is global, so it is emptied afterwards."""
    # A server stopped mid-query in an earlier test must not leave this one's breaker open.
    duckdb_warehouse.engine.msb_breaker.succeeded()
    built = create_app(duckdb_warehouse)
    yield built
    dash.page_registry.clear()


# The state of the four lenses as drawn, read in one round trip.
LENSES_JS = """
const plot = id => document.querySelector('#' + id + ' .js-plotly-plot');
const trend = plot('trend-graph'), bench = plot('benchmark-graph');
const rows = id => Array.from(document.querySelectorAll(
    '#' + id + ' .ag-center-cols-container .ag-row')).filter(r => r.innerText.trim());
const cpr = /\\d{6}-XXXX/;
return {
  trend: trend && trend.data ? trend.data.map(t => t.name) : [],
  trendDrawn: document.querySelectorAll('#trend-graph .scatterlayer .trace .js-line').length,
  bars: bench && bench.data ? bench.data.filter(t => t.type === 'bar')
      .flatMap(t => t.customdata.map(c => c[0])) : [],
  barsDrawn: document.querySelectorAll('#benchmark-graph .barlayer .point path').length,
  targetRows: rows('target-grid').length,
  listRows: rows('list-grid').filter(r => cpr.test(r.innerText)).length,
  listClosed: !!document.getElementById('list-gate') && !document.getElementById('list-gate').hidden
      && getComputedStyle(document.getElementById('list-body')).display === 'none',
  sinceNavigation: performance.now(),
};
"""

BAR_JS = """
const gd = document.querySelector('#benchmark-graph .js-plotly-plot');
for (const group of gd.querySelectorAll('.barlayer .trace.bars')) {
  const trace = group.__data__[0].trace;
  for (const point of group.querySelectorAll('.point')) {
    const data = trace.customdata[point.__data__.i];
    if (data && data[0] === arguments[0]) return point.querySelector('path');
  }
}
return null;
"""

# While a block of the infinite list is still on its way its rows say "Henter …":
# no rows yet, so that a wait for rows waits for the citizens themselves.
LIST_ROWS_JS = """
const rows = Array.from(document.querySelectorAll('#list-grid .ag-center-cols-container .ag-row'));
if (rows.some(r => r.classList.contains('ag-row-loading'))) return [];
return rows
  .filter(r => r.innerText.trim())
  .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
  .map(r => r.innerText.replace(/\\s+/g, ' ').trim());
"""


class KpiPage:
    """The KPI page as a user sees it, over `dash_duo`."""

    def __init__(self, duo) -> None:
        self.duo = duo
        self.driver = duo.driver

    def wait(self, condition, message: str = "", timeout: float = TIMEOUT):
        return WebDriverWait(self.driver, timeout, poll_frequency=POLL).until(
            lambda _: condition(), message
        )

    def visit(self, path: str) -> None:
        self.driver.get(self.duo.server_url.rstrip("/") + path)

    def lenses(self) -> dict:
        return self.driver.execute_script(LENSES_JS)

    def wait_for_lenses(self, unit_name: str | None = None) -> dict:
        """Until all four lenses show data (for `unit_name`, when given); returns their state."""

        def ready():
            state = self.lenses()
            if state["listClosed"]:
                self.open_list()
                return False
            drawn = (
                state["trendDrawn"]
                and state["barsDrawn"]
                and state["targetRows"]
                and state["listRows"]
            )
            mine = unit_name is None or (state["trend"] and state["trend"][0] == unit_name)
            return state if drawn and mine else False

        return self.wait(ready, f"the four lenses did not all show data for {unit_name}")

    def timed_lenses(self, unit_name: str | None = None) -> tuple[dict, float]:
        """The lenses, and the milliseconds until they all showed data, from now."""
        start = time.perf_counter()
        state = self.wait_for_lenses(unit_name)
        return state, (time.perf_counter() - start) * 1000

    def open_list(self, purpose: str = "Kvalitetssikring af data") -> None:
        """Vis borgerne, giving the purpose first when this session has not yet given one."""
        # The purpose field is shown or hidden by the callback that describes the list.
        self.wait(lambda: self.text("#list-sentence"), "the list was never described")
        field = self.driver.find_element(By.ID, "list-purpose-field")
        if field.is_displayed():
            Select(self.driver.find_element(By.ID, "list-purpose")).select_by_visible_text(purpose)
        self.click("#list-open")
        self.wait(
            lambda: (
                self.driver.find_element(By.ID, "list-body").is_displayed()
                or self.text("#list-gate-status")
            ),
            "Vis borgerne did nothing",
        )

    def click(self, selector: str, timeout: float = TIMEOUT) -> None:
        """Click what `selector` finds, again if Dash re-rendered it under our feet."""

        def clicked():
            try:
                element = self.driver.find_element(By.CSS_SELECTOR, selector)
                self.scroll_to(element)
                element.click()
            except (
                NoSuchElementException,
                StaleElementReferenceException,
                ElementClickInterceptedException,
            ):
                return False
            return True

        self.wait(clicked, f"could not click {selector}", timeout)

    def scroll_to(self, element: WebElement) -> None:
        """Instantly: Bootstrap's smooth scrolling would move the target under the click."""
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element
        )

    def bar(self, unit: str) -> WebElement:
        return self.wait(
            lambda: self.driver.execute_script(BAR_JS, unit), f"no bar for {unit} in the benchmark"
        )

    def click_bar(self, unit: str) -> None:
        """Move the mouse onto the bar and click, as a user does (Plotly listens on hover)."""
        bar = self.bar(unit)
        self.scroll_to(bar)
        ActionChains(self.driver).move_to_element(bar).click().perform()

    def wait_for_query(self, **params: str) -> str:
        """Until the address has exactly these values (enhed=JSY is not enhed=JSY-01)."""

        def matches():
            url = self.driver.current_url
            found = parse_qs(urlsplit(url).query)
            return url if all(found.get(k) == [v] for k, v in params.items()) else False

        return self.wait(matches, f"the address never got {params}")

    def list_rows(self) -> list[str]:
        return self.driver.execute_script(LIST_ROWS_JS)

    def list_paging(self) -> str:
        return self.text("#list-grid .ag-paging-panel")

    def next_list_page(self) -> None:
        self.click("#list-grid .ag-paging-button[data-ref='btNext']")

    def text(self, selector: str) -> str:
        element = self.driver.find_element(By.CSS_SELECTOR, selector)
        if element.tag_name == "select":  # what the user sees: the chosen option
            return Select(element).first_selected_option.text
        return element.text

    def wait_for_text(self, selector: str, part: str) -> str:
        def contains():
            found = self.driver.find_elements(By.CSS_SELECTOR, selector)
            return found[0].text if found and part in found[0].text else False

        return self.wait(contains, f"{selector} never said {part!r}")


@pytest.fixture
def kpi_page(dash_duo) -> KpiPage:
    return KpiPage(dash_duo)
