"""/start: Start her – the method's decision tree, for a leader who does not know where to
begin. One question per step (`?trin=`), each answer a link: to the next step, to a KPI
page with its lenses, or to a page of the app. The chosen unit (`enhed`) goes along.

The tree is `start_her.yaml` beside the catalogue (queries/start_tree), checked at start.
The page needs no callback: every choice is a plain link, so it stands through an outage.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, State, dcc, html, no_update

from components.not_found import not_found
from components.picker import unit_options
from components.services import Services
from components.view import params_from_search
from pages import for_a_viewer
from queries.start_tree import PAGES, Choice, StartTree

START_PATH = "/start"
START_UNIT = "start-unit"


def _unit(services: Services, enhed: str | None) -> str | None:
    """The chosen unit when it is one of the organisation's (and not all of MSB)."""
    try:
        return enhed if enhed and enhed in services.org and enhed != services.org.root else None
    except Exception:  # the warehouse is away: the links go without a unit
        return None


def choice_href(choice: Choice, unit: str | None) -> str:
    """Where a choice leads, with the chosen unit."""
    params: dict[str, str] = {}
    if choice.next is not None:
        path = START_PATH
        params["trin"] = choice.next
    elif choice.kpi is not None:
        path = f"/kpi/{choice.kpi}"
    else:
        path = PAGES[choice.page][0]
    if unit:
        params["enhed"] = unit
    if choice.sammenlign and choice.sammenlign != "underenheder":
        params["sammenlign"] = choice.sammenlign
    return f"{path}?{urlencode(params)}" if params else path


def destination(services: Services, choice: Choice) -> str:
    """Where the link ends, in words, so a leader knows before clicking."""
    if choice.next is not None:
        return ""
    if choice.kpi is not None:
        title = services.catalogue.kpi(choice.kpi).title
        modes = {"teams": " · alle teams", "soeskende": " · søskende"}
        mode = modes.get(choice.sammenlign or "", "")
        return f"Nøgletal: {title}{mode}"
    return PAGES[choice.page][1]


def choice_link(services: Services, choice: Choice, unit: str | None) -> dcc.Link:
    where = destination(services, choice)
    icon = "arrow-right-circle" if choice.next else "box-arrow-in-right"
    return dcc.Link(
        [
            html.Span(choice.label, className="start-choice-label"),
            html.Span(choice.hint, className="start-choice-hint") if choice.hint else None,
            html.Span(
                [html.I(className=f"bi bi-{icon} me-1", **{"aria-hidden": "true"}), where],
                className="start-choice-where",
            )
            if where
            else None,
        ],
        href=choice_href(choice, unit),
        className="start-choice",
    )


def step_href(tree: StartTree, step_id: str, unit: str | None) -> str:
    """The address of a step (the first step's is /start itself), with the unit."""
    params = {} if step_id == tree.start else {"trin": step_id}
    if unit:
        params["enhed"] = unit
    return f"{START_PATH}?{urlencode(params)}" if params else START_PATH


def trail(tree: StartTree, step_id: str, unit: str | None) -> html.Nav | None:
    """The questions answered so far, each a link back."""
    way = tree.way_to(step_id)
    if len(way) < 2:
        return None
    items = [
        html.Li(
            dcc.Link(step.question, href=step_href(tree, step.id, unit)),
            className="breadcrumb-item",
        )
        for step in way[:-1]
    ]
    items.append(
        html.Li(way[-1].question, className="breadcrumb-item active", **{"aria-current": "step"})
    )
    return html.Nav(html.Ol(items, className="breadcrumb mb-2"), **{"aria-label": "Dine svar"})


def unit_picker(services: Services, unit: str | None) -> dbc.Row:
    """Which unit the answers are for; it then follows every link on the page."""
    try:
        options = unit_options(services.org)
        value = unit or services.org.root
    except Exception:  # the warehouse is away: the links go without a unit
        options, value = [], None
    return dbc.Row(
        dbc.Col(
            [
                dbc.Label("Svarene gælder", html_for=START_UNIT),
                dbc.Select(id=START_UNIT, options=options, value=value),
            ],
            md=6,
            lg=4,
        ),
        className="mt-2",
    )


def no_tree() -> html.Div:
    """Start her without a start_her.yaml beside the catalogue."""
    return html.Div(
        [
            html.H1("Start her", className="h2"),
            html.P(
                "Der er ikke sat et beslutningstræ op endnu (start_her.yaml ved siden "
                "af kpi_definitions.yaml). Begynd på Ledelsesoverblik, eller læs Hjælp.",
                className="lead-text",
            ),
            html.P(
                [dcc.Link("Ledelsesoverblik", href="/"), " · ", dcc.Link("Hjælp", href="/hjaelp")]
            ),
        ],
        className="start-page",
    )


def layout_for(services: Services):
    def layout(trin: str | None = None, enhed: str | None = None, **_ignored) -> html.Div:
        if not for_a_viewer():
            return html.Div(dbc.Select(id=START_UNIT))  # the ids, for Dash's validation
        tree: StartTree | None = services.catalogue.start_tree
        if tree is None:
            return no_tree()
        step_id = trin or tree.start
        try:
            step = tree.step(step_id)
        except KeyError:
            return not_found(f"Start her har intet trin ved navn '{step_id}'.", back=START_PATH)
        unit = _unit(services, enhed)
        return html.Div(
            [
                html.H1("Start her", className="h2"),
                html.P(tree.intro, className="lead-text")
                if tree.intro and step.id == tree.start
                else None,
                trail(tree, step.id, unit),
                unit_picker(services, unit),
                html.Section(
                    [
                        html.H2(step.question, className="h3 mt-3", id="start-question"),
                        html.P(step.help, className="text-body-secondary") if step.help else None,
                        html.Div(
                            [choice_link(services, c, unit) for c in step.choices],
                            className="start-choices",
                        ),
                    ],
                    **{"aria-labelledby": "start-question"},
                ),
                html.P(
                    dcc.Link("← Begynd forfra", href=step_href(tree, tree.start, unit)),
                    className="mt-2",
                )
                if step.id != tree.start
                else None,
            ],
            className="start-page",
        )

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "start",
        path=START_PATH,
        name="Start her",
        title="Start her – MSB i tal",
        layout=layout_for(services),
        order=5,
    )

    @app.callback(
        Output("nav", "href", allow_duplicate=True),
        Input(START_UNIT, "value"),
        State("nav", "search"),
        prevent_initial_call=True,
    )
    def choose(unit: str | None, search: str | None):
        """The same step for another unit."""
        params = params_from_search(search)
        if not unit or unit not in services.org or params.get("enhed", services.org.root) == unit:
            return no_update
        params.pop("enhed", None)
        if unit != services.org.root:
            params["enhed"] = unit
        return f"{START_PATH}?{urlencode(params)}" if params else START_PATH
