"""Forløb (one pass round the Spilleplade for a KPI and unit) and their
Få-det-nu-gjort-kort (action cards): written within the writer's scope, one transaction
per write with a history row per changed field, read only where `may_read` allows."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from appdb.history import history, may_read, may_write, now, record_changes
from appdb.models import ACTION_STATUSES, FORLOEB_STATUSES, action_card, forloeb
from identity.viewer import Viewer
from queries.orgtree import OrgTree

FORLOEB = "forloeb"
ACTION = "action_card"
DIRECTIONS = ("op", "ned")
# What a leader fills in on the board after the forløb has started.
FORLOEB_FIELDS = (
    "title",
    "status",
    "known",
    "noticed",
    "external_collective",
    "external_individual",
    "internal_collective",
    "internal_individual",
    "watch_kpis",
    "direction",
    "inform",
    "follow_up_on",
)
ACTION_FIELDS = ("title", "owner", "due_on", "status", "why_dropped", "started_period")
SHORT = 200  # titles and owners; the columns' width
WHY_DROPPED_MAX = 500  # "hvorfor ikke?" is a short answer


class NotAllowed(PermissionError):
    """The viewer may not write for the unit; the message is Danish, for the page."""


class Invalid(ValueError):
    """A value the board cannot keep; the message is Danish, for the page."""


class NotFound(LookupError):
    """No such forløb or action card, or none the viewer may read."""


def refusal(unit: str, org: OrgTree) -> str:
    name = org.name(unit) if unit in org else unit
    return (
        f"Du kan ikke skrive på Spillepladen for {name}: du skriver kun for dine egne "
        "enheder og dem under dem. Kontakt Ledelsesinformation, hvis det er forkert."
    )


def _require_write(viewer: Viewer | None, unit: str, org: OrgTree) -> Viewer:
    if viewer is None or not may_write(viewer, unit, org):
        raise NotAllowed(refusal(unit, org))
    return viewer


# --- values in and out ----------------------------------------------------------------
def _text(value: Any, label: str, limit: int | None = None, required: bool = False) -> str | None:
    text = None if value is None else str(value).strip()
    if not text:
        if required:
            raise Invalid(f"{label} skal udfyldes.")
        return None
    if limit and len(text) > limit:
        raise Invalid(f"{label} må højst være {limit} tegn.")
    return text


def _date(value: Any, label: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise Invalid(f"{label} er ikke en dato (åååå-mm-dd).") from None


def _watch(value: Any) -> str | None:
    if value in (None, "", []):
        return None
    kpis = [value] if isinstance(value, str) else list(value)
    return json.dumps([str(k) for k in kpis])


def watch_list(stored: str | None) -> list[str]:
    """The KPI ids a forløb watches (stored as a JSON list)."""
    try:
        found = json.loads(stored) if stored else []
    except ValueError:
        return []
    return [str(k) for k in found] if isinstance(found, list) else []


def _clean_forloeb(changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(FORLOEB_FIELDS)
    if unknown:
        raise Invalid(f"Ukendt felt på Spillepladen: {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "title":
            clean[field] = _text(value, "Titel", SHORT, required=True)
        elif field == "status":
            if value not in FORLOEB_STATUSES:
                raise Invalid(f"Status skal være en af: {', '.join(FORLOEB_STATUSES)}.")
            clean[field] = value
        elif field == "watch_kpis":
            clean[field] = _watch(value)
        elif field == "direction":
            if value not in (None, "", *DIRECTIONS):
                raise Invalid("Forventet retning skal være 'op' eller 'ned'.")
            clean[field] = value or None
        elif field == "follow_up_on":
            clean[field] = _date(value, "Opfølgningsdato")
        else:
            clean[field] = _text(value, "Teksten")
    return clean


def _clean_action(changes: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise Invalid(f"Ukendt felt på handlingskortet: {', '.join(sorted(unknown))}.")
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "title":
            clean[field] = _text(value, "Handlingen", SHORT, required=True)
        elif field == "owner":
            clean[field] = _text(value, "Ansvarlig", SHORT, required=True)
        elif field == "due_on":
            clean[field] = _date(value, "Frist")
            if clean[field] is None:
                raise Invalid("Frist skal udfyldes.")
        elif field == "status":
            if value not in ACTION_STATUSES:
                raise Invalid(f"Status skal være en af: {', '.join(ACTION_STATUSES)}.")
            clean[field] = value
        elif field == "why_dropped":
            clean[field] = _text(value, "Hvorfor ikke?", WHY_DROPPED_MAX)
        else:
            clean[field] = _date(value, "Startperiode")
    status = clean.get("status", before.get("status"))
    why = clean.get("why_dropped", before.get("why_dropped"))
    if status == "droppet" and not why:
        raise Invalid("En droppet handling skal have et kort svar på 'hvorfor ikke?'.")
    return clean


def _row(result: sa.CursorResult) -> dict[str, Any] | None:
    found = result.first()
    return None if found is None else dict(found._mapping)


# --- forløb ----------------------------------------------------------------------------
def create_forloeb(
    engine: sa.Engine,
    viewer: Viewer | None,
    org: OrgTree,
    *,
    kpi_id: str,
    unit: str,
    grain: str,
    period: date,
    title: str,
    **fields: Any,
) -> int:
    """A new forløb on what the leader sees (KPI, unit, grain, period); returns its id.

    Starting one that is already open (same KPI, unit and title) returns that one: a
    double click or a second tab must not leave two boards for the same thing."""
    writer = _require_write(viewer, unit, org)
    values = _clean_forloeb({"title": title, "status": "åben", **fields})
    at = now()
    with engine.begin() as connection:
        same = connection.execute(
            sa.select(forloeb.c.id)
            .where(
                forloeb.c.kpi_id == kpi_id,
                forloeb.c.unit == unit,
                forloeb.c.title == values["title"],
                forloeb.c.status == "åben",
            )
            .order_by(forloeb.c.id)
            .limit(1)
        ).scalar()
        if same is not None:
            return int(same)
        new_id = connection.execute(
            sa.insert(forloeb).values(
                kpi_id=kpi_id,
                unit=unit,
                grain=grain,
                period=period,
                created_by=writer.user_id,
                created_at=at,
                updated_at=at,
                **values,
            )
        ).inserted_primary_key[0]
        record_changes(connection, FORLOEB, new_id, {}, values, writer.user_id, at)
    return int(new_id)


def update_forloeb(
    engine: sa.Engine, viewer: Viewer | None, org: OrgTree, forloeb_id: int, **changes: Any
) -> int:
    """Change fields of a forløb; returns how many fields changed (each one history row)."""
    with engine.begin() as connection:
        before = _row(connection.execute(sa.select(forloeb).where(forloeb.c.id == forloeb_id)))
        if before is None:
            raise NotFound("Forløbet findes ikke.")
        writer = _require_write(viewer, before["unit"], org)
        values = _clean_forloeb(changes)
        at = now()
        changed = record_changes(
            connection, FORLOEB, forloeb_id, before, values, writer.user_id, at
        )
        if changed:
            connection.execute(
                sa.update(forloeb).where(forloeb.c.id == forloeb_id).values(updated_at=at, **values)
            )
    return changed


def readable_units(viewer: Viewer | None, org: OrgTree) -> set[str]:
    return {unit for unit in org.units if may_read(viewer, unit, org)}


def get_forloeb(
    engine: sa.Engine, viewer: Viewer | None, org: OrgTree, forloeb_id: int
) -> dict[str, Any] | None:
    with engine.connect() as connection:
        found = _row(connection.execute(sa.select(forloeb).where(forloeb.c.id == forloeb_id)))
    if found is None or not may_read(viewer, found["unit"], org):
        return None
    return found


def list_forloeb(
    engine: sa.Engine,
    viewer: Viewer | None,
    org: OrgTree,
    *,
    kpi_id: str | None = None,
    units: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """The forløb the viewer may read, newest first; optionally one KPI's, or those of
    `units` only."""
    allowed = readable_units(viewer, org)
    if units is not None:
        allowed &= set(units)
    if not allowed:
        return []
    query = sa.select(forloeb).where(forloeb.c.unit.in_(sorted(allowed)))
    if kpi_id is not None:
        query = query.where(forloeb.c.kpi_id == kpi_id)
    query = query.order_by(forloeb.c.created_at.desc(), forloeb.c.id.desc())
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


# --- action cards ----------------------------------------------------------------------
def create_action(
    engine: sa.Engine,
    viewer: Viewer | None,
    org: OrgTree,
    forloeb_id: int,
    *,
    title: str,
    owner: str,
    due_on: date | str,
    status: str = "ikke startet",
    why_dropped: str | None = None,
    started_period: date | None = None,
) -> int:
    """A Få-det-nu-gjort-kort on a forløb, for the forløb's KPI and unit."""
    with engine.begin() as connection:
        parent = _row(connection.execute(sa.select(forloeb).where(forloeb.c.id == forloeb_id)))
        if parent is None:
            raise NotFound("Forløbet findes ikke.")
        writer = _require_write(viewer, parent["unit"], org)
        values = _clean_action(
            {
                "title": title,
                "owner": owner,
                "due_on": due_on,
                "status": status,
                "why_dropped": why_dropped,
                "started_period": started_period,
            },
            {},
        )
        at = now()
        new_id = connection.execute(
            sa.insert(action_card).values(
                forloeb_id=forloeb_id,
                kpi_id=parent["kpi_id"],
                unit=parent["unit"],
                created_by=writer.user_id,
                created_at=at,
                updated_at=at,
                **values,
            )
        ).inserted_primary_key[0]
        record_changes(connection, ACTION, new_id, {}, values, writer.user_id, at)
    return int(new_id)


def update_action(
    engine: sa.Engine, viewer: Viewer | None, org: OrgTree, action_id: int, **changes: Any
) -> int:
    """Change fields of an action card; returns how many changed (each one history row)."""
    with engine.begin() as connection:
        before = _row(
            connection.execute(sa.select(action_card).where(action_card.c.id == action_id))
        )
        if before is None:
            raise NotFound("Handlingskortet findes ikke.")
        writer = _require_write(viewer, before["unit"], org)
        values = _clean_action(changes, before)
        at = now()
        changed = record_changes(connection, ACTION, action_id, before, values, writer.user_id, at)
        if changed:
            connection.execute(
                sa.update(action_card)
                .where(action_card.c.id == action_id)
                .values(updated_at=at, **values)
            )
    return changed


def list_actions(
    engine: sa.Engine, viewer: Viewer | None, org: OrgTree, forloeb_ids: Iterable[int]
) -> list[dict[str, Any]]:
    """The action cards of the given forløb that the viewer may read, by due date."""
    ids = sorted(set(forloeb_ids))
    if not ids:
        return []
    query = (
        sa.select(action_card)
        .where(action_card.c.forloeb_id.in_(ids))
        .order_by(action_card.c.due_on, action_card.c.id)
    )
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    return [row for row in rows if may_read(viewer, row["unit"], org)]


def my_actions(
    engine: sa.Engine, viewer: Viewer | None, org: OrgTree, today: date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(due this week, overdue): open cards the viewer owns (by id or name), in units
    they may read. The week runs Monday to Sunday."""
    if viewer is None:
        return [], []
    week_end = today + timedelta(days=6 - today.weekday())
    query = (
        sa.select(action_card)
        .where(
            action_card.c.owner.in_({viewer.user_id, viewer.name}),
            action_card.c.status.in_(("ikke startet", "i gang")),
            action_card.c.due_on <= week_end,
        )
        .order_by(action_card.c.due_on, action_card.c.id)
    )
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    rows = [row for row in rows if may_read(viewer, row["unit"], org)]
    overdue = [row for row in rows if row["due_on"] < today]
    due = [row for row in rows if row["due_on"] >= today]
    return due, overdue


def board_history(
    engine: sa.Engine, viewer: Viewer | None, org: OrgTree, forloeb_id: int
) -> list[dict[str, Any]]:
    """Every change to a forløb and its action cards, oldest first; each row carries
    `entity` and `entity_id`. Empty when the viewer may not read the forløb."""
    found = get_forloeb(engine, viewer, org, forloeb_id)
    if found is None:
        return []
    with engine.connect() as connection:
        rows = history(connection, FORLOEB, forloeb_id)
        action_ids = connection.execute(
            sa.select(action_card.c.id).where(action_card.c.forloeb_id == forloeb_id)
        ).scalars()
        for action_id in action_ids:
            rows += history(connection, ACTION, action_id)
    return sorted(rows, key=lambda row: (row["changed_at"], row["id"]))
