"""The lenses a KPI page is drawn with, kept between views (components/kept_lenses.py): a
kept page is the page drawn anew; a goal stored by another process shows at once and
only to those who may read it; the benchmark is never shared between scopes; a lens that
failed is not kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from components import kept_lenses, lens_benchmark, lens_target, lens_trend
from components.figures import OWN_GOAL_NAME
from queries.settings import ROOT
from tests.conftest import CATALOGUE, count_calls, sign_in
from tests.test_lens_answers import OTHER_PROCESS, load

KPI = "sygedagpenge_over_22_uger"


@pytest.fixture
def drawn(monkeypatch):
    """How often each lens was really drawn."""
    return count_calls(
        monkeypatch,
        {
            "trend": (lens_trend, "drawn"),
            "benchmark": (lens_benchmark, "outputs"),
            "target": (lens_target, "outputs"),
        },
    )


def client_for(dash_app, persona: str = "demo-analytiker"):
    client = dash_app.server.test_client()
    sign_in(client, persona)
    return client


def page(client, search: str, kpi: str = KPI) -> dict:
    """The filled layout answer for the KPI page at `search`, its components by id."""
    referer = {"Referer": f"http://localhost/kpi/{kpi}{search}"}
    answer = client.get("/_dash-layout", headers=referer)
    assert answer.status_code == 200
    return load.components(answer.get_json())


def trend_names(shown: dict) -> list[str]:
    return [trace.get("name") for trace in shown["trend-graph"]["figure"]["data"]]


def own_goal_in_grid(shown: dict, unit: str) -> object:
    return next(r["eget_maal"] for r in shown["target-grid"]["rowData"] if r["unit_id"] == unit)


def test_a_page_with_kept_lenses_is_the_page_drawn_anew(dash_app, drawn, monkeypatch):
    client = client_for(dash_app)
    search = "?enhed=JUS&interval=kvartal&periode=2026-K1"
    first = page(client, search)
    kept = page(client, search)
    assert drawn == {"trend": 1, "benchmark": 1, "target": 1}
    monkeypatch.setattr(kept_lenses, "_kept", lambda services, name, key, draw: draw())
    anew = page(client, search)
    assert kept == first == anew
    assert kept["trend-graph"]["figure"]["data"] and kept["target-grid"]["rowData"]


def test_another_scope_draws_its_own_benchmark_and_shares_the_trend(dash_app, drawn):
    # A KPI no test stores goals or Spilleplade marks for: a goal one viewer may read and
    # the other may not makes their grids differ, rightly (see the goal test below).
    kpi = "sygefravaer"
    search = "?enhed=BFF&interval=maaned&periode=2026-05"
    page(client_for(dash_app), search, kpi)
    page(client_for(dash_app, "demo-driftschef-bff"), search, kpi)
    assert drawn == {"trend": 1, "benchmark": 2, "target": 1}


def test_a_goal_stored_by_another_process_shows_on_the_page_at_once(dash_app, drawn):
    unit = "JSY-03"
    search = f"?enhed={unit}&interval=maaned&periode=2026-07"
    client = client_for(dash_app)
    before = page(client, search)
    assert OWN_GOAL_NAME not in trend_names(before)
    assert own_goal_in_grid(before, unit) is None
    org = dash_app._msb_services.org
    rows = json.dumps([(u.id, u.parent, u.name) for u in org.units.values()])
    url = os.environ["MSB_APP_DB_URL"]
    command = [sys.executable, "-c", OTHER_PROCESS, url, str(CATALOGUE), KPI, unit, rows]
    subprocess.run(command, cwd=ROOT, check=True, timeout=120)

    after = page(client, search)
    assert OWN_GOAL_NAME in trend_names(after)
    assert own_goal_in_grid(after, unit) == pytest.approx(0.4)
    assert drawn["trend"] == drawn["target"] == 2
    # a leader of another part of the organisation may not read the goal: never sent it
    chief = page(client_for(dash_app, "demo-driftschef-bff"), search)
    assert OWN_GOAL_NAME not in trend_names(chief)
    assert own_goal_in_grid(chief, unit) is None


def test_a_lens_that_failed_is_not_kept(dash_app, monkeypatch):
    client = client_for(dash_app)
    search = "?enhed=JSY&interval=maaned&periode=2026-03"
    services = dash_app._msb_services
    real = type(services).trend

    def away(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(type(services), "trend", away)
    failed = page(client, search)
    assert "kunne ikke vises" in json.dumps(failed["trend-sentence"], ensure_ascii=False)
    monkeypatch.setattr(type(services), "trend", real)
    shown = page(client, search)
    assert "kunne ikke vises" not in json.dumps(shown["trend-sentence"], ensure_ascii=False)
    assert shown["trend-graph"]["figure"]["data"]
