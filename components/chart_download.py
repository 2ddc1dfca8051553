"""Charts can be saved as PNG, named by what they show: KPI, unit, period and lens.

Plotly's mode bar shows only its download button, drawn under the chart (assets/app.css
`.chart-download`) so it never covers the legend above the plot.
"""

from __future__ import annotations

import re
from datetime import date

from dash import Dash, Input, Output

from components import lens_benchmark, lens_trend
from components.kpi_state import resolve_state
from components.services import Services
from queries.catalogue.models import Grain
from queries.compiler.periods import period_param

TREND, BENCHMARK = "udvikling", "maalestok"
_UNSAFE = re.compile(r"[^0-9A-Za-z_-]+")
DANISH = {
    "Download plot as a PNG": "Gem grafen som PNG",
    "Download plot as a png": "Gem grafen som PNG",
}


def file_name(kpi_id: str, unit: str, grain: Grain, period: date, lens: str) -> str:
    """E.g. "sygedagpenge_over_22_uger_JSY_2026-10_udvikling" (no extension: Plotly adds it)."""
    parts = (kpi_id, unit, period_param(period, grain), lens)
    return "_".join(_UNSAFE.sub("-", part) for part in parts)


def download_config(filename: str | None = None) -> dict:
    """A dcc.Graph config whose mode bar holds only "Download plot as a png"."""
    config: dict = {
        "locale": "da",
        "locales": {"da": {"dictionary": DANISH}},  # the button's name; Plotly's "da" lacks it
        "displaylogo": False,
        "displayModeBar": filename is not None,
        "modeBarButtons": [["toImage"]],
    }
    if filename is not None:
        config["toImageButtonOptions"] = {"format": "png", "filename": filename, "scale": 2}
    return config


def register(app: Dash, services: Services) -> None:
    # The page names them with its layout (pages/kpi.py); this names them for a later state.
    @app.callback(
        Output(lens_trend.GRAPH, "config"),
        Output(lens_benchmark.GRAPH, "config"),
        Input("kpi-state", "data"),
        prevent_initial_call=True,
    )
    def name_downloads(state: dict | None) -> tuple[dict, dict]:
        return configs(services, state)


def configs(services: Services, state: dict | None) -> tuple[dict, dict]:
    """The trend's and the benchmark's graph config, their PNGs named by the state."""
    try:
        resolved = resolve_state(services, state)
    except Exception:  # the warehouse is away: the lenses say so; nothing to save
        resolved = None
    if resolved is None:
        return download_config(), download_config()
    kpi, view, period = resolved
    return tuple(  # type: ignore[return-value]
        download_config(file_name(kpi.id, view.unit, view.grain, period, lens))
        for lens in (TREND, BENCHMARK)
    )
