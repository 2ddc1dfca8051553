"""Lens 1, Udvikling over tid: the KPI per period with last year, the parent and the target."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output
from flask import g, has_request_context

from components import maalkompas, states
from components.board_parts import BOARD_VERSION, trend_marks
from components.figures import (
    TREND_HEIGHT,
    OwnGoal,
    RunningPeriod,
    empty_figure,
    mark_periods,
    trend_figure,
)
from components.kpi_state import headline_sentence, read_state, resolve_state, running_trend
from components.lens_benchmark import compared_parent
from components.lens_panel import graph_panel
from components.period_text import month_name, same_months_last_year
from components.services import Services
from queries.catalogue.models import Grain
from queries.compiler.periods import floor_period
from queries.lazy import pandas as pd
from queries.partial import Coverage

GRAPH, SENTENCE = "trend-graph", "trend-sentence"
PERIODS = {Grain.month: 24, Grain.quarter: 12, Grain.year: 6}


def without_empty_start(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop the periods before the data begins, so the axis starts where the story does."""
    known = frame[["value", "last_year", "parent"]].notna().any(axis=1) | frame["suppressed"]
    if not known.any():
        return frame
    return frame.loc[known.idxmax() :]


def running_marks(part: Coverage | None) -> RunningPeriod | None:
    """How the chart names a running period's point and its last-year counterpart."""
    if part is None:
        return None
    return RunningPeriod(f"til og med {month_name(part.through)}", same_months_last_year(part))


def own_goal_line(services: Services, kpi_id: str, unit: str, grain: Grain) -> OwnGoal | None:
    """The unit's own goal from the period its first month falls in."""
    goal = maalkompas.own_goal(services, kpi_id, unit)
    if goal is None:
        return None
    return OwnGoal(goal.value, pd.Timestamp(floor_period(goal.from_period, grain)))


def goal_for(goal: OwnGoal | None, period: date) -> float | None:
    """The own goal's value when it applies to `period` (the sentence's period), else None."""
    if goal is None or goal.start > pd.Timestamp(period):
        return None
    return goal.value


def panel(shown: tuple | None = None, config: dict | None = None) -> dbc.Card:
    """`shown`: the figure and sentence, drawn with the page (see `drawn`), and
    `config` the graph's (components/chart_download.py)."""
    return graph_panel(
        "Udvikling over tid",
        GRAPH,
        SENTENCE,
        "Klik på et punkt for at se borgerne bag tallet i den periode.",
        figure_height=TREND_HEIGHT,
        shown=shown,
        config=config,
    )


def _marks(services: Services, kpi_id: str, unit: str, grain: Grain) -> list:
    """Where forløb started and actions began; the trend stands without them when the
    app database does not answer."""
    try:
        return trend_marks(services, kpi_id, unit, grain)
    except Exception as error:
        states.log.warning("no Spilleplade marks on the trend (%s)", type(error).__name__)
        return []


def app_parts(
    services: Services, kpi_id: str, unit: str, grain: Grain
) -> tuple[OwnGoal | None, list]:
    """The unit's own goal line and Spilleplade marks, read from the app database once
    per request: a kept answer's key and the answer it keeps are made of the same read."""
    asked = (kpi_id, unit, grain)
    found = g.get("trend_app_parts") if has_request_context() else None
    if found is not None and found[0] == asked:
        return found[1]
    parts = (own_goal_line(services, kpi_id, unit, grain), _marks(services, kpi_id, unit, grain))
    if has_request_context():
        g.trend_app_parts = (asked, parts)
    return parts


def answer_key(services: Services, state: dict | None) -> tuple | None:
    """What the trend's answer is made of besides the data version and the release, for
    keeping it (webapp/lens_answers.py): the view asked (a period left out is the latest
    complete one of the data version), and the unit's own goal and Spilleplade marks as
    this viewer reads them from the app database now, so a goal or forløb stored by any
    process is a new key at once. The warehouse is not asked. None: not kept."""
    found = read_state(services, state)
    if found is None:
        return None
    kpi, view = found
    goal, marks = app_parts(services, kpi.id, view.unit, view.grain)
    return (kpi.id, view.unit, view.grain.value, str(view.period), goal, tuple(marks))


def register(app: Dash, services: Services) -> None:
    # The page draws the lens with its layout (pages/kpi.py); this redraws it when the
    # board changes, and answers any later state.
    @app.callback(
        Output(GRAPH, "figure"),
        Output(SENTENCE, "children"),
        Input("kpi-state", "data"),
        Input(BOARD_VERSION, "data"),  # a new forløb or action is marked at once
        prevent_initial_call=True,
    )
    def draw(state: dict | None, _board: dict | None = None):
        return drawn(services, state)

    maalkompas.redraw_on_new_goal(
        app, ((GRAPH, "figure"), (SENTENCE, "children")), lambda state: drawn(services, state)
    )


def drawn(services: Services, state: dict | None):
    """The trend figure and its headline sentence for a page state."""
    try:
        resolved = resolve_state(services, state)
        if resolved is None:
            return empty_figure(), states.no_data()
        kpi, view, period = resolved
        trend = services.trend(kpi.id, view.unit, view.grain, period, PERIODS[view.grain])
        frame, part = running_trend(services, kpi, view.unit, view.grain, period, trend.frame)
        org = services.org
        parent = compared_parent(kpi, org.parent(view.unit))
        target = services.warehouse.target_of(kpi, view.unit)
        goal, marks = app_parts(services, kpi.id, view.unit, view.grain)
        figure = trend_figure(
            without_empty_start(frame),
            kpi.format.value,
            view.grain.value,
            org.label(view.unit),  # a repeated name (the unit and its parent) says where
            org.label(parent) if parent else None,
            target,
            decimals=kpi.decimals,
            running=running_marks(part),
            own_goal=goal,
        )
        figure = mark_periods(figure, marks)
        return figure, headline_sentence(
            kpi,
            org.name(view.unit),
            view.grain.value,
            period,
            frame.iloc[-1],
            target,
            part,
            own_goal=goal_for(goal, period),
        )
    except Exception as error:
        return empty_figure("Kunne ikke hente tallene"), states.failed("Udvikling over tid", error)
