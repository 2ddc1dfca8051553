"""Start dialog: a button (on the KPI page and in the page frame) opens a modal where a
leader asks the analysts for a new figure, list or KPI — what they want to know and
why. The page's address, and the KPI and unit it shows, are stored with the question
(appdb.analyst_requests); the analysts answer on /dialog.

The modal sits in the page frame, once; every button is a pattern-matching id, so a
page may have any number of them (or none).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import dash_bootstrap_components as dbc
from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update

from appdb import analyst_requests
from appdb.analyst_requests import RequestInvalid, RequestRefused
from components import states
from components.people import app_db
from components.services import Services
from identity import current

OPEN = "dialog-open"
MODAL, CONTEXT, PAGE = "dialog-modal", "dialog-context", "dialog-page"
QUESTION, WHY, SEND, CANCEL, STATUS = (
    "dialog-question",
    "dialog-why",
    "dialog-send",
    "dialog-cancel",
    "dialog-status",
)
KPI_PATH = "/kpi/"


def button(place: str, **style) -> dbc.Button:
    """A "Start dialog" button; `place` tells the buttons of one page apart."""
    return dbc.Button(
        [html.I(className="bi bi-chat-left-text me-2", **{"aria-hidden": "true"}), "Start dialog"],
        id={"type": OPEN, "place": place},
        color=style.pop("color", "primary"),
        outline=style.pop("outline", True),
        size="sm",
        className=" ".join(("text-nowrap", style.pop("className", ""))).strip(),
        title="Spørg analytikerne om et nyt tal, en liste eller et nøgletal",
        **style,
    )


def modal() -> html.Div:
    return html.Div(
        [
            dcc.Store(id=PAGE),
            dbc.Modal(
                [
                    dbc.ModalHeader(dbc.ModalTitle("Start dialog med analytikerne")),
                    dbc.ModalBody(
                        [
                            html.P(
                                "Mangler du et tal, en liste eller et nøgletal? Skriv, hvad du "
                                "gerne vil vide, og hvorfor. Analytikerne i Ledelsesinformation "
                                "svarer dig under Ledelse › Start dialog.",
                                className="small",
                            ),
                            html.P(id=CONTEXT, className="small text-body-secondary"),
                            dbc.Label("Hvad vil du gerne vide?", html_for=QUESTION),
                            dbc.Textarea(
                                id=QUESTION, rows=3, maxLength=analyst_requests.MAX_QUESTION
                            ),
                            dbc.Label("Hvorfor? Hvad skal du bruge det til?", html_for=WHY),
                            dbc.Textarea(id=WHY, rows=2, maxLength=analyst_requests.MAX_QUESTION),
                            html.Div(id=STATUS, role="status", className="mt-2"),
                        ]
                    ),
                    dbc.ModalFooter(
                        [
                            dbc.Button("Luk", id=CANCEL, color="secondary", outline=True),
                            dbc.Button("Send til analytikerne", id=SEND, color="primary"),
                        ]
                    ),
                ],
                id=MODAL,
                is_open=False,
            ),
        ]
    )


def waiting_box(services: Services) -> dbc.Alert | None:
    """For the overview: the open requests an analyst has to answer, or the answers a
    leader has not yet read; None when there is nothing, or the app database is away."""
    engine = app_db(services)
    viewer = current.viewer()
    if engine is None or viewer is None:
        return None
    try:
        count = analyst_requests.waiting(engine, viewer)
    except Exception as error:
        states.log.warning("requests unavailable (%s)", type(error).__name__)
        return None
    if not count:
        return None
    if analyst_requests.may_answer(viewer):
        said = f"{count} {'ønske' if count == 1 else 'ønsker'} fra lederne venter på svar."
        link = "Besvar dem i Start dialog"
    else:
        said = f"Analytikerne har svaret på {count} af dine ønsker."
        link = "Læs svaret i Start dialog" if count == 1 else "Læs svarene i Start dialog"
    return dbc.Alert(
        [
            html.I(className="bi bi-chat-left-text me-2", **{"aria-hidden": "true"}),
            said + " ",
            dcc.Link(link, href="/dialog"),
        ],
        color="info",
        className="py-2",
        id="dialog-waiting",
    )


def where_from(href: str | None, units) -> tuple[str | None, str | None, str | None]:
    """(page address, KPI id, unit) of the page the leader asked from."""
    if not href:
        return None, None, None
    parts = urlsplit(href)
    address = parts.path + (f"?{parts.query}" if parts.query else "")
    kpi = parts.path[len(KPI_PATH) :] if parts.path.startswith(KPI_PATH) else None
    unit = (parse_qs(parts.query).get("enhed") or [None])[0]
    return address, kpi or None, unit if unit in units else None


def context_text(services: Services, href: str | None) -> str:
    _, kpi_id, unit = where_from(href, services.org.units)
    parts = []
    if kpi_id:
        try:
            parts.append(f"nøgletallet {services.catalogue.kpi(kpi_id).title}")
        except KeyError:
            kpi_id = None
    if unit:
        parts.append(f"enheden {services.org.name(unit)}")
    if not parts:
        return "Siden, du står på, gemmes med dit spørgsmål."
    return "Gemmes med dit spørgsmål: " + " og ".join(parts) + " og sidens adresse."


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(MODAL, "is_open"),
        Output(CONTEXT, "children"),
        Output(PAGE, "data"),
        Output(STATUS, "children", allow_duplicate=True),
        Input({"type": OPEN, "place": ALL}, "n_clicks"),
        Input(CANCEL, "n_clicks"),
        State("nav", "href"),
        prevent_initial_call=True,
    )
    def toggle(opened: list, _cancel, href: str | None):
        if ctx.triggered_id == CANCEL:
            return False, no_update, no_update, None
        if not any(opened or []):  # a page with buttons was drawn; nobody clicked
            return no_update, no_update, no_update, no_update
        return True, context_text(services, href), href, None

    @app.callback(
        Output(STATUS, "children", allow_duplicate=True),
        Output(QUESTION, "value"),
        Output(WHY, "value"),
        Input(SEND, "n_clicks"),
        State(QUESTION, "value"),
        State(WHY, "value"),
        State(PAGE, "data"),
        prevent_initial_call=True,
    )
    def send(_clicks, question: str | None, why: str | None, href: str | None):
        engine = app_db(services)
        if engine is None:
            return states.message("Spørgsmålet kan ikke gemmes lige nu.", "warning"), *[
                no_update
            ] * 2
        address, kpi_id, unit = where_from(href, services.org.units)
        try:
            analyst_requests.ask(engine, current.viewer(), question, why, address, kpi_id, unit)
        except (RequestRefused, RequestInvalid) as error:
            warning = states.message(str(error), "warning", "exclamation-triangle")
            return warning, no_update, no_update
        except Exception as error:
            return states.failed("Start dialog", error), no_update, no_update
        done = states.message(
            "Tak. Dit spørgsmål er sendt til analytikerne. Du ser svaret under "
            "Ledelse › Start dialog.",
            "info",
            "check-circle",
        )
        return done, "", ""
