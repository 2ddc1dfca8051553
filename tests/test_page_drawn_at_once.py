"""The KPI page arrives with its lenses drawn: the trend, the benchmark, the target grid,
Målkompas and the Spilleplade's note come in the page's one answer, each as its own
callback answers for the same state, and those callbacks do not fire when the page is
shown (each chart is drawn once, not a placeholder first)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pytest
from dash import dcc, html, no_update

from components import (
    lens_benchmark,
    lens_target,
    lens_trend,
    maalkompas,
    spilleplade,
)
from components.prefill import prefilled
from tests.test_help import _props
from tests.test_http import payload
from tests.test_way import page

KPI = "sygedagpenge_over_22_uger"
QUERY = "enhed=JSY"


def by_id(tree) -> dict:
    return {p["id"]: p for p in _props(tree) if isinstance(p.get("id"), str)}


def test_the_page_carries_what_its_lens_callbacks_would_answer(dash_app, signed_in_client):
    shown = by_id(page(dash_app, signed_in_client, f"/kpi/{KPI}", f"?{QUERY}")["response"])
    state = shown["kpi-state"]["data"]
    assert state == {"kpi": KPI, "query": f"?{QUERY}&interval=maaned"}
    trend = shown[lens_trend.GRAPH]["figure"]
    assert trend["data"] and "Henter tal" not in str(trend["layout"].get("annotations"))
    assert shown[lens_benchmark.GRAPH]["figure"]["data"]
    assert shown[lens_target.GRID]["rowData"]
    assert "JSY" in shown[lens_trend.GRAPH]["config"]["toImageButtonOptions"]["filename"]
    body = payload(dash_app, lens_benchmark.GRAPH, "figure", [state], [])
    response = signed_in_client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.text
    answered = response.get_json()["response"]
    assert answered[lens_benchmark.GRAPH]["figure"] == shown[lens_benchmark.GRAPH]["figure"]
    assert (
        answered[lens_benchmark.SENTENCE]["children"] == shown[lens_benchmark.SENTENCE]["children"]
    )


def test_the_lenses_drawn_with_the_page_do_not_fire_when_it_is_shown(dash_app, signed_in_client):
    signed_in_client.get("/")  # the pages' router registers on a request
    drawn = {
        f"{component}.{prop}"
        for component, prop in (
            (lens_trend.GRAPH, "figure"),
            (lens_benchmark.GRAPH, "figure"),
            (lens_target.GRID, "rowData"),
            (lens_target.GRID, "columnDefs"),
            (lens_trend.GRAPH, "config"),
            *maalkompas.SHOWN,
            *spilleplade.SHOWN,
        )
    }
    callbacks = signed_in_client.get("/_dash-dependencies").get_json()
    seen = set()
    for callback in callbacks:
        outputs = {part.split("@")[0] for part in callback["output"].strip(".").split("...")}
        if outputs & drawn:
            seen |= outputs & drawn
            assert callback["prevent_initial_call"], callback["output"]
    assert seen == drawn


def test_prefilled_sets_each_output_and_leaves_no_update_alone():
    layout = html.Div([dbc.Input(id="a", value="old"), html.P(id="b", children="keep")])
    prefilled(layout, [("a", "value"), ("b", "children")], ["new", no_update])
    assert layout.children[0].value == "new"
    assert layout.children[1].children == "keep"
    with pytest.raises(KeyError):
        prefilled(layout, [("c", "value")], [1])
    with pytest.raises(ValueError):
        prefilled(dcc.Store(id="s"), [("s", "data")], [])


def first_layout(client, referer: str | None) -> dict:
    headers = {"Referer": referer} if referer else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    return by_id(response.get_json())


def test_the_first_layout_carries_the_kpi_page_its_referer_names(dash_app, signed_in_client):
    shown = first_layout(signed_in_client, f"http://localhost/kpi/{KPI}?{QUERY}")
    location = shown["_pages_location"]
    # dcc.Location sets nothing it already holds: the router's callback does not fire
    assert (location["pathname"], location["search"]) == (f"/kpi/{KPI}", f"?{QUERY}")
    assert shown["kpi-state"]["data"]["query"].startswith(f"?{QUERY}")
    assert shown[lens_trend.GRAPH]["figure"]["data"]
    assert shown["_pages_store"]["data"]["title"]
    assert "nav" in shown and "main" in shown  # the frame around it as before


@pytest.mark.parametrize(
    "referer",
    [None, "http://elsewhere.example/kpi/" + KPI, "http://localhost/", "http://localhost/nope"],
)
def test_the_first_layout_leaves_other_addresses_to_the_router(dash_app, signed_in_client, referer):
    shown = first_layout(signed_in_client, referer)
    assert not shown["_pages_content"].get("children")
    assert "pathname" not in shown["_pages_location"]
    assert "kpi-state" not in shown
