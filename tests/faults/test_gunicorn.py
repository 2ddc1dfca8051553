"""The app under gunicorn with two workers, against a PostgreSQL warehouse of the test's
own that is stopped, started and paused underneath it, and a bad configuration that must
stop the service once instead of restarting workers forever.

Bounded: every wait has a limit, and each server is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from queries.demo import write_engine
from queries.settings import ROOT
from tests.conftest import trend_request
from tests.faults.servers import ThrowawayPostgres, free_port

GUNICORN = Path(sys.executable).with_name("gunicorn")
HEADERS = {"X-Remote-User": "demo-analytiker", "X-Remote-Groups": ""}
TREND = trend_request("sygedagpenge_over_22_uger", "?enhed=JSY")


@pytest.fixture(scope="module")
def warehouse_server(frames):
    server = ThrowawayPostgres()
    engine = sa.create_engine(server.url)
    write_engine(frames, engine)
    engine.dispose()
    yield server
    server.remove()


class Gunicorn:
    def __init__(self, tmp: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.log = tmp / "gunicorn.log"
        base = {
            "PATH": os.environ["PATH"],
            "HOME": str(tmp),
            "MSB_APP_DB_URL": f"sqlite:///{tmp}/app.sqlite",
            "MSB_WARM_CACHE": "0",
            "MSB_AUTH_MODE": "header",
            "MSB_TRUSTED_PROXIES": "127.0.0.1",
            "MSB_SECRET_KEY": "test-key-for-the-fault-tests",
        }
        command = [str(GUNICORN), "-c", "gunicorn.conf.py", "--workers", "2"]
        command += ["--bind", f"127.0.0.1:{self.port}", "app:server"]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env={**base, **env}, stdout=out, stderr=subprocess.STDOUT
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, timeout: float = 15.0) -> requests.Response:
        return requests.get(self.url + path, headers=HEADERS, timeout=timeout)

    def wait_until(self, check, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-12000:]
            try:
                if check():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        pytest.fail(f"gave up after {seconds} s:\n{self.log.read_text()[-12000:]}")

    def health(self) -> dict:
        return self.get("/healthz").json()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def gunicorn(tmp_path):
    started: list[Gunicorn] = []

    def start(**env: str) -> Gunicorn:
        started.append(Gunicorn(tmp_path, env))
        return started[-1]

    yield start
    for server in started:
        server.stop()


def test_starts_while_the_warehouse_is_down_and_connects_when_it_returns(
    warehouse_server, gunicorn
):
    warehouse_server.stop()
    try:
        app = gunicorn(MSB_WAREHOUSE_URL=warehouse_server.url, MSB_QUERY_TIMEOUT="3")
        app.wait_until(lambda: app.get("/healthz").status_code == 503)
        page = app.get("/")
        assert page.status_code == 200
        layout = app.get("/_dash-layout").text
        assert "Datavarehuset svarer ikke lige nu" in layout and "Traceback" not in layout
    finally:
        warehouse_server.start()
    # Each worker has its own breaker and finds the warehouse back on its own (within
    # the breaker's pause): wait until every answer in a row says so, whichever worker.
    app.wait_until(
        lambda: all(app.get("/healthz").status_code == 200 for _ in range(6)), seconds=40
    )
    assert app.health()["warehouse"] == "ok"


def test_a_paused_warehouse_answers_within_the_deadline_and_gunicorn_lives_on(
    warehouse_server, gunicorn
):
    app = gunicorn(MSB_WAREHOUSE_URL=warehouse_server.url, MSB_QUERY_TIMEOUT="3")
    app.wait_until(lambda: app.get("/healthz").status_code == 200)
    for _ in range(4):  # both workers know the org tree before the pause
        assert app.get("/_dash-layout").status_code == 200
    warehouse_server.pause()
    try:
        for _ in range(4):  # both workers, more than once: none may hang
            started = time.monotonic()
            answer = app.get("/healthz", timeout=20)
            assert answer.status_code == 503
            assert time.monotonic() - started < 3 + 2
            started = time.monotonic()
            lens = requests.post(
                app.url + "/_dash-update-component", json=TREND, headers=HEADERS, timeout=20
            )
            assert lens.status_code == 200 and "Datavarehuset" in lens.text
            assert time.monotonic() - started < 3 + 2
    finally:
        warehouse_server.resume()
    app.wait_until(lambda: app.get("/healthz").status_code == 200, seconds=40)
    assert app.process.poll() is None


def test_a_bad_catalogue_stops_the_service_once_with_the_messages(tmp_path, gunicorn):
    bad = tmp_path / "kpi.yaml"
    bad.write_text(
        (ROOT / "kpi_definitions.yaml")
        .read_text()
        .replace("type: count_distinct", "type: median", 1)
    )
    shutil.copy(ROOT / "access.yaml", tmp_path / "access.yaml") if (
        ROOT / "access.yaml"
    ).exists() else None
    app = gunicorn(MSB_CATALOGUE=str(bad), MSB_AUTH_MODE="demo")
    assert app.process.wait(120) != 0
    log = app.log.read_text()
    assert "'median' is not allowed" in log
    assert log.count("'median' is not allowed") == 1  # once, not per worker restart
    assert "Booting worker" not in log


def test_bad_settings_stop_the_service_once_in_danish(gunicorn):
    app = gunicorn(MSB_QUERY_TIMEOUT="abc", MSB_AUTH_MODE="demo")
    assert app.process.wait(60) != 0
    log = app.log.read_text()
    assert "MSB_QUERY_TIMEOUT='abc'" in log and "Traceback" not in log


def _bad_access_file(tmp_path: Path) -> Path:
    bad = tmp_path / "access.yaml"
    text = (ROOT / "access.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("units: [BFF]", "units: [BFX]", 1), encoding="utf-8")
    return bad


def test_a_bad_access_file_stops_the_service_once_with_the_lines(tmp_path, gunicorn):
    bad = _bad_access_file(tmp_path)
    app = gunicorn(MSB_ACCESS_FILE=str(bad), MSB_AUTH_MODE="demo")
    assert app.process.wait(120) != 0
    log = app.log.read_text()
    assert log.count("BFX") == 1 and "access.yaml:" in log  # file and line, once
    assert "Booting worker" not in log and "Traceback" not in log


def test_check_refuses_a_bad_access_file(tmp_path):
    bad = _bad_access_file(tmp_path)
    env = {**os.environ, "MSB_ACCESS_FILE": str(bad)}
    env.pop("MSB_WAREHOUSE_URL", None)  # the demo warehouse: the tree is checked too
    result = subprocess.run(
        [sys.executable, "-m", "queries", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Adgangsfilen" in result.stdout and "BFX" in result.stdout
