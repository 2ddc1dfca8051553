"""bench/load.py runs end to end: its own Redis and gunicorn, two leaders replaying a KPI
page visit for a few seconds, no request failing, and nothing left running after it.
Short (about 20 s) so it runs in the normal suite and the bench cannot rot. And what it
replays is what a browser sends on a KPI page load now: the layout asked with the page's
Referer comes with the page filled, and the callbacks that fire on load, built as the
bench builds them, answer with the outputs the browser asked for."""

from __future__ import annotations

import sys
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import load


def test_two_leaders_for_a_few_seconds_without_errors(capsys, monkeypatch):
    monkeypatch.delenv("MSB_CACHE_URL", raising=False)  # the bench starts a Redis of its own
    started: list[load.Gunicorn] = []
    original = load.Gunicorn.__init__

    def remember(self, *args, **kwargs):
        original(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(load.Gunicorn, "__init__", remember)
    code = load.main(
        ["--leaders", "2", "--duration", "6", "--think", "0.2", "0.5", "--setups", "1x2"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "2 leaders, think 0.2–0.5 s" in out and ", 0 errors" in out, out
    cpu = next(line for line in out.splitlines() if "per page view" in line)
    assert float(cpu.split(", ")[-1].split()[0]) > 0, cpu  # the server's CPU was read
    machine = next(line for line in out.splitlines() if line.strip().startswith("machine:"))
    assert float(machine.split()[1]) > 0, machine  # the machine's speed beside the run
    for kind in load.ORDER:  # every request of a page view was made and timed
        row = next(line for line in out.splitlines() if line.strip().startswith(kind + " "))
        count, errors = int(row.split()[1]), int(row.split()[-1])
        assert count >= 1 and errors == 0, row
    (server,) = started
    assert server.process.poll() is not None  # stopped at the end
    try:
        requests.get(server.url + "/healthz", timeout=2)
        raise AssertionError("gunicorn still answers after the bench")
    except requests.ConnectionError:
        pass


KPI = "sygedagpenge_over_22_uger"


def test_the_replay_is_what_a_browser_sends_on_a_kpi_page_load(dash_app, signed_in_client):
    client, path, search = signed_in_client, f"/kpi/{KPI}", "?enhed=JSY"
    referer = f"http://localhost{path}{search}"  # the test client's host
    shown = client.get(path + search)
    token = load.end_id(shown.get_data(as_text=True))
    assert shown.status_code == 200 and token
    laid = client.get("/_dash-layout", headers={"Referer": referer})
    page = load.components(laid.get_json())  # by id
    # the page came filled, with the address already in the pages' Location: the router
    # callback has nothing to answer, and the lenses are drawn
    assert page["_pages_location"]["pathname"] == path
    assert page["_pages_location"]["search"] == search
    assert load.kpi_state(laid.get_json()) == {"kpi": KPI, "query": f"{search}&interval=maaned"}
    assert page["trend-graph"]["figure"]["data"]
    units = load.unit_ids(laid.get_json())
    assert "JSY" in units and len(units) > 10
    bodies = load.Bodies(client.get("/_dash-dependencies").get_json())
    browser = load.browser_values(path, search)
    for name in load.ON_LOAD:
        body = bodies.body(name, page, browser)
        answer = client.post(
            f"{load.UPDATE}?endId={token}", json=body, headers={"Referer": referer}
        )
        # the list's first rows wait until the list is opened (PreventUpdate)
        assert answer.status_code == (204 if name == "list-rows" else 200), (name, answer.text)
        if answer.status_code == 204:
            continue
        asked = body["outputs"] if isinstance(body["outputs"], list) else [body["outputs"]]
        asked = [o for item in asked for o in (item if isinstance(item, list) else [item])]
        expected = {(load._key(o["id"]), o["property"].split("@")[0]) for o in asked}
        got = {
            (component, prop)
            for component, props in answer.get_json()["response"].items()
            for prop in props
        }
        assert got and got <= expected, (name, got - expected)
    links = bodies.body("menu-links", page, browser)["outputs"]
    assert len(links) > 20 and all(o["id"]["type"] == "nav-carry" for o in links)


def test_the_bodies_follow_the_callbacks():
    """A body is built from /_dash-dependencies and the page: outputs (a wildcard one as
    every matching component), inputs from the page or the browser, changed ids."""
    dependencies = [
        {
            "output": "..list-grid.columnDefs...list-sentence.children..",
            "inputs": [{"id": "kpi-state", "property": "data"}],
            "state": [],
        },
        {
            "output": '{"path":["ALL"],"type":"nav-carry"}.href',
            "inputs": [{"id": "nav", "property": "pathname"}],
            "state": [{"id": "board-loaded", "property": "data"}],
        },
    ]
    bodies = load.Bodies.__new__(load.Bodies)
    bodies.callbacks = {"list": dependencies[0], "menu-links": dependencies[1]}
    page = load.components(
        {
            "props": {
                "children": [
                    {"props": {"id": "kpi-state", "data": {"kpi": "k"}}},
                    {"props": {"id": {"type": "nav-carry", "path": "/"}, "href": "/"}},
                    {"props": {"id": {"type": "other", "path": "/"}}},
                    {"props": {"id": "board-loaded"}},
                ]
            }
        }
    )
    browser = load.browser_values("/kpi/k", "?enhed=MSB")
    body = bodies.body("list", page, browser)
    assert body["outputs"] == [
        {"id": "list-grid", "property": "columnDefs"},
        {"id": "list-sentence", "property": "children"},
    ]
    assert body["inputs"][0]["value"] == {"kpi": "k"}
    assert body["changedPropIds"] == [] and "state" not in body  # from the layout: unchanged
    body = bodies.body("menu-links", page, browser)
    assert body["outputs"] == [{"id": {"type": "nav-carry", "path": "/"}, "property": "href"}]
    assert body["inputs"] == [{"id": "nav", "property": "pathname", "value": "/kpi/k"}]
    assert body["changedPropIds"] == ["nav.pathname"]
    assert body["state"] == [{"id": "board-loaded", "property": "data"}]  # unset: no value
