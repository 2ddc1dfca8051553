"""Changes to the leadership method's records, one row per changed field: who, when,
old → new. Forløb, action cards and unit goals all keep their history here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from appdb.models import method_history
from identity.viewer import Viewer
from queries.orgtree import OrgTree


def now() -> datetime:
    """Stored as naive UTC, like the audit log."""
    return datetime.now(UTC).replace(tzinfo=None)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def record_changes(
    connection: sa.Connection,
    entity: str,
    entity_id: int,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    changed_by: str,
    at: datetime | None = None,
) -> int:
    """One history row per field whose value differs; returns how many. A new record is
    `before={}`: every field set is a change from nothing."""
    at = at or now()
    rows = [
        {
            "entity": entity,
            "entity_id": entity_id,
            "field": field,
            "old_value": _text(before.get(field)),
            "new_value": _text(value),
            "changed_by": changed_by,
            "changed_at": at,
        }
        for field, value in after.items()
        if _text(before.get(field)) != _text(value)
    ]
    if rows:
        connection.execute(sa.insert(method_history), rows)
    return len(rows)


def history(connection: sa.Connection, entity: str, entity_id: int) -> list[dict]:
    """Every change to one record, oldest first."""
    query = (
        sa.select(method_history)
        .where(method_history.c.entity == entity, method_history.c.entity_id == entity_id)
        .order_by(method_history.c.changed_at, method_history.c.id)
    )
    return [dict(row._mapping) for row in connection.execute(query)]


def may_write(viewer: Viewer | None, unit: str, org: OrgTree) -> bool:
    """A leader writes notes, goals and actions for their own units and those below;
    an analyst or admin with every unit may write for any. Reading is open to the unit's
    own leaders and those above (`may_read`)."""
    if viewer is None or unit not in org:
        return False
    if viewer.all_units:
        return True
    above = org.ancestors(unit)  # the unit itself, then up to the root
    return any(own in above for own in viewer.units)


def may_read(viewer: Viewer | None, unit: str, org: OrgTree) -> bool:
    """The unit's own leaders, those above it, and viewers with every unit."""
    return may_write(viewer, unit, org)
