"""Hent som Excel: the whole list behind a number as an .xlsx file — in the viewer's
scope, with masked CPR, capped, rate limited and written to the audit log as an export."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update

from components import states
from components.citizen_access import Refused
from components.kpi_state import resolve_state
from components.services import Services
from queries.catalogue.models import Kpi
from queries.compiler.periods import period_param
from queries.warehouse import ListPage
from webapp.ratelimit import export_allowed
from webapp.usage import record_action
from webapp.who import user_label

BUTTON, DOWNLOAD, STATUS = "list-export", "list-export-file", "list-export-status"
LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
TOO_MANY = (
    "Du har hentet mange lister på kort tid. Vent lidt, og prøv igen – grænsen beskytter "
    "borgernes oplysninger."
)


def button() -> html.Div:
    return html.Div(
        [
            dbc.Button(
                [
                    html.I(className="bi bi-file-earmark-excel me-1", **{"aria-hidden": "true"}),
                    "Hent som Excel",
                ],
                id=BUTTON,
                color="primary",
                outline=True,
                size="sm",
            ),
            html.Span(id=STATUS, className="small text-body-secondary ms-2", role="status"),
            dcc.Download(id=DOWNLOAD),
        ],
        className="mt-2",
    )


def workbook_bytes(
    kpi: Kpi, unit_name: str, period_text: str, user: str, page: ListPage, at: datetime
) -> bytes:
    header = [
        ("Nøgletal", kpi.title),
        ("Enhed", unit_name),
        ("Periode", period_text),
        ("Udtrukket", at.strftime("%d-%m-%Y %H:%M")),
        ("Udtrukket af", user),
        ("Rækker", f"{len(page.rows)} af {page.total}"),
    ]
    keys = [key for key, _ in page.columns]
    rows = [[row.get(key) for key in keys] for row in page.rows]
    from queries.xlsx import workbook  # openpyxl (0.1 s to import) only when exporting

    return workbook(kpi.title, header, [label for _, label in page.columns], rows)


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(DOWNLOAD, "data"),
        Output(STATUS, "children"),
        Input(BUTTON, "n_clicks"),
        State("kpi-state", "data"),
        prevent_initial_call=True,
    )
    def export(clicks: int | None, state: dict | None):
        if not clicks:
            return no_update, no_update
        try:
            resolved = resolve_state(services, state)
            if resolved is None or resolved[0].list is None:
                return no_update, "Der er ingen liste at hente."
            if not export_allowed():
                return no_update, TOO_MANY
            kpi, view, period = resolved
            page = services.export_list(
                kpi.id, view.unit, view.grain, period, numerator_only=view.numerator_only
            )
            record_action("export", kpi_id=kpi.id, unit=view.unit)
            shown_period = period_param(period, view.grain)
            name = f"{kpi.id}_{view.unit}_{shown_period}.xlsx"
            content = workbook_bytes(
                kpi,
                services.org.name(view.unit),
                shown_period,
                user_label(services.viewer_id),
                page,
                datetime.now(LOCAL_TIME),
            )
            note = f"{len(page.rows)} rækker hentet."
            if len(page.rows) < page.total:
                note = f"De første {len(page.rows)} af {page.total} rækker hentet (loft)."
            return dcc.send_bytes(content, name), note
        except Refused as refused:  # no right, outside scope or no purpose yet: say why
            return no_update, str(refused)
        except Exception as error:  # the page lives on; details go to the log
            states.log.exception("export failed", exc_info=error)
            return no_update, "Listen kunne ikke hentes lige nu. Prøv igen om lidt."
