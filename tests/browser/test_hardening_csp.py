"""The app under its Content-Security-Policy in Chromium: every page works with no
violation in the console, the Excel export still downloads, and the policy is live (a
script injected into the page is refused)."""

from __future__ import annotations

KPI = "sagsbehandlingstid"
VIOLATIONS_JS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
INJECT_JS = """
const script = document.createElement('script');
script.textContent = 'window.__injected = true;';
document.body.appendChild(script);
return window.__injected === true;
"""


def test_pages_work_under_the_policy_and_injected_script_is_refused(dash_duo, app, kpi_page):
    dash_duo.start_server(app)
    kpi_page.visit(f"/kpi/{KPI}?enhed=BFF&interval=aar")
    kpi_page.wait_for_lenses()
    dash_duo.driver.execute_script(VIOLATIONS_JS)

    kpi_page.click("#list-export")
    kpi_page.wait_for_text("#list-export-status", "rækker hentet")
    for path in ("/", "/definitioner", "/brugerstatistik", "/omraade/beskaeftigelse"):
        kpi_page.visit(path)
        kpi_page.wait(lambda: dash_duo.driver.find_elements("css selector", "h1"), path)
    assert dash_duo.get_logs() == []  # no violation, no error of any kind

    dash_duo.driver.execute_script(VIOLATIONS_JS)
    assert dash_duo.driver.execute_script(INJECT_JS) is False  # the policy refused it
    violations = kpi_page.wait(
        lambda: dash_duo.driver.execute_script("return window.__violations"),
        "no securitypolicyviolation event for an injected script",
    )
    assert violations[0].startswith("script-src")
    # The refusal is the one console message, and it is the policy's.
    logs = dash_duo.get_logs()
    assert logs and all("Content Security Policy" in e["message"] for e in logs)
