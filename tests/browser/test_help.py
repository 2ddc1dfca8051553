"""Help in the browser: "Hvad betyder tallet?" opens from the keyboard, the freshness badge
shows, and the opened page stays clean for axe-core and the console."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.test_accessibility import violations

KPI = "sygedagpenge_over_22_uger"


def test_the_explanation_opens_from_the_keyboard(dash_duo, app, kpi_page, catalogue):
    dash_duo.start_server(app)
    kpi_page.visit(f"/kpi/{KPI}?enhed=JSY")
    summary = dash_duo.wait_for_element("#kpi-meaning summary", timeout=30)
    body = dash_duo.driver.find_element(By.CSS_SELECTOR, "#kpi-meaning .meaning-body")
    assert not body.is_displayed()
    summary.send_keys(Keys.ENTER)  # a native <summary>: focusable, opens with Enter
    kpi_page.wait(body.is_displayed, "Hvad betyder tallet? did not open")
    assert catalogue.kpi(KPI).description in body.text
    assert "SELECT" not in body.text.upper().split()
    link = body.find_element(By.LINK_TEXT, "Se hele definitionen under Definitioner")
    assert link.get_attribute("href").endswith(f"/definitioner?enhed=JSY#{KPI}")
    badge = dash_duo.wait_for_element("#freshness-badge", timeout=30)
    assert badge.text.startswith("Data til og med ") and " · indlæst " in badge.text
    kpi_page.wait_for_lenses()
    found = [v for v in violations(dash_duo) if v["impact"] in ("serious", "critical", "moderate")]
    assert found == [], found
    assert dash_duo.get_logs() == []
