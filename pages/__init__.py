"""Pages: each a `register_page` module with a layout function of its address."""

from __future__ import annotations

import functools
from collections.abc import Callable

import sqlalchemy as sa
from dash import html

from components import states
from queries.deadline import WarehouseUnavailable


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
