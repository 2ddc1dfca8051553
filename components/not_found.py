"""A friendly page for an unknown address, KPI or unit."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html


def not_found(reason: str = "Siden findes ikke.", back: str = "/") -> html.Div:
    return html.Div(
        [
            html.H1("Vi kunne ikke finde det, du ledte efter", className="h3"),
            dbc.Alert(reason, color="warning"),
            html.P(
                [
                    "Gå til ",
                    dcc.Link("Ledelsesoverblik", href="/"),
                    " eller ",
                    dcc.Link("prøv igen uden valg", href=back),
                    ".",
                ]
            ),
        ],
        className="not-found py-4",
    )
