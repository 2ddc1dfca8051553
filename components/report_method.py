"""What Status-rapport shows of the leadership method: open forløb and the action cards
due this week or overdue, for a unit and the units below it.

Read only (the Spilleplade writes them), and only what the viewer may read
(`appdb.history.may_read`): the unit's own leaders, those above it, and viewers with
every unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from appdb.history import may_read
from appdb.models import action_card, forloeb
from identity.viewer import Viewer
from queries.orgtree import OrgTree

OPEN_FORLOEB = "åben"
OPEN_ACTIONS = ("ikke startet", "i gang")
DUE_WITHIN = timedelta(days=7)  # "due this week": today and the next six days
MAX_ROWS = 50  # a report for paper, not an archive


@dataclass(frozen=True)
class MethodRows:
    forloeb: list[dict]
    actions: list[dict]  # each with "overdue": bool


def method_rows(
    engine: sa.Engine, org: OrgTree, viewer: Viewer | None, unit: str, today: date
) -> MethodRows:
    """Open forløb and due or overdue actions for `unit` and below that `viewer` may read."""
    units = [u for u in org.descendants(unit) if may_read(viewer, u, org)]
    if not units:
        return MethodRows([], [])
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(forloeb)
            .where(forloeb.c.unit.in_(units), forloeb.c.status == OPEN_FORLOEB)
            .order_by(forloeb.c.follow_up_on, forloeb.c.id)
            .limit(MAX_ROWS)
        )
        open_forloeb = [dict(row._mapping) for row in found]
        due = connection.execute(
            sa.select(action_card)
            .where(
                action_card.c.unit.in_(units),
                action_card.c.status.in_(OPEN_ACTIONS),
                action_card.c.due_on < today + DUE_WITHIN,
            )
            .order_by(action_card.c.due_on, action_card.c.id)
            .limit(MAX_ROWS)
        )
        actions = [{**row._mapping, "overdue": row.due_on < today} for row in due]
    return MethodRows(open_forloeb, actions)
