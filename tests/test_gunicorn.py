"""The production command starts: gunicorn's master checks the catalogue and the access
file, and its two workers then serve (a DuckDB opened in the master before the fork made
every worker die of SIGSEGV, over and over)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_with_two_workers_serves(duckdb_path, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSB_")}
    env.update(
        MSB_AUTH_MODE="demo",
        MSB_DEMO_PATH=str(duckdb_path),
        MSB_APP_DB_URL=f"sqlite:///{tmp_path / 'app.sqlite'}",
        MSB_SECRET_KEY="test-gunicorn",
        MSB_WARM_CACHE="0",
    )
    log = tmp_path / "gunicorn.log"
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "app:server"]
    with log.open("w") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        answered = None
        deadline = time.monotonic() + 90
        while answered is None and time.monotonic() < deadline and server.poll() is None:
            try:
                answered = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=30)
            except requests.ConnectionError:
                time.sleep(0.1)
        text = log.read_text()
        assert answered is not None and answered.status_code == 200, text[-2000:]
        assert "SIGSEGV" not in text
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
