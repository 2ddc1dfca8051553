"""The programme's own measure: "På en skala fra 1–10, hvor meget bruger du data i din
ledelse og i dine beslutninger?"

A leader is asked at most once a quarter; skipping counts as asked (a row without a
score). The answers are shown per driftsområde and quarter, as a mean and a count,
never per person; a cell with fewer than MIN_ANSWERS answers is hidden, so no one
leader's answer can be read from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from appdb.history import now
from appdb.models import data_use_answer
from identity.viewer import Viewer
from queries.orgtree import OrgTree

QUESTION = "På en skala fra 1–10, hvor meget bruger du data i din ledelse og i dine beslutninger?"
ASKED_ROLES = ("leder",)
MIN_ANSWERS = 3
HIDDEN = f"<{MIN_ANSWERS}"


class AnswerInvalid(ValueError):
    """A score outside 1–10; the message is Danish."""


@dataclass(frozen=True)
class AreaQuarter:
    """One cell of the table: a driftsområde in a quarter."""

    quarter: str
    area: str | None  # the driftsområde's unit id; None for leaders without a unit
    answers: int
    mean: float | None  # None when hidden (fewer than MIN_ANSWERS answers)

    @property
    def hidden(self) -> bool:
        return self.mean is None


def quarter_of(day: date) -> str:
    """ "2026-K4": the quarter a day falls in, as stored."""
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


def area_of(viewer: Viewer, org: OrgTree) -> str | None:
    """The viewer's driftsområde: the unit just below the root above their (first) unit.
    A leader of the whole organisation, or without units, has none."""
    for unit in sorted(viewer.units):
        if unit in org:
            path = org.path(unit)
            if len(path) > 1:
                return path[1]
    return None


def _asked(connection: sa.Connection, user_id: str, quarter: str) -> bool:
    found = connection.execute(
        sa.select(data_use_answer.c.id).where(
            data_use_answer.c.user_id == user_id, data_use_answer.c.quarter == quarter
        )
    ).first()
    return found is not None


def should_ask(engine: sa.Engine, viewer: Viewer | None, today: date | None = None) -> bool:
    """A leader not yet asked this quarter (answered or skipped)."""
    if viewer is None or viewer.role not in ASKED_ROLES:
        return False
    quarter = quarter_of(today or now().date())
    with engine.connect() as connection:
        return not _asked(connection, viewer.user_id, quarter)


def record(
    engine: sa.Engine,
    viewer: Viewer | None,
    org: OrgTree,
    score: int | None,
    today: date | None = None,
) -> bool:
    """Keep the leader's answer (None: skipped) for this quarter; False when they were
    already asked this quarter (the first answer stands) or are not asked at all."""
    if viewer is None or viewer.role not in ASKED_ROLES:
        return False
    if score is not None:
        try:
            score = int(score)
        except (TypeError, ValueError):
            raise AnswerInvalid("Vælg et tal fra 1 til 10.") from None
        if not 1 <= score <= 10:
            raise AnswerInvalid("Vælg et tal fra 1 til 10.")
    quarter = quarter_of(today or now().date())
    try:
        with engine.begin() as connection:
            if _asked(connection, viewer.user_id, quarter):
                return False
            connection.execute(
                sa.insert(data_use_answer).values(
                    user_id=viewer.user_id,
                    area_unit=area_of(viewer, org),
                    quarter=quarter,
                    score=score,
                    answered_at=now(),
                )
            )
    except sa.exc.IntegrityError:  # the same leader answering in two tabs at once
        return False
    return True


def per_area(engine: sa.Engine) -> list[AreaQuarter]:
    """Mean score and number of answers per quarter and driftsområde (skips not counted),
    the mean left out where fewer than MIN_ANSWERS leaders answered."""
    query = (
        sa.select(
            data_use_answer.c.quarter,
            data_use_answer.c.area_unit,
            sa.func.count(data_use_answer.c.score).label("answers"),
            sa.func.avg(data_use_answer.c.score).label("mean"),
        )
        .where(data_use_answer.c.score.is_not(None))
        .group_by(data_use_answer.c.quarter, data_use_answer.c.area_unit)
        .order_by(data_use_answer.c.quarter, data_use_answer.c.area_unit)
    )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        AreaQuarter(
            quarter=row.quarter,
            area=row.area_unit,
            answers=int(row.answers),
            mean=float(row.mean) if row.answers >= MIN_ANSWERS else None,
        )
        for row in rows
    ]
