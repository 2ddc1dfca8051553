"""A KPI page printed by Chromium (A4): the figures and every grid row on paper, and no
navigation, pickers or buttons."""

from __future__ import annotations

import base64
import re
import subprocess
import unicodedata
from pathlib import Path

KPI = "sygedagpenge_over_22_uger"
A4 = {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True, "printBackground": True}
CPR = re.compile(r"\d{6}-XXXX")
UNITS_JS = """
const api = dash_ag_grid.getApi('target-grid');
const out = [];
api.forEachNode(node => out.push(node.data.enhed.trim()));
return out;
"""


def test_a_kpi_page_prints_every_grid_row_and_no_controls(dash_duo, app, kpi_page, tmp_path: Path):
    dash_duo.start_server(app)
    kpi_page.visit(f"/kpi/{KPI}?enhed=JSY")
    kpi_page.wait_for_lenses("Job og Sygedagpenge")  # opens the list with a purpose
    units = dash_duo.driver.execute_script(UNITS_JS)
    shown = len(kpi_page.list_rows())
    assert len(units) > 9 and shown > 9  # more rows than the grids show at once

    pdf = tmp_path / "kpi.pdf"
    data = dash_duo.driver.execute_cdp_cmd("Page.printToPDF", A4)["data"]
    pdf.write_bytes(base64.b64decode(data))
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    text = " ".join(unicodedata.normalize("NFKC", raw.stdout).split())

    assert "Udvikling over tid" in text and "Organisatorisk målestok" in text
    missing = [unit for unit in units if " ".join(unit.split()) not in text]
    assert missing == []  # every unit of Over/under målet, not only the first rows
    assert len(CPR.findall(text)) == shown  # the list's whole page
    for control in ("Ledelsesoverblik", "Log ud", "Vis borgerne", "Hent som Excel", "Søskende"):
        assert control not in text, control
    assert "Side 1 af" in text  # page numbers
    assert dash_duo.get_logs() == []
