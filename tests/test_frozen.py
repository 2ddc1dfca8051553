"""Fixed frames made once (components/frozen.py): a KPI page sent with them is the JSON
Dash sends when every frame is built anew (a frame filled with its first answers
included), and the validation layout keeps their ids."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from dash import dcc, html

from components.frozen import Frozen
from components.prefill import prefilled
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
        # the same JSON; a property a frozen frame is filled with comes last in its props
        assert json.loads(with_frozen.get_data()) == json.loads(anew.get_data())
        assert b"spilleplade" in with_frozen.get_data().lower()


def test_a_page_filled_with_the_first_answers_is_the_same_with_frozen_frames(dash_app, monkeypatch):
    """The layout answer for a KPI page (Referer) holds Målkompas and the Spilleplade
    filled for the viewer: the same from frozen frames as from frames built anew."""
    monkeypatch.setattr(lens_answers, "KEPT", {})
    client = dash_app.server.test_client()
    sign_in(client)
    referer = {"Referer": "http://localhost/kpi/sygedagpenge_over_22_uger?enhed=JSY"}
    with_frozen = client.get("/_dash-layout", headers=referer).get_json()
    with monkeypatch.context() as built:
        built.setattr(kpi, "frozen", kpi._made)
        anew = client.get("/_dash-layout", headers=referer).get_json()
    assert with_frozen == anew
    assert load.components(with_frozen)["maalkompas-summary"]["children"]


def test_a_filled_frozen_tree_is_a_copy_with_only_those_props_set():
    tree = html.Div(
        [dcc.Input(id="a", value="old"), html.Div(html.Span(id="b", children="x"), id="c")]
    )
    frame = Frozen(tree)
    before = json.dumps(frame.to_plotly_json(), sort_keys=True)
    filled = prefilled(frame, [("a", "value"), ("b", "children")], ["new", html.B("y")])
    shown = json.loads(json.dumps(filled.to_plotly_json(), default=lambda o: o.to_plotly_json()))
    assert shown["props"]["children"][0]["props"]["value"] == "new"
    assert shown["props"]["children"][1]["props"]["children"]["props"]["children"] == {
        "type": "B",
        "namespace": "dash_html_components",
        "props": {"children": "y"},
    }
    assert json.dumps(frame.to_plotly_json(), sort_keys=True) == before  # frozen stays
    with pytest.raises(KeyError, match="'z'"):
        prefilled(frame, [("z", "value")], [1])


def test_the_validation_layout_still_holds_the_frames_ids(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    client.get("/")  # Dash pages builds the validation layout on the first request
    assert validation_layout.unknown_callback_ids(dash_app) == []
