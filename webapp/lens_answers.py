"""Whole answers of the lens callbacks that depend only on what they are asked, kept
serialized in the lens cache.

A lens answer is made of cached results, but building its figure and serializing it
still costs each request. For the callbacks named in KEPT the answer is a function of
the request's inputs and the data version alone, so its JSON bytes are kept under the
callback's outputs, its inputs, state and changed ids, the viewer's scope (two viewers
whose scope differs never share an answer) and the data version (a new load is a new
key). An answer that says a panel failed is not kept (components/states.py marks it),
nor one that is not a plain 200.

Only the benchmark is kept. The trend and the target grid show the unit's own goal and
the Spilleplade's marks from the app database, which change without a new load; the
list's columns and count are the viewer's, and nothing of a list is ever kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from dash import Dash
from flask import Response, g, request

from components import lens_benchmark
from components.services import Services

UPDATE = "/_dash-update-component"
KEPT = frozenset({f"..{lens_benchmark.GRAPH}.figure...{lens_benchmark.SENTENCE}.children.."})


def asked(body: object) -> tuple[str, str] | None:
    """(outputs, digest of what was asked) for a kept callback's request, else None."""
    if not isinstance(body, dict) or body.get("output") not in KEPT:
        return None
    what = [body.get("inputs"), body.get("state"), body.get("changedPropIds")]
    text = json.dumps(what, sort_keys=True, separators=(",", ":"), default=str)
    return body["output"], hashlib.sha1(text.encode()).hexdigest()


class LensAnswers:
    def __init__(self, services: Services, dispatch: Callable[[], Response]) -> None:
        self.services = services
        self.dispatch = dispatch

    def __call__(self) -> Response:
        found = asked(request.get_json(silent=True))
        if found is None:
            return self.dispatch()
        parts = ("answer", *found, self.services.looker().scope.key)
        kept = self.services.kept(parts)
        if kept is not None:
            return Response(kept, mimetype="application/json")
        answer = self.dispatch()
        if (
            answer.status_code == 200
            and answer.mimetype == "application/json"
            and not g.get("lens_failed", False)
        ):
            self.services.keep(parts, answer.get_data())
        return answer


def install(app: Dash, services: Services) -> LensAnswers:
    views = app.server.view_functions
    answers = LensAnswers(services, views[UPDATE])
    views[UPDATE] = answers
    return answers
