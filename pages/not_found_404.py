"""The page Dash shows for an address it does not know."""

from __future__ import annotations

import dash
from dash import Dash

from components.not_found import not_found
from components.services import Services


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "not_found_404",
        path="/404",
        title="Ikke fundet – MSB i tal",
        layout=lambda **_: not_found("Adressen findes ikke i MSB i tal."),
    )
