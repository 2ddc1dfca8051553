"""The validation layout a page carries, cut down to what validation reads.

Dash pages build the validation layout from every page's bare layout plus the shell, and
inline it in each page's `_dash-config` (56 KB of the KPI page's 60 KB). The browser uses
it only to check that every callback's ids exist and that each property belongs to its
component's type. So each page ships a flat list of the components that have an id, each
of its own type and with nothing but its id: the checks stay the same (a misspelt id or a
property the component does not have is still reported), the texts, options and styles
stay out. The server keeps the full layout in `app.validation_layout`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

from dash import Dash, html
from dash.development.base_component import Component


def components_with_ids(component: object) -> Iterator[Component]:
    """Every component in the tree that has an id, also those held in props other than
    `children` (a label, a tooltip), which Dash's own traversal does not visit."""
    if isinstance(component, (list, tuple)):
        for item in component:
            yield from components_with_ids(item)
        return
    if not isinstance(component, Component):
        return
    if getattr(component, "id", None) is not None:
        yield component
    for name in component._prop_names:
        value = getattr(component, name, None)
        if isinstance(value, (Component, list, tuple)):
            yield from components_with_ids(value)


def id_only(component: Component) -> Component:
    """The component, of the same type, with its id and no other property."""
    bare = copy.copy(component)
    for name in list(vars(bare)):
        if name != "id" and (
            name in component._prop_names
            or name.startswith(tuple(component._valid_wildcard_attributes))
        ):
            delattr(bare, name)
    return bare


def compact(layout: Component) -> html.Div:
    return html.Div([id_only(found) for found in components_with_ids(layout)])


def install(app: Dash) -> None:
    """Ship the compact layout in every page's config, built once per validation layout
    (Dash pages build theirs on the first request)."""
    config = app._config
    built: dict[int, tuple[Component, html.Div]] = {}

    def config_with_compact_layout() -> dict:
        answer = config()
        full = answer.get("validation_layout")
        if full is None:
            return answer
        if id(full) not in built:
            built.clear()
            built[id(full)] = (full, compact(full))  # the full one kept so its id is not reused
        return {**answer, "validation_layout": built[id(full)][1]}

    app._config = config_with_compact_layout


def shipped(app: Dash) -> html.Div | None:
    """The validation layout as a page carries it (after the first request)."""
    return app._config().get("validation_layout")


def unknown_callback_ids(app: Dash) -> list[str]:
    """Plain (not pattern-matching) callback ids missing from the shipped layout: each
    would be reported by the browser as "ID not found in layout"."""
    layout = shipped(app)
    present = {found.id for found in components_with_ids(layout) if isinstance(found.id, str)}
    wanted: list[object] = []
    for entry in app.callback_map.values():
        outputs = entry["output"] if isinstance(entry["output"], list) else [entry["output"]]
        wanted += [output.component_id for output in outputs]
        wanted += [spec["id"] for spec in entry["inputs"] + entry["state"]]
    plain = {i for i in wanted if isinstance(i, str) and not i.startswith("{")}
    return sorted(plain - present)
