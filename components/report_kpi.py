"""One KPI in Status-rapport: the lenses of the KPI page, drawn once, for paper.

Trend and benchmark as on the KPI page (same figures, sentences and download names; the
trend with the unit's own goal for viewers who may read it);
*Over/under målet* for the unit and the two levels below it as a plain table, which
prints in full; the list only as its count sentence — no citizen row is ever fetched.
"""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
from dash import dcc, html

from components import lens_benchmark, states
from components.chart_download import BENCHMARK, TREND, download_config, file_name
from components.citizen_access import Refused, partial
from components.figures import trend_figure
from components.kpi_state import headline_sentence, running_trend, target_rule
from components.lens_benchmark import compared_parent
from components.lens_target import rows_for
from components.lens_trend import (
    PERIODS,
    goal_for,
    own_goal_line,
    running_marks,
    without_empty_start,
)
from components.sentences import list_sentence, target_sentence
from components.services import Services
from components.status import STATUS_LABELS
from components.view import View
from queries.catalogue.models import Grain, Kpi

TARGET_DEPTH = 2  # the unit, its children and grandchildren: a driftsområde's teams
TARGET_COLUMNS = (
    ("enhed", "Enhed", ""),
    ("vaerdi_tekst", "Værdi", "num"),
    ("maal_tekst", "Mål", "num"),
    ("afvigelse_tekst", "Afvigelse", "num"),
    ("status", "Status", ""),
    ("bevaegelse_tekst", "Siden sidste periode", "num"),
)


def kpi_section(
    services: Services, kpi: Kpi, unit: str, grain: Grain, period: date, status: str
) -> html.Section:
    """The KPI's heading, then each lens; a lens that fails says so and the rest stand."""
    parts = [
        html.H2(kpi.title, className="h4 mb-1"),
        html.Span(STATUS_LABELS[status], className=f"status-badge status-{status} mb-2"),
    ]
    for title, build in (
        ("Udvikling over tid", _trend),
        ("Organisatorisk målestok", _benchmark),
        ("Over/under målet", _targets),
        ("Detaljer", _list_count),
    ):
        try:
            parts.append(build(services, kpi, unit, grain, period))
        except Exception as error:
            parts.append(html.Div([html.H3(title, className="h6"), states.failed(title, error)]))
    return html.Section(parts, className="report-kpi", id=f"rapport-{kpi.id}")


def _graph(figure, name: str) -> dcc.Graph:
    return dcc.Graph(figure=figure, config=download_config(name), className="report-graph")


def _lens(title: str, sentence: str, *body) -> html.Div:
    return html.Div(
        [html.H3(title, className="h6"), html.P(sentence, className="lens-sentence"), *body],
        className="report-lens",
    )


def _trend(services: Services, kpi: Kpi, unit: str, grain: Grain, period: date) -> html.Div:
    trend = services.trend(kpi.id, unit, grain, period, PERIODS[grain])
    frame, part = running_trend(services, kpi, unit, grain, period, trend.frame)
    org, parent = services.org, compared_parent(kpi, services.org.parent(unit))
    target = services.warehouse.target_of(kpi, unit)
    own_goal = own_goal_line(services, kpi.id, unit, grain)
    figure = trend_figure(
        without_empty_start(frame),
        kpi.format.value,
        grain.value,
        org.name(unit),
        org.name(parent) if parent else None,
        target,
        decimals=kpi.decimals,
        running=running_marks(part),
        own_goal=own_goal,
    )
    sentence = headline_sentence(
        kpi,
        org.name(unit),
        grain.value,
        period,
        frame.iloc[-1],
        target,
        part,
        own_goal=goal_for(own_goal, period),
    )
    return _lens(
        "Udvikling over tid",
        sentence,
        _graph(figure, file_name(kpi.id, unit, grain, period, TREND)),
    )


def _benchmark(services: Services, kpi: Kpi, unit: str, grain: Grain, period: date) -> html.Div:
    # A team has no units below it: it is measured among its siblings instead.
    view = View(unit, grain, period, siblings=not services.org.children(unit))
    figure, sentence = lens_benchmark.drawn(services, kpi, view, period)
    return _lens(
        "Organisatorisk målestok",
        sentence,
        _graph(figure, file_name(kpi.id, unit, grain, period, BENCHMARK)),
    )


def _targets(services: Services, kpi: Kpi, unit: str, grain: Grain, period: date) -> html.Div:
    title = f"Over/under målet – {services.org.name(unit)} og enhederne under"
    if kpi.target is None:
        return _lens(title, "Der er ikke fastsat et mål for dette nøgletal.")
    org = services.org
    base = org.depth(unit)
    mine = {u for u in org.descendants(unit) if org.depth(u) - base <= TARGET_DEPTH}
    part = services.coverage(kpi.id, grain, period)
    result = services.targets(kpi.id, grain, period)
    rows = [r for r in rows_for(result, kpi, kpi.target.tolerance, part) if r["unit_id"] in mine]
    counts = {key: sum(r["status_key"] == key for r in rows) for key in STATUS_LABELS}
    sentence = target_sentence(
        kpi.title, kpi.format.value, grain.value, period, counts, part, target_rule(kpi, part)
    )
    head = html.Thead(html.Tr([html.Th(label, className=cls) for _, label, cls in TARGET_COLUMNS]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(
                        "\u2003" * (org.depth(r["unit_id"]) - base) + org.name(r["unit_id"])
                        if key == "enhed"
                        else r[key],
                        className=f"{cls} status-{r['status_key']}" if key == "status" else cls,
                    )
                    for key, _, cls in TARGET_COLUMNS
                ]
            )
            for r in rows
        ]
    )
    table = dbc.Table([head, body], size="sm", className="report-table", bordered=False)
    return _lens(title, states.keep_together(sentence), html.Div(table, className="table-wrap"))


def _list_count(services: Services, kpi: Kpi, unit: str, grain: Grain, period: date) -> html.Div:
    """The count behind the figure, in the viewer's scope; never a row."""
    if kpi.list is None:
        return html.Div()
    try:
        page = services.list_header(kpi.id, unit, grain, period, False)
    except Refused as refused:
        return _lens("Detaljer", str(refused))
    singular, plural = kpi.list.noun
    sentence = list_sentence(
        page.total,
        services.org.name(unit),
        grain.value,
        period,
        False,
        singular,
        plural,
        hidden=services.is_hidden(kpi.id, unit, grain, period),
    )
    note = "Borgerne kan ses på nøgletallets side; de er ikke med i rapporten."
    if partial(services.looker().scope, services.org, unit):
        note = "Tallet omfatter kun borgerne i de enheder, du har adgang til. " + note
    href = View(unit, grain, period).href(f"/kpi/{kpi.id}", "liste")
    return _lens(
        "Detaljer",
        states.keep_together(sentence),
        html.P([note, " ", dcc.Link("Åbn nøgletallet", href=href)], className="small mb-0"),
    )
