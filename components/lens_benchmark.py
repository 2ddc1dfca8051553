"""Lens 2, Organisatorisk målestok: the unit's children, its siblings, or every team
under it (each named with its afdeling) side by side."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output

from components import states
from components.figures import Figure, benchmark_figure, empty_figure
from components.formatting import is_missing
from components.kpi_state import partial_target, resolve_state
from components.lens_panel import graph_panel
from components.sentences import benchmark_sentence
from components.services import Services
from components.view import View
from queries.catalogue.models import Kpi, MeasureType

GRAPH, SENTENCE, MODE = "benchmark-graph", "benchmark-sentence", "benchmark-mode"
CHILDREN, SIBLINGS, TEAMS = "underenheder", "soeskende", "teams"
ADDITIVE = {MeasureType.count, MeasureType.count_distinct, MeasureType.sum}


def compared_parent(kpi: Kpi, parent: str | None) -> str | None:
    """The parent unit to draw beside a unit's trend: for an average or a ratio a level to
    compare with; a count's or sum's parent is a total of many units, and as a line it
    flattens the unit's own (the headline sentence never compares with it)."""
    return None if kpi.measure.type in ADDITIVE else parent


def mode_of(view: View) -> str:
    return SIBLINGS if view.siblings else TEAMS if view.teams else CHILDREN


def panel(view: View, shown: tuple | None = None, config: dict | None = None) -> dbc.Card:
    """`shown`: the figure and sentence, drawn with the page (see `outputs`), and
    `config` the graph's (components/chart_download.py)."""
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
        shown=shown,
        config=config,
    )


def register(app: Dash, services: Services) -> None:
    # The page draws the lens with its layout (pages/kpi.py); this answers a later state.
    @app.callback(
        Output(GRAPH, "figure"),
        Output(SENTENCE, "children"),
        Input("kpi-state", "data"),
        prevent_initial_call=True,
    )
    def draw(state: dict | None):
        return outputs(services, state)


def outputs(services: Services, state: dict | None) -> tuple[Figure, str]:
    """The benchmark figure and sentence for a page state, or why there are none."""
    try:
        resolved = resolve_state(services, state)
        if resolved is None:
            return empty_figure(), states.no_data()
        kpi, view, period = resolved
        return drawn(services, kpi, view, period)
    except Exception as error:
        return empty_figure("Kunne ikke hente tallene"), states.failed("Målestokken", error)


def drawn(services: Services, kpi: Kpi, view: View, period: date) -> tuple[Figure, str]:
    """The benchmark figure and its sentence for one view (the KPI page and Status-rapport)."""
    result = services.benchmark(
        kpi.id, view.unit, view.grain, period, view.siblings, teams=view.teams
    )
    parent_name = services.org.label(result.parent)
    tolerance = kpi.target.tolerance if kpi.target else 0.0
    # Each bar is measured against its own unit's target (pro-rated in a running
    # period, or none yet); only a target all of them share is drawn as a line.
    part = services.coverage(kpi.id, view.grain, period)
    frame = result.frame.assign(
        target=[
            partial_target(kpi, services.warehouse.target_of(kpi, u), part)[0]
            for u in result.frame["unit_id"]
        ]
    )
    shared_target = _shared(frame["target"].tolist())
    # A count or sum of the parent is the total of its parts, not a level a part is
    # measured against: as a line it squashes the bars. The sentence still gives it.
    additive = kpi.measure.type in ADDITIVE
    figure = benchmark_figure(
        frame,
        kpi.format.value,
        kpi.direction.value,
        parent_name,
        None if additive else result.parent_value,
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
        targets=frame["target"].tolist(),
        additive=additive,
    )
    return figure, states.keep_together(sentence)


def _shared(targets: list) -> float | None:
    """The one target every unit has, or None when they differ or some have none."""
    values = {None if is_missing(t) else float(t) for t in targets}
    return values.pop() if len(values) == 1 else None
