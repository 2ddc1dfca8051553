"""The state of a view, read from and written to the URL so any view can be shared as a link."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

from queries.catalogue.models import Grain
from queries.compiler.periods import parse_period, period_param

GRAIN_PARAM = {Grain.month: "maaned", Grain.quarter: "kvartal", Grain.year: "aar"}
GRAIN_FROM_PARAM = {v: k for k, v in GRAIN_PARAM.items()}
GRAIN_LABEL = {Grain.month: "Måned", Grain.quarter: "Kvartal", Grain.year: "År"}


class BadView(ValueError):
    """A URL parameter that cannot be shown; the message is Danish and meant for the user."""


@dataclass(frozen=True)
class View:
    unit: str
    grain: Grain
    period: date | None = None  # None: the latest period with data
    siblings: bool = False  # benchmark against siblings instead of children
    numerator_only: bool = False
    teams: bool = False  # benchmark every team under the unit, at any depth

    def with_(self, **changes) -> View:
        return replace(self, **changes)

    def query(self) -> str:
        params = {"enhed": self.unit, "interval": GRAIN_PARAM[self.grain]}
        if self.period is not None:
            params["periode"] = period_param(self.period, self.grain)
        if self.siblings:
            params["sammenlign"] = "soeskende"
        elif self.teams:
            params["sammenlign"] = "teams"
        if self.numerator_only:
            params["kun"] = "taeller"
        return "?" + urlencode(params)

    def href(self, path: str, anchor: str = "") -> str:
        return f"{path}{self.query()}{'#' + anchor if anchor else ''}"


def _first(params: dict, name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return value or None


def view_from_params(
    params: dict, units: set[str] | dict, default_unit: str, default_grain: Grain
) -> View:
    """Read a View from URL parameters (as Dash pages pass them, or parsed from a query string)."""
    unit = _first(params, "enhed") or default_unit
    if unit not in units:
        raise BadView(f"Enheden '{unit}' findes ikke i organisationen.")
    grain_text = _first(params, "interval")
    if grain_text is not None and grain_text not in GRAIN_FROM_PARAM:
        raise BadView(f"Ukendt interval '{grain_text}'. Brug maaned, kvartal eller aar.")
    grain = GRAIN_FROM_PARAM.get(grain_text, default_grain)
    period_text = _first(params, "periode")
    try:
        period = parse_period(period_text, grain) if period_text else None
    except ValueError as error:
        raise BadView(str(error).capitalize()) from None
    return View(
        unit,
        grain,
        period,
        _first(params, "sammenlign") == "soeskende",
        _first(params, "kun") == "taeller",
        teams=_first(params, "sammenlign") == "teams",
    )


def params_from_search(search: str | None) -> dict:
    return {k: v[0] for k, v in parse_qs((search or "").lstrip("?")).items()}
