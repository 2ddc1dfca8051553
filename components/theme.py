"""Colours and the base Plotly layout, shared by all figures.

The colours mirror the CSS variables in assets/app.css. Status colours pass WCAG 2.1 AA
(4.5:1) on white, so they can also colour text.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
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


MIO, MIA = 1_000_000, 1_000_000_000
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def value_axis(fmt: str, values: Iterable[float | None]) -> dict[str, Any]:
    """The value axis's ticks. Kroner from a million up are written as a leader reads
    them ("170 mio. kr.", as the bars' labels and the sentences), not "170.000.000":
    d3 has no Danish abbreviation, so the ticks are chosen here, about five of them."""
    key = str(getattr(fmt, "value", fmt)).rstrip(".")
    shown = [float(v) for v in values if v is not None and v == v]
    if key != "kr" or not shown or max(abs(v) for v in shown) < MIO:
        return {"tickformat": tick_format(fmt)}
    low, high = min(shown), max(shown)
    step = _nice_step((high - low) / 5 if high > low else abs(high) / 5)
    first = math.floor(low / step) * step
    ticks = [first + i * step for i in range(math.ceil((high - first) / step) + 2)]
    unit = MIA if max(abs(low), abs(high)) >= MIA else MIO
    return {
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [_abbreviated(tick, unit) for tick in ticks],
    }


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in NICE_STEPS if m * magnitude >= raw)


def _abbreviated(value: float, unit: float) -> str:
    """'20 mio. kr.', '2,5 mio. kr.', '−4 mio. kr.', '2 mia. kr.' (no ',0' on whole ones)."""
    if round(value) == 0:
        return "0"
    text = f"{value / unit:,.2f}".rstrip("0").rstrip(".")
    name = "mia." if unit == MIA else "mio."
    return f"{text.translate(str.maketrans({',': '.', '.': ','})).replace('-', '−')} {name} kr."


def tick_format(fmt: str) -> str:
    """d3 tick format for a KPI format (shown with Danish separators via `separators`)."""
    key = str(getattr(fmt, "value", fmt)).rstrip(".")
    return {"percent": ".1~%", "kr": ",.0f", "days": ",~f"}.get(key, ",~f")
