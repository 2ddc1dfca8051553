""" "Hvad betyder tallet?": a KPI's definition in plain words, opened beside its title.

A native <details> element: it opens with the keyboard (Enter or Space on the summary)
and by screen readers without any script, and sends nothing to the server. The SQL stays
on Definitioner, behind its own fold, for analysts.
"""

from __future__ import annotations

from dash import dcc, html

from queries.catalogue.describe import describe_measure, describe_time, describe_unit
from queries.catalogue.models import Kpi

MEANING = "kpi-meaning"


def meaning_rows(kpi: Kpi) -> list[tuple[str, str]]:
    """(label, text) pairs: what the figure means, what is counted, time and unit."""
    rows = [
        ("Hvad viser det", kpi.description),
        ("Det tælles", describe_measure(kpi)),
        ("Tid", describe_time(kpi)),
        ("Enhed", describe_unit(kpi)),
    ]
    if kpi.min_n:
        rows.append(
            ("Diskretion", f"Tal med færre end {kpi.min_n} borgere bag vises som <{kpi.min_n}.")
        )
    return rows


def meaning(kpi: Kpi, definitions_href: str) -> html.Details:
    """The fold beside the KPI's title, with a link on to its entry on Definitioner."""
    return html.Details(
        [
            html.Summary(
                [
                    html.I(className="bi bi-question-circle me-1", **{"aria-hidden": "true"}),
                    "Hvad betyder tallet?",
                ],
                className="meaning-summary",
            ),
            html.Div(
                [
                    html.Dl(
                        [
                            part
                            for label, text in meaning_rows(kpi)
                            for part in (
                                html.Dt(label, className="col-sm-3"),
                                html.Dd(text, className="col-sm-9"),
                            )
                        ],
                        className="row mb-2",
                    ),
                    dcc.Link("Se hele definitionen under Definitioner", href=definitions_href),
                ],
                className="meaning-body",
            ),
        ],
        id=MEANING,
        className="kpi-meaning",
    )
