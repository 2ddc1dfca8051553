"""/_dash-layout and /_dash-dependencies served from JSON made once (webapp/shared_answers.py):
the same bytes Dash would send, each viewer's own menu, and a new shell for a new load; the
page's config as Dash makes it, with a new signed end_id for each page load."""

from __future__ import annotations

import json
import re
import time

import brotli
import pytest
from dash import _callback_signing
from dash._utils import to_json

from tests.conftest import sign_in
from webapp import shared_answers

DRIFTSCHEF = "demo-driftschef-bff"


@pytest.fixture
def client(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    return client


def names_in(text: str, *names: str) -> list[str]:
    return [name for name in names if name in text]


def test_the_layout_is_what_dash_would_send(dash_app, client):
    with client:
        first = client.get("/_dash-layout")
        own = dash_app.serve_layout()  # Dash's own answer, in the same request and session
        assert first.status_code == 200 and first.mimetype == "application/json"
        assert first.get_data() == own.get_data()
    assert client.get("/_dash-layout").get_data() == first.get_data()


def test_the_dependencies_are_what_dash_would_send(dash_app, client):
    with client:
        served = client.get("/_dash-dependencies")
        assert served.get_data() == dash_app.dependencies().get_data()
        assert served.headers["Content-Type"] == "application/json"


def test_each_viewer_gets_their_own_menu(dash_app, client):
    access = dash_app.server.extensions["msb_identity"].access
    analyst, chief = access.user("demo-analytiker").name, access.user(DRIFTSCHEF).name
    other = dash_app.server.test_client()
    sign_in(other, DRIFTSCHEF)
    mine = client.get("/_dash-layout").get_data(as_text=True)
    theirs = other.get("/_dash-layout").get_data(as_text=True)
    assert names_in(mine, analyst, chief) == [analyst]
    assert names_in(theirs, analyst, chief) == [chief]
    assert shared_answers.MARKER not in mine and "u0000" not in mine


def test_a_new_load_builds_a_new_shell(dash_app, client, monkeypatch):
    built = []
    real = shared_answers.shell
    monkeypatch.setattr(shared_answers, "shell", lambda *a, **k: built.append(1) or real(*a, **k))
    services = dash_app._msb_services
    client.get("/_dash-layout")
    client.get("/_dash-layout")
    assert len(built) <= 1  # the first may build it; the second is served as made
    before = len(built)
    version = services.data_version()
    monkeypatch.setattr(services, "_version", (time.monotonic(), version + " (new load)"))
    client.get("/_dash-layout")
    assert len(built) == before + 1
    monkeypatch.setattr(services, "_version", (time.monotonic(), version))


def test_without_the_warehouse_the_shell_is_built_for_each_request(dash_app, client, monkeypatch):
    """No version to key it by: served as Dash would, with the outage said."""
    services = dash_app._msb_services

    def away():
        raise ConnectionError("warehouse away")

    monkeypatch.setattr(services, "data_version", away)
    text = client.get("/_dash-layout").get_data(as_text=True)
    assert "Datavarehuset svarer ikke lige nu" in text


def page_config(client, address: str = "/kpi/fuldtidspersoner?enhed=JSY") -> dict:
    page = client.get(address).get_data(as_text=True)
    found = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def test_the_page_config_is_dash_own_with_a_new_end_id_each_time(dash_app, client):
    first, second = page_config(client), page_config(client, "/")
    with dash_app.server.test_request_context("/"):
        own = json.loads(to_json(dash_app._config()))  # Dash's own config, made anew
    assert first["validation_layout"]  # the pages' layout is built: the real config
    for served in (first, second):
        assert {**served, "end_id": None} == {**own, "end_id": None}
    # a fresh token per page load, signed as Dash signs it (background callbacks check it)
    assert first["end_id"] != second["end_id"]
    secret = dash_app._get_signing_secret()
    for served in (first, second):
        assert _callback_signing.unsign(secret, _callback_signing.END_SCOPE, served["end_id"])


def test_the_dependencies_are_sent_packed_as_kept(dash_app, client):
    plain = client.get("/_dash-dependencies")
    packed = client.get("/_dash-dependencies", headers={"Accept-Encoding": "gzip, br"})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "br"
    assert packed.headers["Content-Type"] == "application/json"
    assert brotli.decompress(packed.get_data()) == plain.get_data()
