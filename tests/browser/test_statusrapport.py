"""Status-rapport printed to PDF by Chromium, as "Udskriv / gem som PDF" does, and read
back with poppler (pdftotext, pdftoppm): unit, period and each chosen KPI's sentence are
on paper, and no citizen is.
"""

from __future__ import annotations

import base64
import re
import subprocess
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from appdb.history import now as utc_now
from appdb.models import action_card, forloeb
from components.period_text import period_name
from pages.statusrapport import newest_period
from queries.catalogue.models import Grain

CHOSEN = ("sygedagpenge_over_22_uger", "borgere_sygedagpenge")
A4 = {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True, "printBackground": True}
CPR = re.compile(r"\d{6}-XXXX")
SENTENCES_JS = """
return Array.from(document.querySelectorAll('.report-kpi')).map(section => [
  section.id, Array.from(section.querySelectorAll('.lens-sentence')).map(p => p.innerText)]);
"""


def words(text: str) -> str:
    """Text as pdftotext and the browser both give it: one space between words."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def method_rows(engine: sa.Engine, today: date) -> None:
    now = utc_now()
    with engine.begin() as connection:
        connection.execute(sa.delete(action_card))
        connection.execute(sa.delete(forloeb))
        connection.execute(
            sa.insert(forloeb).values(
                kpi_id=CHOSEN[0],
                unit="JSY-01",
                grain="month",
                period=today.replace(day=1),
                title="Lange forløb i Syd",
                status="åben",
                follow_up_on=today + timedelta(days=30),
                created_by="demo-analytiker",
                created_at=now,
                updated_at=now,
            )
        )
        connection.execute(
            sa.insert(action_card).values(
                kpi_id=CHOSEN[0],
                unit="JSY-01",
                title="Gennemgå forløb over 20 uger",
                owner="Teamleder Syd",
                due_on=today - timedelta(days=2),
                status="i gang",
                created_by="demo-analytiker",
                created_at=now,
                updated_at=now,
            )
        )


def test_the_report_prints_to_a4_with_its_sentences_and_no_citizen(
    dash_duo, app, frames, tmp_path: Path
):
    services = app._msb_services
    method_rows(services.audit.engine, date.today())
    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.get(dash_duo.server_url.rstrip("/") + f"/statusrapport?enhed=JSY&kpi={','.join(CHOSEN)}")
    dash_duo.wait_for_element(".report-kpi .report-graph .main-svg", timeout=60)
    dash_duo.wait_for_element(".report-method", timeout=10)

    period = newest_period(services, Grain.month)
    unit = services.org.name("JSY")
    when = period_name(period, "month")
    assert driver.find_element(By.TAG_NAME, "h1").text == f"Status-rapport: {unit}"
    shown = dict(driver.execute_script(SENTENCES_JS))
    assert list(shown) == [f"rapport-{kpi}" for kpi in CHOSEN]
    assert driver.find_element(By.ID, "report-print").text == "Udskriv / gem som PDF"

    pdf = tmp_path / "statusrapport.pdf"
    pdf.write_bytes(base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", A4)["data"]))
    text = words(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    )

    assert f"Status-rapport: {unit}" in text
    assert f"Status-rapport · {unit} · {when}" in text  # the line at the top of each page
    assert when[0].upper() + when[1:] in text
    for kpi_id in CHOSEN:
        assert services.catalogue.kpi(kpi_id).title in text
        for sentence in shown[f"rapport-{kpi_id}"]:
            assert words(sentence) in text, sentence
    assert "Lange forløb i Syd" in text and "Overskredet" in text  # the method's part
    assert "Udskriv / gem som PDF" not in text and "Vis for enhed" not in text  # no controls
    assert "Nøgletal i rapporten" not in text  # the checklist stays on screen
    assert not CPR.search(text)
    names = set(frames["dim_borger"]["navn"])
    assert not [name for name in names if name in text]

    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"Pages:\s+(\d+)", pages.stdout).group(1))
    assert "A4" in pages.stdout and count >= 3
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "side")], check=True)
    assert len(list(tmp_path.glob("side-*.png"))) == count

    # The leader unticks a KPI: the address keeps the choice, and the report follows it.
    label = driver.find_element(
        By.XPATH, "//*[@id='report-kpis']//label[starts-with(normalize-space(), 'Borgere på')]"
    )
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", label
    )
    WebDriverWait(driver, 10).until(lambda _: label.is_displayed())
    label.click()
    # The report is drawn anew under the wait: an element it found may be gone a moment later.
    WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda d: (
            d.current_url.endswith(f"kpi={CHOSEN[0]}")
            and [s.get_attribute("id") for s in d.find_elements(By.CSS_SELECTOR, ".report-kpi")]
            == [f"rapport-{CHOSEN[0]}"]
        )
    )
    assert dash_duo.get_logs() == []
