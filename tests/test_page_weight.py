"""A page GET is light: the validation layout it carries holds only ids, and it still
catches a callback whose id is misspelt."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from dash import Dash, Input, Output, dcc, html

from webapp import validation_layout
from webapp.validation_layout import compact, unknown_callback_ids

KPI = "sygedagpenge_over_22_uger"
CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def client(signed_in_client):
    return signed_in_client


def ids_in(tree) -> set[str]:
    """Every plain id in a serialized layout, as the browser reads it."""
    found: set[str] = set()
    if isinstance(tree, list):
        for item in tree:
            found |= ids_in(item)
    elif isinstance(tree, dict):
        props = tree.get("props", {})
        if isinstance(props.get("id"), str):
            found.add(props["id"])
        for value in props.values():
            if isinstance(value, (dict, list)):
                found |= ids_in(value)
    return found


def test_a_kpi_page_is_under_50_kb_of_html(client):
    html_bytes = client.get(f"/kpi/{KPI}?enhed=JSY").get_data()
    assert len(html_bytes) < 50_000
    assert len(gzip.compress(html_bytes)) < 10_000


def test_the_page_carries_every_callback_id_and_nothing_else(client, dash_app):
    page = client.get(f"/kpi/{KPI}").get_data(as_text=True)
    shipped = json.loads(CONFIG.search(page).group(1))["validation_layout"]
    assert {"kpi-state", "trend-graph", "list-grid", "home-unit", "nav-toggle"} <= ids_in(shipped)
    for component in shipped["props"]["children"]:
        assert set(component["props"]) == {"id"}  # no text, options or style
    # the types stay, so the browser still checks that each property belongs to its type
    assert {"Graph", "AgGrid", "Store"} <= {c["type"] for c in shipped["props"]["children"]}
    assert unknown_callback_ids(dash_app) == []


def small_app(callback_id: str) -> Dash:
    app = Dash(__name__)
    full = html.Div(
        [
            html.H1("Udvikling over tid"),
            dcc.Graph(id="trend-graph", figure={"data": []}),
            html.Div(html.Span("Sætningen", id="trend-sentence"), className="card"),
        ]
    )
    app.layout = full
    app.validation_layout = full
    validation_layout.install(app)

    @app.callback(Output(callback_id, "children"), Input("trend-graph", "clickData"))
    def sentence(_click):
        return ""

    return app


def test_a_misspelt_callback_id_is_caught():
    assert unknown_callback_ids(small_app("trend-sentence")) == []
    assert unknown_callback_ids(small_app("trend-sentense")) == ["trend-sentense"]


def test_compact_keeps_ids_and_types_held_outside_children():
    label = html.Span("Vis kun tælleren", id="numerator-label")
    tree = html.Div([dcc.Checklist(id="numerator", options=[{"label": label, "value": "ja"}])])
    tree.children.append(html.Div(dcc.Store(id="kpi-state", data={"kpi": KPI})))
    bare = compact(tree).children
    assert [(type(c).__name__, c.id) for c in bare] == [
        ("Checklist", "numerator"),
        ("Store", "kpi-state"),
    ]
    assert all(c.to_plotly_json()["props"] == {"id": c.id} for c in bare)


def test_the_page_brings_plotlys_basic_bundle_of_plotly_pythons_version(client):
    """dcc.Graph uses the Plotly already on the page; it must be the plotly.js version
    plotly.py writes figures for, and the 4.8 MB full bundle is never referenced."""
    from pathlib import Path

    from plotly.offline import get_plotlyjs_version

    page = client.get(f"/kpi/{KPI}").get_data(as_text=True)
    assert re.search(r'src="/assets/plotly-basic\.min\.js\?m=\d+', page)
    assert "plotly.min.js" not in page
    bundle = Path(__file__).parents[1] / "assets" / "plotly-basic.min.js"
    head = bundle.read_text(encoding="utf-8")[:200]
    assert f"plotly.js (basic - minified) v{get_plotlyjs_version()}" in head
