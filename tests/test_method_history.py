"""The leadership method's shared rules: who may write for a unit, and one history row
per changed field, on a real SQLite app database."""

from __future__ import annotations

import sqlalchemy as sa

from appdb import open_app_db
from appdb.history import history, may_read, may_write, record_changes
from identity.viewer import Viewer
from queries.orgtree import OrgTree

ORG = OrgTree.from_rows(
    [
        ("MSB", None, "MSB"),
        ("BFF", "MSB", "Børn og Familier"),
        ("BFF-1", "BFF", "Team 1"),
        ("JSY", "MSB", "Job og Sygedagpenge"),
    ]
)


def _leader(*units: str) -> Viewer:
    return Viewer(user_id="leder", name="Leder", role="leder", units=frozenset(units))


def test_a_leader_writes_for_their_units_and_below_only():
    bff = _leader("BFF")
    assert may_write(bff, "BFF", ORG) and may_write(bff, "BFF-1", ORG)
    assert not may_write(bff, "JSY", ORG)
    assert not may_write(bff, "MSB", ORG)  # above their own unit
    assert not may_write(_leader(), "BFF", ORG)  # no units, no writing
    assert not may_write(None, "BFF", ORG)
    assert not may_write(bff, "NOPE", ORG)  # not a unit of the organisation
    everyone = Viewer(user_id="a", name="A", role="analytiker", all_units=True)
    assert may_write(everyone, "JSY", ORG) and may_read(everyone, "MSB", ORG)


def test_each_changed_field_is_one_history_row(tmp_path):
    engine = open_app_db(f"sqlite:///{tmp_path / 'app.sqlite'}")
    with engine.begin() as connection:
        assert record_changes(connection, "unit_goal", 7, {}, {"value": 80.0, "why": "x"}, "a")
        assert (
            record_changes(
                connection,
                "unit_goal",
                7,
                {"value": 80.0, "why": "x"},
                {"value": 85, "why": "x"},
                "b",
            )
            == 1
        )
        rows = history(connection, "unit_goal", 7)
        assert connection.execute(sa.text("SELECT count(*) FROM method_history")).scalar() == 3
    assert [(r["field"], r["old_value"], r["new_value"], r["changed_by"]) for r in rows] == [
        ("value", None, "80.0", "a"),
        ("why", None, "x", "a"),
        ("value", "80.0", "85", "b"),
    ]
