"""Sign-in over HTTP against the real app: nothing of the warehouse without it.

Demo personas, the trusted proxy's header, the session cookie, sign-out that holds
against a replayed cookie, and an access file that is refused at start.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import replace

import dash
import pytest
import sqlalchemy as sa

from dashboard import create_app
from identity.access import AccessFileError, load_access
from identity.secret import secret_key
from queries.audit import AuditLog
from queries.settings import load_settings
from tests.conftest import sign_in
from tests.test_http import payload

KPI = "sygedagpenge_over_22_uger"
STATE = {"kpi": KPI, "query": "?enhed=MSB&interval=aar&periode=2026"}
CPR = re.compile(r"\d{6}-(XXXX|\d{4})")
PROXY = "10.20.30.40"


@pytest.fixture
def client(dash_app):
    return dash_app.server.test_client()


def data_callbacks(app) -> list[dict]:
    """A request for every callback that reads the warehouse, as dash-renderer sends it."""
    grid = {"startRow": 0, "endRow": 25}
    return [
        payload(app, "trend-graph", "figure", [STATE, None], []),  # and the board's version
        payload(app, "benchmark-graph", "figure", [STATE], []),
        payload(app, "target-grid", "rowData", [STATE], []),
        payload(app, "list-grid", "columnDefs", [STATE], []),
        payload(app, "list-grid", "getRowsResponse", [grid], [STATE, True], "list-grid"),
        payload(app, "list-opened", "data", [1], ["Kvalitetssikring af data", grid, STATE]),
        payload(app, "list-export-file", "data", [1], [STATE]),
    ]


# ---- nobody signed in ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", f"/kpi/{KPI}?enhed=JSY", "/definitioner", "/findes/ikke"])
def test_pages_send_an_unsigned_visitor_to_the_sign_in_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("path", ["/_dash-layout", "/_dash-dependencies"])
def test_dash_endpoints_answer_401_with_no_data(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert "Genindlæs siden og log ind" in response.get_json()["message"]


def test_no_data_callback_answers_an_unsigned_visitor(client, dash_app):
    for body in data_callbacks(dash_app):
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 401, body["output"]
        text = response.get_data(as_text=True)
        assert not CPR.search(text) and "rowData" not in text and "figure" not in text


@pytest.mark.parametrize("path", ["/healthz", "/assets/01-bootstrap.min.css", "/login"])
def test_health_static_files_and_sign_in_stay_open(client, path):
    assert client.get(path).status_code == 200


# ---- demo sign-in ---------------------------------------------------------------------------


def test_the_sign_in_page_is_danish_marked_demo_and_lists_every_persona(client, dash_app):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="da">' in html and "DEMO" in html
    personas = dash_app.server.extensions["msb_identity"].access.personas
    assert len(personas) >= 5
    for persona in personas:
        assert f'value="{persona.id}"' in html
    assert "Birgitte Holm" in html and "Driftschef i Børn og Familier" in html


def test_a_sign_in_without_the_forms_token_is_refused(client):
    client.get("/login")
    answer = client.post("/login", data={"persona": "demo-analytiker", "csrf": "gættet"})
    assert answer.status_code == 400
    assert client.get("/").status_code == 302


def test_an_unknown_persona_is_refused(client):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"persona": "admin", "csrf": token})
    assert answer.status_code == 400
    assert client.get("/").status_code == 302


def test_signing_in_opens_the_app_and_the_navbar_names_the_viewer(client):
    sign_in(client, "demo-driftschef-bff")
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Birgitte Holm (DEMO)" in layout and "Leder" in layout
    assert "Log ud" in layout and '"DEMO"' in layout


def test_after_sign_in_the_visitor_returns_to_where_they_were_going(client):
    page = client.get("/login?next=/definitioner").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login", data={"csrf": token, "persona": "demo-analytiker", "next": "/definitioner"}
    )
    assert answer.headers["Location"] == "/definitioner"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "javascript:x"])
def test_sign_in_never_redirects_off_the_site(client, target):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = client.post(
        "/login", data={"csrf": token, "persona": "demo-analytiker", "next": target}
    )
    assert answer.headers["Location"] == "/"


@pytest.fixture
def served_app(duckdb_warehouse):
    """The app as served at its real address (besides localhost, as the tests are)."""
    hosts = (*load_settings().allowed_hosts, "msb.intra.aarhus.dk")
    module_pages = dict(dash.page_registry)  # the module's app keeps its pages afterwards
    app = create_app(duckdb_warehouse, replace(load_settings(), allowed_hosts=hosts))
    yield app
    dash.page_registry.clear()
    dash.page_registry.update(module_pages)


def test_the_session_cookie_is_httponly_lax_and_secure_off_localhost(served_app):
    client = served_app.server.test_client()
    sign_in(client)
    local = client.get("/login").headers.get("Set-Cookie") or ""
    page = client.get("/login", base_url="https://msb.intra.aarhus.dk")
    remote = page.headers["Set-Cookie"]
    for cookie in (local, remote):
        assert "msb_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" in remote
    assert "Secure" not in local


# ---- sign-out -------------------------------------------------------------------------------


def test_a_cookie_replayed_after_sign_out_is_refused(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    cookie = client.get_cookie("msb_session").value
    layout = client.get("/_dash-layout").get_data(as_text=True)
    token = re.search(r'"name":\s*"csrf".*?"value":\s*"([^"]+)"', layout)
    token = token or re.search(r'"value":\s*"([^"]+)"[^}]*"name":\s*"csrf"', layout)
    answer = client.post("/logout", data={"csrf": token.group(1)})
    assert answer.status_code == 200 and "Du er logget ud" in answer.get_data(as_text=True)
    assert client.get("/_dash-layout").status_code == 401

    thief = dash_app.server.test_client()
    thief.set_cookie("msb_session", cookie)
    assert thief.get("/_dash-layout").status_code == 401
    assert thief.get("/").status_code == 302
    rows = thief.post("/_dash-update-component", json=data_callbacks(dash_app)[4])
    assert rows.status_code == 401 and not CPR.search(rows.get_data(as_text=True))


def test_sign_out_needs_the_forms_token(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    assert client.post("/logout", data={"csrf": "fra en anden side"}).status_code == 400
    assert client.get("/_dash-layout").status_code == 200


# ---- header mode (behind the trusted proxy) ---------------------------------------------------


@pytest.fixture(scope="module")
def header_app(duckdb_warehouse):
    settings = replace(load_settings(), auth_mode="header", trusted_proxies=(PROXY,))
    app = create_app(duckdb_warehouse, settings)
    yield app
    dash.page_registry.clear()


def from_address(app, address: str):
    client = app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_proxys_header_signs_in_with_the_groups_units(header_app):
    client = from_address(header_app, PROXY)
    headers = {"X-Remote-User": "ab12345", "X-Remote-Groups": "MSB-Ledere-BFF, Alle"}
    assert client.get("/", headers=headers).status_code == 200
    layout = client.get("/_dash-layout", headers=headers).get_data(as_text=True)
    assert "ab12345" in layout and "DEMO" not in layout


def test_a_spoofed_header_from_another_address_is_refused_and_logged(header_app):
    audit = AuditLog(sa.create_engine(os.environ["MSB_APP_DB_URL"]))
    before = len(audit.entries())
    client = from_address(header_app, "10.20.30.41")
    headers = {"X-Remote-User": "demo-analytiker", "X-Remote-Groups": "MSB-Ledelsesinformation"}
    for path in ("/", "/_dash-layout"):
        response = client.get(path, headers=headers)
        assert response.status_code == 403
    response = client.post(
        "/_dash-update-component", json=data_callbacks(header_app)[4], headers=headers
    )
    assert response.status_code == 403 and not CPR.search(response.get_data(as_text=True))
    entries = audit.entries()[before:]
    assert [e["action"] for e in entries] == ["denied"] * 3
    assert all(e["user_id"] == "demo-analytiker" for e in entries)
    assert "10.20.30.41" in json.loads(entries[0]["view_state"])["reason"]


def test_without_the_header_nobody_is_signed_in(header_app):
    client = from_address(header_app, PROXY)
    assert client.get("/_dash-layout").status_code == 401
    page = client.get("/login")
    assert page.status_code == 401 and "kommunens fælles log-ind" in page.get_data(as_text=True)


def test_a_user_the_access_file_does_not_know_sees_no_citizens(header_app):
    client = from_address(header_app, PROXY)
    headers = {"X-Remote-User": "ukendt-bruger", "X-Remote-Groups": "Alle"}
    answer = client.post(
        "/_dash-update-component", json=data_callbacks(header_app)[4], headers=headers
    )
    assert answer.get_json()["response"]["list-grid"]["getRowsResponse"]["rowData"] == []
    layout = client.get("/_dash-layout", headers=headers).get_data(as_text=True)
    assert "Ingen adgang til borgerdata" in layout


def test_header_mode_without_trusted_proxies_does_not_start(duckdb_warehouse):
    settings = replace(load_settings(), auth_mode="header", trusted_proxies=())
    with pytest.raises(SystemExit, match="MSB_TRUSTED_PROXIES"):
        create_app(duckdb_warehouse, settings)
    dash.page_registry.clear()


# ---- the access file and the key ------------------------------------------------------------

BAD_ACCESS = """\
contact: Ledelsesinformation
purposes: [Opfølgning]
users:
  - id: a
    role: chef
    units: [BFF, XYZ]
    rights: [list, delete]
  - id: b
    role: leder
    enheder: [BFF]
"""


def test_a_bad_access_file_lists_every_problem_with_file_and_line(tmp_path, duckdb_warehouse):
    path = tmp_path / "access.yaml"
    path.write_text(BAD_ACCESS, encoding="utf-8")
    with pytest.raises(AccessFileError) as raised:
        load_access(path, duckdb_warehouse.org.units)
    text = str(raised.value)
    assert "access.yaml:5: users[0].role: ugyldig værdi 'chef'" in text
    assert "access.yaml:7: users[0].rights[1]: ugyldig værdi 'delete'" in text
    assert "access.yaml:10: users[1].enheder: ukendt felt" in text
    assert "access.yaml:6: users[0].units[1]: enheden 'XYZ' findes ikke" in text
    assert "vælg 'leder', 'analytiker', 'admin' eller 'databeskyttelse'" in text


def test_a_unit_not_in_the_organisation_is_refused(tmp_path, duckdb_warehouse):
    path = tmp_path / "access.yaml"
    path.write_text(
        BAD_ACCESS.split("users:")[0] + "users:\n  - {id: a, role: leder, units: [XYZ]}\n"
    )
    with pytest.raises(
        AccessFileError, match=r"access.yaml:4: users\[0\].units\[0\]: enheden 'XYZ'"
    ):
        load_access(path, duckdb_warehouse.org.units)


def test_the_app_refuses_to_start_on_a_bad_access_file(tmp_path, duckdb_warehouse):
    path = tmp_path / "access.yaml"
    path.write_text(BAD_ACCESS, encoding="utf-8")
    with pytest.raises(AccessFileError, match="fejl i adgangsfilen"):
        create_app(duckdb_warehouse, replace(load_settings(), access_file=path))
    dash.page_registry.clear()


def test_the_shipped_access_file_is_valid(duckdb_warehouse):
    access = load_access(load_settings().access_file, duckdb_warehouse.org.units)
    roles = {persona.role for persona in access.personas}
    assert {"leder", "analytiker", "databeskyttelse"} <= roles
    assert any(not p.units for p in access.personas)  # a leader with no units


def test_a_generated_key_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "data" / "secret_key"
    first = secret_key(None, path)
    assert len(first) >= 40 and secret_key(None, path) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret_key("configured", path) == "configured"


def test_the_sign_out_list_forgets_sessions_too_old_to_use(tmp_path):
    from identity.revocation import SignedOutSessions

    sessions = SignedOutSessions(sa.create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}"), keep_s=0)
    sessions.end("old")
    assert sessions.ended("old")
    sessions.end("new")  # ending another clears those past the session's lifetime
    assert not sessions.ended("old") and sessions.ended("new")
