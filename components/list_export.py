"""Hent som Excel: the whole list behind a number as an .xlsx file — in the viewer's
scope, with masked CPR, capped, and written to the audit log as an export."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update
from openpyxl import Workbook
from openpyxl.styles import Font

from components import states
from components.citizen_access import Refused
from components.kpi_state import resolve_state
from components.services import Services
from queries.compiler.periods import period_param

BUTTON, DOWNLOAD, STATUS = "list-export", "list-export-file", "list-export-status"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


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


def _cell(value: object) -> object:
    """Dates and times as real Excel dates, so the analyst can sort and filter them."""
    if isinstance(value, str) and ISO_DATE.match(value):
        return date.fromisoformat(value)
    if isinstance(value, str) and ISO_TIME.match(value):
        return datetime.fromisoformat(value)
    return value


def workbook_bytes(title: str, columns: tuple[tuple[str, str], ...], rows: list[dict]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Liste"
    sheet.append([label for _, label in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row.get(key)) for key, _ in columns])
    for index, (_, label) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, len(label) + 4)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime):
                cell.number_format = "dd-mm-yyyy hh:mm"
            elif isinstance(cell.value, date):
                cell.number_format = "dd-mm-yyyy"
    sheet.freeze_panes = "A2"
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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
            kpi, view, period = resolved
            page = services.export_list(
                kpi.id, view.unit, view.grain, period, numerator_only=view.numerator_only
            )
            name = f"{kpi.id}_{view.unit}_{period_param(period, view.grain)}.xlsx"
            content = workbook_bytes(kpi.title, page.columns, page.rows)
            note = f"{len(page.rows)} rækker hentet."
            if len(page.rows) < page.total:
                note = f"De første {len(page.rows)} af {page.total} rækker hentet (loft)."
            return dcc.send_bytes(content, name), note
        except Refused as refused:  # no right, outside scope or no purpose yet: say why
            return no_update, str(refused)
        except Exception as error:  # the page lives on; details go to the log
            states.log.exception("export failed", exc_info=error)
            return no_update, "Listen kunne ikke hentes lige nu. Prøv igen om lidt."
