"""The programme's own question, in a small box on the overview: a leader answers it on a
scale of 1–10, or skips it, once a quarter (appdb.data_use). The box is always in the
page (hidden when the viewer is not to be asked), so its callback's ids always exist."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, ctx, html, no_update

from appdb import data_use
from appdb.data_use import AnswerInvalid
from components import states
from components.formatting import format_count, format_value
from components.people import app_db
from components.services import Services
from identity import current

BOX, FORM, SCORE, SAVE, SKIP, STATUS = (
    "data-use-box",
    "data-use-form",
    "data-use-score",
    "data-use-save",
    "data-use-skip",
    "data-use-status",
)


def _ask(services: Services) -> bool:
    engine = app_db(services)
    try:
        return engine is not None and data_use.should_ask(engine, current.viewer())
    except Exception as error:  # the app database away: the overview stands without it
        states.log.warning("data-use question not asked (%s)", type(error).__name__)
        return False


def box(services: Services, ask: bool | None = None) -> html.Div:
    """The question, or a hidden box when this viewer is not to be asked this quarter."""
    shown = _ask(services) if ask is None else ask
    return html.Div(
        [
            html.Div(
                [
                    html.Fieldset(
                        [
                            html.Legend(
                                [html.Strong("Et kort spørgsmål: "), data_use.QUESTION],
                                className="fs-6 mb-2",
                            ),
                            dbc.RadioItems(
                                id=SCORE,
                                options=[{"label": str(n), "value": n} for n in range(1, 11)],
                                inline=True,
                                className="mb-2 data-use-scale",
                            ),
                        ]
                    ),
                    html.Div(
                        [
                            dbc.Button("Gem svar", id=SAVE, color="primary", size="sm"),
                            dbc.Button(
                                "Spring over", id=SKIP, color="primary", outline=True, size="sm"
                            ),
                        ],
                        className="d-flex gap-2",
                    ),
                    html.P(
                        "Vi spørger højst én gang i kvartalet. Svarene vises kun samlet pr. "
                        "driftsområde, aldrig for den enkelte leder.",
                        className="small text-body-secondary mt-2 mb-0",
                    ),
                ],
                id=FORM,
            ),
            html.Div(id=STATUS, role="status"),
        ],
        id=BOX,
        hidden=not shown,
        className="data-use-box mb-3 p-3 border rounded bg-body-tertiary",
    )


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(FORM, "hidden"),
        Output(STATUS, "children"),
        Input(SAVE, "n_clicks"),
        Input(SKIP, "n_clicks"),
        State(SCORE, "value"),
        prevent_initial_call=True,
    )
    def answer(_save, _skip, score):
        engine = app_db(services)
        skipped = ctx.triggered_id == SKIP
        if not skipped and score is None:
            return no_update, states.message("Vælg et tal fra 1 til 10.", "warning")
        if engine is None:
            return no_update, states.message("Svaret kan ikke gemmes lige nu.", "warning")
        try:
            data_use.record(engine, current.viewer(), services.org, None if skipped else score)
        except AnswerInvalid as error:
            return no_update, states.message(str(error), "warning")
        except Exception as error:
            return no_update, states.failed("Spørgsmålet", error)
        text = "Du bliver spurgt igen næste kvartal." if skipped else "Tak for dit svar."
        return True, states.message(text, "info", "check-circle")


# ---- the development per driftsområde, beside Brugerstatistik ---------------------------


def area_name(services: Services, area: str | None) -> str:
    if area is None:
        return "Uden driftsområde"
    return services.org.name(area) if area in services.org else area


def per_area_table(services: Services) -> html.Div:
    """Quarters as columns, driftsområder as rows: the mean and the number of answers, or
    "<3" where fewer than three leaders answered. Never a person."""
    engine = app_db(services)
    try:
        cells = data_use.per_area(engine) if engine is not None else []
    except Exception as error:
        states.log.exception("data-use answers unavailable", exc_info=error)
        return dbc.Alert("Svarene kan ikke hentes lige nu.", color="danger")
    intro = html.P(
        [
            f"Ledernes svar på »{data_use.QUESTION}« pr. kvartal og driftsområde: "
            "gennemsnit og antal svar. Færre end "
            f"{data_use.MIN_ANSWERS} svar vises som »{data_use.HIDDEN}«, så ingen enkelt "
            "leders svar kan læses. Overspringelser tælles ikke med."
        ],
        className="small text-body-secondary",
    )
    if not cells:
        return html.Div([intro, html.P("Ingen svar endnu.", className="text-body-secondary")])
    quarters = sorted({cell.quarter for cell in cells})
    areas = sorted({cell.area for cell in cells}, key=lambda a: (a is None, area_name(services, a)))
    found = {(cell.area, cell.quarter): cell for cell in cells}

    def shown(area, quarter) -> str:
        cell = found.get((area, quarter))
        if cell is None:
            return "–"
        if cell.hidden:
            return data_use.HIDDEN
        return f"{format_value(cell.mean, 'number', 1)} ({format_count(cell.answers)} svar)"

    head = html.Thead(
        html.Tr(
            [html.Th("Driftsområde")]
            + [html.Th(q.replace("-K", ", K"), className="text-end") for q in quarters]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [html.Td(area_name(services, area))]
                + [html.Td(shown(area, q), className="text-end") for q in quarters]
            )
            for area in areas
        ]
    )
    return html.Div(
        [intro, dbc.Table([head, body], size="sm", striped=True, className="mb-0 data-use-table")]
    )
