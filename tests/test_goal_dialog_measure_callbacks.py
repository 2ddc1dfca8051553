"""Målkompas, Start dialog and the 1–10 question through the app's own callbacks, called
as plain functions as the signed-in personas, on the DuckDB demo and an app database of
this module's own (so goals set here show in no other test's lenses)."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextvars import copy_context

import dash
import plotly
import pytest
import sqlalchemy as sa
from dash._callback_context import context_value
from dash._utils import AttributeDict

from appdb import data_use
from appdb.models import analyst_request, data_use_answer, method_history, unit_goal
from components import data_use_question, maalkompas
from components.figures import OWN_GOAL_NAME
from identity import current
from identity.viewer import Viewer
from pages.statusrapport import layout_for
from tests.conftest import readable, sign_in, viewing_as
from tests.test_http import payload

KPI = "sygedagpenge_over_22_uger"  # a percentage; the organisation's target 22 % in JSY-01
TEAM = "JSY-01-01"  # demo-teamleder-jsy's team
QUERY = f"?enhed={TEAM}&interval=maaned&periode=2026-10"
LEADER, ANALYST, DPO = "demo-teamleder-jsy", "demo-analytiker", "demo-databeskyttelse"


@pytest.fixture(scope="module")
def app(duckdb_warehouse, tmp_path_factory):
    from dashboard import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('goals') / 'app.sqlite'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MSB_APP_DB_URL", url)
        built = create_app(duckdb_warehouse)
    yield built
    dash.page_registry.clear()


@pytest.fixture(scope="module")
def engine(app) -> sa.Engine:
    return app._msb_services.audit.engine


def callback(app, module: str, name: str) -> Callable:
    for entry in app.callback_map.values():
        function = entry.get("callback")
        if function is None:
            continue
        function = function.__wrapped__
        if function.__module__ == module and function.__name__ == name:
            return function
    raise LookupError(f"no callback {module}.{name}")


def run(app, persona: str, function: Callable, *args, trigger: str | None = None):
    """Call a callback as `persona`, as Dash would when `trigger` ("id.prop") changed."""

    def call():
        if trigger:
            context_value.set(AttributeDict(triggered_inputs=[{"prop_id": trigger, "value": 1}]))
        with viewing_as(app, persona):
            return readable(function(*args))

    return copy_context().run(call)


def text_of(component) -> str:
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component).replace("\u00a0", " ")  # numbers keep their unit on one line
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def rows(engine: sa.Engine, table: sa.Table, **where) -> list:
    query = sa.select(table).where(*(table.c[k] == v for k, v in where.items()))
    with engine.connect() as connection:
        return connection.execute(query).all()


def save_goal(app, persona, unit=TEAM, value="20,5", tolerance="1,5", start="2026-01-01"):
    save = callback(app, "components.maalkompas", "save")
    state = {"kpi": KPI, "query": f"?enhed={unit}&interval=maaned&periode=2026-10"}
    return run(
        app, persona, save, 1, None, state, value, tolerance, start, "Under 21 %", 0,
        trigger=f"{maalkompas.SAVE}.n_clicks",
    )  # fmt: skip


def test_a_leader_sets_and_changes_their_teams_goal_and_the_lenses_show_it(app, engine):
    status, version = save_goal(app, LEADER)
    assert "gemt" in text_of(status) and version == 1
    [goal] = rows(engine, unit_goal, kpi_id=KPI, unit=TEAM, active=True)
    assert (goal.value, goal.tolerance, goal.set_by) == (0.205, 0.015, LEADER)
    assert len(rows(engine, method_history, entity="unit_goal", entity_id=goal.id)) == 4

    status, version = save_goal(app, LEADER, value="19")
    assert "gemt" in text_of(status)
    changes = rows(engine, method_history, entity="unit_goal", entity_id=goal.id)
    assert len(changes) == 5  # one more: the value
    assert (changes[-1].field, changes[-1].old_value, changes[-1].new_value) == (
        "value",
        "0.205",
        "0.19",
    )
    assert len(rows(engine, unit_goal, kpi_id=KPI, unit=TEAM, active=True)) == 1

    show = callback(app, "components.maalkompas", "show")
    shown = run(app, LEADER, show, {"kpi": KPI, "query": QUERY}, 2)
    summary, history, _hint, hidden = shown[:4]
    assert "Organisationens mål" in text_of(summary) and "22,0 %" in text_of(summary)
    assert "Enhedens eget mål" in text_of(summary) and "19,0 %" in text_of(summary)
    assert "20,5 % → 19,0 %" in text_of(history) and "Jonas Kragh (DEMO)" in text_of(history)
    assert hidden is False and shown[4] == "19"  # the form holds the goal as typed

    draw = callback(app, "components.lens_trend", "draw")
    figure, _ = run(app, LEADER, draw, {"kpi": KPI, "query": QUERY})
    lines = {trace.name: trace for trace in figure.data}
    assert "Organisationens mål" in lines and OWN_GOAL_NAME in lines
    own = lines[OWN_GOAL_NAME]
    assert {y for y in own.y if y is not None} == {0.19}
    assert own.y[0] is None  # before January 2026 the team had no goal of its own

    # The team has no rows in the small demo's October; an analyst sets a neighbour's goal.
    assert "gemt" in text_of(save_goal(app, ANALYST, unit="JSY-01-02", value="30")[0])
    grid = callback(app, "components.lens_target", "draw")
    target_rows, _ = run(app, ANALYST, grid, {"kpi": KPI, "query": QUERY})
    by_unit = {row["unit_id"]: row for row in target_rows}
    assert by_unit["JSY-01-02"]["eget_maal_tekst"] == "30,0 %"
    assert by_unit["JSY-01-02"]["maal_tekst"] == "22,0 %"  # the organisation's, beside it
    assert by_unit["JSY-01"]["eget_maal"] is None
    # The trend's sentence measures the figure against both goals.
    neighbour = {"kpi": KPI, "query": "?enhed=JSY-01-02&interval=aar&periode=2026"}
    _, sentence = run(app, ANALYST, draw, neighbour)
    assert "end målet" in text_of(sentence) and "end enhedens eget mål" in text_of(sentence)
    _, sentence = run(app, "demo-driftschef-bff", draw, neighbour)
    assert "end målet" in text_of(sentence) and "eget mål" not in text_of(sentence)
    # Status-rapport's trend is the KPI page's: the same line and sentence, to the same viewers.
    for persona, shows in ((ANALYST, True), ("demo-driftschef-bff", False)):
        with viewing_as(app, persona):
            report = json.dumps(
                layout_for(app._msb_services)(
                    enhed="JSY-01-02", interval="aar", periode="2026", kpi=KPI
                ),
                cls=plotly.utils.PlotlyJSONEncoder,
                ensure_ascii=False,
            )
        assert ("end enhedens eget mål" in report) is shows
        assert (OWN_GOAL_NAME in report) is shows
    # A neighbouring team's goal is read by its own leaders and those above, not by ours.
    target_rows, _ = run(app, LEADER, grid, {"kpi": KPI, "query": QUERY})
    assert {row["unit_id"]: row for row in target_rows}["JSY-01-02"]["eget_maal"] is None
    summary, history = run(app, "demo-driftschef-bff", show, {"kpi": KPI, "query": QUERY}, 3)[:2]
    assert "19,0 %" not in text_of(summary) and "Vises for enhedens egne" in text_of(summary)
    assert history is None
    figure, _ = run(app, "demo-driftschef-bff", draw, {"kpi": KPI, "query": QUERY})
    assert OWN_GOAL_NAME not in {trace.name for trace in figure.data}


@pytest.mark.parametrize(
    ("persona", "unit", "says"),
    [
        (LEADER, "JSY-01", "Du kan ikke sætte mål for"),  # the level above the leader's team
        (LEADER, "BFF", "Du kan ikke sætte mål for"),
        (DPO, "BFF", "Din rolle kan ikke sætte mål"),
    ],
)
def test_a_goal_outside_the_viewers_scope_is_refused_and_nothing_stored(
    app, engine, persona, unit, says
):
    before = len(rows(engine, method_history))
    status, version = save_goal(app, persona, unit=unit)
    assert says in text_of(status) and version is dash.no_update
    assert rows(engine, unit_goal, kpi_id=KPI, unit=unit) == []
    assert len(rows(engine, method_history)) == before
    show = callback(app, "components.maalkompas", "show")
    state = {"kpi": KPI, "query": f"?enhed={unit}&interval=maaned&periode=2026-10"}
    _summary, _history, hint, hidden = run(app, persona, show, state, 0)[:4]
    assert hidden is True and says in hint  # the form is not offered either


def test_a_goal_that_is_not_a_percentage_is_refused_in_danish(app, engine):
    status, _ = save_goal(app, LEADER, value="140")
    assert "mellem 0 og 100" in text_of(status)
    assert {g.value for g in rows(engine, unit_goal, unit=TEAM)} <= {0.19}


def test_a_leader_asks_the_analysts_and_only_an_analyst_answers(app, engine):
    toggle = callback(app, "components.dialog", "toggle")
    href = f"http://x/kpi/{KPI}{QUERY}"
    clicked = '{"place":"kpi","type":"dialog-open"}.n_clicks'
    opened, context, page, _ = run(app, LEADER, toggle, [1], None, href, trigger=clicked)
    assert opened is True and app._msb_services.org.name(TEAM) in context and page == href
    send = callback(app, "components.dialog", "send")
    status, question, _ = run(app, LEADER, send, 1, "Hvor mange er i jobafklaring?", "Møde", href)
    assert "sendt" in text_of(status) and question == ""
    [asked] = rows(engine, analyst_request, asked_by=LEADER)
    assert (asked.kpi_id, asked.unit, asked.page) == (KPI, TEAM, f"/kpi/{KPI}{QUERY}")
    assert asked.status == "åben"
    home = dash.page_registry["home"]["layout"]
    assert "venter på svar" in text_of(run(app, ANALYST, home))  # the analysts are told
    assert "dialog-waiting" not in str(run(app, LEADER, home))

    answer = callback(app, "pages.dialog", "answer")
    refused = run(app, LEADER, answer, 1, "Svarer selv", {"type": "x", "id": asked.id})
    assert "Kun analytikere" in text_of(refused)
    assert rows(engine, analyst_request, id=asked.id)[0].status == "åben"
    key = {"type": "x", "id": asked.id}
    done = run(app, ANALYST, answer, 1, "Se nøgletallet Jobafklaring", key)
    assert "gemt" in text_of(done)
    stored = rows(engine, analyst_request, id=asked.id)[0]
    assert (stored.status, stored.answer, stored.answered_by) == (
        "besvaret",
        "Se nøgletallet Jobafklaring",
        ANALYST,
    )
    layout = dash.page_registry["dialog"]["layout"]
    # The leader is told of the answer on the overview until they have read it.
    assert "Analytikerne har svaret på 1 af dine ønsker" in text_of(run(app, LEADER, home))
    assert "dialog-waiting" not in str(run(app, ANALYST, home))  # nothing left open
    assert "dialog-waiting" not in str(run(app, "demo-driftschef-bff", home))
    first = run(app, LEADER, layout)
    assert "Se nøgletallet Jobafklaring" in str(first) and "Nyt svar" in str(first)
    assert rows(engine, analyst_request, id=asked.id)[0].answer_seen_at is not None
    assert "Nyt svar" not in str(run(app, LEADER, layout))
    assert "dialog-waiting" not in str(run(app, LEADER, home))
    # A changed answer is news again.
    run(app, ANALYST, answer, 1, "Se også Status-rapport", key)
    assert "Analytikerne har svaret" in text_of(run(app, LEADER, home))
    assert "Hvor mange er i jobafklaring?" not in str(run(app, "demo-driftschef-bff", layout))


def test_the_question_is_asked_once_a_quarter_and_shown_per_area_only(app, engine):
    services = app._msb_services
    box = run(app, LEADER, lambda: data_use_question.box(services))
    assert box.hidden is False and data_use.QUESTION in str(box)
    answer = callback(app, "components.data_use_question", "answer")
    hidden, status = run(app, LEADER, answer, None, 1, None, trigger="data-use-skip.n_clicks")
    assert hidden is True and "næste kvartal" in text_of(status)
    assert run(app, LEADER, lambda: data_use_question.box(services)).hidden is True
    assert run(app, ANALYST, lambda: data_use_question.box(services)).hidden is True
    [skipped] = rows(engine, data_use_answer, user_id=LEADER)
    assert skipped.score is None and skipped.area_unit == "JSY"

    assert run(app, LEADER, current.viewer).role == "leder"
    for number, score in enumerate((4, 6, 8)):  # three BFF leaders answer, one in JSY
        leader = Viewer(f"bff-{number}", "x", "leder", frozenset({"BFF"}))
        data_use.record(engine, leader, services.org, score)
    data_use.record(engine, Viewer("jsy-9", "x", "leder", frozenset({"JSY"})), services.org, 10)
    table = text_of(run(app, "demo-admin", lambda: data_use_question.per_area_table(services)))
    assert "Børn og Familier" in table and "6,0 (3 svar)" in table
    assert "<3" in table and "10" not in table.replace("1–10", "")  # the one JSY answer is hidden
    assert "bff-0" not in table and "Jonas" not in table


def test_a_goal_forged_over_http_for_a_unit_outside_scope_is_refused(app, engine):
    """What a leader's browser could POST by hand: the same refusal, nothing stored."""
    client = app.server.test_client()
    sign_in(client, LEADER, purpose=None)
    state = {"kpi": KPI, "query": "?enhed=JSY&interval=maaned&periode=2026-10"}
    body = payload(
        app, maalkompas.STATUS, "children", [1, None], [state, "50", "1", "2026-01-01", "x", 0]
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert "Du kan ikke sætte mål for" in json.dumps(response.get_json(), ensure_ascii=False)
    assert rows(engine, unit_goal, kpi_id=KPI, unit="JSY") == []
