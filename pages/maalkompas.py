"""/maalkompas: every unit's own goals that the viewer may read (their units and those
below; every unit for analysts), beside the organisation's targets, with the history of
goal changes. Goals are set on each KPI's page, in its Målkompas panel."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Dash, dcc, html

from appdb import goal_store
from appdb.goal_store import Goal
from appdb.history import may_read
from components import states
from components.maalkompas import (
    FIELD_NAMES,
    ORG_TARGET,
    OWN_GOAL,
    changed_text,
    goal_text,
    month_label,
)
from components.people import app_db, person, when
from components.services import Services
from identity import current
from pages import for_a_viewer

NOT_ALLOWED = (
    "Du kan se mål for dine egne enheder og dem under dem. Din bruger har endnu ingen "
    "enheder; kontakt Ledelsesinformation."
)


def goal_rows(services: Services, goals: list[Goal]) -> html.Div:
    org, catalogue = services.org, services.catalogue
    rows = []
    for goal in goals:
        try:
            kpi = catalogue.kpi(goal.kpi_id)
        except KeyError:
            continue  # a KPI taken out of the catalogue keeps its goal, unshown
        target = services.warehouse.target_of(kpi, goal.unit)
        tolerance = kpi.target.tolerance if kpi.target else None
        rows.append(
            html.Tr(
                [
                    html.Td(org.name(goal.unit)),
                    html.Td(dcc.Link(kpi.title, href=f"/kpi/{kpi.id}?enhed={goal.unit}")),
                    html.Td(goal_text(kpi, target, tolerance)),
                    html.Td(goal_text(kpi, goal.value, goal.tolerance), className="fw-semibold"),
                    html.Td(month_label(goal.from_period)),
                    html.Td(goal.why or "–"),
                    html.Td(f"{person(goal.set_by)}, {when(goal.set_at)}"),
                ]
            )
        )
    if not rows:
        return html.P(
            "Ingen enheder har sat egne mål endnu. Sæt et mål i Målkompas på et nøgletals side.",
            className="text-body-secondary",
        )
    names = ("Enhed", "Nøgletal", ORG_TARGET, OWN_GOAL, "Gælder fra", "Hvorfor", "Sat af")
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(n) for n in names])), html.Tbody(rows)],
        size="sm",
        striped=True,
        responsive=True,
        className="goal-table",
    )


def history_rows(services: Services, changes: list[dict]) -> html.Div:
    org, catalogue = services.org, services.catalogue
    rows = []
    for change in changes[:100]:
        try:
            kpi = catalogue.kpi(change["kpi_id"])
        except KeyError:
            continue
        field = change["field"]
        rows.append(
            html.Tr(
                [
                    html.Td(when(change["changed_at"])),
                    html.Td(person(change["changed_by"])),
                    html.Td(org.name(change["unit"]) if change["unit"] in org else change["unit"]),
                    html.Td(kpi.title),
                    html.Td(FIELD_NAMES.get(field, field)),
                    html.Td(
                        f"{changed_text(kpi, field, change['old_value'])} → "
                        f"{changed_text(kpi, field, change['new_value'])}"
                    ),
                ]
            )
        )
    if not rows:
        return html.P("Ingen ændringer endnu.", className="text-body-secondary")
    names = ("Hvornår", "Hvem", "Enhed", "Nøgletal", "Hvad", "Før → efter")
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(n) for n in names])), html.Tbody(rows)],
        size="sm",
        striped=True,
        responsive=True,
    )


def layout_for(services: Services):
    def layout(**_params) -> html.Div:
        heading = html.H1("Målkompas", className="h2")
        intro = html.P(
            "Enhedernes egne mål for nøgletallene, ved siden af organisationens mål. "
            "Organisationens mål står i nøgletallets definition; enhedens eget mål sætter "
            "lederen selv på nøgletallets side. Statusfarverne måles altid mod "
            "organisationens mål.",
            className="lead-text",
        )
        if not for_a_viewer():
            return html.Div([heading])
        viewer, org = current.viewer(), services.org
        readable = [unit for unit, _ in org.walk() if may_read(viewer, unit, org)]
        if not readable:
            return html.Div([heading, intro, dbc.Alert(NOT_ALLOWED, color="info")])
        engine = app_db(services)
        try:
            goals = goal_store.active_goals(engine) if engine is not None else []
            changes = goal_store.goal_history(engine, units=readable) if engine else []
        except Exception as error:
            states.log.exception("goals unavailable", exc_info=error)
            return html.Div([heading, dbc.Alert("Målene kan ikke hentes lige nu.", color="danger")])
        order = {unit: place for place, unit in enumerate(readable)}
        shown = sorted(
            (g for g in goals if g.unit in order), key=lambda g: (order[g.unit], g.kpi_id)
        )
        return html.Div(
            [
                heading,
                intro,
                dbc.Card(
                    [
                        dbc.CardHeader(html.H2("Enhedernes egne mål", className="h5 mb-0")),
                        dbc.CardBody(goal_rows(services, shown)),
                    ],
                    className="lens-card mb-3",
                ),
                dbc.Card(
                    [
                        dbc.CardHeader(html.H2("Ændringer af målene", className="h5 mb-0")),
                        dbc.CardBody(history_rows(services, changes)),
                    ],
                    className="lens-card mb-3",
                ),
            ]
        )

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "maalkompas",
        path="/maalkompas",
        name="Målkompas",
        title="Målkompas – MSB i tal",
        layout=layout_for(services),
        order=80,
    )
