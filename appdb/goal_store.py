"""Målkompas: a unit's own goal for a KPI, beside the organisation's target in the catalogue.

One active goal per KPI and unit. Setting a goal where none is active adds a row;
changing it updates that row; stopping it marks it inactive. Each of these is one
transaction that also writes one history row per changed field (appdb.history), so
"who changed the goal from what to what, when" can always be answered.

Only a leader, analyst or admin may set goals, and only for units within their scope
(`may_write`); databeskyttelse reads figures but sets no goals. A refused or invalid
attempt raises with a Danish message and stores nothing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from appdb.history import may_write, now, record_changes
from appdb.models import method_history, unit_goal
from identity.viewer import Viewer
from queries.catalogue.models import Kpi
from queries.orgtree import OrgTree

ENTITY = "unit_goal"
GOAL_SETTERS = ("leder", "analytiker", "admin")
MAX_WHY = 500
_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")  # "1.234" is a Danish thousand, not 1,234


class GoalRefused(PermissionError):
    """The viewer may not set goals for this unit; the message is Danish, for them."""


class GoalInvalid(ValueError):
    """The goal as entered cannot be stored; the message says what to write instead."""


@dataclass(frozen=True)
class Goal:
    id: int
    kpi_id: str
    unit: str
    value: float  # in the KPI's own unit: a fraction for a percentage
    tolerance: float | None
    from_period: date
    why: str | None
    set_by: str
    set_at: datetime


def parse_number(text: object) -> float | None:
    """A number as a Danish leader writes it: "82,5", "1.234,5", "1.234" or "82.5";
    None for an empty field. Raises GoalInvalid for anything else."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, int | float):
        number = float(text)
    else:
        cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
        if "," in cleaned:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif _THOUSANDS.match(cleaned):
            cleaned = cleaned.replace(".", "")
        try:
            number = float(cleaned)
        except ValueError:
            raise GoalInvalid(f"'{text}' er ikke et tal. Skriv fx 82,5.") from None
    if not math.isfinite(number):
        raise GoalInvalid(f"'{text}' er ikke et tal. Skriv fx 82,5.")
    return number


def goal_values(kpi: Kpi, value_text: object, tolerance_text: object) -> tuple[float, float | None]:
    """The goal and tolerance as stored (a percentage becomes a fraction), checked against
    the KPI's unit: a percentage lies between 0 and 100, a tolerance is never negative."""
    value = parse_number(value_text)
    if value is None:
        raise GoalInvalid("Skriv enhedens mål som et tal.")
    tolerance = parse_number(tolerance_text)
    percent = kpi.format.value == "percent"
    if percent and not 0 <= value <= 100:
        raise GoalInvalid("Målet er en procentdel og skal ligge mellem 0 og 100.")
    if not percent and value < 0:
        raise GoalInvalid("Målet kan ikke være negativt.")
    if tolerance is not None and tolerance < 0:
        raise GoalInvalid("Tolerancen kan ikke være negativ.")
    if percent and tolerance is not None and tolerance > 100:
        raise GoalInvalid("Tolerancen er i procentpoint og kan højst være 100.")
    if percent:
        return value / 100, None if tolerance is None else tolerance / 100
    return value, tolerance


def may_set_goals(viewer: Viewer | None, unit: str, org: OrgTree) -> bool:
    return viewer is not None and viewer.role in GOAL_SETTERS and may_write(viewer, unit, org)


def refusal(viewer: Viewer | None, unit: str, org: OrgTree) -> str | None:
    """Why the viewer may not set a goal for the unit, in Danish; None when they may."""
    if viewer is None:
        return "Du skal være logget ind for at sætte mål."
    if viewer.role not in GOAL_SETTERS:
        return "Din rolle kan ikke sætte mål. Mål sættes af ledere og analytikere."
    if not may_write(viewer, unit, org):
        name = org.name(unit) if unit in org else unit
        return (
            f"Du kan ikke sætte mål for {name}. Du kan sætte mål for dine egne enheder "
            "og dem under dem."
        )
    return None


def _goal(row) -> Goal:
    found = row._mapping
    return Goal(
        id=found["id"],
        kpi_id=found["kpi_id"],
        unit=found["unit"],
        value=float(found["value"]),
        tolerance=None if found["tolerance"] is None else float(found["tolerance"]),
        from_period=found["from_period"],
        why=found["why"],
        set_by=found["set_by"],
        set_at=found["set_at"],
    )


def _serialise(connection: sa.Connection, kpi_id: str, unit: str) -> None:
    """Two leaders setting the first goal for the same KPI and unit at once must not make
    two active goals: on PostgreSQL they take turns on a lock for that pair (there is no
    row yet to lock). SQLite has one writer at a time, but its driver starts the
    transaction only at the first write, so a write that changes nothing comes first:
    from then on this transaction is the writer, and the others wait for it."""
    if connection.dialect.name == "postgresql":
        key = sa.func.hashtext(sa.literal(f"unit_goal:{kpi_id}:{unit}"))
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(key)))
    elif connection.dialect.name == "sqlite":
        connection.execute(
            sa.update(unit_goal)
            .where(unit_goal.c.kpi_id == kpi_id, unit_goal.c.unit == unit)
            .values(active=unit_goal.c.active)
        )


def _active(connection: sa.Connection, kpi_id: str, unit: str, lock: bool = False):
    if lock:
        _serialise(connection, kpi_id, unit)
    query = sa.select(unit_goal).where(
        unit_goal.c.kpi_id == kpi_id, unit_goal.c.unit == unit, unit_goal.c.active.is_(True)
    )
    if lock:
        query = query.with_for_update()
    return connection.execute(query.order_by(unit_goal.c.id.desc())).first()


def set_goal(
    engine: sa.Engine,
    org: OrgTree,
    viewer: Viewer | None,
    kpi: Kpi,
    unit: str,
    value_text: object,
    tolerance_text: object,
    from_period: date,
    why: str | None,
) -> Goal:
    """Set the unit's goal, or change the active one; one history row per changed field."""
    refused = refusal(viewer, unit, org)
    if refused:
        raise GoalRefused(refused)
    value, tolerance = goal_values(kpi, value_text, tolerance_text)
    if not isinstance(from_period, date):
        raise GoalInvalid("Vælg den periode, målet gælder fra.")
    why = (why or "").strip() or None
    if why and len(why) > MAX_WHY:
        raise GoalInvalid(f"Skriv begrundelsen på højst {MAX_WHY} tegn.")
    fields = {"value": value, "tolerance": tolerance, "from_period": from_period, "why": why}
    at = now()
    with engine.begin() as connection:
        found = _active(connection, kpi.id, unit, lock=True)
        if found is None:
            goal_id = connection.execute(
                sa.insert(unit_goal).values(
                    kpi_id=kpi.id,
                    unit=unit,
                    active=True,
                    set_by=viewer.user_id,
                    set_at=at,
                    **fields,
                )
            ).inserted_primary_key[0]
            before: dict = {}
        else:
            goal_id = found.id
            before = {name: found._mapping[name] for name in fields}
            if all(str(before[name]) == str(value) for name, value in fields.items()):
                return _goal(found)  # nothing changed: no new author, time or history row
            connection.execute(
                sa.update(unit_goal)
                .where(unit_goal.c.id == goal_id)
                .values(set_by=viewer.user_id, set_at=at, **fields)
            )
        record_changes(connection, ENTITY, goal_id, before, fields, viewer.user_id, at)
        stored = sa.select(unit_goal).where(unit_goal.c.id == goal_id)
        return _goal(connection.execute(stored).one())


def stop_goal(engine: sa.Engine, org: OrgTree, viewer: Viewer | None, kpi: Kpi, unit: str) -> bool:
    """Stop the unit's active goal (the organisation's target then stands alone); False
    when there was none."""
    refused = refusal(viewer, unit, org)
    if refused:
        raise GoalRefused(refused)
    at = now()
    with engine.begin() as connection:
        found = _active(connection, kpi.id, unit, lock=True)
        if found is None:
            return False
        connection.execute(
            sa.update(unit_goal)
            .where(unit_goal.c.id == found.id)
            .values(active=False, set_by=viewer.user_id, set_at=at)
        )
        record_changes(
            connection, ENTITY, found.id, {"active": True}, {"active": False}, viewer.user_id, at
        )
    return True


def active_goal(engine: sa.Engine, kpi_id: str, unit: str) -> Goal | None:
    with engine.connect() as connection:
        found = _active(connection, kpi_id, unit)
    return None if found is None else _goal(found)


def active_goals(engine: sa.Engine, kpi_id: str | None = None) -> list[Goal]:
    """Every active goal (of one KPI), for the target lens and the Målkompas page."""
    query = sa.select(unit_goal).where(unit_goal.c.active.is_(True))
    if kpi_id is not None:
        query = query.where(unit_goal.c.kpi_id == kpi_id)
    with engine.connect() as connection:
        return [_goal(row) for row in connection.execute(query.order_by(unit_goal.c.id))]


def goal_history(
    engine: sa.Engine, kpi_id: str | None = None, units: Iterable[str] | None = None
) -> list[dict]:
    """Every change to the goals of a KPI (and/or units), newest first, each with the
    goal's KPI and unit: who, when, which field, old → new."""
    query = (
        sa.select(
            method_history,
            unit_goal.c.kpi_id.label("kpi_id"),
            unit_goal.c.unit.label("unit"),
        )
        .join(unit_goal, unit_goal.c.id == method_history.c.entity_id)
        .where(method_history.c.entity == ENTITY)
    )
    if kpi_id is not None:
        query = query.where(unit_goal.c.kpi_id == kpi_id)
    if units is not None:
        query = query.where(unit_goal.c.unit.in_(list(units)))
    query = query.order_by(method_history.c.changed_at.desc(), method_history.c.id.desc())
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]
