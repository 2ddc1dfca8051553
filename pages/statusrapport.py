"""/statusrapport: a unit's figures for one period, made for a meeting and for paper.

`?enhed=JSY&interval=maaned&periode=2026-10&kpi=a,b`: the unit's cards with their
sentences, the lenses of the chosen KPIs (default: those worse than their target beyond
the tolerance, as the cards show it), and the unit's open forløb and due action cards.
No citizen row: the list is only its count. Printing (or "Udskriv / gem som PDF") uses
the print style sheet in assets/app.css and the page line set by assets/print.js.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, html, no_update

from components import states
from components.not_found import not_found
from components.period_text import period_name
from components.picker import unit_grain_period
from components.report_kpi import kpi_section
from components.report_parts import card_grid, cards_and_status, method_section
from components.services import Services
from components.status import STATUS_LABELS
from components.view import (
    GRAIN_FROM_PARAM,
    BadView,
    view_from_params,
)
from identity import current
from pages import for_a_viewer
from queries.catalogue.models import Grain
from queries.partial import coverage

PATH = "/statusrapport"
UNIT, GRAIN, PERIOD, KPIS, PRINT = (
    "report-unit",
    "report-grain",
    "report-period",
    "report-kpis",
    "report-print",
)
PRINT_HEADER = "print-header"  # assets/print.js writes its text at the top of every page


def data_span(services: Services) -> tuple[date, date] | None:
    """The first and last month with data of any KPI: the periods the report offers."""
    found = [r for k in services.catalogue.kpis if (r := services.data_range(k.id))]
    if not found:
        return None
    return min(first for first, _ in found), max(last for _, last in found)


def newest_period(services: Services, grain: Grain) -> date | None:
    """The newest complete period of any KPI (a KPI without data then says so)."""
    found = [p for k in services.catalogue.kpis if (p := services.default_period(k.id, grain))]
    return max(found) if found else None


def chosen_kpis(param: str | None, shown: list, statuses: dict[str, str]) -> list[str]:
    """`kpi=a,b` in catalogue order; absent: the KPIs worse than their target."""
    if param is None:
        return [k.id for k in shown if statuses[k.id] == "worse"]
    asked = {part.strip() for part in param.split(",")}
    return [k.id for k in shown if k.id in asked]


def controls(services: Services, unit: str, grain: Grain, period: date | None, span) -> dbc.Row:
    return unit_grain_period(
        services.org, unit, grain, span, period, (UNIT, GRAIN, PERIOD), "report-controls"
    )


def _print_button() -> dbc.Button:
    return dbc.Button(
        [
            html.I(className="bi bi-printer me-2", **{"aria-hidden": "true"}),
            "Udskriv / gem som PDF",
        ],
        id=PRINT,
        color="primary",
        className="report-print",
    )


def _checklist(shown: list, statuses: dict[str, str], chosen: list[str]) -> html.Div:
    return html.Div(
        [
            html.H2("Nøgletal i rapporten", className="h5"),
            html.P(
                "Nøgletal, der er dårligere end målet ud over tolerancen, er valgt på forhånd. "
                "Vælg de nøgletal, mødet skal se nærmere på.",
                className="small text-body-secondary",
            ),
            dbc.Checklist(
                id=KPIS,
                options=[
                    {"label": f"{k.title} ({STATUS_LABELS[statuses[k.id]].lower()})", "value": k.id}
                    for k in shown
                ],
                value=chosen,
                className="report-checklist",
            ),
        ],
        className="report-choice",
    )


def report(services: Services, unit: str, grain: Grain, period: date, kpi_param: str | None):
    span = data_span(services)
    part = coverage(period, grain, span[1] if span else None)
    unit_name = services.org.name(unit)
    when = period_name(period, grain.value, part)
    cards, statuses = cards_and_status(services, unit, grain, period)
    shown = [k for k in services.catalogue.kpis if cards[k.id] is not None]
    chosen = chosen_kpis(kpi_param, shown, statuses)
    viewer = current.viewer()
    made = f"Dannet {date.today():%d.%m.%Y}" + (f" af {viewer.name}" if viewer else "")
    by_id = {k.id: k for k in shown}
    sections = [kpi_section(services, by_id[k], unit, grain, period, statuses[k]) for k in chosen]
    if not chosen:
        sections = [
            states.message(
                "Ingen nøgletal er valgt. Vælg ovenfor, hvilke nøgletal rapporten skal vise."
                if kpi_param is not None
                else f"Intet nøgletal er dårligere end målet ud over tolerancen i {when}. "
                "Vælg ovenfor, hvilke nøgletal rapporten skal vise."
            )
        ]
    return html.Div(
        [
            html.Div(f"Status-rapport · {unit_name} · {when}", id=PRINT_HEADER, hidden=True),
            html.Div(
                [controls(services, unit, grain, period, span), _print_button()],
                className="report-tools d-print-none",
            ),
            html.H1(f"Status-rapport: {unit_name}", className="h2 mt-3 mb-1"),
            html.P(when[0].upper() + when[1:], className="report-period lead mb-1"),
            html.P(made + ". Ingen oplysninger om enkelte borgere.", className="small mb-3"),
            html.H2("Nøgletallene", className="h4"),
            card_grid([cards[k.id] for k in shown]),
            _checklist(shown, statuses, chosen),
            *sections,
            method_section(services, unit, date.today()),
        ],
        className="report-page",
    )


def layout_for(services: Services):
    def layout(enhed=None, interval=None, periode=None, kpi=None, **_ignored) -> html.Div:
        org = services.org
        if not for_a_viewer():  # the ids, for Dash's validation
            return html.Div(
                [
                    controls(services, org.root, Grain.month, None, None),
                    _print_button(),
                    _checklist([], {}, []),
                ]
            )
        params = {"enhed": enhed, "interval": interval, "periode": periode}
        try:
            view = view_from_params(params, org.units, org.root, Grain.month)
        except BadView as error:
            return not_found(str(error), back=PATH)
        period = view.period or newest_period(services, view.grain)
        if period is None:
            return html.Div(states.no_data(), className="py-4")
        return report(services, view.unit, view.grain, period, kpi)

    return layout


def _params(search: str | None) -> dict[str, str]:
    """The address's parameters; an empty `kpi=` (the leader chose none) is kept."""
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "statusrapport",
        path=PATH,
        title="Status-rapport – MSB i tal",
        name="Status-rapport",
        layout=layout_for(services),
    )

    app.clientside_callback(
        """function (clicks) {
            if (clicks) { window.print(); }
            return window.dash_clientside.no_update;
        }""",
        Output(PRINT, "title"),
        Input(PRINT, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("nav", "href", allow_duplicate=True),
        Input(UNIT, "value"),
        Input(GRAIN, "value"),
        Input(PERIOD, "value"),
        Input(KPIS, "value"),
        State("nav", "search"),
        prevent_initial_call=True,
    )
    def choose(unit, grain, period, kpis, search):
        params = _params(search)
        trigger = ctx.triggered_id
        if trigger == UNIT and unit in services.org:
            params["enhed"] = unit
        elif trigger == GRAIN and grain in GRAIN_FROM_PARAM:
            params["interval"] = grain
            params.pop("periode", None)
        elif trigger == PERIOD and period:
            params["periode"] = period
        elif trigger == KPIS and kpis is not None:
            params["kpi"] = ",".join(kpis)
        else:
            return no_update
        query = "?" + urlencode(params, safe=",")
        if query == "?" + urlencode(_params(search), safe=","):
            return no_update
        return PATH + query
