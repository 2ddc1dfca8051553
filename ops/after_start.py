"""Background work that waits until the app has answered: on two cores, cube building
(DuckDB takes every core) started at import made the first request wait seconds for it."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask, Response

AT_MOST_S = 10.0  # a worker no request reaches still starts its work


def after_first_response(server: Flask, work: Callable[[], object], at_most_s: float = AT_MOST_S):
    """Run `work` once: when the first response has been sent, or after `at_most_s`."""
    lock = threading.Lock()
    done = threading.Event()

    def run_once() -> None:
        with lock:
            if done.is_set():
                return
            done.set()
        work()

    timer = threading.Timer(at_most_s, run_once)
    timer.daemon = True
    timer.start()

    @server.after_request
    def start_when_sent(response: Response) -> Response:
        if not done.is_set():
            response.call_on_close(run_once)
        return response

    return done


def in_background(work: Callable[[], object], name: str) -> threading.Thread:
    """Run `work` in a daemon thread of its own, so the request that set it off is not
    held up by it."""
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread
