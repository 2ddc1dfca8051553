"""Keep every KPI's cubes cached, healing on its own: per KPI and grain, with backoff on
failure, noticing a new data version and cubes that went missing (a flushed Redis).

One process builds each cube: a lock in the shared cache (`add` is atomic in Redis), so
four gunicorn workers do not build the same cube four times.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable

from queries.catalogue.models import Grain

log = logging.getLogger(__name__)
LOCK_S = 600  # a build that takes longer than this is presumed dead and may be taken over
IDLE_S = 30.0  # how often a warm process looks for a new load or missing cubes
MAX_BACKOFF_S = 300.0
BUILD_NICE = 10  # of 19: a build still moves on a busy machine


Report = Callable[[str, Grain, float, Exception | None], None]


def lock_name(kpi_id: str, grain: Grain, version: object) -> str:
    return f"cube-build:{kpi_id}:{grain.value}:{version}"


def warm_once(
    services,
    failures: dict[tuple[str, Grain], int],
    stop: threading.Event | None = None,
    report: Report | None = None,
    others: set[tuple[str, Grain]] | None = None,
    only: set[tuple[str, Grain]] | None = None,
) -> int:
    """Build the cubes missing now; returns how many were built. Failures are counted per
    KPI and grain, so one failing KPI does not stop the others; `report` hears of each
    build (KPI, grain, seconds, the error or None); `others` collects the cubes another
    process is building now (their lock is taken), which this one leaves to it; `only`
    limits the pass to those cubes."""
    version = services.data_version()
    services.orphans()  # told on /healthz and Definitioner; cheap beside the cubes
    built = 0
    # Month first, for every KPI: the default view of every page is a month.
    for grain in Grain:
        for kpi in services.catalogue.kpis:
            if stop is not None and stop.is_set():
                return built
            key = (kpi.id, grain)
            if only is not None and key not in only:
                continue
            if services.has_cube(kpi.id, grain):
                continue
            lock = lock_name(kpi.id, grain, version)
            if not services.cache.add(lock, os.getpid(), timeout=LOCK_S):
                if others is not None:
                    others.add(key)
                continue  # another process builds it (or the cache is down)
            began = time.perf_counter()
            try:
                services.cube(kpi.id, grain)
                built += 1
                failures.pop(key, None)
                if report is not None:
                    report(kpi.id, grain, time.perf_counter() - began, None)
            except Exception as error:
                if report is not None:
                    report(kpi.id, grain, time.perf_counter() - began, error)
                failures[key] = failures.get(key, 0) + 1
                log.warning(
                    "cube %s/%s failed (%s), attempt %d",
                    kpi.id,
                    grain.value,
                    type(error).__name__,
                    failures[key],
                )
            finally:
                services.cache.delete(lock)
    for kpi in services.catalogue.kpis:
        if stop is not None and stop.is_set():
            break
        if kpi.min_n and all(services.has_cube(kpi.id, g) for g in Grain):
            try:  # from the cubes just built: cheap, and no page waits for it later
                services.suppression(kpi.id)
            except Exception as error:
                log.warning("suppression for %s failed (%s)", kpi.id, type(error).__name__)
    return built


def pause_after(failures: dict[tuple[str, Grain], int], idle_s: float = IDLE_S) -> float:
    """Back off while things fail (5 s, 10 s, 20 s … up to 5 minutes); else idle."""
    if not failures:
        return idle_s
    return min(MAX_BACKOFF_S, 5.0 * 2 ** (min(failures.values()) - 1))


def yield_to_pages() -> None:
    """Lower this thread's priority (Linux schedules threads by their own nice value), so
    the cores go to the pages first while cubes are built; elsewhere nothing changes."""
    with contextlib.suppress(AttributeError, OSError):
        thread = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, thread) < BUILD_NICE:  # never raised
            os.setpriority(os.PRIO_PROCESS, thread, BUILD_NICE)


def start_warming(services, idle_s: float = IDLE_S) -> threading.Thread:
    stop = threading.Event()

    def keep_warm() -> None:
        yield_to_pages()
        failures: dict[tuple[str, Grain], int] = {}
        while not stop.is_set():
            started = time.perf_counter()
            try:
                built = warm_once(services, failures, stop)
                if built:
                    log.info("%d cubes built in %.1f s", built, time.perf_counter() - started)
            except Exception as error:  # the warehouse is away: the lenses query on their own
                failures[("*", Grain.month)] = failures.get(("*", Grain.month), 0) + 1
                log.warning("warming paused: %s", type(error).__name__)
            else:
                failures.pop(("*", Grain.month), None)
            stop.wait(pause_after(failures, idle_s))

    thread = threading.Thread(target=keep_warm, name="msb-warm-cache", daemon=True)

    def stop_at_exit() -> None:
        # A cube query still running when Python finalises aborts the process (its thread
        # is unwound inside DuckDB's C++ code): stop it and let the thread end first.
        stop.set()
        stop_queries = getattr(services.warehouse.engine, "msb_stop_all", None)
        if stop_queries is not None:
            stop_queries()
        thread.join(timeout=5)

    atexit.register(stop_at_exit)
    thread.start()
    return thread
