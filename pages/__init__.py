"""Pages: each a `register_page` module with a layout function of its address."""

from __future__ import annotations

import functools
from collections.abc import Callable

import sqlalchemy as sa
from dash import html
from flask import g, has_request_context, request

from components import states
from queries.deadline import WarehouseUnavailable


def for_a_viewer() -> bool:
    """True when Dash's router builds a page for someone (inside a callback request).

    Dash pages also call every layout bare, on a worker's first request, to build the
    validation layout that each page then carries; those calls only need the ids that
    callbacks use, so a page answers them with its skeleton instead of reading the
    warehouse (the home page's cards cost seconds, and 200 KB on every page).

    A KPI page sent with the first /_dash-layout is built for someone too (webapp/
    first_page.py marks that request)."""
    return has_request_context() and (
        request.path.endswith("_dash-update-component") or g.get("msb_page_in_layout", False)
    )


def outage_safe(layout: Callable[..., object]) -> Callable[..., object]:
    """A page whose layout needs the warehouse (the org tree, the latest period) stands
    while the warehouse is away: it says so in Danish instead of answering 500."""
    if not callable(layout):
        return layout

    @functools.wraps(layout)
    def safe(*args, **kwargs):
        try:
            return layout(*args, **kwargs)
        except (WarehouseUnavailable, sa.exc.DBAPIError) as error:
            states.log.warning("page layout without the warehouse (%s)", type(error).__name__)
            states.not_to_keep()
            return html.Div(
                states.message(
                    "Siden kan ikke vises, fordi datavarehuset ikke svarer lige nu. "
                    "Prøv igen om lidt.",
                    "warning",
                    "cloud-slash",
                ),
                className="py-4",
            )

    return safe
