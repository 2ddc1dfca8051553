"""/dialog: the leaders' questions to the analysts (Start dialog) and the answers.

Analysts and admins see every request and answer it here; anyone else sees their own
requests and the answers to them.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import MATCH, Dash, Input, Output, State, dcc, html, no_update

from appdb import analyst_requests
from appdb.analyst_requests import Request, RequestInvalid, RequestRefused
from components import dialog, states
from components.people import app_db, person, when
from components.services import Services
from identity import current
from pages import for_a_viewer

ANSWER_TEXT, ANSWER_SEND, ANSWER_STATUS = (
    "dialog-answer-text",
    "dialog-answer-send",
    "dialog-answer-status",
)


def where(services: Services, request: Request) -> list:
    """The KPI and unit the question was asked from, and a link back to the page."""
    parts = []
    if request.kpi_id:
        try:
            parts.append(services.catalogue.kpi(request.kpi_id).title)
        except KeyError:
            parts.append(request.kpi_id)
    if request.unit:
        parts.append(
            services.org.name(request.unit) if request.unit in services.org else request.unit
        )
    found = [" · ".join(parts)] if parts else []
    if request.page and request.page.startswith("/"):
        found += [" · " if parts else "", dcc.Link("Åbn siden", href=request.page)]
    return found


def request_card(services: Services, request: Request, answering: bool) -> dbc.Card:
    answered = request.status == "besvaret"
    badge = dbc.Badge(
        "Besvaret" if answered else "Åben",
        color="success" if answered else "warning",
        className="me-2",
    )
    # The asker's first look at an answer: marked, so they find it among the others.
    news = answered and not answering and request.answer_seen_at is None
    if news:
        badge = [badge, dbc.Badge("Nyt svar", color="primary", className="me-2")]
    asker = request.asked_by_name or person(request.asked_by)
    body = [
        html.Div(
            [*(badge if news else [badge]), f"{asker} · {when(request.asked_at)}"],
            className="small text-body-secondary mb-1",
        ),
        html.P(request.question, className="fw-semibold mb-1 request-question"),
        html.P(f"Hvorfor: {request.why}", className="mb-1") if request.why else None,
        html.Div(where(services, request), className="small mb-2"),
    ]
    if answered:
        body.append(
            html.Div(
                [
                    html.Div(
                        f"Svar fra {person(request.answered_by)} · {when(request.answered_at)}",
                        className="small text-body-secondary",
                    ),
                    html.P(request.answer, className="mb-0 request-answer"),
                ],
                className="request-answer-box",
            )
        )
    elif answering:
        key = {"id": request.id}
        body += [
            html.Label(
                [
                    html.Span("Kort svar til lederen", className="small d-block"),
                    dbc.Textarea(
                        id={"type": ANSWER_TEXT, **key},
                        rows=2,
                        maxLength=analyst_requests.MAX_ANSWER,
                    ),
                ],
                className="w-100",
            ),
            dbc.Button(
                "Marker som besvaret",
                id={"type": ANSWER_SEND, **key},
                color="primary",
                size="sm",
                className="mt-2",
            ),
            html.Div(id={"type": ANSWER_STATUS, **key}, role="status", className="mt-2"),
        ]
    return dbc.Card(dbc.CardBody(body), className="lens-card mb-3 dialog-request")


def layout_for(services: Services):
    def layout(**_params) -> html.Div:
        heading = html.H1("Start dialog", className="h2")
        viewer = current.viewer()
        answering = analyst_requests.may_answer(viewer)
        intro = html.P(
            "Ledernes ønsker om nye tal, lister og nøgletal. Marker et ønske som besvaret "
            "med et kort svar, når I har taget stilling til det."
            if answering
            else "Dine ønsker til analytikerne om nye tal, lister og nøgletal, og deres svar. "
            "Start en ny dialog med knappen herunder eller fra et nøgletals side.",
            className="lead-text",
        )
        top = html.Div(dialog.button("page", color="primary", outline=False), className="mb-3")
        if not for_a_viewer():
            return html.Div([heading, top])
        engine = app_db(services)
        try:
            found = analyst_requests.requests_for(engine, viewer) if engine is not None else []
            if found and not answering:
                analyst_requests.mark_answers_seen(engine, viewer)  # the overview stops telling
        except Exception as error:
            states.log.exception("requests unavailable", exc_info=error)
            return html.Div(
                [heading, dbc.Alert("Ønskerne kan ikke hentes lige nu.", color="danger")]
            )
        if not found:
            listing = [html.P("Der er ingen ønsker endnu.", className="text-body-secondary")]
        else:
            ordered = sorted(found, key=lambda r: r.status != "åben")  # open first, newest first
            listing = [request_card(services, r, answering) for r in ordered]
        return html.Div([heading, intro, top, *listing])

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "dialog",
        path="/dialog",
        name="Start dialog",
        title="Start dialog – MSB i tal",
        layout=layout_for(services),
        order=85,
    )
    dialog.register(app, services)

    @app.callback(
        Output({"type": ANSWER_STATUS, "id": MATCH}, "children"),
        Input({"type": ANSWER_SEND, "id": MATCH}, "n_clicks"),
        State({"type": ANSWER_TEXT, "id": MATCH}, "value"),
        State({"type": ANSWER_SEND, "id": MATCH}, "id"),
        prevent_initial_call=True,
    )
    def answer(clicks, text: str | None, key: dict):
        if not clicks:
            return no_update
        engine = app_db(services)
        try:
            analyst_requests.answer(engine, current.viewer(), int(key["id"]), text)
        except (RequestRefused, RequestInvalid) as error:
            return states.message(str(error), "warning", "exclamation-triangle")
        except Exception as error:
            return states.failed("Start dialog", error)
        return states.message("Svaret er gemt, og lederen kan se det her.", "info", "check-circle")
