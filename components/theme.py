"""Colours and the base Plotly layout, shared by all figures.

The colours mirror the CSS variables in assets/app.css. Status colours pass WCAG 2.1 AA
(4.5:1) on white, so they can also colour text.
"""

from __future__ import annotations

import copy
from typing import Any

PRIMARY = "#003f7d"  # municipal blue: the chosen unit
PRIMARY_LIGHT = "#7f9fbe"

GOOD = "#1b6e3a"  # better than target
WITHIN = "#8a5a00"  # within tolerance
BAD = "#a4262c"  # worse than target

NEUTRAL_DARK = "#52606d"  # secondary text
NEUTRAL = "#8c959f"  # lines for reference series
NEUTRAL_LIGHT = "#d9dee4"  # gridlines, borders
TEXT = "#1f2933"

LAST_YEAR = "#8c959f"  # same period last year (dashed)
REFERENCE = "#52606d"  # parent unit (dotted)
TARGET = "#a4262c"  # target line ("Mål")
OWN_GOAL = "#6a3d9a"  # the unit's own goal (Målkompas), dashed
NO_TARGET = PRIMARY  # bars when the KPI has no target

STATUS_COLOURS = {"better": GOOD, "within": WITHIN, "worse": BAD, "none": PRIMARY}

FONT_FAMILY = '"Source Sans 3", "Segoe UI", Arial, sans-serif'

GRAPH_CONFIG: dict[str, Any] = {
    "locale": "da",
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
"""Pass as `dcc.Graph(config=GRAPH_CONFIG)`; assets/plotly-locale-da.js provides "da"."""

SPARKLINE_CONFIG: dict[str, Any] = {"staticPlot": True, "displayModeBar": False}

BASE_LAYOUT: dict[str, Any] = {
    "font": {"family": FONT_FAMILY, "size": 14, "color": TEXT},
    "separators": ",.",  # decimal comma, thousands dot
    "paper_bgcolor": "rgba(0,0,0,0)",
    # The download button (components/chart_download.py): a dark grey icon, AA on white.
    "modebar": {"bgcolor": "rgba(255,255,255,0)", "color": NEUTRAL_DARK, "activecolor": PRIMARY},
    "plot_bgcolor": "rgba(0,0,0,0)",
    "margin": {"l": 8, "r": 16, "t": 8, "b": 8},
    "hovermode": "closest",
    "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 14}, "bgcolor": "white"},
    "legend": {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 1.02,
        "xanchor": "left",
        "x": 0,
        "font": {"size": 13},
    },
    "xaxis": {
        "automargin": True,
        "showgrid": False,
        "linecolor": NEUTRAL_LIGHT,
        "ticks": "outside",
        "tickcolor": NEUTRAL_LIGHT,
        "fixedrange": True,
    },
    "yaxis": {
        "automargin": True,
        "gridcolor": NEUTRAL_LIGHT,
        "zerolinecolor": NEUTRAL_LIGHT,
        "fixedrange": True,
    },
}


def base_layout(**overrides: Any) -> dict[str, Any]:
    """A fresh copy of BASE_LAYOUT, with top-level keys merged one level deep."""
    layout = copy.deepcopy(BASE_LAYOUT)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def tick_format(fmt: str) -> str:
    """d3 tick format for a KPI format (shown with Danish separators via `separators`)."""
    key = str(getattr(fmt, "value", fmt)).rstrip(".")
    return {"percent": ".1~%", "kr": ",.0f", "days": ",~f"}.get(key, ",~f")
