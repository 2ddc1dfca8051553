"""The card every chart lens sits in: a heading, the lens's sentence, the graph and a hint."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from components.figures import MIN_HEIGHT, empty_figure

GRAPH_CONFIG = {"locale": "da", "displayModeBar": False}


def graph_panel(
    title: str,
    graph_id: str,
    sentence_id: str,
    hint: str,
    header_extra=None,
    figure_height: int = MIN_HEIGHT,
    shown: tuple | None = None,
    config: dict | None = None,
) -> dbc.Card:
    """`figure_height`: the least height of the figure to come. Its room is kept from the
    first paint: the graph has no height until Plotly's chunk has loaded and drawn, and
    the card grew then (a layout shift of 0.10 on a KPI page in Lighthouse).

    `shown`: (figure, sentence) drawn with the page, so Plotly draws the chart once, not
    a placeholder first and the figure after a callback's round trip; `config` likewise."""
    figure, sentence = shown if shown is not None else (empty_figure("Henter tal …"), None)
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
                    html.P(sentence, id=sentence_id, className="lens-sentence"),
                    dcc.Loading(
                        dcc.Graph(id=graph_id, figure=figure, config=config or GRAPH_CONFIG),
                        type="dot",
                        delay_show=300,
                        parent_className="lens-graph-room",
                        # the figure's height and the graph's padding-bottom (assets/app.css)
                        parent_style={"minHeight": f"calc({figure_height}px + 1.75rem)"},
                    ),
                    html.P(hint, className="small text-body-secondary mb-0"),
                ]
            ),
        ],
        className="lens-card h-100",
    )
