"""In Chromium: a unit named with markup is drawn as those characters, never as a link.

Ends with a clean browser console.
"""

from __future__ import annotations

import dash
import pytest

from dashboard import create_app
from tests.hostile import NAME, hostile_warehouse

LINKS_JS = """
const svg = '#benchmark-graph .main-svg, #trend-graph .main-svg';
return {
  links: document.querySelectorAll(`${svg.split(', ').map(s => s + ' a').join(', ')}`).length,
  bold: document.querySelectorAll('#benchmark-graph .ytick text tspan[style*="bold"]').length,
  ticks: Array.from(document.querySelectorAll('#benchmark-graph .ytick text'))
      .map(t => t.textContent),
  legend: Array.from(document.querySelectorAll('#trend-graph .legendtext'))
      .map(t => t.textContent),
};
"""


@pytest.fixture
def hostile_app(frames, tmp_path):
    app = create_app(hostile_warehouse(frames, tmp_path))
    yield app
    dash.page_registry.clear()


def test_markup_in_a_unit_name_is_drawn_as_text(dash_duo, hostile_app, kpi_page):
    dash_duo.start_server(hostile_app)
    kpi_page.visit("/kpi/sygedagpenge_over_22_uger?enhed=JSY-01-01&interval=aar&periode=2025")
    kpi_page.wait_for_lenses()

    def drawn():
        found = dash_duo.driver.execute_script(LINKS_JS)
        return found if NAME in found["ticks"] or NAME in found["legend"] else False

    found = kpi_page.wait(drawn, "the unit's name was not drawn as written")
    assert NAME in found["legend"]  # the parent line of a team in JSY-01
    assert found["links"] == 0 and found["bold"] == 0
    assert dash_duo.get_logs() == []
