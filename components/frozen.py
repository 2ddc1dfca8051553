"""Parts of a page that are the same for every view, made and serialized once per process.

A KPI page's lens panels, Målkompas and Spilleplade frames are fixed: their callbacks
fill them. Building their few hundred components and turning each into JSON cost about
a third of the page's router answer, for every view. `frozen` makes such a part once
per process and arguments and keeps the JSON Dash would make of it; Dash's encoder asks
any object for `to_plotly_json`, so the part is sent as the same JSON.

Only for the router's answer to a viewer: the bare layouts Dash pages builds its
validation layout from hold real components, whose ids the validation reads.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Hashable

from dash._utils import to_json


class Frozen:
    """A component tree as the plain JSON Dash sends for it."""

    def __init__(self, component: object) -> None:
        self.json = json.loads(to_json(component))

    def to_plotly_json(self) -> dict:
        return self.json


@functools.cache
def frozen(make: Callable[..., object], *args: Hashable) -> Frozen:
    """`make(*args)`, made once per process: `make` must depend on its arguments alone."""
    return Frozen(make(*args))
