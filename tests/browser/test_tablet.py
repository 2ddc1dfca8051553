"""A KPI page at tablet width (768 px), measured in the browser: no grid is wider than
its panel, no cell's text is cut (the target grid's Status, the list's CPR, names and
teams), and each chart can be saved as a PNG named by KPI, unit, period and lens with
a mode bar that does not cover the legend."""

from __future__ import annotations

from components.chart_download import file_name
from queries.catalogue.models import Grain
from queries.compiler.periods import parse_period

KPI = "sygedagpenge_over_22_uger"
PERIOD = "2026-10"
TABLET = (768, 1024)

GRIDS_JS = """
const out = {};
for (const id of ['target-grid', 'list-grid']) {
  const host = document.getElementById(id);
  const grid = host.querySelector('.ag-root-wrapper');
  const panel = host.closest('.card-body');
  const scroll = grid.querySelector('.ag-body-horizontal-scroll-viewport');
  const cut = [];
  for (const cell of grid.querySelectorAll('.ag-cell, .ag-header-cell-text')) {
    if (cell.scrollWidth > cell.clientWidth + 1) {
      cut.push([cell.getAttribute('col-id') || 'overskrift', cell.innerText]);
    }
  }
  const first = '.ag-center-cols-container .ag-row[row-index="0"] .ag-cell';
  const columns = Array.from(grid.querySelectorAll(first)).map(c => c.getAttribute('col-id'));
  out[id] = {grid: grid.getBoundingClientRect().width, panel: panel.clientWidth,
             scroll: [scroll.scrollWidth, scroll.clientWidth], cut, columns,
             rows: grid.querySelectorAll('.ag-center-cols-container .ag-row').length};
}
return out;
"""

CHARTS_JS = """
const overlap = (a, b) =>
  !(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top);
const box = element => element.getBoundingClientRect();
return ['trend-graph', 'benchmark-graph'].map(id => {
  const plot = document.querySelector('#' + id + ' .js-plotly-plot');
  const bar = plot.querySelector('.modebar');
  const legend = plot.querySelector('.legend');
  return {
    file: plot._context.toImageButtonOptions.filename,
    buttons: Array.from(plot.querySelectorAll('.modebar-btn')).map(b => b.ariaLabel),
    covers: !!(bar && legend && overlap(box(bar), box(legend))),
    inside: box(bar).right <= document.documentElement.clientWidth,
  };
});
"""


def test_a_kpi_page_fits_a_tablet(dash_duo, app, kpi_page):
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(*TABLET)
    kpi_page.visit(f"/kpi/{KPI}?enhed=JSY&interval=maaned&periode={PERIOD}")
    kpi_page.wait_for_lenses("Job og Sygedagpenge")

    def measured():
        found = dash_duo.driver.execute_script(GRIDS_JS)
        return found if all(g["rows"] and g["columns"] for g in found.values()) else False

    grids = kpi_page.wait(measured, "the grids never drew their rows")
    assert dash_duo.driver.execute_script("return window.innerWidth") <= TABLET[0]
    for grid in grids.values():
        assert grid["grid"] <= grid["panel"] + 1, grid  # no grid wider than its panel
        assert grid["scroll"][0] <= grid["scroll"][1] + 1, grid  # nothing scrolls sideways
        assert grid["cut"] == [], grid  # no text cut off with an ellipsis
    assert "status" in grids["target-grid"]["columns"]
    assert {"citizen_cpr", "citizen_navn", "org_org_navn"} <= set(grids["list-grid"]["columns"])

    charts = dash_duo.driver.execute_script(CHARTS_JS)
    period = parse_period(PERIOD, Grain.month)
    assert [c["file"] for c in charts] == [
        file_name(KPI, "JSY", Grain.month, period, lens) for lens in ("udvikling", "maalestok")
    ]
    assert charts[0]["file"] == f"{KPI}_JSY_{PERIOD}_udvikling"
    for chart in charts:
        assert chart["buttons"] == ["Gem grafen som PNG"]  # the download alone, in Danish
        assert not chart["covers"] and chart["inside"]
    assert dash_duo.get_logs() == []
