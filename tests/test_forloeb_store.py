"""Forløb and action cards in the app database, on SQLite and PostgreSQL: writes within
the writer's scope only, one history row per changed field, reads filtered by scope."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from appdb import open_app_db
from appdb.forloeb_store import (
    Invalid,
    NotAllowed,
    board_history,
    create_action,
    create_forloeb,
    get_forloeb,
    list_actions,
    list_forloeb,
    my_actions,
    update_action,
    update_forloeb,
    watch_list,
)
from identity.viewer import Viewer
from queries.orgtree import OrgTree
from tests.conftest import app_db_schema

SUFFIX = "_forloeb"
ORG = OrgTree.from_rows(
    [
        ("MSB", None, "MSB"),
        ("BFF", "MSB", "Børn og Familier"),
        ("BFF-1", "BFF", "Team 1"),
        ("JSY", "MSB", "Job og Sygedagpenge"),
    ]
)
BFF = Viewer(user_id="bff", name="Birgitte", role="leder", units=frozenset({"BFF"}))
TEAM = Viewer(user_id="team", name="Tina", role="leder", units=frozenset({"BFF-1"}))
JSY = Viewer(user_id="jsy", name="Jonas", role="leder", units=frozenset({"JSY"}))
NOBODY = Viewer(user_id="ny", name="Ny", role="leder")
OCT = date(2026, 10, 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        yield open_app_db(f"sqlite:///{tmp_path / 'app.sqlite'}")
        return
    with app_db_schema(SUFFIX) as postgres:
        yield postgres


def _count(engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()


def _new(engine, viewer=TEAM, unit="BFF-1") -> int:
    return create_forloeb(
        engine,
        viewer,
        ORG,
        kpi_id="underretninger",
        unit=unit,
        grain="month",
        period=OCT,
        title="Flere underretninger",
        noticed="Stigning siden sommer",
    )


def test_a_forloeb_is_kept_with_its_author_and_history(engine):
    forloeb_id = _new(engine)
    found = get_forloeb(engine, TEAM, ORG, forloeb_id)
    assert (found["unit"], found["period"], found["created_by"]) == ("BFF-1", OCT, "team")
    assert found["status"] == "åben" and found["noticed"] == "Stigning siden sommer"
    changed = update_forloeb(
        engine,
        BFF,  # a leader above the unit may write for it too
        ORG,
        forloeb_id,
        noticed="Stigning siden juni",
        internal_collective="Ny visitation",
        watch_kpis=["underretninger", "sager"],
        direction="ned",
        follow_up_on="2027-01-15",
    )
    assert changed == 5
    found = get_forloeb(engine, BFF, ORG, forloeb_id)
    assert watch_list(found["watch_kpis"]) == ["underretninger", "sager"]
    assert found["follow_up_on"] == date(2027, 1, 15)
    rows = board_history(engine, TEAM, ORG, forloeb_id)
    noticed = [
        (r["old_value"], r["new_value"], r["changed_by"]) for r in rows if r["field"] == "noticed"
    ]
    assert noticed == [
        (None, "Stigning siden sommer", "team"),
        ("Stigning siden sommer", "Stigning siden juni", "bff"),
    ]
    assert update_forloeb(engine, TEAM, ORG, forloeb_id, direction="ned") == 0  # no change


def test_starting_the_same_open_forloeb_again_returns_the_first(engine):
    first = _new(engine)
    assert _new(engine) == first  # a double click, or a second tab
    assert _count(engine, "forloeb") == 1
    update_forloeb(engine, TEAM, ORG, first, status="afsluttet")
    assert _new(engine) != first  # a closed forløb may be started again
    assert _count(engine, "forloeb") == 2


def test_a_leader_outside_the_unit_is_refused_and_nothing_is_stored(engine):
    with pytest.raises(NotAllowed, match="Du kan ikke skrive på Spillepladen for Team 1"):
        _new(engine, viewer=JSY)
    with pytest.raises(NotAllowed):
        _new(engine, viewer=NOBODY)
    with pytest.raises(NotAllowed):
        _new(engine, viewer=TEAM, unit="BFF")  # above their own team
    assert _count(engine, "forloeb") == 0 and _count(engine, "method_history") == 0
    forloeb_id = _new(engine)
    rows_before = _count(engine, "method_history")
    with pytest.raises(NotAllowed):
        update_forloeb(engine, JSY, ORG, forloeb_id, noticed="Ikke min enhed")
    with pytest.raises(NotAllowed):
        create_action(engine, JSY, ORG, forloeb_id, title="x", owner="y", due_on=OCT)
    assert _count(engine, "method_history") == rows_before and _count(engine, "action_card") == 0
    assert get_forloeb(engine, TEAM, ORG, forloeb_id)["noticed"] == "Stigning siden sommer"


def test_reading_is_for_the_units_own_leaders_and_those_above(engine):
    team_id = _new(engine)
    bff_id = _new(engine, viewer=BFF, unit="BFF")
    assert [f["id"] for f in list_forloeb(engine, BFF, ORG)] == [bff_id, team_id]
    assert [f["id"] for f in list_forloeb(engine, TEAM, ORG)] == [team_id]
    assert list_forloeb(engine, JSY, ORG) == [] and list_forloeb(engine, NOBODY, ORG) == []
    assert get_forloeb(engine, JSY, ORG, team_id) is None
    assert board_history(engine, JSY, ORG, team_id) == []
    assert [f["id"] for f in list_forloeb(engine, BFF, ORG, units=["BFF-1"])] == [team_id]
    assert list_forloeb(engine, BFF, ORG, kpi_id="sager") == []


def test_an_action_card_keeps_status_and_why_it_was_dropped(engine):
    forloeb_id = _new(engine)
    action_id = create_action(
        engine,
        TEAM,
        ORG,
        forloeb_id,
        title="Tjek visitationen",
        owner="Tina",
        due_on="2026-12-04",
        started_period=date(2026, 11, 1),
    )
    [card] = list_actions(engine, BFF, ORG, [forloeb_id])
    assert (card["status"], card["unit"], card["kpi_id"]) == (
        "ikke startet",
        "BFF-1",
        "underretninger",
    )
    assert list_actions(engine, JSY, ORG, [forloeb_id]) == []
    with pytest.raises(Invalid, match="hvorfor ikke"):
        update_action(engine, TEAM, ORG, action_id, status="droppet")
    with pytest.raises(Invalid, match="Status skal være en af"):
        update_action(engine, TEAM, ORG, action_id, status="glemt")
    assert update_action(engine, TEAM, ORG, action_id, status="i gang") == 1
    assert (
        update_action(engine, TEAM, ORG, action_id, status="droppet", why_dropped="Ingen tid") == 2
    )
    fields = [
        (r["entity"], r["field"], r["new_value"])
        for r in board_history(engine, TEAM, ORG, forloeb_id)
    ]
    assert ("action_card", "status", "i gang") in fields
    assert ("action_card", "why_dropped", "Ingen tid") in fields
    assert fields.count(("action_card", "status", "droppet")) == 1


def test_my_cards_are_those_due_this_week_and_overdue(engine):
    forloeb_id = _new(engine)
    today = date(2026, 12, 2)  # a Wednesday; the week ends Sunday 6 December

    def card(title, due, owner="Tina", status="ikke startet"):
        create_action(
            engine, TEAM, ORG, forloeb_id, title=title, owner=owner, due_on=due, status=status
        )

    card("For sent", date(2026, 11, 20))
    card("I dag", today)
    card("Søndag", date(2026, 12, 6), owner="team")  # by user id too
    card("Næste uge", date(2026, 12, 7))
    card("Gjort for sent", date(2026, 11, 1), status="gjort")
    card("En andens", today, owner="Birgitte")
    due, overdue = my_actions(engine, TEAM, ORG, today)
    assert [c["title"] for c in due] == ["I dag", "Søndag"]
    assert [c["title"] for c in overdue] == ["For sent"]
    assert my_actions(engine, None, ORG, today) == ([], [])
