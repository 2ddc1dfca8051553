"""A panel drawn with the page: its callback's first answer set into the layout.

A callback that fires as soon as its page is shown costs a round trip and a re-render
after the page; where the page needs its answer at once, the layout carries it instead and
the callback (with `prevent_initial_call`) answers only what changes later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import no_update
from dash.development.base_component import Component

from components.frozen import Filled, Frozen
from webapp.validation_layout import components_with_ids


def prefilled(
    layout: Component | Frozen, outputs: Sequence[tuple[str, str]], values: Sequence[Any]
) -> Component | Filled:
    """`layout` with each output's (component id, property) set to its value, as the
    callback's answer would set it; `no_update` leaves the property as it is. A frozen
    layout (components/frozen.py) stays as it is: a filled copy of it is returned."""
    if len(outputs) != len(values):
        raise ValueError(f"{len(outputs)} outputs but {len(values)} values")
    wanted = {}
    for (component_id, prop), value in zip(outputs, values, strict=True):
        if value is not no_update:
            wanted.setdefault(component_id, {})[prop] = value
    if isinstance(layout, Frozen):
        return layout.with_props(wanted)
    found = set()
    for component in components_with_ids(layout):
        for prop, value in wanted.get(component.id, {}).items():
            setattr(component, prop, value)
            found.add(component.id)
    if missing := set(wanted) - found:
        raise KeyError(f"not in the layout: {sorted(missing)}")
    return layout
