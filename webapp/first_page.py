"""A KPI page's content in the first /_dash-layout, not in a callback after it.

With Dash pages the layout holds an empty page container; dcc.Location then sets the
address it finds in the browser, and that change asks the router's callback for the page:
a round trip and a render of the frame alone before the page's own. dash-renderer asks
for /_dash-layout from the page it shows, so the request's Referer (same origin: the
app's Referrer-Policy is `same-origin`) names the address. For a KPI page the container
comes filled, as the router would fill it, with the Location's pathname and search set to
that address: dcc.Location sets nothing it already holds, so the router's callback does
not fire. Without a usable Referer the container stays empty and the router answers as
before.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import dash
from dash import Dash, dcc, html
from dash._pages import _parse_query_string, _path_to_page
from dash.development.base_component import Component
from flask import g, request

log = logging.getLogger(__name__)
PAGES = frozenset({"kpi"})  # pages whose content is sent with the frame
FLAG = "msb_page_in_layout"  # pages.for_a_viewer: this request builds a page for someone


def filled_container(app: Dash) -> Component | None:
    """The page container with the Referer's page in it, or None to send it empty."""
    referer = request.headers.get("Referer", "")
    address = urlsplit(referer)
    if not referer or address.netloc != request.host:
        return None
    page, variables = _path_to_page(app.strip_relative_path(address.path))
    if not page or page.get("module") not in PAGES:
        return None
    search = f"?{address.query}" if address.query else ""
    layout, title = page["layout"], page["title"]
    g.setdefault(FLAG, True)
    try:
        content = (
            layout(**{**(variables or {}), **_parse_query_string(search)})
            if callable(layout)
            else layout
        )
        title = title(**(variables or {})) if callable(title) else title
    except Exception as error:  # the router answers instead, as it did
        log.warning("page not sent with the frame (%s)", type(error).__name__)
        return None
    finally:
        g.pop(FLAG, None)
    location, content_div, store, dummy = dash.page_container.children
    return html.Div(
        [
            dcc.Location(
                id=location.id, refresh=location.refresh, pathname=address.path, search=search
            ),
            html.Div(content, id=content_div.id, disable_n_clicks=True),
            dcc.Store(id=store.id, data={"title": title}),
            html.Div(id=dummy.id, disable_n_clicks=True),
        ]
    )
