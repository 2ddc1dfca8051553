"""Text from the catalogue and the warehouse is shown as text in figures, never as HTML.

Plotly renders a subset of HTML (links, bold, line breaks) in names, ticks, hover and
annotations; a unit named `<a href=…>` must show those characters, not become a link.
"""

from __future__ import annotations

import json

import dash
import plotly
import pytest

from components.figures import plain_text
from tests.hostile import NAME, UNIT, hostile_warehouse
from tests.test_callbacks import lens, state

KPI = "sygedagpenge_over_22_uger"
ESCAPED = plain_text(NAME)


@pytest.fixture(scope="module")
def hostile_app(frames, tmp_path_factory):
    from dashboard import create_app

    app = create_app(hostile_warehouse(frames, tmp_path_factory.mktemp("hostile")))
    yield app
    dash.page_registry.clear()


def strings_in(figure) -> list[str]:
    """Every string in the figure as Plotly receives it."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder)))
    return found


def test_plain_text_turns_markup_into_entities():
    assert plain_text('<a href="x">A & B</a>') == '&lt;a href="x"&gt;A &amp; B&lt;/a&gt;'
    assert plain_text("Børn og Familier") == "Børn og Familier"


def test_a_hostile_unit_name_is_text_in_the_benchmark(hostile_app):
    draw = lens(hostile_app, "components.lens_benchmark", "draw")
    figure, _ = draw(state("?enhed=JSY&interval=aar&periode=2025"))
    assert UNIT in figure.layout.yaxis.tickvals
    texts = strings_in(figure)
    assert ESCAPED in figure.layout.yaxis.ticktext  # the axis
    hover = [row[1] for trace in figure.data for row in trace.customdata]
    assert ESCAPED in hover  # the hover label
    assert not [text for text in texts if "<a" in text or "<b>Syd" in text]


def test_a_hostile_unit_name_is_text_in_the_trend(hostile_app):
    draw = lens(hostile_app, "components.lens_trend", "draw")
    figure, _ = draw(state(f"?enhed={UNIT}&interval=kvartal&periode=2026-K4"))
    names = [trace.name for trace in figure.data]
    assert names[0] == ESCAPED  # the legend
    assert f"{ESCAPED} (til og med oktober)" in names  # the running period's point
    assert any(ESCAPED in (trace.hovertemplate or "") for trace in figure.data)
    assert not [text for text in strings_in(figure) if "<a" in text or "<b>Syd" in text]

    parent_of_children = lens(hostile_app, "components.lens_trend", "draw")(
        state(f"?enhed={UNIT}-01&interval=aar&periode=2025")
    )[0]
    assert ESCAPED in [trace.name for trace in parent_of_children.data]  # as the parent line
