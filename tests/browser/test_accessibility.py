"""WCAG 2.1 AA, checked by axe-core (vendored, MPL-2.0) on the pages leaders use most."""

from __future__ import annotations

from pathlib import Path

import pytest

AXE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))))
  .catch(e => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));
"""


def violations(dash_duo) -> list[dict]:
    driver = dash_duo.driver
    driver.set_script_timeout(60)
    driver.execute_script(AXE)
    return driver.execute_async_script(RUN_AXE)


@pytest.mark.parametrize(
    ("path", "ready"),
    [
        ("/", ".kpi-card"),
        ("/kpi/sygedagpenge_over_22_uger?enhed=JSY", "#list-grid .ag-row"),
        ("/definitioner", ".definition"),
        ("/hjaelp", ".help-section"),
        ("/start?trin=hvorfor&enhed=JSY", ".start-choice"),
        ("/datalandskab", ".sources-table"),
        ("/statusrapport?enhed=JSY&kpi=sygedagpenge_over_22_uger", ".report-kpi .main-svg"),
    ],
)
def test_pages_meet_wcag_2_1_aa(dash_duo, app, kpi_page, path, ready):
    dash_duo.start_server(app)
    kpi_page.visit(path)
    if path.startswith("/kpi/"):
        kpi_page.wait_for_lenses()  # opens the list ("Vis borgerne") with a purpose
    dash_duo.wait_for_element(ready, timeout=30)
    found = [v for v in violations(dash_duo) if v["impact"] in ("serious", "critical", "moderate")]
    assert found == [], "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} {v['nodes']}" for v in found
    )
    assert dash_duo.get_logs() == []


def test_the_sign_in_page_meets_wcag_2_1_aa(dash_duo, app):
    dash_duo.start_server(app, persona=None)
    dash_duo.driver.get(dash_duo.server.url.rstrip("/") + "/login")
    dash_duo.wait_for_element("form[action='/login']")
    found = [v for v in violations(dash_duo) if v["impact"] in ("serious", "critical", "moderate")]
    assert found == [], found
    assert dash_duo.get_logs() == []
