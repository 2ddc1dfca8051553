"""A KPI page's lenses as drawn with its layout, kept serialized between views.

The page comes with its trend, benchmark and target grid drawn (pages/kpi.py). Shaping
the results, building the figures and the grid's rows cost more than the rest of the
page; the same view is opened by many leaders, so each lens's outputs are kept as the
JSON Dash would send, under what they are made of (as the lens callbacks' answers are:
webapp/lens_answers.py), the data version and the release. A kept lens is sent as that
JSON, unchanged.

- the trend and the target grid: the keys their callbacks use (the view; the own goals
  and Spilleplade marks this viewer reads from the app database in this request);
- the benchmark: the page's state and the viewer's scope.

Outputs that say a panel failed are not kept (components/states.py marks them).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from dash._utils import to_json
from flask import g, has_request_context

from components import lens_benchmark, lens_target, lens_trend
from components.services import Services
from components.states import log

VERSION = "page-lenses-1"


def _kept(services: Services, name: str, key: tuple | None, draw: Callable[[], tuple]) -> tuple:
    """`draw()`, or what it gave before for `key`; a None key is drawn and not kept."""
    if key is None or not has_request_context():
        return draw()
    from webapp.lens_answers import release_of  # webapp builds on components

    parts = (VERSION, release_of(services), name, *key)
    try:  # a cache that fails is a miss already (components/resilient_cache.py)
        found = services.kept(parts)
    except Exception as error:  # no data version: the warehouse away since the start
        log.warning("kept lens not read (%s)", type(error).__name__)
        return draw()
    if found is not None:
        return tuple(json.loads(found))
    failed_before = g.get("lens_failed", False)
    g.lens_failed = False
    shown = draw()
    failed = g.get("lens_failed", False)
    g.lens_failed = failed_before or failed
    if not failed:  # the data version was known a moment ago, so this cannot raise
        services.keep(parts, to_json(list(shown)))
    return shown


def trend(services: Services, state: dict) -> tuple:
    key = _key(lambda: lens_trend.answer_key(services, state))
    return _kept(services, "trend", key, lambda: lens_trend.drawn(services, state))


def benchmark(services: Services, state: dict) -> tuple:
    key = _key(lambda: (json.dumps(state, sort_keys=True), services.looker().scope.key))
    return _kept(services, "benchmark", key, lambda: lens_benchmark.outputs(services, state))


def target(services: Services, state: dict) -> tuple:
    key = _key(lambda: lens_target.answer_key(services, state))
    return _kept(services, "target", key, lambda: lens_target.outputs(services, state))


def _key(make: Callable[[], tuple | None]) -> tuple | None:
    try:
        return make()
    except Exception:  # no key (the app database is away): drawn, not kept
        return None
