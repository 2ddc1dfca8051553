"""A driftschef takes one KPI from "we notice" to "we follow up" on the Spilleplade of a
BFF KPI page, adds a Få-det-nu-gjort-kort, and sees the forløb marked on the trend."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.test_accessibility import violations

KPI = "underretninger_24_timer"
TITLE = "Flere sene vurderinger <b>i BFF</b>"  # markup stays text, on the page and the chart
DRIFTSCHEF = "demo-driftschef-bff"

SET_VALUE_JS = """
const [id, value] = arguments;
const field = document.getElementById(id);
const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
setter.call(field, value);
field.dispatchEvent(new Event('input', {bubbles: true}));
"""
MARKS_JS = """
const plot = document.querySelector('#trend-graph .js-plotly-plot');
const marks = plot && plot.data ? plot.data.find(t => t.name === 'Spilleplade') : null;
return marks ? marks.customdata.join(' | ') : null;
"""


def type_into(page, element_id: str, text: str) -> None:
    field = page.driver.find_element(By.ID, element_id)
    page.scroll_to(field)
    field.clear()
    field.send_keys(text)


def test_a_leader_walks_the_board_and_sees_the_mark_on_the_trend(app, dash_duo, kpi_page):
    dash_duo.start_server(app, persona=DRIFTSCHEF)
    kpi_page.visit(f"/kpi/{KPI}?enhed=BFF")
    kpi_page.wait_for_lenses("Børn og Familier")
    kpi_page.wait_for_text("#board-note", "Start et forløb på")

    # 1 → 2: start the forløb on what the page shows
    type_into(kpi_page, "board-new-title", TITLE)
    kpi_page.click("#board-start")
    kpi_page.wait_for_text("#board-message", "Forløbet er startet")
    kpi_page.wait(lambda: kpi_page.driver.find_element(By.ID, "board-form").is_displayed())
    kpi_page.wait_for_text("#board-heading", TITLE)
    kpi_page.wait_for_text("#board-heading", "Birgitte Holm")
    assert "Trin" not in kpi_page.text("#board-form")  # the board's own words number the steps
    for number, words in enumerate(
        [
            "Vi modtager eller producerer data",
            "Vi fortolker sammen",
            "Vi finder forklaringer",
            "Vi vælger løsninger og handlinger",
            "Vi implementerer og følger op",
        ],
        start=1,
    ):
        assert f"{number} · {words}" in kpi_page.text("#board-form")
    type_into(kpi_page, "board-known", "Underretningerne er steget i hele byen.")
    type_into(kpi_page, "board-noticed", "Andelen vurderet inden for 24 timer faldt i oktober.")
    # 3: the 2×2 of explanations
    type_into(kpi_page, "board-ext-coll", "Flere underretninger fra skolerne efter sommerferien")
    type_into(kpi_page, "board-int-coll", "Ny vagtplan i modtagelsen")
    type_into(kpi_page, "board-ext-ind", "Enkelte store sager")
    type_into(kpi_page, "board-int-ind", "To nye medarbejdere i oplæring")
    kpi_page.click("#board-save")
    kpi_page.wait_for_text("#board-message", "Gemt: 7 felter ændret")

    # 4: a Få-det-nu-gjort-kort (what is typed and not yet saved stays on the board)
    type_into(kpi_page, "board-inform", "Afdelingslederne og MED-udvalget")
    type_into(kpi_page, "board-action-title", "Fast makker i modtagelsen hver morgen")
    assert kpi_page.driver.find_element(By.ID, "board-action-owner").get_attribute("value") == (
        "Birgitte Holm (DEMO)"
    )
    kpi_page.driver.execute_script(SET_VALUE_JS, "board-due", "2026-12-04")
    kpi_page.click("#board-action-add")
    kpi_page.wait_for_text("#board-message", "Handlingskortet er tilføjet")
    card = kpi_page.wait_for_text("#board-actions", "Fast makker i modtagelsen")
    assert "frist 04.12.2026" in card and "ikke startet" in card
    # the card handed on and moved a week, in place
    owner = kpi_page.driver.find_element(By.CSS_SELECTOR, "input[id*='board-card-owner']")
    kpi_page.scroll_to(owner)
    owner.clear()
    owner.send_keys("Jonas Kragh (DEMO)")
    due = kpi_page.driver.find_element(By.CSS_SELECTOR, "input[id*='board-card-due']")
    kpi_page.driver.execute_script(SET_VALUE_JS, due.get_attribute("id"), "2026-12-11")
    kpi_page.click("button[id*='board-card-save']")
    kpi_page.wait_for_text("#board-message", "Handlingskortet er gemt")
    kpi_page.wait_for_text("#board-actions", "Jonas Kragh (DEMO) · frist 11.12.2026")
    inform = kpi_page.driver.find_element(By.ID, "board-inform").get_attribute("value")
    assert inform == "Afdelingslederne og MED-udvalget"

    # 5: follow up
    kpi_page.click("label[for='_dbcprivate_radioitems_board-direction_input_ned']")
    kpi_page.driver.execute_script(SET_VALUE_JS, "board-follow", "2027-01-15")
    kpi_page.click("#board-save")
    kpi_page.wait_for_text("#board-message", "Gemt: 3 felter ændret")
    follow = kpi_page.wait_for_text("#board-follow-up", "Da handlingen begyndte")
    assert "oktober 2026: " in follow and "%" in follow  # the watched KPI, then and now

    # the history fold: who changed which field, old → new
    kpi_page.click("#spilleplade details summary")
    history = kpi_page.wait_for_text("#board-history", "forventet retning")
    assert "Birgitte Holm (DEMO)" in history and "– → ned" in history
    assert "Handling: titel" in history

    # the trend marks where the forløb started and the action began, the title as text
    marks = kpi_page.wait(lambda: kpi_page.driver.execute_script(MARKS_JS), "no marks")
    assert "Forløb startet: Flere sene vurderinger &lt;b&gt;i BFF&lt;/b&gt;" in marks
    assert "Handling begyndt: Fast makker i modtagelsen hver morgen" in marks
    assert kpi_page.driver.find_elements(By.CSS_SELECTOR, "#trend-graph .scatterlayer .point")
    # the whole board open, as a leader sees it, meets WCAG 2.1 AA like the rest of the page
    found = [v for v in violations(dash_duo) if v["impact"] in ("serious", "critical", "moderate")]
    assert found == [], "\n".join(f"{v['id']}: {v['help']} {v['nodes']}" for v in found)
    assert dash_duo.get_logs() == []
