"""The warehouse goes away after start-up, and comes back: clear messages, no traces.

"Down" is real: the engine points at a port on this machine where nothing listens.
"""

from __future__ import annotations

import dash
import pytest

from dashboard import create_app
from queries.engine import create_warehouse_engine
from queries.warehouse import Warehouse
from tests.conftest import sign_in, trend_request

DEAD = "postgresql+psycopg://postgres@127.0.0.1:1/test"


@pytest.fixture
def flaky(duckdb_warehouse):
    """A warehouse that started fine (its org tree is read), then lost its database."""
    warehouse = Warehouse(duckdb_warehouse.engine, duckdb_warehouse.catalogue)
    _ = warehouse.org
    app = create_app(warehouse)
    client = app.server.test_client()
    sign_in(client)
    yield warehouse, client
    dash.page_registry.clear()


def test_health_says_unavailable_and_comes_back(flaky, duckdb_warehouse):
    warehouse, client = flaky
    assert client.get("/healthz").status_code == 200
    warehouse.engine = create_warehouse_engine(DEAD, timeout_s=2)
    down = client.get("/healthz")
    assert down.status_code == 503 and down.get_json()["warehouse"] == "unavailable"
    warehouse.engine = duckdb_warehouse.engine
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_pages_still_answer_in_danish_while_the_warehouse_is_down(flaky):
    warehouse, client = flaky
    warehouse.engine = create_warehouse_engine(DEAD, timeout_s=2)
    response = client.get("/")
    assert response.status_code == 200
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Datavarehuset svarer ikke lige nu" in layout
    assert "Traceback" not in layout


def test_a_lens_reports_a_danish_error_and_the_page_lives_on(flaky):
    warehouse, client = flaky
    warehouse.engine = create_warehouse_engine(DEAD, timeout_s=2)
    body = trend_request("anbragte_boern", "?enhed=BFF&periode=2026-10")
    client.get("/")
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "kunne ikke vises" in text and "Traceback" not in text


def test_bad_catalogue_is_refused_at_start(tmp_path):
    import subprocess
    import sys

    from queries.settings import ROOT

    bad = tmp_path / "kpi.yaml"
    bad.write_text(
        (ROOT / "kpi_definitions.yaml")
        .read_text()
        .replace("type: count_distinct", "type: median", 1)
    )
    result = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "MSB_CATALOGUE": str(bad),
            "MSB_DEMO_PATH": str(tmp_path / "demo.duckdb"),
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode != 0
    assert "kataloget passer ikke" in result.stderr and "'median' is not allowed" in result.stderr
    assert "Traceback" not in result.stderr
