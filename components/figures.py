"""Figure factories for the lenses, built as the plain dicts Plotly's JSON is made of.

A figure is `{"data": [trace, …], "layout": {…}}` with the layout's template filled in
as `go.Figure` fills it, so the browser draws the same chart. graph_objects validates
every property and deep-copies the whole figure, template included, when it is built
and again when Dash sends it: about 12 ms of CPU for one trend, most of a lens
callback's work, against well under 1 ms for the dicts. `as_graph_object` gives the
validated `go.Figure` for tests and for code that wants its API; the tests check that
it sends exactly what the dict sends.

Hover texts are formatted in Python (components.formatting) and passed as customdata,
so hover labels show Danish numbers whatever the browser's locale. customdata[0] is
what a click callback needs: the period (ISO "YYYY-MM-DD") on trend traces, the unit
id on benchmark bars. Missing and suppressed values are None, never zero: the trend
line has a gap, the benchmark row has no bar and the text "<min_n".

Plotly renders a subset of HTML in every text of a figure (names, ticks, hover,
annotations), so text from the catalogue or the warehouse passes `plain_text` on its
way in: an org unit named `<a href=…>` is shown as those characters, never as a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import plotly.graph_objects as go

from components import theme
from components.formatting import format_count, format_value, is_missing
from components.status import STATUS_LABELS, good_side, status_of
from queries.lazy import pandas as pd

__all__ = [
    "STATUS_LABELS",
    "Figure",
    "as_graph_object",
    "benchmark_figure",
    "empty_figure",
    "plain_text",
    "sparkline",
    "status_of",
    "trend_figure",
]

TARGET_NAME = "Mål"
ORG_TARGET_NAME = "Organisationens mål"  # the target's name when the unit has its own goal
OWN_GOAL_NAME = "Enhedens eget mål"
LAST_YEAR_NAME = "Samme periode sidste år"
BAR_HEIGHT = 28
MIN_HEIGHT = 260  # every chart lens's figure is at least this high
TREND_HEIGHT = 360

_X_TICKS = {"month": "%b %Y", "quarter": "K%q %Y", "year": "%Y"}
_X_HOVER = {"month": "%B %Y", "quarter": "%q. kvartal %Y", "year": "%Y"}
_DTICK = {"quarter": "M3", "year": "M12"}


Figure = dict[str, Any]
"""A Plotly figure as the JSON dict dcc.Graph takes: "data" (traces) and "layout"."""


def as_graph_object(figure: Figure) -> go.Figure:
    """The figure as a validated `go.Figure` (raises ValueError on an invalid property)."""
    return go.Figure(figure)


# What of the default template a 2-D chart of bars and lines reads. The rest (maps,
# polar and 3-D scenes, colour scales, some twenty other trace types) is 6 of its 7 KB,
# sent with every figure and merged by Plotly on every draw for nothing.
_TEMPLATE_LAYOUT = (
    "annotationdefaults",
    "autotypenumbers",
    "colorway",
    "font",
    "hoverlabel",
    "hovermode",
    "paper_bgcolor",
    "plot_bgcolor",
    "shapedefaults",
    "title",
    "xaxis",
    "yaxis",
)
TEMPLATE_TRACES = ("bar", "scatter")
"""The trace types our figures draw; a figure with another one gets no template for it."""


@cache
def _template() -> dict[str, Any]:
    """The default template, as go.Figure puts it into every layout, cut down to what
    bars and lines on x/y axes read (`_TEMPLATE_LAYOUT`, `TEMPLATE_TRACES`): the charts
    look the same. Made once: the figures share it and never change it."""
    import plotly.io as pio

    full = pio.templates[pio.templates.default].to_plotly_json()
    return {
        "data": {kind: full["data"][kind] for kind in TEMPLATE_TRACES},
        "layout": {key: full["layout"][key] for key in _TEMPLATE_LAYOUT},
    }


def _figure(traces: list[dict], layout: dict[str, Any]) -> Figure:
    # go leaves out an empty list of annotations or shapes too
    layout = {key: value for key, value in _unset_dropped(layout).items() if value != []}
    return {"data": traces, "layout": {**layout, "template": _template()}}


def _unset_dropped(props: dict[str, Any]) -> dict[str, Any]:
    """go leaves a property set to None out; so do the dicts (one level of nesting)."""
    return {
        key: _unset_dropped(value) if isinstance(value, dict) else value
        for key, value in props.items()
        if value is not None
    }


def _trace(kind: str, **props: Any) -> dict[str, Any]:
    return {**_unset_dropped(props), "type": kind}


def _iso(day: Any) -> str:
    """A period as Plotly reads a date (what go writes for a Timestamp)."""
    return pd.Timestamp(day).isoformat()


def plain_text(text: Any) -> str:
    """Text that Plotly shows as written: its HTML-like markup characters as entities."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class OwnGoal:
    """The unit's own goal (Målkompas) for the trend: its value and the first period
    (first day) it applies to."""

    value: float
    start: pd.Timestamp


@dataclass(frozen=True)
class RunningPeriod:
    """How the newest point of a trend is marked when its period is not over yet."""

    reach: str  # "til og med oktober"
    last_year_months: str  # "oktober 2025": what the last-year point holds


def trend_figure(
    frame: pd.DataFrame,
    fmt: str,
    grain: str,
    unit_name: str,
    parent_name: str | None,
    target: float | None,
    *,
    decimals: int | None = None,
    running: RunningPeriod | None = None,
    own_goal: OwnGoal | None = None,
) -> Figure:
    """The KPI per period for one unit, with last year, the parent unit and the target.

    `frame` has columns period (Timestamp, first day), value, last_year, parent (float,
    NaN when missing) and suppressed (bool). With `running`, the newest period is not
    over: its point is hollow, reached by a dotted line and labelled with how far the
    data reaches, and its last-year value is the same months of last year. With
    `own_goal`, the unit's own goal is a second dashed line from the period it applies
    from, and the catalogue's target is named as the organisation's.
    """
    if frame.empty:
        return empty_figure()
    if _nothing_to_draw(frame, parent_name):  # axes and no line would look broken
        return empty_figure(f"Ingen tal for {unit_name} i de viste perioder")
    unit_name = plain_text(unit_name)
    parent_name = plain_text(parent_name) if parent_name else None
    frame = frame.sort_values("period")
    periods = pd.to_datetime(frame["period"])
    iso = [day.strftime("%Y-%m-%d") for day in periods]
    xs = [_iso(day) for day in periods]
    suppressed = frame["suppressed"].fillna(False).astype(bool).tolist()
    values = [
        None if hidden or is_missing(value) else float(value)
        for value, hidden in zip(frame["value"], suppressed, strict=True)
    ]

    def texts(column: list[float | None], hidden: list[bool] | None = None) -> list[list[str]]:
        hidden = hidden or [False] * len(column)
        return [
            [day, "skjult (for få borgere)" if gone else format_value(v, fmt, decimals)]
            for day, v, gone in zip(iso, column, hidden, strict=True)
        ]

    def line(name: str, ys: list[float | None], **style: Any) -> dict:
        return _trace(
            "scatter",
            x=xs,
            y=ys,
            name=name,
            customdata=style.pop("customdata", None) or texts(ys),
            hovertemplate=f"%{{customdata[1]}}<extra>{name}</extra>",
            connectgaps=False,
            **style,
        )

    unit_texts = texts(values, suppressed)
    whole = [*values[:-1], None] if running else values
    traces: list[dict] = [
        line(
            unit_name,
            whole,
            mode="lines+markers",
            line={"color": theme.PRIMARY, "width": 3},
            marker={"size": 7, "color": theme.PRIMARY},
            customdata=[*unit_texts[:-1], [iso[-1], ""]] if running else unit_texts,
        )
    ]
    annotations = []
    if running:
        traces += _running_point(xs, values, unit_texts, unit_name, running)
        if values[-1] is not None:
            annotations.append(_running_note(xs[-1], values[-1], running))
    last_year = _floats(frame.get("last_year"))
    if any(v is not None for v in last_year):
        year_texts = texts(last_year)
        if running:
            year_texts[-1][1] += f" ({plain_text(running.last_year_months)})"
        traces.append(
            line(
                LAST_YEAR_NAME,
                last_year,
                mode="lines",
                line={"color": theme.LAST_YEAR, "width": 2, "dash": "dash"},
                customdata=year_texts,
            )
        )
    parent = _floats(frame.get("parent"))
    if parent_name and any(v is not None for v in parent):
        traces.append(
            line(
                parent_name,
                parent,
                mode="lines",
                line={"color": theme.REFERENCE, "width": 1.5, "dash": "dot"},
            )
        )
    if not is_missing(target):
        traces.append(
            line(
                ORG_TARGET_NAME if own_goal else TARGET_NAME,
                [float(target)] * len(iso),  # type: ignore[arg-type]
                mode="lines" if len(iso) > 1 else "markers",
                line={"color": theme.TARGET, "width": 1.5, "dash": "longdash"},
                marker={"symbol": "line-ew-open", "size": 16, "color": theme.TARGET},
            )
        )
    if own_goal is not None:
        traces.append(_own_goal_line(periods, own_goal, line))

    layout = theme.base_layout(
        hovermode="x unified",
        height=TREND_HEIGHT,
        margin={"t": 40},
        xaxis={
            "type": "date",
            "tickformat": _X_TICKS[_key(grain)],
            "hoverformat": _X_HOVER[_key(grain)],
        },
        yaxis=theme.value_axis(fmt, [y for trace in traces for y in trace.get("y") or []]),
        annotations=annotations,
    )
    if _key(grain) in _DTICK:
        layout["xaxis"]["dtick"] = _DTICK[_key(grain)]
    return _figure(traces, layout)


def benchmark_figure(
    frame: pd.DataFrame,
    fmt: str,
    direction: str,
    parent_name: str,
    parent_value: float | None,
    target: float | None,
    min_n: int,
    *,
    tolerance: float = 0.0,
    decimals: int | None = None,
) -> Figure:
    """Units side by side in one period, best on top, coloured by target status.

    `frame` has columns unit_id, unit_name, value (NaN when suppressed or no data),
    n and suppressed; an optional column target holds per-unit targets. Units without
    a value are listed last with the text "<min_n" (suppressed) or "ingen data".
    """
    if frame.empty:
        return empty_figure()
    parent_name = plain_text(parent_name)
    rows = _ranked_rows(frame, direction, target)
    categories = [str(row["unit_id"]) for row in rows]
    has_target = any(not is_missing(row["target"]) for row in rows)

    traces: list[dict] = []
    for status in ("better", "within", "worse", "none"):
        members = [row for row in rows if row["value"] is not None]
        members = [row for row in members if _status(row, tolerance, direction) == status]
        if not members:
            continue
        traces.append(
            _trace(
                "bar",
                orientation="h",
                y=[str(row["unit_id"]) for row in members],
                x=[row["value"] for row in members],
                name=STATUS_LABELS[status] if has_target else "Enheder",
                showlegend=has_target,
                marker={"color": theme.STATUS_COLOURS[status] if has_target else theme.PRIMARY},
                text=[format_value(row["value"], fmt, decimals) for row in members],
                textposition="outside",
                cliponaxis=False,
                customdata=[_bar_data(row, fmt, decimals, tolerance, direction) for row in members],
                hovertemplate=(
                    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>"
                    "%{customdata[3]}<br>%{customdata[4]}<extra></extra>"
                ),
            )
        )
    blanks = [row for row in rows if row["value"] is None]
    if blanks:
        traces.append(
            _trace(
                "scatter",
                y=[str(row["unit_id"]) for row in blanks],
                x=[0] * len(blanks),
                mode="text",
                text=[f"<{min_n}" if row["suppressed"] else "ingen data" for row in blanks],
                textposition="middle right",
                textfont={"color": theme.NEUTRAL_DARK},
                name="Uden tal",
                showlegend=False,
                customdata=[_blank_data(row, min_n) for row in blanks],
                hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>",
            )
        )

    shapes = []
    if not is_missing(parent_value):
        shapes.append(
            _vertical_line(
                float(parent_value),  # type: ignore[arg-type]
                f"{parent_name}: {format_value(parent_value, fmt, decimals)}",
                theme.REFERENCE,
                "dot",
            )
        )
    if not is_missing(target):
        shapes.append(
            _vertical_line(
                float(target),  # type: ignore[arg-type]
                f"{TARGET_NAME}: {format_value(target, fmt, decimals)}",
                theme.TARGET,
                "longdash",
            )
        )

    names = {str(row["unit_id"]): row["unit_name"] for row in rows}
    # No unit with a figure and no line to draw: an axis would only tick made-up numbers.
    numbers = bool(shapes) or any(row["value"] is not None for row in rows)
    layout = theme.base_layout(
        height=max(MIN_HEIGHT, BAR_HEIGHT * len(rows) + 100),
        barmode="overlay",
        bargap=0.3,
        margin={"t": 40, "r": 56},
        shapes=shapes,
        showlegend=bool(shapes) or has_target,
        xaxis={
            **theme.value_axis(
                fmt, _bar_range(rows, parent_value, target) or [r["value"] for r in rows]
            ),
            "showgrid": True,
            "gridcolor": theme.NEUTRAL_LIGHT,
            "range": _bar_range(rows, parent_value, target),
            "visible": numbers,
        },
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": categories,
            "tickvals": categories,
            "ticktext": [names[c] for c in categories],
            "autorange": "reversed",
            "gridcolor": "rgba(0,0,0,0)",
            "ticks": "outside",  # invisible ticks keep unit names clear of the "<5" text
            "ticklen": 8,
            "tickcolor": "rgba(0,0,0,0)",
        },
    )
    return _figure(traces, layout)


def sparkline(values: list[float | None]) -> Figure:
    """A tiny line without axes or hover; use with theme.SPARKLINE_CONFIG."""
    ys = [None if is_missing(v) else float(v) for v in values]  # type: ignore[arg-type]
    xs = list(range(len(ys)))
    last = next((i for i in reversed(xs) if ys[i] is not None), None)
    traces = [
        _trace(
            "scatter",
            x=xs,
            y=ys,
            mode="lines",
            line={"color": theme.PRIMARY, "width": 2},
            hoverinfo="skip",
            connectgaps=False,
        )
    ]
    if last is not None:
        traces.append(
            _trace(
                "scatter",
                x=[last],
                y=[ys[last]],
                mode="markers",
                marker={"color": theme.PRIMARY, "size": 6},
                hoverinfo="skip",
            )
        )
    layout = theme.base_layout(
        height=50,
        margin={"l": 2, "r": 6, "t": 4, "b": 4},
        showlegend=False,
        hovermode=False,
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return _figure(traces, layout)


def _nothing_to_draw(frame: pd.DataFrame, parent_name: str | None) -> bool:
    """No figure of the unit or last year in any period, none hidden, and no parent line
    (drawn only with `parent_name`); a target alone is no chart."""
    drawn = ("value", "last_year", "parent") if parent_name else ("value", "last_year")
    lines = [column for column in drawn if column in frame]
    hidden = "suppressed" in frame and frame["suppressed"].fillna(False).astype(bool).any()
    return not hidden and bool(frame[lines].isna().all(axis=None))


def empty_figure(message: str = "Ingen data for det valgte udsnit") -> Figure:
    """A blank figure that says why it is blank."""
    layout = theme.base_layout(
        height=MIN_HEIGHT,
        xaxis={"visible": False},
        yaxis={"visible": False},
        annotations=[
            {
                "text": plain_text(message),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"color": theme.NEUTRAL_DARK, "size": 15},
            }
        ],
    )
    return _figure([], layout)


# ---- helpers -------------------------------------------------------------------------


def _running_point(
    xs: list[str],
    values: list[float | None],
    texts: list[list[str]],
    unit_name: str,
    running: RunningPeriod,
) -> list[dict]:
    """The newest, unfinished period: a dotted line from the last whole period to a
    hollow point (clickable like the others: customdata[0] is the period)."""
    reach = plain_text(running.reach)
    point = _trace(
        "scatter",
        x=xs[-1:],
        y=values[-1:],
        name=f"{unit_name} ({reach})",
        mode="markers",
        marker={
            "size": 10,
            "color": "white",
            "symbol": "circle",
            "line": {"color": theme.PRIMARY, "width": 2},
        },
        customdata=[[texts[-1][0], f"{texts[-1][1]} ({reach})"]],
        hovertemplate=f"%{{customdata[1]}}<extra>{unit_name}</extra>",
    )
    if len(values) < 2:
        return [point]
    link = _trace(
        "scatter",
        x=xs[-2:],
        y=values[-2:],
        mode="lines",
        line={"color": theme.PRIMARY, "width": 2, "dash": "dot"},
        hoverinfo="skip",
        showlegend=False,
        connectgaps=False,
    )
    return [link, point]


def _running_note(period: str, value: float, running: RunningPeriod) -> dict:
    return {
        "x": period,
        "y": value,
        "text": plain_text(running.reach),
        "showarrow": False,
        "yshift": 16,
        "xanchor": "right",
        "font": {"color": theme.NEUTRAL_DARK, "size": 12},
    }


def _own_goal_line(periods: pd.Series, goal: OwnGoal, line) -> dict:
    """A dashed line at the goal from the period it applies to; before that, a gap."""
    ys = [float(goal.value) if day >= goal.start else None for day in periods]
    shown = sum(v is not None for v in ys)
    return line(
        OWN_GOAL_NAME,
        ys,
        mode="lines" if shown > 1 else "markers",
        line={"color": theme.OWN_GOAL, "width": 2, "dash": "dash"},
        marker={"symbol": "line-ew-open", "size": 16, "color": theme.OWN_GOAL},
    )


def _key(value: str) -> str:
    return str(getattr(value, "value", value))


def _floats(column: pd.Series | None) -> list[float | None]:
    if column is None:
        return []
    return [None if is_missing(v) else float(v) for v in column]


def _ranked_rows(frame: pd.DataFrame, direction: str, target: float | None) -> list[dict]:
    """Rows as dicts, best first by direction, then units without a value by name."""
    rows = []
    for record in frame.to_dict("records"):
        hidden = bool(record.get("suppressed", False))
        value = None if hidden or is_missing(record.get("value")) else float(record["value"])
        unit_target = record.get("target")
        if is_missing(unit_target):
            unit_target = target
        rows.append(
            {
                "unit_id": record["unit_id"],
                "unit_name": plain_text(record["unit_name"]),
                "value": value,
                "n": record.get("n"),
                "suppressed": hidden,
                "target": None if is_missing(unit_target) else float(unit_target),
            }
        )
    shown = [row for row in rows if row["value"] is not None]
    shown.sort(key=lambda row: row["unit_name"])
    shown.sort(key=lambda row: good_side(row["value"], 0.0, direction), reverse=True)
    blanks = sorted((row for row in rows if row["value"] is None), key=lambda r: r["unit_name"])
    return shown + blanks


def _status(row: dict, tolerance: float, direction: str) -> str:
    return status_of(row["value"], row["target"], tolerance, direction)


def _bar_data(row: dict, fmt: str, decimals: int | None, tolerance: float, direction: str):
    n = "" if is_missing(row["n"]) else f"Antal: {format_count(int(row['n']))}"
    status = STATUS_LABELS[_status(row, tolerance, direction)]
    if row["target"] is not None:
        status += f" ({TARGET_NAME.lower()}: {format_value(row['target'], fmt, decimals)})"
    return [
        _plain(row["unit_id"]),
        row["unit_name"],
        format_value(row["value"], fmt, decimals),
        n,
        status,
    ]


def _blank_data(row: dict, min_n: int) -> list:
    why = f"Skjult: færre end {min_n} borgere" if row["suppressed"] else "Ingen data"
    return [_plain(row["unit_id"]), row["unit_name"], why]


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, so callbacks get ints and strings back."""
    return value.item() if hasattr(value, "item") else value


def _vertical_line(x: float, name: str, colour: str, dash: str) -> dict:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": 2, "dash": dash},
        "name": name,
        "showlegend": True,
        "layer": "above",
    }


def _bar_range(rows: list[dict], parent_value: float | None, target: float | None):
    """From zero to a little past the largest value, leaving room for the bar labels."""
    candidates = [row["value"] for row in rows if row["value"] is not None]
    candidates += [row["target"] for row in rows if row["target"] is not None]
    candidates += [float(v) for v in (parent_value, target) if not is_missing(v)]  # type: ignore[arg-type]
    if not candidates or min(candidates) < 0:
        return None
    top = max(candidates) or 1.0
    return [0, top * 1.15]


MARKS_NAME = "Spilleplade"
MARKS_COLOUR = "#8a5300"  # amber: apart from the unit's blue and the target's red


def mark_periods(figure: Figure, marks: list[tuple[pd.Timestamp, str]]) -> Figure:
    """Marks on a trend where a forløb started or an action began: a dotted vertical line
    and a point on the unit's line whose hover names them. `marks` hold (period, text)
    with the text already escaped; periods outside the chart are left out."""
    if not marks or not figure["data"]:
        return figure
    line = figure["data"][0]
    shown = {pd.Timestamp(x): y for x, y in zip(line["x"], line["y"], strict=True)}
    texts: dict[pd.Timestamp, list[str]] = {}
    for period, text in marks:
        if pd.Timestamp(period) in shown:
            texts.setdefault(pd.Timestamp(period), []).append(text)
    if not texts:
        return figure
    periods = sorted(texts)
    layout = figure["layout"]
    layout["shapes"] = [
        *layout.get("shapes", ()),
        *(_vertical_mark(_iso(period)) for period in periods),
    ]
    figure["data"].append(
        _trace(
            "scatter",
            x=[_iso(p) for p in periods],
            y=[shown[p] for p in periods],
            name=MARKS_NAME,
            mode="markers",
            marker={"symbol": "star", "size": 14, "color": MARKS_COLOUR},
            customdata=["<br>".join(texts[p]) for p in periods],
            hovertemplate=f"%{{customdata}}<extra>{MARKS_NAME}</extra>",
        )
    )
    return figure


def _vertical_mark(x: str) -> dict:
    """What go's `add_vline` adds: a line across the plot's height at x."""
    return {
        "type": "line",
        "x0": x,
        "x1": x,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "line": {"color": theme.REFERENCE, "width": 1, "dash": "dot"},
    }
