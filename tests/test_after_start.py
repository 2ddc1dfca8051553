"""Work deferred until the app has answered its first request, or a time limit."""

from __future__ import annotations

import threading
import time

from flask import Flask

from ops.after_start import after_first_response


def test_work_starts_once_after_the_first_response():
    server = Flask(__name__)
    started: list[float] = []
    answered: list[float] = []

    @server.get("/")
    def index() -> str:
        answered.append(time.perf_counter())
        return "svar"

    done = after_first_response(server, lambda: started.append(time.perf_counter()), 60)
    assert not done.is_set() and started == []
    client = server.test_client()
    with client.get("/") as first:  # closed as a server closes it once sent
        assert first.status_code == 200
    assert len(started) == 1
    with client.get("/"):
        pass
    assert len(started) == 1 and started[0] >= answered[0]


def test_work_starts_without_a_request_after_the_limit():
    ran = threading.Event()
    after_first_response(Flask(__name__), ran.set, at_most_s=0.05)
    assert ran.wait(5)
