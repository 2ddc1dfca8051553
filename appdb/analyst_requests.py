"""Start dialog: a leader asks the analysts for a new figure, list or KPI from the page
they are on; the analysts answer. The page address, KPI and unit are kept with the
question, so the analyst sees what the leader was looking at.

Anyone signed in may ask. Analysts and admins see every request and may answer;
everyone else sees only their own requests and the answers to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from appdb.history import now
from appdb.models import analyst_request
from identity.viewer import Viewer

ANSWERERS = ("analytiker", "admin")
MAX_QUESTION = 2000
MAX_ANSWER = 2000
MAX_PAGE = 500


class RequestRefused(PermissionError):
    """The viewer may not do this; the message is Danish, for them."""


class RequestInvalid(ValueError):
    """What was written cannot be stored; the message says what to write instead."""


@dataclass(frozen=True)
class Request:
    id: int
    asked_by: str
    asked_by_name: str | None
    asked_at: datetime
    page: str | None
    kpi_id: str | None
    unit: str | None
    question: str
    why: str | None
    status: str
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None
    answer_seen_at: datetime | None = None


def may_answer(viewer: Viewer | None) -> bool:
    return viewer is not None and viewer.role in ANSWERERS


def _text(value: str | None, limit: int, what: str) -> str | None:
    text = (value or "").strip() or None
    if text and len(text) > limit:
        raise RequestInvalid(f"Skriv {what} på højst {limit} tegn.")
    return text


def ask(
    engine: sa.Engine,
    viewer: Viewer | None,
    question: str | None,
    why: str | None = None,
    page: str | None = None,
    kpi_id: str | None = None,
    unit: str | None = None,
) -> Request:
    """Store a leader's question for the analysts, with where they asked it from."""
    if viewer is None:
        raise RequestRefused("Du skal være logget ind for at starte en dialog.")
    question = _text(question, MAX_QUESTION, "hvad du vil vide")
    if not question:
        raise RequestInvalid("Skriv, hvad du gerne vil vide.")
    why = _text(why, MAX_QUESTION, "hvorfor")
    with engine.begin() as connection:
        request_id = connection.execute(
            sa.insert(analyst_request).values(
                asked_by=viewer.user_id,
                asked_by_name=viewer.name,
                asked_at=now(),
                page=(page or "")[:MAX_PAGE] or None,
                kpi_id=(kpi_id or "")[:60] or None,
                unit=(unit or "")[:100] or None,
                question=question,
                why=why,
                status="åben",
            )
        ).inserted_primary_key[0]
        return _request(connection, request_id)


def answer(engine: sa.Engine, viewer: Viewer | None, request_id: int, text: str | None) -> Request:
    """Mark a request answered with a short answer; only analysts and admins may."""
    if not may_answer(viewer):
        raise RequestRefused("Kun analytikere kan besvare ønsker om nye tal.")
    text = _text(text, MAX_ANSWER, "svaret")
    if not text:
        raise RequestInvalid("Skriv et kort svar til lederen.")
    with engine.begin() as connection:
        updated = connection.execute(
            sa.update(analyst_request)
            .where(analyst_request.c.id == int(request_id))
            .values(
                status="besvaret",
                answer=text,
                answered_by=viewer.user_id,
                answered_at=now(),
                answer_seen_at=None,  # a changed answer is news to the leader again
            )
        ).rowcount
        if not updated:
            raise RequestInvalid("Ønsket findes ikke (længere).")
        return _request(connection, int(request_id))


def requests_for(engine: sa.Engine, viewer: Viewer | None) -> list[Request]:
    """Newest first: every request for analysts and admins, a leader's own for others."""
    if viewer is None:
        return []
    query = sa.select(analyst_request).order_by(
        analyst_request.c.asked_at.desc(), analyst_request.c.id.desc()
    )
    if not may_answer(viewer):
        query = query.where(analyst_request.c.asked_by == viewer.user_id)
    with engine.connect() as connection:
        return [Request(**row._mapping) for row in connection.execute(query)]


def waiting(engine: sa.Engine, viewer: Viewer | None) -> int:
    """What the viewer has to look at in Start dialog: for analysts and admins the open
    requests, for everyone else the answers to their own requests they have not seen."""
    if viewer is None:
        return 0
    table = analyst_request
    if may_answer(viewer):
        where = [table.c.status == "åben"]
    else:
        where = [
            table.c.asked_by == viewer.user_id,
            table.c.status == "besvaret",
            table.c.answer_seen_at.is_(None),
        ]
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).where(*where)).scalar_one()


def mark_answers_seen(engine: sa.Engine, viewer: Viewer | None) -> int:
    """The viewer has seen the answers to their own requests (Start dialog shows them)."""
    if viewer is None:
        return 0
    table = analyst_request
    with engine.begin() as connection:
        return connection.execute(
            sa.update(table)
            .where(
                table.c.asked_by == viewer.user_id,
                table.c.status == "besvaret",
                table.c.answer_seen_at.is_(None),
            )
            .values(answer_seen_at=now())
        ).rowcount


def _request(connection: sa.Connection, request_id: int) -> Request:
    row = connection.execute(
        sa.select(analyst_request).where(analyst_request.c.id == request_id)
    ).one()
    return Request(**row._mapping)
