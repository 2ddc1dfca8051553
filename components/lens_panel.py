"""The card every chart lens sits in: a heading, the lens's sentence, the graph and a hint."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.figures import empty_figure

GRAPH_CONFIG = {"locale": "da", "displayModeBar": False}


def graph_panel(
    title: str, graph_id: str, sentence_id: str, hint: str, header_extra=None
) -> dbc.Card:
    heading = html.H2(title, className="h5 mb-0")
    header = (
        dbc.CardHeader(
            [heading, header_extra],
            className="d-flex justify-content-between align-items-center flex-wrap gap-2",
        )
        if header_extra is not None
        else dbc.CardHeader(heading)
    )
    return dbc.Card(
        [
            header,
            dbc.CardBody(
                [
                    html.P(id=sentence_id, className="lens-sentence"),
                    dcc.Loading(
                        dcc.Graph(
                            id=graph_id, figure=empty_figure("Henter tal …"), config=GRAPH_CONFIG
                        ),
                        type="dot",
                        delay_show=300,
                    ),
                    html.P(hint, className="small text-body-secondary mb-0"),
                ]
            ),
        ],
        className="lens-card h-100",
    )
