"""bench/load.py runs end to end: its own Redis and gunicorn, two leaders replaying a KPI
page visit for a few seconds, no request failing, and nothing left running after it.
Short (about 20 s) so it runs in the normal suite and the bench cannot rot."""

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


def test_the_bodies_follow_the_callbacks():
    """A lens body is built from /_dash-dependencies: outputs, inputs, changed ids."""
    dependency = {
        "output": "..trend-graph.figure...trend-sentence.children..",
        "inputs": [{"id": "kpi-state", "property": "data"}],
        "state": [],
    }
    bodies = load.Bodies.__new__(load.Bodies)
    bodies.lenses = {"trend": dependency}
    body = bodies.lens_body("trend", {"kpi": "k", "query": "?enhed=MSB"})
    assert body["outputs"] == [
        {"id": "trend-graph", "property": "figure"},
        {"id": "trend-sentence", "property": "children"},
    ]
    assert body["inputs"][0]["value"] == {"kpi": "k", "query": "?enhed=MSB"}
    assert body["changedPropIds"] == ["kpi-state.data"]
