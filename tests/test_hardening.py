"""HTTP hardening against the real app: security headers on pages, callbacks and files;
no version strings; size limit; allowed hosts; Excel export rate limit."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import sys
import threading
from html.parser import HTMLParser
from urllib.request import urlopen

import pytest
from werkzeug.serving import make_server

from queries.settings import load_settings
from tests.test_http import payload
from webapp.ratelimit import ExportLimiter

KPI = "sagsbehandlingstid"
STATE = {"kpi": KPI, "query": "?enhed=BFF&interval=aar&periode=2026"}


@pytest.fixture(scope="module")
def client(signed_in_client):
    return signed_in_client


class InlineScripts(HTMLParser):
    """The text of every inline <script> that a browser would run (not JSON data)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._running = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self._running = (
            tag == "script" and "src" not in values and values.get("type") != "application/json"
        )
        if self._running:
            self.scripts.append("")

    def handle_data(self, data):
        if self._running:
            self.scripts[-1] += data

    def handle_endtag(self, tag):
        self._running = False


def csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def _responses(client, dash_app):
    page = client.get(f"/kpi/{KPI}?enhed=BFF")
    asset = re.search(r'src="(/_dash-component-suites/[^"]+)"', page.get_data(as_text=True))
    body = payload(dash_app, "list-grid", "columnDefs", [STATE], [])
    return {
        "page": page,
        "layout": client.get("/_dash-layout"),
        "dependencies": client.get("/_dash-dependencies"),
        "callback": client.post("/_dash-update-component", json=body),
        "script": client.get(asset.group(1)),
        "stylesheet": client.get("/assets/app.css"),
        "health": client.get("/healthz"),
    }


def test_security_headers_on_pages_json_and_files(client, dash_app):
    for name, response in _responses(client, dash_app).items():
        assert response.status_code == 200, name
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["X-Frame-Options"] == "DENY", name
        assert headers["Referrer-Policy"] == "same-origin", name
        policy = csp(response)
        assert policy["frame-ancestors"] == "'none'", name
        assert policy["object-src"] == "'none'", name
        assert "unsafe-inline" not in policy["script-src"], name
        assert "unsafe-eval" not in policy["script-src"], name


def test_responses_that_may_carry_names_are_never_stored(client, dash_app):
    responses = _responses(client, dash_app)
    for name in ("page", "layout", "dependencies", "callback", "health"):
        assert responses[name].headers["Cache-Control"] == "no-store", name
    assert responses["script"].headers.get("Cache-Control") != "no-store"  # no names in files


def test_the_policy_allows_exactly_the_inline_scripts_dash_writes(client):
    page = client.get(f"/kpi/{KPI}")
    parsed = InlineScripts()
    parsed.feed(page.get_data(as_text=True))
    assert parsed.scripts, "Dash bootstraps its renderer with an inline script"
    allowed = csp(page)["script-src"].split()
    for script in parsed.scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed
    assert allowed[0] == "'self'" and all(a.startswith("'sha256-") for a in allowed[1:])


def test_no_python_build_string_or_server_version(client, dash_app):
    page = client.get("/")
    text = page.get_data(as_text=True)
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', text)
    assert config and "python_version" not in config.group(1)
    assert sys.version.split()[0] not in text and "GCC" not in text
    for response in _responses(client, dash_app).values():
        assert "Werkzeug" not in str(response.headers) and "Python/" not in str(response.headers)


def test_the_development_server_sends_no_versions(dash_app):
    """Below Flask, the server writes its own `Server` header; it must say no version."""
    server = make_server("127.0.0.1", 0, dash_app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=30) as response:
            served_by = response.headers.get_all("Server") or []
            assert response.status == 200
    finally:
        server.shutdown()
    assert served_by == ["MSB i tal"]


def test_an_oversized_body_is_refused_in_danish(client, dash_app):
    limit = load_settings().max_request_bytes
    response = client.post(
        "/_dash-update-component",
        data=b"{" + b" " * limit + b"}",
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "for stor" in response.get_data(as_text=True)
    assert "Content-Security-Policy" in response.headers


def test_a_body_without_length_is_cut_off_at_the_limit(client):
    """A chunked body (no Content-Length) is read only up to the limit, then refused."""
    limit = load_settings().max_request_bytes
    response = client.post(
        "/_dash-update-component",
        input_stream=io.BytesIO(b"{" + b" " * (limit + 10) + b"}"),
        headers={"Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert "for stor" in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.2", "localhost.evil.example"])
def test_an_unknown_host_is_refused(client, dash_app, host):
    page = client.get("/", headers={"Host": host})
    assert page.status_code == 400 and "Ukendt adresse" in page.get_data(as_text=True)
    body = payload(dash_app, "list-grid", "columnDefs", [STATE], [])
    forged = client.post("/_dash-update-component", json=body, headers={"Host": host})
    assert forged.status_code == 400 and "CPR" not in forged.get_data(as_text=True)


@pytest.mark.parametrize("host", ["127.0.0.1:8050", "localhost", "LOCALHOST:80"])
def test_the_allowed_hosts_are_served(client, host):
    assert client.get("/healthz", headers={"Host": host}).status_code == 200


def _export(client, dash_app):
    body = payload(dash_app, "list-export-file", "data", [1], [STATE])
    return client.post("/_dash-update-component", json=body).get_json()


def test_exports_are_rate_limited_per_user(client, dash_app, monkeypatch):
    limiter = ExportLimiter("2 per hour")
    monkeypatch.setitem(dash_app.server.extensions, "msb_export_limiter", limiter)
    first, second, third = (_export(client, dash_app) for _ in range(3))
    assert first["response"]["list-export-file"]["data"]["filename"].endswith(".xlsx")
    assert second["response"]["list-export-file"]["data"]["filename"].endswith(".xlsx")
    assert "list-export-file" not in third["response"]  # no file
    assert "Vent lidt" in third["response"]["list-export-status"]["children"]
    assert limiter.allow("user:someone-else")  # the limit is per user, not for everyone


def test_the_rate_limit_is_shared_through_redis():
    """With MSB_CACHE_URL set, every worker counts in the same Redis."""
    import os
    import uuid

    url = os.environ.get("MSB_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    key = f"user:{uuid.uuid4()}"
    one, two = ExportLimiter("3 per minute", url), ExportLimiter("3 per minute", url)
    assert [one.allow(key), two.allow(key), one.allow(key), two.allow(key)] == [
        True,
        True,
        True,
        False,
    ]


def test_versioned_files_are_kept_a_year_and_the_rest_is_not(client, dash_app):
    page = client.get(f"/kpi/{KPI}").get_data(as_text=True)
    addresses = re.findall(r'(?:src|href)="(/(?:_dash-component-suites|assets)/[^"]+)"', page)
    suites = [a for a in addresses if a.startswith("/_dash-component-suites/")]
    assets = [a for a in addresses if a.startswith("/assets/")]
    assert suites and assets
    for address in suites + assets:
        response = client.get(address)
        assert response.status_code == 200, address
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # the same file without its version is revalidated, never kept blind
    plain = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js")
    assert "immutable" not in plain.headers.get("Cache-Control", "")
    assert "immutable" not in client.get("/assets/app.css").headers.get("Cache-Control", "")
    for unversioned in ("/healthz", "/_dash-layout", f"/kpi/{KPI}"):
        assert client.get(unversioned).headers["Cache-Control"] == "no-store", unversioned
