"""Scope, rights and purpose over HTTP, against the real app and its audit log.

Each persona signs in through the demo sign-in page; requests are the POSTs the browser
would make to `/_dash-update-component`, forged where an attacker would forge them.
Expected rows come from the warehouse's org tree, never from the code under test.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import sqlalchemy as sa

from queries.audit import AuditLog
from tests.conftest import sign_in
from tests.test_http import payload

KPI = "sygedagpenge_over_22_uger"  # JSY's citizens
BFF_KPI = "sagsbehandlingstid"  # has citizens in BFF too
YEAR = "&interval=aar&periode=2026"
PAGE = {"startRow": 0, "endRow": 25}
CPR_MASKED = re.compile(r"\d{6}-XXXX")
DRIFTSCHEF, TEAMLEDER, ANALYST = "demo-driftschef-bff", "demo-teamleder-jsy", "demo-analytiker"
NO_UNITS = "demo-leder-uden-enheder"


@pytest.fixture(scope="module")
def audit() -> AuditLog:
    """The audit log the app under test writes to (conftest points it at a scratch file)."""
    return AuditLog(sa.create_engine(os.environ["MSB_APP_DB_URL"]))


def client_as(app, persona: str, purpose: str | None = "Ledelsesmæssig opfølgning"):
    client = app.server.test_client()
    sign_in(client, persona, purpose)
    return client


def kpi_state(unit: str, kpi: str = KPI) -> dict:
    return {"kpi": kpi, "query": f"?enhed={unit}{YEAR}"}


def post(client, body: dict) -> dict:
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code in (200, 204), response.get_data(as_text=True)[:300]
    return response.get_json()["response"] if response.status_code == 200 else {}


def rows(app, client, unit: str, request=PAGE, kpi: str = KPI, opened: bool = True) -> dict:
    body = payload(
        app, "list-grid", "getRowsResponse", [request], [kpi_state(unit, kpi), opened], "list-grid"
    )
    return post(client, body)["list-grid"]["getRowsResponse"]


def header(app, client, unit: str) -> dict:
    body = payload(app, "list-grid", "columnDefs", [kpi_state(unit)], [])
    return post(client, body)


def export(app, client, unit: str, kpi: str = KPI) -> dict:
    body = payload(app, "list-export-file", "data", [1], [kpi_state(unit, kpi)])
    return post(client, body)


def unmask(app, client, unit: str, row: int, shown: str, sort=(), kpi: str = KPI) -> str:
    body = payload(
        app,
        "list-unmask-result",
        "children",
        [1],
        [
            {"rowIndex": row, "colId": "citizen_cpr", "value": shown},
            [{"citizen_cpr": shown}],
            {"startRow": 0, "endRow": 25, "sortModel": list(sort)},
            kpi_state(unit, kpi),
        ],
    )
    return post(client, body)["list-unmask-result"]["children"]


def new_entries(audit: AuditLog, before: int) -> list[dict]:
    return audit.entries()[before:]


def units_under(duckdb_warehouse, *units: str) -> set[str]:
    org = duckdb_warehouse.org
    return {org.name(d) for unit in units for d in org.descendants(unit)}


# ---- scope -------------------------------------------------------------------------------


def test_a_driftschef_sees_only_their_own_units_citizens(dash_app, audit, duckdb_warehouse):
    client = client_as(dash_app, DRIFTSCHEF)
    page = rows(dash_app, client, "BFF", kpi=BFF_KPI)
    assert page["rowCount"] > 0 and page["rowData"]
    assert {row["org_org_navn"] for row in page["rowData"]} <= units_under(duckdb_warehouse, "BFF")


@pytest.mark.parametrize(
    ("persona", "forged_unit"),
    [(DRIFTSCHEF, "JSY"), (DRIFTSCHEF, "JSY-01-01"), (TEAMLEDER, "JSY-01-02"), (TEAMLEDER, "BFF")],
)
def test_a_forged_unit_outside_scope_gives_no_rows_and_one_denied_row(
    dash_app, audit, persona, forged_unit
):
    client = client_as(dash_app, persona)
    before = len(audit.entries())
    page = rows(dash_app, client, forged_unit)
    assert page == {"rowData": [], "rowCount": 0}
    [entry] = new_entries(audit, before)
    assert (entry["user_id"], entry["action"], entry["unit"]) == (persona, "denied", forged_unit)
    assert entry["kpi_id"] == KPI and json.loads(entry["citizens"]) == []
    assert "uden for adgang" in json.loads(entry["view_state"])["reason"]


def test_outside_scope_the_panel_says_whose_data_and_whom_to_ask(dash_app, audit):
    client = client_as(dash_app, DRIFTSCHEF)
    before = len(audit.entries())
    answer = header(dash_app, client, "JSY-01")
    text = json.dumps(answer["list-sentence"], ensure_ascii=False)
    assert "Job og Sygedagpenge" in text and "Børn og Familier" in text
    assert "adgang@msb.aarhus.dk" in text
    assert answer["list-grid"]["columnDefs"] == [] and answer["list-gate"]["hidden"] is True
    assert not re.search(r"\d+ forløb", text)  # no count of another unit's citizens
    assert new_entries(audit, before) == []  # nobody asked for a citizen yet


def test_a_teamleder_on_the_driftsomraade_sees_only_their_team(dash_app, duckdb_warehouse):
    client = client_as(dash_app, TEAMLEDER)
    page = rows(dash_app, client, "JSY", {"startRow": 0, "endRow": 500})
    assert page["rowData"]
    assert {row["org_org_navn"] for row in page["rowData"]} == units_under(
        duckdb_warehouse, "JSY-01-01"
    )
    everyone = rows(dash_app, client_as(dash_app, ANALYST), "JSY")
    assert page["rowCount"] < everyone["rowCount"]
    notice = header(dash_app, client, "JSY")["list-notice"]["children"]
    assert "kun borgerne i de enheder, du har adgang til" in notice


def test_another_personas_export_is_refused_and_logged(dash_app, audit):
    client = client_as(dash_app, DRIFTSCHEF)
    before = len(audit.entries())
    answer = export(dash_app, client, "JSY")
    assert "list-export-file" not in answer  # no file
    assert "ikke adgang" in answer["list-export-status"]["children"]
    [entry] = new_entries(audit, before)
    assert (entry["action"], entry["unit"]) == ("denied", "JSY")


def test_export_needs_the_export_right(dash_app, audit):
    client = client_as(dash_app, TEAMLEDER)  # list, but not export
    before = len(audit.entries())
    answer = export(dash_app, client, "JSY-01-01")
    assert "list-export-file" not in answer
    assert "ikke ret til at hente" in answer["list-export-status"]["children"]
    assert [e["action"] for e in new_entries(audit, before)] == ["denied"]


def test_an_export_in_scope_is_logged_with_the_purpose(dash_app, audit):
    client = client_as(dash_app, DRIFTSCHEF, purpose="Opfølgning på borgerforløb")
    before = len(audit.entries())
    answer = export(dash_app, client, "BFF", BFF_KPI)
    assert answer["list-export-file"]["data"]["filename"].endswith(".xlsx")
    [entry] = new_entries(audit, before)
    assert (entry["action"], entry["purpose"]) == ("export", "Opfølgning på borgerforløb")


def test_a_persona_with_no_units_sees_numbers_but_no_citizens(dash_app, audit):
    client = client_as(dash_app, NO_UNITS)
    answer = header(dash_app, client, "MSB")
    assert "ikke adgang til borgerdata" in json.dumps(answer["list-sentence"], ensure_ascii=False)
    before = len(audit.entries())
    assert rows(dash_app, client, "MSB") == {"rowData": [], "rowCount": 0}
    [entry] = new_entries(audit, before)
    assert entry["action"] == "denied" and entry["user_id"] == NO_UNITS
    trend = payload(dash_app, "trend-graph", "figure", [kpi_state("JSY"), None], [])
    figure = post(client, trend)["trend-graph"]["figure"]
    assert any(len(trace.get("x") or ()) for trace in figure["data"])  # aggregates stay


# ---- purpose before people -------------------------------------------------------------------


def open_list(app, client, purpose: str | None, request=PAGE, unit: str = "BFF") -> dict:
    body = payload(app, "list-opened", "data", [1], [purpose, request, kpi_state(unit, BFF_KPI)])
    return post(client, body)


def test_no_row_is_sent_before_a_purpose_is_given(dash_app, audit):
    client = client_as(dash_app, DRIFTSCHEF, purpose=None)
    before = len(audit.entries())
    assert rows(dash_app, client, "BFF") == {"rowData": [], "rowCount": 0}
    [entry] = new_entries(audit, before)
    assert entry["action"] == "denied" and "formål" in json.loads(entry["view_state"])["reason"]
    answer = open_list(dash_app, client, None)
    assert answer["list-gate-status"]["children"] == "Vælg et formål først."
    assert "list-grid" not in answer  # the waiting page is not answered
    forged = open_list(dash_app, client, "Fordi jeg kan")  # not a configured purpose
    assert forged["list-gate-status"]["children"] == "Vælg et formål først."


def test_vis_borgerne_with_a_purpose_sends_the_page_and_logs_the_purpose(dash_app, audit):
    client = client_as(dash_app, DRIFTSCHEF, purpose=None)
    before = len(audit.entries())
    answer = open_list(dash_app, client, "Kvalitetssikring af data")
    page = answer["list-grid"]["getRowsResponse"]
    assert answer["list-opened"]["data"] is True and len(page["rowData"]) == 25
    [entry] = new_entries(audit, before)
    assert (entry["action"], entry["purpose"]) == ("list_view", "Kvalitetssikring af data")
    assert len(json.loads(entry["citizens"])) > 0
    # the purpose holds for the rest of the session
    sort = [{"colId": "sagsbehandlingsdage", "sort": "desc"}]
    rows(dash_app, client, "BFF", {"startRow": 25, "endRow": 50, "sortModel": sort}, BFF_KPI)
    latest = audit.entries()[-1]
    assert latest["purpose"] == "Kvalitetssikring af data"
    view = json.loads(latest["view_state"])
    assert view == {"numerator_only": False, "sort": [["sagsbehandlingsdage", "desc"]], "page": 2}


def test_a_closed_list_answers_nothing(dash_app, audit):
    client = client_as(dash_app, ANALYST)
    before = len(audit.entries())
    body = payload(
        dash_app, "list-grid", "getRowsResponse", [PAGE], [kpi_state("BFF"), False], "list-grid"
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 204  # the grid keeps waiting for "Vis borgerne"
    assert new_entries(audit, before) == []


def test_the_numerator_toggle_is_in_the_audit_row(dash_app, audit):
    client = client_as(dash_app, ANALYST)
    body = payload(
        dash_app,
        "list-grid",
        "getRowsResponse",
        [PAGE],
        [{"kpi": KPI, "query": f"?enhed=JSY{YEAR}&kun=taeller"}, True],
        "list-grid",
    )
    assert post(client, body)["list-grid"]["getRowsResponse"]["rowData"]
    assert json.loads(audit.entries()[-1]["view_state"])["numerator_only"] is True


# ---- Vis CPR --------------------------------------------------------------------------------


def test_unmask_without_the_right_is_refused_and_logged(dash_app, audit):
    client = client_as(dash_app, DRIFTSCHEF)
    shown = rows(dash_app, client, "BFF", kpi=BFF_KPI)["rowData"][3]["citizen_cpr"]
    before = len(audit.entries())
    answer = unmask(dash_app, client, "BFF", 3, shown, kpi=BFF_KPI)
    assert "ikke ret til at se CPR-numre" in answer
    assert not re.search(r"\d{6}-\d{4}", answer)
    [entry] = new_entries(audit, before)
    assert (entry["action"], entry["user_id"]) == ("denied", DRIFTSCHEF)


def test_unmask_shows_one_row_and_logs_that_citizen_only(dash_app, audit):
    client = client_as(dash_app, ANALYST)
    sort = [{"colId": "varighed_uger", "sort": "desc"}]
    page = rows(dash_app, client, "JSY", {"startRow": 0, "endRow": 25, "sortModel": sort})
    shown = page["rowData"][4]["citizen_cpr"]
    before = len(audit.entries())
    answer = unmask(dash_app, client, "JSY", 4, shown, sort)
    [cpr] = re.findall(r"\d{6}-?\d{4}", answer)
    assert cpr[:6] == shown[:6] and "XXXX" not in cpr
    [entry] = new_entries(audit, before)
    assert entry["action"] == "unmask" and len(json.loads(entry["citizens"])) == 1
    assert json.loads(entry["view_state"])["row"] == 4


def test_unmask_of_a_row_that_moved_shows_nobody(dash_app, audit):
    client = client_as(dash_app, ANALYST)
    page = rows(dash_app, client, "JSY")["rowData"]
    other = next(r["citizen_cpr"] for r in page[1:] if r["citizen_cpr"] != page[0]["citizen_cpr"])
    before = len(audit.entries())
    answer = unmask(dash_app, client, "JSY", 0, other)  # row 0, but another row's CPR
    assert "ikke længere den samme" in answer
    assert new_entries(audit, before) == []


def test_unmask_outside_scope_is_refused_even_with_the_right(dash_app, audit):
    client = client_as(dash_app, TEAMLEDER)
    before = len(audit.entries())
    answer = unmask(dash_app, client, "BFF", 0, "010101-XXXX")
    assert "ikke adgang" in answer
    assert [e["action"] for e in new_entries(audit, before)] == ["denied"]
