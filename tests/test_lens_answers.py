"""Kept lens answers (webapp/lens_answers.py) over HTTP: a hit is the same bytes without
running the callback; another scope, a new load or a failed answer is never served from
what was kept; a list is never kept."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from components import lens_benchmark, lens_list
from tests.conftest import sign_in
from webapp import lens_answers

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
    assert all("list" not in output and "grid" not in output for output in lens_answers.KEPT)
    first = ask(client, bodies, "list")
    second = ask(client, bodies, "list")
    assert first == second
    assert calls["list"] == 2
