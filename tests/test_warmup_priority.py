"""Cubes built in the background give the cores to the pages first: the warm-up thread
runs at a lower priority, and only that thread (Linux schedules threads by their own nice
value). Read back from the kernel with os.getpriority."""

from __future__ import annotations

import io
import os
import threading

import pytest
from flask import Flask
from flask_caching import Cache

from components.services import Services
from ops.warmup import BUILD_NICE, start_warming, yield_to_pages

pytestmark = pytest.mark.skipif(
    not hasattr(os, "setpriority") or os.uname().sysname != "Linux",
    reason="per-thread priorities are Linux's",
)


def priority_of_this_thread() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def expected_after(start: int) -> int:
    return max(start, BUILD_NICE)


def test_only_the_thread_that_yields_is_lowered():
    main_before = priority_of_this_thread()
    seen = {}

    def work() -> None:
        seen["before"] = priority_of_this_thread()
        yield_to_pages()
        seen["after"] = priority_of_this_thread()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["before"] == main_before
    assert seen["after"] == expected_after(main_before)
    assert seen["after"] > main_before or main_before >= BUILD_NICE
    assert priority_of_this_thread() == main_before  # the pages' threads keep theirs


def test_the_warm_up_builds_at_the_lower_priority(duckdb_warehouse):
    services = Services(
        duckdb_warehouse, Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"})
    )
    seen, asked = {}, threading.Event()

    def data_version_seen_from_the_builder():
        seen.setdefault("priority", priority_of_this_thread())
        asked.set()
        # No cube is built: the builder backs off as from a warehouse that is away.
        raise ConnectionError("only the builder's priority is looked at")

    services.data_version = data_version_seen_from_the_builder  # the builder's first call
    main = priority_of_this_thread()
    start_warming(services, idle_s=3600)
    assert asked.wait(30), "the warm-up never started"
    assert seen["priority"] == expected_after(main)
    assert priority_of_this_thread() == main


def test_the_cube_command_builds_at_the_lower_priority(monkeypatch, duckdb_path):
    from ops.cube_command import build_cubes

    for name in [name for name in os.environ if name.startswith("MSB_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("MSB_DEMO_PATH", str(duckdb_path))  # no MSB_CACHE_URL: it stops early
    main, seen, said = priority_of_this_thread(), {}, io.StringIO()

    def command() -> None:
        seen["exit"] = build_cubes(out=said)
        seen["priority"] = priority_of_this_thread()

    thread = threading.Thread(target=command)
    thread.start()
    thread.join(60)
    assert seen["exit"] == 1 and "MSB_CACHE_URL er ikke sat" in said.getvalue()
    assert seen["priority"] == expected_after(main)
    assert priority_of_this_thread() == main
