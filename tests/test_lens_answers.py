"""Kept answers (webapp/lens_answers.py) over HTTP: a hit is the same bytes without
running the callback; another scope, a new load, a goal stored by another process or a
failed answer is never served from what was kept; a kept page view is still counted; a
list is never kept."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import brotli
import pytest

from components import lens_benchmark, lens_list
from components.figures import OWN_GOAL_NAME
from queries.settings import ROOT
from tests.conftest import CATALOGUE, count_calls, sign_in
from webapp import lens_answers
from webapp.usage import EXTENSION as USAGE

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

# the load bench builds the bodies dash-renderer sends
import load

KPI = "sygedagpenge_over_22_uger"
STATE = {"kpi": KPI, "query": "?enhed=JSY&interval=maaned&periode=2026-10"}


@pytest.fixture
def bodies(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    return load.Bodies(client.get("/_dash-dependencies").get_json())


@pytest.fixture
def client(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    return client


@pytest.fixture
def calls(monkeypatch):
    """How often each lens function really ran."""
    ran = {"benchmark": 0, "list": 0}
    drawn, header = lens_benchmark.drawn, lens_list.Services.list_header

    def counted_drawn(*args, **kwargs):
        ran["benchmark"] += 1
        return drawn(*args, **kwargs)

    def counted_header(self, *args, **kwargs):
        ran["list"] += 1
        return header(self, *args, **kwargs)

    monkeypatch.setattr(lens_benchmark, "drawn", counted_drawn)
    monkeypatch.setattr(lens_list.Services, "list_header", counted_header)
    return ran


def ask(client, bodies, lens: str, state: dict = STATE):
    answer = client.post(lens_answers.UPDATE, json=bodies.lens_body(lens, state))
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer.get_data()


def test_the_benchmark_is_kept_and_served_as_the_same_bytes(client, bodies, calls):
    state = {**STATE, "query": STATE["query"] + "&sammenlign=soeskende"}
    first = ask(client, bodies, "benchmark", state)
    second = ask(client, bodies, "benchmark", state)
    assert second == first and b"benchmark-graph" in first
    assert calls["benchmark"] == 1


def test_another_scope_is_not_served_what_was_kept(dash_app, client, bodies, calls):
    state = {**STATE, "query": "?enhed=BFF&interval=kvartal&periode=2026-K3"}
    ask(client, bodies, "benchmark", state)
    chief = dash_app.server.test_client()
    sign_in(chief, "demo-driftschef-bff")
    ask(chief, bodies, "benchmark", state)
    assert calls["benchmark"] == 2
    ask(chief, bodies, "benchmark", state)
    assert calls["benchmark"] == 2  # kept for that scope in turn


def test_a_new_load_is_not_served_what_was_kept(dash_app, client, bodies, calls, monkeypatch):
    state = {**STATE, "query": "?enhed=JSY-01&interval=aar&periode=2025"}
    ask(client, bodies, "benchmark", state)
    services = dash_app._msb_services
    version = services.data_version()
    monkeypatch.setattr(services, "_version", (time.monotonic(), version + " (new load)"))
    ask(client, bodies, "benchmark", state)
    assert calls["benchmark"] == 2
    monkeypatch.setattr(services, "_version", (time.monotonic(), version))


def test_an_answer_that_failed_is_not_kept(dash_app, client, bodies, monkeypatch):
    state = {**STATE, "query": "?enhed=MSB&interval=maaned&periode=2026-09"}
    drawn = lens_benchmark.drawn

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(lens_benchmark, "drawn", broken)
    assert "kunne ikke vises" in ask(client, bodies, "benchmark", state).decode()
    monkeypatch.setattr(lens_benchmark, "drawn", drawn)
    assert "kunne ikke vises" not in ask(client, bodies, "benchmark", state).decode()


def test_a_list_is_never_kept(client, bodies, calls):
    assert all("list" not in output for output in lens_answers.KEPT)
    first = ask(client, bodies, "list")
    second = ask(client, bodies, "list")
    assert first == second
    assert calls["list"] == 2


# ---- the trend, the target grid and the KPI page's router ------------------------------

# Sets an own goal from a process of its own, as another gunicorn worker or app server
# would: nothing in this process hears of it but the app database.
OTHER_PROCESS = """
import json, sys
from datetime import date
from appdb import open_app_db
from appdb.goal_store import set_goal
from identity.viewer import Viewer
from queries.catalogue.loader import load_catalogue
from queries.orgtree import OrgTree
url, catalogue, kpi_id, unit, rows = sys.argv[1:6]
admin = Viewer("admin-anden-proces", "Admin", "admin", all_units=True)
kpi = load_catalogue(catalogue).kpi(kpi_id)
org = OrgTree.from_rows(json.loads(rows))
why = "Fra en anden proces"
set_goal(open_app_db(url), org, admin, kpi, unit, "40", None, date(2020, 1, 1), why)
"""


@pytest.fixture
def drawn_count(monkeypatch):
    """How often the trend's figure, the grid's rows and the KPI page were really made."""
    from components import lens_target, lens_trend
    from pages import kpi

    return count_calls(
        monkeypatch,
        {
            "trend": (lens_trend, "trend_figure"),
            "target": (lens_target, "rows_for"),
            "page": (kpi, "controls"),
        },
    )


def response(raw: bytes) -> dict:
    return json.loads(raw)["response"]


def trend_names(raw: bytes) -> list[str]:
    return [trace.get("name") for trace in response(raw)["trend-graph"]["figure"]["data"]]


def own_goal_in_grid(raw: bytes, unit: str) -> object:
    rows = response(raw)["target-grid"]["rowData"]
    return next(row["eget_maal"] for row in rows if row["unit_id"] == unit)


def test_the_trend_and_target_grid_are_kept(client, bodies, drawn_count):
    state = {"kpi": KPI, "query": "?enhed=JUS&interval=kvartal&periode=2026-K2"}
    for lens in ("trend", "target"):
        first = ask(client, bodies, lens, state)
        assert ask(client, bodies, lens, state) == first
        assert drawn_count[lens] == 1
    # the grid holds every unit: another unit's page is served the same grid
    other = {"kpi": KPI, "query": "?enhed=MSB&interval=kvartal&periode=2026-K2"}
    assert ask(client, bodies, "target", other) == ask(client, bodies, "target", state)
    assert drawn_count["target"] == 1


def test_a_goal_stored_by_another_process_shows_at_once(dash_app, client, bodies, drawn_count):
    unit = "JSY-02"
    state = {"kpi": KPI, "query": f"?enhed={unit}&interval=maaned&periode=2026-06"}
    before = {lens: ask(client, bodies, lens, state) for lens in ("trend", "target")}
    assert OWN_GOAL_NAME not in trend_names(before["trend"])
    assert own_goal_in_grid(before["target"], unit) is None
    org = dash_app._msb_services.org
    rows = json.dumps([(u.id, u.parent, u.name) for u in org.units.values()])
    url = os.environ["MSB_APP_DB_URL"]
    command = [sys.executable, "-c", OTHER_PROCESS, url, str(CATALOGUE), KPI, unit, rows]
    subprocess.run(command, cwd=ROOT, check=True, timeout=120)

    trend = ask(client, bodies, "trend", state)
    assert OWN_GOAL_NAME in trend_names(trend)
    assert own_goal_in_grid(ask(client, bodies, "target", state), unit) == pytest.approx(0.4)
    assert drawn_count == {"trend": 2, "target": 2, "page": 0}
    # a leader of another part of the organisation may not read the goal: never served it
    chief = dash_app.server.test_client()
    sign_in(chief, "demo-driftschef-bff")
    assert OWN_GOAL_NAME not in trend_names(ask(chief, bodies, "trend", state))
    assert own_goal_in_grid(ask(chief, bodies, "target", state), unit) is None
    assert ask(client, bodies, "trend", state) == trend  # kept for each in turn


def router(client, bodies, search: str, encoding: str | None = None):
    headers = {"Accept-Encoding": encoding} if encoding else {}
    body = bodies.router_body(f"/kpi/{KPI}", search)
    answer = client.post(lens_answers.UPDATE, json=body, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer


def test_the_kpi_page_is_made_for_each_view_and_every_view_counted(
    dash_app, client, bodies, drawn_count
):
    """The page comes with the viewer's own goal, marks and forløb drawn in: never kept."""
    usage = dash_app.server.extensions[USAGE]

    def views() -> int:
        events = usage.events()
        page = (events["page"] == "kpi") & (events["kpi_id"] == KPI)
        return int((page & (events["unit"] == "VJH")).sum())

    counted = views()
    router(client, bodies, "?enhed=MSB")
    first = router(client, bodies, "?enhed=VJH").get_data()
    router(client, bodies, "?enhed=VJH")
    assert drawn_count["page"] == 3  # made anew each time
    assert views() == counted + 2
    assert load.kpi_state(json.loads(first))["kpi"] == KPI


def test_a_kept_answer_is_sent_compressed_as_it_is_kept(client, bodies):
    plain = router(client, bodies, "?enhed=UJU").get_data()
    packed = router(client, bodies, "?enhed=UJU", "gzip, deflate, br, zstd")
    assert packed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert brotli.decompress(packed.get_data()) == plain
    gzipped = router(client, bodies, "?enhed=UJU", "gzip")
    assert gzip.decompress(gzipped.get_data()) == plain


def test_an_answer_kept_just_now_is_sent_packed_once(client, bodies):
    first = router(client, bodies, "?enhed=JUS", "gzip, deflate, br, zstd")
    again = router(client, bodies, "?enhed=JUS", "gzip, deflate, br, zstd")
    assert first.headers["Content-Encoding"] == again.headers["Content-Encoding"] == "br"
    assert brotli.decompress(first.get_data()) == brotli.decompress(again.get_data())
