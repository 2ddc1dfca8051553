"""Parts of a page that are the same for every view, made and serialized once per process.

A KPI page's lens panels, Målkompas and Spilleplade frames are fixed: their callbacks
fill them. Building their few hundred components and turning each into JSON cost about
a third of the page's router answer, for every view. `frozen` makes such a part once
per process and arguments and keeps the JSON Dash would make of it; Dash's encoder asks
any object for `to_plotly_json`, so the part is sent as the same JSON. A frame the page
sends with its first answers in it (components/prefill.py) is a copy of that JSON with
those properties set: only the path down to each changed component is copied.

Only for the router's answer to a viewer: the bare layouts Dash pages builds its
validation layout from hold real components, whose ids the validation reads.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Hashable, Mapping

from dash._utils import to_json

Path = tuple[str | int, ...]


class Frozen:
    """A component tree as the plain JSON Dash sends for it."""

    def __init__(self, component: object) -> None:
        self.json = json.loads(to_json(component))
        self._paths: dict[str, Path] | None = None

    def to_plotly_json(self) -> dict:
        return self.json

    def paths(self) -> dict[str, Path]:
        """Where each component with a (string) id sits in the JSON."""
        if self._paths is None:
            found: dict[str, Path] = {}
            _walk(self.json, (), found)
            self._paths = found
        return self._paths

    def with_props(self, wanted: Mapping[str, Mapping[str, object]]) -> Filled:
        """A copy with each component id's properties in `wanted` set; KeyError names the
        ids the tree does not hold."""
        paths = self.paths()
        if missing := set(wanted) - set(paths):
            raise KeyError(f"not in the layout: {sorted(missing)}")
        tree = self.json
        for component_id, props in wanted.items():
            tree = _set(tree, (*paths[component_id], "props"), props)
        return Filled(tree)


class Filled:
    """A frozen tree with some properties set: sent as that JSON."""

    def __init__(self, tree: dict) -> None:
        self.json = tree

    def to_plotly_json(self) -> dict:
        return self.json


def _is_component(node: object) -> bool:
    return isinstance(node, dict) and "props" in node and "type" in node and "namespace" in node


def _walk(node: object, path: Path, found: dict[str, Path]) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            _walk(item, (*path, index), found)
    elif _is_component(node):
        props = node["props"]
        if isinstance(props.get("id"), str):
            found[props["id"]] = path
        for name, value in props.items():
            _walk(value, (*path, "props", name), found)


def _set(node, path: Path, props: Mapping[str, object]):
    """`node` with the dict at `path` updated by `props`, copying only along the path."""
    copied = node.copy()
    if not path:
        copied.update(props)
        return copied
    copied[path[0]] = _set(node[path[0]], path[1:], props)
    return copied


@functools.cache
def frozen(make: Callable[..., object], *args: Hashable) -> Frozen:
    """`make(*args)`, made once per process: `make` must depend on its arguments alone."""
    return Frozen(make(*args))
