"""Whole answers of the KPI page's router and lens callbacks, kept serialized (and
compressed) in the lens cache.

An answer is made of cached results, but building its components or figure,
serializing and compressing it cost each request more than the rest of it. For the
callbacks named in KEPT the answer is a function of what its key names, the data
version (a new load is a new key) and the release (the catalogue and the code: a new
release is a new key), so its bytes are kept under those, once as they are and once
brotli-compressed, and a hit is served without running the callback:

- the benchmark: its inputs, and the viewer's scope (two viewers whose scope differs
  never share one);
- the trend: its view, and the unit's own goal and Spilleplade marks as this viewer
  reads them from the app database in this request (components/lens_trend.py): the
  app database is asked every time, so a goal or forløb stored by any process, or a
  viewer who may not read it, is another key at once;
- the target grid: its KPI, grain and period, and the own goals the viewer reads now
  (components/lens_target.py);

The router's answer for a KPI page is not kept: the page comes with its lenses, Målkompas
and the Spilleplade's note drawn for the viewer (pages/kpi.py), which hold the viewer's
goals, marks and forløb, read from the app database as the page is made.

The app database is read once per request: the key and the answer kept under it are
made of the same goals and marks (components/lens_trend.py `app_parts`). An answer that
says a panel failed is not kept (components/states.py marks it), nor one that is not a
plain 200. Nothing of a list is ever kept: its columns and count are the viewer's, and
its access check and audit log run on every request.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dash
from dash import Dash
from flask import Response, g, request

from components import lens_benchmark, lens_target, lens_trend
from components.services import Services
from webapp.packed import pack, packed_answer, takes_brotli

UPDATE = "/_dash-update-component"
ROOT = Path(__file__).resolve().parent.parent
CODE = ("components", "pages", "queries", "webapp", "identity", "appdb")
VERSION = "answers-2"  # (raw, brotli) pairs; the benchmark's bytes alone were version 1


def _output(*parts: str) -> str:
    """A callback's output as dash-renderer names it: "..a.figure...b.children.."."""
    return ".." + "...".join(parts) + ".."


def value_of(body: dict, component: str, prop: str) -> object:
    """The value an input of the request carries (None when it has none)."""
    for spec in body.get("inputs") or ():
        if isinstance(spec, dict) and spec.get("id") == component and spec.get("property") == prop:
            return spec.get("value")
    return None


def _asked(body: dict) -> str:
    what = [body.get("inputs"), body.get("state"), body.get("changedPropIds")]
    text = json.dumps(what, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha1(text.encode()).hexdigest()


def _kpi_state(body: dict) -> dict | None:
    state = value_of(body, "kpi-state", "data")
    return state if isinstance(state, dict) else None


@dataclass(frozen=True)
class Keeping:
    """How one callback's answer is kept: `key` gives what the answer is made of besides
    the data version and release (None: not kept this time); `served` runs for every
    answer served from what was kept."""

    key: Callable[[Services, dict], tuple | None]
    served: Callable[[Services, dict], None] | None = None


KEPT: dict[str, Keeping] = {
    _output(f"{lens_benchmark.GRAPH}.figure", f"{lens_benchmark.SENTENCE}.children"): Keeping(
        lambda services, body: (_asked(body), services.looker().scope.key)
    ),
    _output(f"{lens_trend.GRAPH}.figure", f"{lens_trend.SENTENCE}.children"): Keeping(
        lambda services, body: lens_trend.answer_key(services, _kpi_state(body))
    ),
    _output(f"{lens_target.GRID}.rowData", f"{lens_target.SENTENCE}.children"): Keeping(
        lambda services, body: lens_target.answer_key(services, _kpi_state(body))
    ),
}


@functools.cache
def release() -> str:
    """The catalogue and the app's code as they are in this process: an answer kept by
    another release (a changed target, a new sentence) is never served."""
    digest = hashlib.sha1(dash.__version__.encode())
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


_RELEASES: dict[int, tuple[object, str]] = {}


def release_of(services: Services) -> str:
    """The release with the catalogue `services` reads: an answer kept under another
    catalogue (a changed target or text) is never served."""
    catalogue = services.catalogue
    found = _RELEASES.get(id(catalogue))
    if found is None or found[0] is not catalogue:
        text = release().encode() + catalogue.model_dump_json().encode()
        found = (catalogue, hashlib.sha1(text).hexdigest())
        _RELEASES[id(catalogue)] = found
    return found[1]


class LensAnswers:
    def __init__(self, services: Services, dispatch: Callable[[], Response]) -> None:
        self.services = services
        self.dispatch = dispatch
        self.release = release_of(services)

    def _parts(self, output: str, keeping: Keeping, body: dict) -> tuple | None:
        try:
            found = keeping.key(self.services, body)
        except Exception:  # no key (the warehouse is away): answered as Dash would
            return None
        return None if found is None else (VERSION, self.release, output, *found)

    def __call__(self) -> Response:
        body = request.get_json(silent=True)
        output = body.get("output") if isinstance(body, dict) else None
        keeping = KEPT.get(output) if isinstance(output, str) else None
        parts = self._parts(output, keeping, body) if keeping else None
        if parts is None:
            return self.dispatch()
        kept = self.services.kept(parts)
        if kept is not None:
            if keeping.served is not None:
                keeping.served(self.services, body)
            return packed_answer(*kept)
        answer = self.dispatch()
        if (
            answer.status_code == 200
            and answer.mimetype == "application/json"
            and not answer.headers.get("Content-Encoding")
            and not g.get("lens_failed", False)
        ):
            raw = answer.get_data()
            packed = pack(raw)
            self.services.keep(parts, (raw, packed))
            if takes_brotli():  # packed once: Flask-Compress leaves it as it is
                answer.set_data(packed)
                answer.headers["Content-Encoding"] = "br"
        return answer


def install(app: Dash, services: Services) -> LensAnswers:
    views = app.server.view_functions
    answers = LensAnswers(services, views[UPDATE])
    views[UPDATE] = answers
    return answers
