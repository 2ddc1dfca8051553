"""The way back up the organisation tree, as links that keep the rest of the view."""

from __future__ import annotations

from dash import dcc, html

from components.view import View
from queries.orgtree import OrgTree


def breadcrumb(org: OrgTree, view: View, path: str) -> html.Nav:
    chain = org.path(view.unit)
    items = []
    for unit in chain:
        name = org.label(unit)  # a repeated name says where it sits
        if unit == view.unit:
            items.append(
                html.Li(name, className="breadcrumb-item active", **{"aria-current": "page"})
            )
        else:
            link = dcc.Link(name, href=view.with_(unit=unit).href(path))
            items.append(html.Li(link, className="breadcrumb-item"))
    return html.Nav(html.Ol(items, className="breadcrumb mb-2"), **{"aria-label": "Organisation"})
