"""The chosen unit follows the leader: menu links keep the unit, grain and period.

The menu is drawn once, with the shell; its links are then rewritten from the address
whenever it changes (`nav`), so choosing Job og Sygedagpenge on the overview and then a
KPI in the menu opens the KPI for Job og Sygedagpenge. A KPI page gets the unit and, when
one was chosen, the grain and period (the period only if that KPI has data for it); the
overview, the area pages and Definitioner take the unit alone. Only a unit of the
organisation is ever carried: figures are shown to every signed-in viewer, and lists
check the viewer's scope on their own, whatever the link says.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from dash import ALL, Dash, Input, Output, ctx

from components.services import Services
from components.view import GRAIN_FROM_PARAM, GRAIN_PARAM, params_from_search
from queries.catalogue.models import Grain
from queries.compiler.periods import floor_period, parse_period, period_param

CARRY = "nav-carry"  # the type of every menu link that keeps the chosen unit
KPI_PATH = "/kpi/"


def carry_id(path: str, slot: int) -> dict:
    """The id of a menu link to `path`; `slot` tells two links to the same page apart."""
    return {"type": CARRY, "path": path, "slot": slot}


def chosen(services: Services, search: str | None) -> tuple[str | None, Grain | None, date | None]:
    """(unit, grain, period) read from an address's query; what cannot be read is None,
    and so is the whole of MSB (the default of every page)."""
    params = params_from_search(search)
    unit = params.get("enhed")
    try:
        unit = unit if unit and unit in services.org and unit != services.org.root else None
    except Exception:  # the warehouse (and its org tree) is away: the links stay bare
        unit = None
    grain = GRAIN_FROM_PARAM.get(params.get("interval", ""))
    period = None
    if grain is not None and params.get("periode"):
        try:
            period = parse_period(params["periode"], grain)
        except ValueError:
            period = None
    return unit, grain, period


def carried_href(services: Services, path: str, search: str | None) -> str:
    """`path` with the unit (and for a KPI page the grain and period) chosen in `search`."""
    unit, grain, period = chosen(services, search)
    params: dict[str, str] = {}
    if unit:
        params["enhed"] = unit
    if path.startswith(KPI_PATH) and grain is not None:
        params["interval"] = GRAIN_PARAM[grain]
        if period is not None and _has_data(services, path[len(KPI_PATH) :], grain, period):
            params["periode"] = period_param(period, grain)
    return f"{path}?{urlencode(params)}" if params else path


def _has_data(services: Services, kpi_id: str, grain: Grain, period: date) -> bool:
    """Whether the KPI has data in `period`: another KPI's period may lie outside it."""
    try:
        found = services.data_range(kpi_id)
    except Exception:  # the warehouse is away: the page picks its own period later
        return False
    if found is None:
        return False
    earliest, through = found
    return floor_period(earliest, grain) <= period <= floor_period(through, grain)


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output({"type": CARRY, "path": ALL, "slot": ALL}, "href"),
        Input("nav", "pathname"),
        Input("nav", "search"),
    )
    def follow(_pathname: str | None, search: str | None) -> list[str]:
        return [carried_href(services, output["id"]["path"], search) for output in ctx.outputs_list]

    # A link with a query no longer equals the address, so "exact" cannot mark it active.
    @app.callback(
        Output(carry_id("/", 0), "active"),
        Output(carry_id("/definitioner", 0), "active"),
        Input("nav", "pathname"),
    )
    def mark(pathname: str | None) -> tuple[bool, bool]:
        return pathname == "/", pathname == "/definitioner"
