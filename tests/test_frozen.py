"""Fixed frames made once (components/frozen.py): a KPI page sent with them is the JSON
Dash sends when every frame is built anew, and the validation layout keeps their ids."""

from __future__ import annotations

import sys
from pathlib import Path

from pages import kpi
from tests.conftest import sign_in
from webapp import lens_answers, validation_layout

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import load  # the load bench builds the bodies dash-renderer sends


def test_a_kpi_page_with_frozen_frames_is_what_dash_makes(dash_app, monkeypatch):
    monkeypatch.setattr(lens_answers, "KEPT", {})  # made anew each time, never kept
    client = dash_app.server.test_client()
    sign_in(client)
    bodies = load.Bodies(client.get("/_dash-dependencies").get_json())
    for search in ("?enhed=JSY", "?enhed=BFF-01-02&interval=kvartal&kun=taeller"):
        body = bodies.router_body("/kpi/sygedagpenge_over_22_uger", search)
        with_frozen = client.post(lens_answers.UPDATE, json=body)
        with monkeypatch.context() as built:
            built.setattr(kpi, "frozen", kpi._made)
            anew = client.post(lens_answers.UPDATE, json=body)
        assert with_frozen.status_code == anew.status_code == 200
        assert with_frozen.get_data() == anew.get_data()
        assert b"spilleplade" in with_frozen.get_data().lower()


def test_the_validation_layout_still_holds_the_frames_ids(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    client.get("/")  # Dash pages builds the validation layout on the first request
    assert validation_layout.unknown_callback_ids(dash_app) == []
