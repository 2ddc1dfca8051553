import json
import math

import numpy as np
import pandas as pd
import pytest
from dash._utils import to_json

from components import figures, theme
from components.figures import STATUS_LABELS, as_graph_object, status_of


# The factories build plain dicts; read through go.Figure, which validates every property.
def trend_figure(*args, **kwargs):
    return as_graph_object(figures.trend_figure(*args, **kwargs))


def benchmark_figure(*args, **kwargs):
    return as_graph_object(figures.benchmark_figure(*args, **kwargs))


def sparkline(*args, **kwargs):
    return as_graph_object(figures.sparkline(*args, **kwargs))


NAN = float("nan")


def trend_frame(periods=6, suppressed_at=(), last_year=True):
    days = pd.date_range("2026-01-01", periods=periods, freq="MS")
    values = [0.2 + 0.01 * i for i in range(periods)]
    return pd.DataFrame(
        {
            "period": days,
            "value": [NAN if i in suppressed_at else v for i, v in enumerate(values)],
            "last_year": [v + 0.02 for v in values] if last_year else [NAN] * periods,
            "parent": [0.25] * periods,
            "suppressed": [i in suppressed_at for i in range(periods)],
        }
    )


def by_name(figure):
    return {trace.name: trace for trace in figure.data}


def test_trend_traces_and_names():
    figure = trend_figure(trend_frame(), "percent", "month", "BFF", "MSB", 0.22)
    assert [trace.name for trace in figure.data] == ["BFF", "Samme periode sidste år", "MSB", "Mål"]
    unit, last_year, parent, target = figure.data
    assert unit.mode == "lines+markers" and unit.line.color == theme.PRIMARY
    assert last_year.line.dash == "dash"
    assert parent.line.dash == "dot"
    assert target.showlegend is not False and set(target.y) == {0.22}
    assert len(target.x) == 6  # a trace across every period, not a shape


def test_trend_customdata_carries_iso_period_on_every_trace():
    figure = trend_figure(trend_frame(), "percent", "month", "BFF", "MSB", 0.22)
    for trace in figure.data:
        assert [row[0] for row in trace.customdata][:2] == ["2026-01-01", "2026-02-01"]


def test_trend_hover_is_danish():
    figure = trend_figure(trend_frame(), "percent", "month", "BFF", "MSB", 0.22)
    unit = by_name(figure)["BFF"]
    assert unit.hovertemplate == "%{customdata[1]}<extra>BFF</extra>"
    assert unit.customdata[3][1] == "23,0 %"
    assert by_name(figure)["Mål"].customdata[0][1] == "22,0 %"
    assert figure.layout.separators == ",."
    assert figure.layout.xaxis.hoverformat == "%B %Y"


def test_trend_suppressed_points_are_gaps_not_zero():
    figure = trend_figure(trend_frame(suppressed_at={2}), "percent", "month", "BFF", None, None)
    unit = figure.data[0]
    assert unit.y[2] is None
    assert 0 not in unit.y
    assert unit.connectgaps is False
    assert unit.customdata[2] == ["2026-03-01", "skjult (for få borgere)"]
    payload = json.loads(figure.to_json())
    assert payload["data"][0]["y"][2] is None


def test_trend_suppressed_value_is_hidden_even_if_present():
    frame = trend_frame()
    frame.loc[1, "suppressed"] = True  # value still set: must not be drawn
    assert trend_figure(frame, "percent", "month", "BFF", None, None).data[0].y[1] is None


def test_trend_optional_traces_are_left_out():
    figure = trend_figure(trend_frame(last_year=False), "number", "month", "BFF", None, None)
    assert [trace.name for trace in figure.data] == ["BFF"]


@pytest.mark.parametrize(
    ("fmt", "tickformat"),
    [("percent", ".1~%"), ("kr", ",.0f"), ("number", ",~f"), ("days", ",~f")],
)
def test_trend_y_tick_format(fmt, tickformat):
    figure = trend_figure(trend_frame(), fmt, "month", "BFF", None, None)
    assert figure.layout.yaxis.tickformat == tickformat


def test_kroner_from_a_million_are_ticked_in_mio_kr_as_the_labels_say():
    frame = trend_frame(last_year=False).assign(
        value=[147e6, 171e6, 160e6, 155e6, 150e6, 163e6], parent=NAN
    )
    axis = trend_figure(frame, "kr", "month", "BFF", None, None).layout.yaxis
    assert axis.tickformat is None and axis.tickmode == "array"
    assert list(axis.ticktext) == [
        f"{m} mio. kr." for m in (145, 150, 155, 160, 165, 170, 175, 180)
    ]
    assert min(axis.tickvals) <= 147e6 and max(axis.tickvals) >= 171e6  # ticks span the line
    bars = bench_frame().assign(value=[62.6e6, NAN, 20.6e6, 2.5e9, NAN])
    axis = benchmark_figure(bars, "kr", "lower_is_better", "BFF", None, None, 5).layout.xaxis
    assert axis.ticktext[0] == "0" and "mia. kr." in axis.ticktext[1]
    assert max(axis.tickvals) >= axis.range[1]  # a tick at or past the longest bar's room
    small = bench_frame().assign(value=[12_000.0, NAN, 30_000.0, 9_000.0, NAN])
    axis = benchmark_figure(small, "kr", "lower_is_better", "BFF", None, None, 5).layout.xaxis
    assert axis.tickformat == ",.0f" and axis.ticktext is None  # 30.000 reads as it is


def test_trend_layout():
    figure = trend_figure(trend_frame(), "percent", "quarter", "BFF", None, None)
    assert figure.layout.legend.orientation == "h"
    assert figure.layout.xaxis.tickformat == "K%q %Y"
    assert figure.layout.xaxis.dtick == "M3"
    assert figure.layout.hovermode == "x unified"


def test_trend_empty_frame_says_so():
    empty = trend_frame().iloc[0:0]
    figure = trend_figure(empty, "percent", "month", "BFF", None, None)
    assert len(figure.data) == 0
    assert figure.layout.annotations[0].text == "Ingen data for det valgte udsnit"


def bench_frame():
    return pd.DataFrame(
        {
            "unit_id": np.array([11, 12, 13, 14, 15], dtype="int64"),
            "unit_name": ["Team A", "Team B", "Team C", "Team D", "Team E"],
            "value": [0.30, NAN, 0.10, 0.16, NAN],
            "n": [100, 3, 50, 80, 0],
            "suppressed": [False, True, False, False, False],
        }
    )


def unit_order(figure):
    return list(figure.layout.yaxis.categoryarray)


def test_benchmark_order_follows_direction():
    lower = benchmark_figure(bench_frame(), "percent", "lower_is_better", "BFF", 0.2, None, 5)
    higher = benchmark_figure(bench_frame(), "percent", "higher_is_better", "BFF", 0.2, None, 5)
    # best first (top: the y axis is reversed); units without a value last, by name
    assert unit_order(lower) == ["13", "14", "11", "12", "15"]
    assert unit_order(higher) == ["11", "14", "13", "12", "15"]
    assert lower.layout.yaxis.autorange == "reversed"
    assert list(lower.layout.yaxis.ticktext) == ["Team C", "Team D", "Team A", "Team B", "Team E"]


def test_a_benchmark_without_any_figure_draws_no_numbered_axis():
    blank = bench_frame().assign(value=NAN)
    axis = benchmark_figure(blank, "kr", "lower_is_better", "BFF", None, None, 5).layout.xaxis
    assert axis.visible is False  # no ticks, labels, grid or zero line
    shown = benchmark_figure(bench_frame(), "kr", "lower_is_better", "BFF", None, None, 5)
    assert shown.layout.xaxis.visible is True
    with_parent = benchmark_figure(blank, "kr", "lower_is_better", "BFF", 12.0, None, 5)
    assert with_parent.layout.xaxis.visible is True  # the parent's line has a value


def test_benchmark_suppressed_units_are_never_zero_bars():
    figure = benchmark_figure(bench_frame(), "percent", "lower_is_better", "BFF", 0.2, 0.15, 5)
    bars = [trace for trace in figure.data if trace.type == "bar"]
    bar_units = [unit for bar in bars for unit in bar.y]
    assert "12" not in bar_units and "15" not in bar_units
    assert all(x is not None and x > 0 for bar in bars for x in bar.x)
    (blank,) = [trace for trace in figure.data if trace.type == "scatter"]
    assert list(blank.y) == ["12", "15"]
    assert list(blank.text) == ["<5", "ingen data"]
    assert blank.mode == "text"


def test_benchmark_customdata_has_unit_id_on_every_point():
    figure = benchmark_figure(bench_frame(), "percent", "lower_is_better", "BFF", 0.2, 0.15, 5)
    for trace in figure.data:
        for unit, row in zip(trace.y, trace.customdata, strict=True):
            assert str(row[0]) == unit
            assert type(row[0]) is int  # numpy int64 turned into a plain int for callbacks


def test_benchmark_colours_by_status_with_target():
    figure = benchmark_figure(
        bench_frame(), "percent", "lower_is_better", "BFF", 0.2, 0.15, 5, tolerance=0.02
    )
    bars = {trace.name: trace for trace in figure.data if trace.type == "bar"}
    assert set(bars) == {STATUS_LABELS["better"], STATUS_LABELS["within"], STATUS_LABELS["worse"]}
    assert (
        list(bars["Bedre end målet"].y) == ["13"]
        and bars["Bedre end målet"].marker.color == theme.GOOD
    )
    assert list(bars["Inden for tolerancen"].y) == ["14"]
    assert bars["Inden for tolerancen"].marker.color == theme.WITHIN
    assert list(bars["Dårligere end målet"].y) == ["11"]
    assert bars["Dårligere end målet"].marker.color == theme.BAD


def test_benchmark_without_target_uses_primary_colour():
    figure = benchmark_figure(bench_frame(), "percent", "lower_is_better", "BFF", None, None, 5)
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert len(bars) == 1
    assert bars[0].marker.color == theme.PRIMARY and bars[0].showlegend is False
    assert len(figure.layout.shapes) == 0


def test_benchmark_reference_lines_for_parent_and_target():
    figure = benchmark_figure(bench_frame(), "percent", "lower_is_better", "BFF", 0.2, 0.15, 5)
    lines = {shape.name: shape for shape in figure.layout.shapes}
    assert set(lines) == {"BFF: 20,0 %", "Mål: 15,0 %"}
    assert lines["BFF: 20,0 %"].x0 == lines["BFF: 20,0 %"].x1 == 0.2
    assert lines["Mål: 15,0 %"].showlegend is True
    assert lines["Mål: 15,0 %"].yref == "paper"


def test_benchmark_hover_is_danish():
    figure = benchmark_figure(bench_frame(), "percent", "lower_is_better", "BFF", 0.2, 0.15, 5)
    worse = next(trace for trace in figure.data if trace.name == "Dårligere end målet")
    assert list(worse.y) == ["14", "11"]
    assert worse.customdata[1] == [
        11,
        "Team A",
        "30,0 %",
        "Antal: 100",
        "Dårligere end målet (mål: 15,0 %)",
    ]
    assert "%{customdata[2]}" in worse.hovertemplate
    assert list(worse.text) == ["16,0 %", "30,0 %"]


def test_benchmark_per_unit_targets():
    frame = bench_frame().assign(target=[0.35, NAN, NAN, NAN, NAN])
    figure = benchmark_figure(frame, "percent", "lower_is_better", "BFF", None, 0.15, 5)
    better = next(trace for trace in figure.data if trace.name == "Bedre end målet")
    assert sorted(better.y) == ["11", "13"]  # Team A meets its own target of 35 %


def test_benchmark_height_grows_with_units():
    assert (
        benchmark_figure(
            bench_frame(), "number", "higher_is_better", "X", None, None, 5
        ).layout.height
        == 260
    )
    many = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(30)],
            "unit_name": [f"Enhed {i}" for i in range(30)],
            "value": [float(i) for i in range(30)],
            "n": 10,
            "suppressed": False,
        }
    )
    figure = benchmark_figure(many, "number", "higher_is_better", "X", None, None, 5)
    assert figure.layout.height == 28 * 30 + 100
    assert figure.data[0].customdata[0][0] == "u29"


def test_figures_serialise_without_nan():
    """As Dash sends them."""
    figure = figures.benchmark_figure(
        bench_frame(), "percent", "lower_is_better", "BFF", 0.2, 0.15, 5
    )
    assert "NaN" not in to_json(figure)
    figure = figures.trend_figure(
        trend_frame(suppressed_at={1}), "percent", "month", "BFF", "MSB", 0.2
    )
    assert "NaN" not in to_json(figure)


def plain_figures():
    frame = trend_frame(suppressed_at={1})
    running = figures.RunningPeriod("til og med juni", "juni 2025")
    goal = figures.OwnGoal(0.21, pd.Timestamp("2026-03-01"))
    marks = [(pd.Timestamp("2026-02-01"), "Forløb"), (pd.Timestamp("2026-02-01"), "Handling")]
    yield figures.trend_figure(frame, "percent", "month", "BFF", "MSB", 0.22)
    yield figures.trend_figure(
        frame, "percent", "quarter", "B<F>F", None, None, running=running, own_goal=goal
    )
    yield figures.mark_periods(
        figures.trend_figure(frame, "number", "year", "BFF", "MSB", 0.2, decimals=2), marks
    )
    yield figures.benchmark_figure(bench_frame(), "percent", "lower_is_better", "BFF", 0.2, 0.15, 5)
    yield figures.benchmark_figure(bench_frame(), "kr", "higher_is_better", "BFF", None, None, 5)
    yield figures.sparkline([1.0, None, 3.0, NAN])
    yield figures.empty_figure("Henter tal …")


@pytest.mark.parametrize("figure", list(plain_figures()))
def test_a_plain_figure_sends_what_graph_objects_would_send(figure):
    """The dicts skip graph_objects' validation and copies, not its result: go.Figure
    accepts every property (it raises on an unknown one) and, template included, sends the
    same JSON to the browser."""
    sent = json.loads(to_json(figure))
    assert sent == json.loads(to_json(as_graph_object(figure)))
    assert sent["layout"]["template"]["layout"]["colorway"]  # the default look, as before


@pytest.mark.parametrize("figure", list(plain_figures()))
def test_the_small_template_covers_every_trace_and_keeps_the_default_look(figure):
    """The template is the default one cut down to bars and lines: every trace a figure
    draws has its part, and that part and the layout's are the default's, unchanged."""
    import plotly.io as pio

    full = pio.templates[pio.templates.default].to_plotly_json()
    template = figure["layout"]["template"]
    assert {trace["type"] for trace in figure["data"]} <= set(template["data"])
    assert all(template["data"][kind] == full["data"][kind] for kind in template["data"])
    assert all(template["layout"][key] == full["layout"][key] for key in template["layout"])
    assert len(json.dumps(template)) < len(json.dumps(full)) / 4


def test_mark_periods_draws_a_line_and_a_star_per_marked_period():
    figure = figures.trend_figure(trend_frame(), "percent", "month", "BFF", "MSB", 0.22)
    marks = [
        (pd.Timestamp("2026-02-01"), "Forløb"),
        (pd.Timestamp("2026-02-01"), "Handling"),
        (pd.Timestamp("2025-01-01"), "before the chart"),
    ]
    marked = as_graph_object(figures.mark_periods(figure, marks))
    (star,) = [trace for trace in marked.data if trace.name == figures.MARKS_NAME]
    assert list(star.customdata) == ["Forløb<br>Handling"]
    assert list(star.y) == [pytest.approx(0.21)]  # on the unit's line
    (line,) = marked.layout.shapes
    assert str(line.x0).startswith("2026-02-01") and line.yref == "y domain"


def test_sparkline():
    figure = sparkline([1.0, None, 3.0, NAN, 5.0])
    line, last = figure.data
    assert list(line.y) == [1.0, None, 3.0, None, 5.0]
    assert line.hoverinfo == "skip" and line.connectgaps is False
    assert list(last.x) == [4]
    assert figure.layout.height == 50
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False
    assert figure.layout.showlegend is False


def test_sparkline_all_missing():
    assert len(sparkline([None, None]).data) == 1


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "direction", "expected"),
    [
        (0.30, 0.25, 0.02, "higher_is_better", "better"),
        (0.25, 0.25, 0.02, "higher_is_better", "better"),
        (0.23, 0.25, 0.02, "higher_is_better", "within"),  # 0.02 short, despite float noise
        (0.22, 0.25, 0.02, "higher_is_better", "worse"),
        (0.20, 0.25, 0.02, "lower_is_better", "better"),
        (0.27, 0.25, 0.02, "lower_is_better", "within"),
        (0.30, 0.25, 0.02, "lower_is_better", "worse"),
        (0.26, 0.25, 0.0, "lower_is_better", "worse"),
        (0.26, 0.25, None, "lower_is_better", "worse"),
        (None, 0.25, 0.02, "lower_is_better", "none"),
        (math.nan, 0.25, 0.02, "lower_is_better", "none"),
        (0.3, None, 0.02, "lower_is_better", "none"),
    ],
)
def test_status_of(value, target, tolerance, direction, expected):
    assert status_of(value, target, tolerance, direction) == expected


def test_status_of_rejects_unknown_direction():
    with pytest.raises(ValueError, match="Ukendt retning"):
        status_of(1, 2, 0, "sideways")


def test_status_labels():
    assert STATUS_LABELS == {
        "better": "Bedre end målet",
        "within": "Inden for tolerancen",
        "worse": "Dårligere end målet",
        "none": "Intet mål",
    }


def test_no_plotly_express():
    from pathlib import Path

    import components.figures as module

    assert "plotly.express" not in Path(module.__file__).read_text(encoding="utf-8")


def test_a_chart_lens_keeps_room_for_its_figure_from_the_first_paint():
    """The graph has no height until Plotly's chunk has loaded and drawn; the card kept
    growing then, which Lighthouse counted as a layout shift of 0.10 on a KPI page."""
    from dash import dcc

    from components import lens_trend
    from components.figures import MIN_HEIGHT, TREND_HEIGHT

    def loading(component):
        if isinstance(component, dcc.Loading):
            return component
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                found = loading(child)
                if found is not None:
                    return found
        return None

    drawn = trend_figure(trend_frame(), "percent", "month", "BFF", "MSB", 0.22)
    assert drawn.layout.height == TREND_HEIGHT
    assert (
        loading(lens_trend.panel()).parent_style["minHeight"].startswith(f"calc({TREND_HEIGHT}px")
    )
    one_unit = bench_frame().head(1)  # the benchmark's room is MIN_HEIGHT: never more than it
    assert (
        benchmark_figure(one_unit, "percent", "lower_is_better", "BFF", 0.2, None, 5).layout.height
        >= MIN_HEIGHT
    )


def test_a_trend_with_no_figure_at_all_says_so_instead_of_empty_axes():
    frame = trend_frame()
    frame[["value", "last_year", "parent"]] = NAN
    figure = trend_figure(frame, "number", "month", "Børn og Familier", "MSB", 3500.0)
    assert len(figure.data) == 0
    assert figure.layout.annotations[0].text == "Ingen tal for Børn og Familier i de viste perioder"
    assert figure.layout.yaxis.visible is False

    with_parent = frame.assign(parent=0.25)  # the parent's line alone is worth drawing
    assert "MSB" in by_name(trend_figure(with_parent, "number", "month", "BFF", "MSB", None))
    # a count's parent is not drawn (components/lens_trend.py): then there is nothing
    assert len(trend_figure(with_parent, "number", "month", "BFF", None, 3500.0).data) == 0
    hidden = frame.assign(suppressed=[True] + [False] * (len(frame) - 1))
    assert len(trend_figure(hidden, "number", "month", "BFF", None, None).data) > 0
