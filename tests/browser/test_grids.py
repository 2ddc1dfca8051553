"""The grids in Chromium: numbers sort as numbers, and every number is Danish.

Over/under målet once sorted "9,1 %" above "55,6 %" (text order), and the list's footer
said "af 169,000". Every test ends with a clean browser console.
"""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By

KPI = "fuldtidspersoner"  # values from tens to thousands: text order is not number order
VIEW = f"/kpi/{KPI}?enhed=MSB&interval=aar&periode=2025"
ENGLISH_THOUSANDS = re.compile(r"\d,\d{3}\b")

SORTED_JS = """
const api = dash_ag_grid.getApi(arguments[0]);
const out = [];
api.forEachNodeAfterFilterAndSort(node => out.push([node.data.vaerdi, node.data.vaerdi_tekst]));
return out;
"""

SHOWN_VALUES_JS = """
return Array.from(document.querySelectorAll('#target-grid .ag-center-cols-container .ag-row'))
  .sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index')))
  .map(row => row.querySelector('[col-id="vaerdi"]').innerText.trim());
"""

GRID_TEXT_JS = """
return Array.from(document.querySelectorAll('.ag-root-wrapper'))
  .map(grid => grid.innerText);
"""


def danish_number(text: str) -> float | None:
    """'1.234,5' -> 1234.5; '<5' and '–' -> None."""
    digits = text.replace("\xa0", " ").replace(" %", "").replace(".", "").replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def click_header(kpi_page, column: str) -> None:
    kpi_page.click(f'#target-grid .ag-header-cell[col-id="{column}"] .ag-header-cell-label')


def test_value_column_sorts_by_number(dash_duo, app, kpi_page):
    dash_duo.start_server(app)
    kpi_page.visit(VIEW)
    kpi_page.wait_for_lenses()

    click_header(kpi_page, "vaerdi")  # ascending
    click_header(kpi_page, "vaerdi")  # descending

    def sorted_descending():
        found = dash_duo.driver.execute_script(SORTED_JS, "target-grid")
        numbers = [raw for raw, _ in found if raw is not None]
        return found if numbers and numbers == sorted(numbers, reverse=True) else False

    order = kpi_page.wait(sorted_descending, "Værdi did not sort descending by number")
    texts = [text for raw, text in order if raw is not None]
    assert texts != sorted(texts, reverse=True)  # text order would differ: the test can fail
    assert all(raw is None for raw, _ in order[len(texts) :])  # hidden figures last

    shown = [danish_number(text) for text in dash_duo.driver.execute_script(SHOWN_VALUES_JS)]
    shown = [value for value in shown if value is not None]
    assert len(shown) >= 5
    assert shown == sorted(shown, reverse=True)  # what the leader reads, in number order
    header = dash_duo.driver.find_element(
        By.CSS_SELECTOR, '#target-grid .ag-header-cell[col-id="vaerdi"]'
    )
    assert header.get_attribute("aria-sort") == "descending"
    assert dash_duo.get_logs() == []


def test_no_grid_shows_an_english_number(dash_duo, app, kpi_page):
    dash_duo.start_server(app)
    kpi_page.visit(VIEW)
    kpi_page.wait_for_lenses()

    def footer():
        text = kpi_page.text("#list-grid .ag-paging-panel")
        return text if re.search(r"\baf \d{1,3}(\.\d{3})+\b", text) else False

    paging = kpi_page.wait(footer, "the list's footer never showed a total in thousands")
    print(f"\nlist footer: {paging!r}")
    grids = dash_duo.driver.execute_script(GRID_TEXT_JS)
    assert len(grids) == 2
    for text in grids:
        assert not ENGLISH_THOUSANDS.search(text), ENGLISH_THOUSANDS.search(text)
    assert re.search(r"\d\.\d{3}", grids[0] + grids[1])  # and the Danish form is there
    assert dash_duo.get_logs() == []
