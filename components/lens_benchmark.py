"""Lens 2, Organisatorisk målestok: the unit's children, its siblings, or every team
under it (each named with its afdeling) side by side."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output

from components import states
from components.figures import benchmark_figure, empty_figure
from components.kpi_state import partial_target, resolve_state
from components.lens_panel import graph_panel
from components.sentences import benchmark_sentence
from components.services import Services
from components.view import View

GRAPH, SENTENCE, MODE = "benchmark-graph", "benchmark-sentence", "benchmark-mode"
CHILDREN, SIBLINGS, TEAMS = "underenheder", "soeskende", "teams"


def mode_of(view: View) -> str:
    return SIBLINGS if view.siblings else TEAMS if view.teams else CHILDREN


def panel(view: View) -> dbc.Card:
    mode = dbc.RadioItems(
        id=MODE,
        value=mode_of(view),
        inline=True,
        options=[
            {"label": "Underenheder", "value": CHILDREN},
            {"label": "Søskende", "value": SIBLINGS},
            {"label": "Alle teams", "value": TEAMS},
        ],
        className="small",
        inputClassName="me-1",
    )
    return graph_panel(
        "Organisatorisk målestok",
        GRAPH,
        SENTENCE,
        "Klik på en søjle for at gå et niveau ned – på et team åbnes listen.",
        mode,
    )


def register(app: Dash, services: Services) -> None:
    @app.callback(Output(GRAPH, "figure"), Output(SENTENCE, "children"), Input("kpi-state", "data"))
    def draw(state: dict | None):
        try:
            resolved = resolve_state(services, state)
            if resolved is None:
                return empty_figure(), states.no_data()
            kpi, view, period = resolved
            result = services.benchmark(
                kpi.id, view.unit, view.grain, period, view.siblings, teams=view.teams
            )
            parent_name = services.org.name(result.parent)
            tolerance = kpi.target.tolerance if kpi.target else 0.0
            # Only a target shared by all units is a line to measure the bars against; a
            # count target set for the parent alone says nothing about its children.
            shared_target = kpi.target.default if kpi.target else None
            # A running quarter or year meets a pro-rated target, or none yet.
            part = services.coverage(kpi.id, view.grain, period)
            shared_target = partial_target(kpi, shared_target, part)[0]
            frame = result.frame.assign(
                target=[
                    partial_target(kpi, services.warehouse.target_of(kpi, u), part)[0]
                    for u in result.frame["unit_id"]
                ]
            )
            figure = benchmark_figure(
                frame,
                kpi.format.value,
                kpi.direction.value,
                parent_name,
                result.parent_value,
                shared_target,
                kpi.min_n,
                tolerance=tolerance,
                decimals=kpi.decimals,
            )
            sentence = benchmark_sentence(
                kpi.title,
                parent_name,
                kpi.format.value,
                kpi.direction.value,
                view.grain.value,
                period,
                list(zip(frame["unit_name"], frame["value"], strict=True)),
                result.parent_value,
                shared_target,
                decimals=kpi.decimals,
                part=part,
            )
            return figure, states.keep_together(sentence)
        except Exception as error:
            return empty_figure("Kunne ikke hente tallene"), states.failed("Målestokken", error)
