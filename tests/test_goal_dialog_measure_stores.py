"""Målkompas goals, Start dialog requests and the 1–10 measure, stored on real SQLite and
PostgreSQL app databases: who may write, what is refused (and then nothing is stored),
one history row per change, one answer per leader and quarter, small cells hidden."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import sqlalchemy as sa

from appdb import data_use, open_app_db
from appdb.analyst_requests import RequestInvalid, RequestRefused, answer, ask, requests_for
from appdb.goal_store import (
    GoalInvalid,
    GoalRefused,
    active_goal,
    active_goals,
    goal_history,
    parse_number,
    set_goal,
    stop_goal,
)
from appdb.models import method_history, unit_goal
from identity.viewer import Viewer
from queries.catalogue.loader import load_catalogue
from queries.orgtree import OrgTree
from tests.conftest import CATALOGUE, app_db_schema

SUFFIX = "_goals"
KPI = "sygedagpenge_over_22_uger"  # a percentage
ORG = OrgTree.from_rows(
    [
        ("MSB", None, "MSB"),
        ("BFF", "MSB", "Børn og Familier"),
        ("BFF-1", "BFF", "Team 1"),
        ("JSY", "MSB", "Job og Sygedagpenge"),
        ("JSY-1", "JSY", "Team J"),
    ]
)


def leader(user: str = "leder-bff", *units: str, role: str = "leder") -> Viewer:
    return Viewer(user_id=user, name=user.title(), role=role, units=frozenset(units or ("BFF",)))


ANALYST = Viewer(user_id="analytiker", name="Analytiker", role="analytiker", all_units=True)


@pytest.fixture(scope="module")
def kpi():
    return load_catalogue(CATALOGUE).kpi(KPI)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        yield open_app_db(f"sqlite:///{tmp_path / 'app.sqlite'}")
        return
    with app_db_schema(SUFFIX) as postgres:
        yield postgres


def count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


# ---- Målkompas -------------------------------------------------------------------------


def test_danish_numbers_are_read_as_written():
    assert parse_number("82,5") == 82.5
    assert parse_number("1.234,5") == 1234.5
    assert parse_number("1.234") == 1234
    assert parse_number("82.5") == 82.5
    assert parse_number(" 25 % ") == 25
    assert parse_number("") is None
    with pytest.raises(GoalInvalid, match="ikke et tal"):
        parse_number("firs")


def test_set_change_and_stop_a_goal_keeps_one_active_and_every_change(engine, kpi):
    bff = leader()
    goal = set_goal(engine, ORG, bff, kpi, "BFF-1", "82,5", "2", date(2026, 1, 1), "Vi vil op")
    assert (goal.value, goal.tolerance, goal.from_period) == (0.825, 0.02, date(2026, 1, 1))
    changed = set_goal(engine, ORG, bff, kpi, "BFF-1", "80", "2", date(2026, 1, 1), "Vi vil op")
    assert changed.id == goal.id and active_goal(engine, KPI, "BFF-1").value == 0.8
    assert [g.unit for g in active_goals(engine, KPI)] == ["BFF-1"]
    same = set_goal(
        engine, ORG, leader("other"), kpi, "BFF-1", "80", "2", date(2026, 1, 1), "Vi vil op"
    )
    assert same.set_by == "leder-bff"  # saving the goal unchanged changes nothing
    rows = goal_history(engine, KPI)
    # four fields when set, one when changed; newest first
    assert len(rows) == 5 and (rows[0]["field"], rows[0]["old_value"]) == ("value", "0.825")
    assert rows[0]["new_value"] == "0.8" and rows[0]["changed_by"] == "leder-bff"
    assert stop_goal(engine, ORG, bff, kpi, "BFF-1") is True
    assert active_goal(engine, KPI, "BFF-1") is None
    assert goal_history(engine, KPI, ["BFF-1"])[0]["field"] == "active"
    assert stop_goal(engine, ORG, bff, kpi, "BFF-1") is False  # nothing left to stop
    again = set_goal(engine, ORG, bff, kpi, "BFF-1", "85", None, date(2026, 4, 1), None)
    assert again.id != goal.id and len(active_goals(engine, KPI)) == 1


@pytest.mark.parametrize(
    ("viewer", "unit", "message"),
    [
        (leader(), "JSY-1", "Du kan ikke sætte mål for Team J"),
        (leader(), "MSB", "Du kan ikke sætte mål for MSB"),
        (Viewer("ny", "Ny", "leder"), "BFF", "Du kan ikke sætte mål for Børn"),
        (Viewer("dpo", "DPO", "databeskyttelse", all_units=True), "BFF", "Din rolle"),
        (None, "BFF", "logget ind"),
    ],
)
def test_a_goal_outside_scope_or_role_is_refused_and_nothing_stored(
    engine, kpi, viewer, unit, message
):
    with pytest.raises(GoalRefused, match=message):
        set_goal(engine, ORG, viewer, kpi, unit, "80", "1", date(2026, 1, 1), "x")
    with pytest.raises(GoalRefused):
        stop_goal(engine, ORG, viewer, kpi, unit)
    assert count(engine, unit_goal) == 0 and count(engine, method_history) == 0


@pytest.mark.parametrize(
    ("value", "tolerance", "message"),
    [
        ("120", "1", "mellem 0 og 100"),
        ("-1", "1", "mellem 0 og 100"),
        ("80", "-2", "ikke være negativ"),
        ("", "1", "som et tal"),
        ("otte", "1", "ikke et tal"),
    ],
)
def test_a_goal_that_does_not_fit_the_kpi_is_refused(engine, kpi, value, tolerance, message):
    with pytest.raises(GoalInvalid, match=message):
        set_goal(engine, ORG, ANALYST, kpi, "JSY", value, tolerance, date(2026, 1, 1), None)
    assert count(engine, unit_goal) == 0 and count(engine, method_history) == 0


# ---- Start dialog ----------------------------------------------------------------------


def test_a_request_is_asked_seen_by_its_leader_and_answered_by_an_analyst(engine):
    bff, jsy = leader(), leader("leder-jsy", "JSY")
    asked = ask(engine, bff, "Hvor mange underretninger pr. team?", "Til næste møde",
                page="/kpi/x?enhed=BFF", kpi_id="x", unit="BFF")  # fmt: skip
    ask(engine, jsy, "Fravær pr. team", None)
    assert [r.id for r in requests_for(engine, bff)] == [asked.id]
    assert len(requests_for(engine, ANALYST)) == 2
    with pytest.raises(RequestRefused, match="Kun analytikere"):
        answer(engine, bff, asked.id, "Jeg svarer selv")
    with pytest.raises(RequestInvalid, match="kort svar"):
        answer(engine, ANALYST, asked.id, "  ")
    assert requests_for(engine, bff)[0].status == "åben"
    answered = answer(engine, ANALYST, asked.id, "Se det nye nøgletal")
    assert (answered.status, answered.answer, answered.answered_by) == (
        "besvaret",
        "Se det nye nøgletal",
        "analytiker",
    )
    assert (answered.page, answered.kpi_id, answered.unit) == ("/kpi/x?enhed=BFF", "x", "BFF")
    with pytest.raises(RequestInvalid, match="hvad du gerne vil vide"):
        ask(engine, bff, " ", "why")


# ---- the 1–10 measure ------------------------------------------------------------------


def test_a_leader_is_asked_at_most_once_a_quarter(engine):
    bff = leader()
    october, december, january = date(2026, 10, 2), date(2026, 12, 30), date(2027, 1, 5)
    assert data_use.should_ask(engine, bff, october)
    assert data_use.record(engine, bff, ORG, None, october)  # skipped: counts as asked
    assert not data_use.should_ask(engine, bff, december)
    assert not data_use.record(engine, bff, ORG, 9, december)  # the skip stands
    assert data_use.should_ask(engine, bff, january)
    assert not data_use.should_ask(engine, ANALYST, january)  # only leaders are asked
    with pytest.raises(data_use.AnswerInvalid):
        data_use.record(engine, bff, ORG, 11, january)
    assert data_use.record(engine, bff, ORG, 7, january)
    assert data_use.area_of(leader("t", "BFF-1"), ORG) == "BFF"


def test_the_measure_per_area_hides_cells_with_fewer_than_three_answers(engine):
    day = date(2026, 11, 1)
    for number, score in enumerate((6, 8, 10)):
        data_use.record(engine, leader(f"bff-{number}", "BFF-1"), ORG, score, day)
    data_use.record(engine, leader("bff-skip", "BFF"), ORG, None, day)  # not an answer
    data_use.record(engine, leader("jsy-1", "JSY"), ORG, 2, day)
    cells = {(c.quarter, c.area): c for c in data_use.per_area(engine)}
    assert cells[("2026-K4", "BFF")].answers == 3 and cells[("2026-K4", "BFF")].mean == 8.0
    assert cells[("2026-K4", "JSY")].hidden and cells[("2026-K4", "JSY")].mean is None


def test_leaders_setting_the_first_goal_at_once_make_one_active_goal(engine, kpi):
    """Four at the same moment: one inserts, the others change that goal in turn."""
    start = threading.Barrier(4)

    def set_at_once(number: int) -> None:
        start.wait()
        set_goal(engine, ORG, leader(f"l{number}"), kpi, "BFF", str(70 + number), None,
                 date(2026, 1, 1), None)  # fmt: skip

    with ThreadPoolExecutor(4) as pool:
        done = [pool.submit(set_at_once, n) for n in range(4)]
    assert [f.exception() for f in done] == [None] * 4  # they take turns
    assert len(active_goals(engine, KPI)) == 1
    assert count(engine, unit_goal) == 1
