"""/kpi/<id>: one KPI through the four lenses, for the unit, grain and period in the URL."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, dcc, html, no_update

from components import (
    chart_download,
    dialog,
    kept_lenses,
    lens_benchmark,
    lens_list,
    lens_target,
    lens_trend,
    maalkompas,
    spilleplade,
)
from components.breadcrumb import breadcrumb
from components.carry import carried_href
from components.freshness import badge, freshness_for
from components.frozen import frozen
from components.kpi_state import STORE
from components.meaning import meaning
from components.not_found import not_found
from components.picker import GRAIN, PERIOD, UNIT, controls
from components.prefill import prefilled
from components.services import Services
from components.states import log, not_to_keep
from components.view import GRAIN_FROM_PARAM, BadView, View, params_from_search, view_from_params
from pages import for_a_viewer
from queries.catalogue.describe import numerator_toggle_label
from queries.compiler.periods import floor_period, parse_period

PATH = "/kpi/"


def path_of(kpi_id: str) -> str:
    return f"{PATH}{kpi_id}"


def layout_for(services: Services):
    def layout(kpi_id: str | None = None, **params) -> html.Div:
        catalogue = services.catalogue
        if kpi_id is None:  # Dash pages validate callbacks against every layout called bare
            kpi_id = catalogue.kpis[0].id
        try:
            kpi = catalogue.kpi(kpi_id or "")
        except KeyError:
            return not_found(f"Nøgletallet '{kpi_id}' findes ikke.")
        try:
            view = view_from_params(params, services.org.units, services.org.root, kpi.time.grain)
        except BadView as error:
            return not_found(str(error), back=path_of(kpi.id))
        try:
            data = services.data_range(kpi.id)
            default = services.default_period(kpi.id, view.grain)
        except Exception as error:  # warehouse away: the page stands, each lens says so
            log.exception("periods of %s unavailable", kpi.id, exc_info=error)
            not_to_keep()
            data = default = None
        period = view.period or default
        definitions_href = carried_href(services, "/definitioner", view.query()) + f"#{kpi.id}"
        area, section = catalogue.section(kpi.section)
        # The fixed frames are made once per process for a viewer's page (components/frozen.py)
        fixed = frozen if for_a_viewer() else _made
        # The lenses the page shows at once are drawn with it: one answer instead of a
        # round trip per lens after the page, and each chart drawn once by Plotly (their
        # callbacks answer a later state; prevent_initial_call). Dash's bare call for the
        # validation layout needs only the ids, not the warehouse.
        state = {"kpi": kpi.id, "query": view.query()}
        drawn = for_a_viewer()
        trend_config, benchmark_config = (
            chart_download.configs(services, state) if drawn else (None, None)
        )
        return html.Div(
            [
                dcc.Store(id=STORE, data=state),
                html.Div(
                    [html.Span(area.title), html.Span(" › "), html.Span(section.title)],
                    className="text-body-secondary small",
                ),
                html.Div(
                    [html.H1(kpi.title, className="h2 mt-1 mb-0"), fixed(dialog.button, "kpi")],
                    className="d-flex justify-content-between align-items-start gap-2",
                ),
                meaning(kpi, definitions_href),
                html.P(kpi.description, className="lead-text"),
                badge(freshness_for(services, kpi)) if for_a_viewer() else None,
                breadcrumb(services.org, view, path_of(kpi.id)),
                controls(services.org, view, data, period),
                dbc.Row(
                    [
                        dbc.Col(
                            lens_trend.panel(
                                kept_lenses.trend(services, state) if drawn else None,
                                trend_config,
                            ),
                            lg=7,
                        ),
                        dbc.Col(
                            lens_benchmark.panel(
                                view,
                                kept_lenses.benchmark(services, state) if drawn else None,
                                benchmark_config,
                            ),
                            lg=5,
                        ),
                    ],
                    className="g-4 mt-1",
                ),
                dbc.Row(
                    dbc.Col(
                        lens_target.panel(kept_lenses.target(services, state) if drawn else None)
                    ),
                    className="g-4 mt-1",
                ),
                dbc.Row(
                    dbc.Col(
                        prefilled(
                            fixed(maalkompas.panel),
                            maalkompas.SHOWN,
                            maalkompas.shown(services, state),
                        )
                        if drawn
                        else maalkompas.panel()
                    ),
                    className="g-4 mt-1",
                ),
                dbc.Row(
                    dbc.Col(
                        fixed(lens_list.panel, view.numerator_only, numerator_toggle_label(kpi))
                    ),
                    className="g-4 mt-1",
                ),
                dbc.Row(
                    dbc.Col(
                        prefilled(
                            fixed(spilleplade.panel),
                            spilleplade.SHOWN,
                            spilleplade.shown(services, state, {"n": 0}),
                        )
                        if drawn
                        else spilleplade.panel()
                    ),
                    className="g-4 mt-1",
                ),
                html.P(
                    dcc.Link("Se definitionen af nøgletallet", href=definitions_href),
                    className="mt-3",
                ),
            ],
            className="kpi-page",
        )

    return layout


def _made(make, *args):
    return make(*args)


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "kpi",
        path_template=f"{PATH}<kpi_id>",
        title="Nøgletal – MSB i tal",
        layout=layout_for(services),
    )
    for lens in (lens_trend, lens_benchmark, lens_target, lens_list, maalkompas, spilleplade):
        lens.register(app, services)
    chart_download.register(app, services)

    @app.callback(
        Output("nav", "href", allow_duplicate=True),
        Input(UNIT, "value"),
        Input(GRAIN, "value"),
        Input(PERIOD, "value"),
        Input(lens_benchmark.MODE, "value"),
        Input(lens_list.NUMERATOR, "value"),
        Input(lens_benchmark.GRAPH, "clickData"),
        Input(lens_trend.GRAPH, "clickData"),
        State(STORE, "data"),
        prevent_initial_call=True,
    )
    def navigate(unit, grain, period, mode, numerator, bar, point, state):
        if not state:
            return no_update
        kpi = services.catalogue.kpi(state["kpi"])
        try:
            view = view_from_params(
                params_from_search(state["query"]),
                services.org.units,
                services.org.root,
                kpi.time.grain,
            )
        except BadView:
            return no_update
        new = _changed_view(
            services, view, ctx.triggered_id, unit, grain, period, mode, numerator, bar, point
        )
        if new is None or new == view:
            return no_update
        # A trend point, or a team's bar, is a question about the citizens: open the list.
        to_list = ctx.triggered_id == lens_trend.GRAPH or (
            ctx.triggered_id == lens_benchmark.GRAPH and not services.org.children(new.unit)
        )
        return new.href(path_of(kpi.id), "liste" if to_list else "")


def _clicked(click: dict | None) -> str | None:
    try:
        return str(click["points"][0]["customdata"][0])
    except (TypeError, KeyError, IndexError):
        return None


def _changed_view(
    services: Services, view: View, trigger, unit, grain, period, mode, numerator, bar, point
) -> View | None:
    if trigger == UNIT and unit in services.org:
        return view.with_(unit=unit)
    if trigger == GRAIN and grain in GRAIN_FROM_PARAM:
        new_grain = GRAIN_FROM_PARAM[grain]
        moved = floor_period(view.period, new_grain) if view.period else None
        return view.with_(grain=new_grain, period=moved)
    if trigger == PERIOD and period:
        return view.with_(period=parse_period(period, view.grain))
    if trigger == lens_benchmark.MODE:
        return view.with_(
            siblings=mode == lens_benchmark.SIBLINGS, teams=mode == lens_benchmark.TEAMS
        )
    if trigger == lens_list.NUMERATOR:
        return view.with_(numerator_only=bool(numerator))
    if trigger == lens_benchmark.GRAPH and (clicked := _clicked(bar)) in services.org:
        return view.with_(unit=clicked, siblings=False, teams=False)
    if trigger == lens_trend.GRAPH and (clicked := _clicked(point)):
        return view.with_(period=date.fromisoformat(clicked[:10]))
    return None
