"""Sign-in, purpose, the list, Vis CPR and sign-out in Chromium, as a person does them."""

from __future__ import annotations

import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

KPI = "sagsbehandlingstid"


def test_a_leader_gives_a_purpose_sees_their_citizens_and_signs_out(dash_duo, app, kpi_page):
    dash_duo.start_server(app, persona="demo-driftschef-bff")
    assert "Birgitte Holm (DEMO)" in kpi_page.text("#user-name")
    kpi_page.visit(f"/kpi/{KPI}?enhed=BFF&interval=aar&periode=2026")
    kpi_page.wait_for_text("#list-sentence", "Børn og Familier")
    assert kpi_page.list_rows() == []  # nothing before "Vis borgerne"
    assert dash_duo.find_element("#list-purpose-field").is_displayed()

    kpi_page.click("#list-open")  # no purpose yet
    kpi_page.wait_for_text("#list-gate-status", "Vælg et formål først")
    assert kpi_page.list_rows() == []

    Select(dash_duo.find_element("#list-purpose")).select_by_visible_text(
        "Opfølgning på borgerforløb"
    )
    kpi_page.click("#list-open")
    kpi_page.wait(lambda: kpi_page.list_rows(), "the list never showed its rows")
    assert all(re.search(r"\d{6}-XXXX", row) for row in kpi_page.list_rows())
    assert not dash_duo.find_element("#list-purpose-field").is_displayed()
    assert not dash_duo.find_element("#list-unmask").is_displayed()  # no unmask right

    kpi_page.visit(f"/kpi/{KPI}?enhed=JSY&interval=aar&periode=2026")  # not theirs
    kpi_page.wait_for_text("#list-sentence", "ikke adgang")
    assert not dash_duo.find_element("#list-open").is_displayed()

    kpi_page.click("#sign-out")
    kpi_page.wait(lambda: "Du er logget ud" in dash_duo.driver.page_source, "no sign-out")
    kpi_page.visit(f"/kpi/{KPI}?enhed=BFF")
    kpi_page.wait(lambda: "/login" in dash_duo.driver.current_url, "not sent to sign-in")
    assert dash_duo.get_logs() == []


def _unmask_the_third_row(dash_duo, app, kpi_page) -> str:
    """As the analyst: open the list, choose its third row, Vis CPR; returns the CPR."""
    dash_duo.start_server(app)  # the analyst: every unit, may unmask
    kpi_page.visit(f"/kpi/{KPI}?enhed=BFF&interval=aar&periode=2026")
    kpi_page.open_list()
    kpi_page.wait(lambda: len(kpi_page.list_rows()) > 3, "the list never showed its rows")
    row = dash_duo.driver.find_elements(
        By.CSS_SELECTOR, "#list-grid .ag-center-cols-container .ag-row[row-index='2'] .ag-cell"
    )[0]
    kpi_page.scroll_to(row)
    row.click()
    kpi_page.click("#list-unmask")
    said = kpi_page.wait_for_text("#list-unmask-result", "visningen er logget")
    masked, shown = re.findall(r"\d{6}-(?:XXXX|\d{4})", said)
    assert masked.endswith("XXXX") and shown[:6] == masked[:6] and not shown.endswith("XXXX")
    assert all("XXXX" in r.split()[0] for r in kpi_page.list_rows())  # the grid stays masked
    assert dash_duo.get_logs() == []
    return shown


def test_vis_cpr_shows_the_chosen_rows_number_only(dash_duo, app, kpi_page):
    assert re.fullmatch(r"\d{6}-\d{4}", _unmask_the_third_row(dash_duo, app, kpi_page))


def test_an_access_request_after_a_browser_session_names_every_look(
    dash_duo, app, kpi_page, duckdb_path, monkeypatch, capsys
):
    """The data-protection officer's answer to the citizen whose CPR was just shown: the
    analyst's looks, from the browser session, in Danish, with the CPR masked."""
    from queries.__main__ import main

    cpr = _unmask_the_third_row(dash_duo, app, kpi_page)
    monkeypatch.setenv("MSB_DEMO_PATH", str(duckdb_path))  # the app's warehouse
    monkeypatch.delenv("MSB_WAREHOUSE_URL", raising=False)
    capsys.readouterr()
    assert main(["audit", "borger", cpr]) == 0
    answer = capsys.readouterr().out
    looks = [line for line in answer.splitlines() if "demo-analytiker" in line]
    assert any("så listen" in line for line in looks), answer
    assert any("viste CPR-nummer" in line for line in looks), answer
    assert all("Kvalitetssikring af data" in line for line in looks), answer
    assert cpr not in answer and f"{cpr[:6]}-XXXX" in answer
