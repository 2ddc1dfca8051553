"""The Spilleplade's callbacks, called as the router calls them: starting and editing a
forløb and an action card, one history row per change, and a leader outside the unit
refused with nothing stored. The trend marks only forløb the viewer may read."""

from __future__ import annotations

from contextvars import copy_context
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict

from appdb.models import action_card, forloeb, method_history
from components import spilleplade
from components.figures import MARKS_NAME
from tests.conftest import readable, viewing_as
from tests.test_callbacks import text_of

KPI = "underretninger_24_timer"
BFF_VIEW = {"kpi": KPI, "query": "?enhed=BFF&interval=maaned&periode=2026-10"}
DRIFTSCHEF, JSY_TEAMLEDER, NO_UNITS = (
    "demo-driftschef-bff",
    "demo-teamleder-jsy",
    "demo-leder-uden-enheder",
)
EMPTY_BOARD = {field: None for field in spilleplade.FIELDS}


def callback(app, name: str, module: str = "components.spilleplade"):
    """The function behind a callback, by the module and name it was written with."""
    for entry in app.callback_map.values():
        function = entry.get("callback")
        found = getattr(function, "__wrapped__", None)
        if found is not None and (found.__module__, found.__name__) == (module, name):
            return found
    raise LookupError(name)


def engine(app) -> sa.Engine:
    return app._msb_services.audit.engine


def count(app, table: sa.Table) -> int:
    with engine(app).connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def write(app, persona: str, trigger, picked=None, title=None, board=None, action=None, cards=()):
    """Press one of the board's buttons as `persona`; returns (version, message text)."""
    board = {**EMPTY_BOARD, **(board or {})}
    action = action or {}
    prop = (
        f"{trigger}.n_clicks"
        if isinstance(trigger, str)
        else ('{"id":' + str(trigger["id"]) + ',"type":"' + trigger["type"] + '"}.n_clicks')
    )
    function = callback(app, "write")

    def run():
        context_value.set(AttributeDict(triggered_inputs=[{"prop_id": prop, "value": 1}]))
        return function(
            1,
            1,
            1,
            [1 for _ in cards],
            BFF_VIEW,
            str(picked) if picked else None,
            title,
            *(board[field] for field in spilleplade.FIELDS),
            action.get("title"),
            action.get("owner"),
            action.get("due"),
            [c["status"] for c in cards],
            [c.get("why") for c in cards],
            [c.get("owner", OWNER) for c in cards],
            [c.get("due", DUE) for c in cards],
            [{"type": spilleplade.CARD_STATUS, "id": c["id"]} for c in cards],
            {"n": 0},
        )

    with viewing_as(app, persona):
        version, message, *_ = copy_context().run(run)
    return version, text_of(message)


def history_of(app, entity: str, entity_id: int) -> list[tuple]:
    query = (
        sa.select(method_history.c.field, method_history.c.new_value, method_history.c.changed_by)
        .where(method_history.c.entity == entity, method_history.c.entity_id == entity_id)
        .order_by(method_history.c.id)
    )
    with engine(app).connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


@pytest.fixture
def started(dash_app) -> int:
    version, said = write(dash_app, DRIFTSCHEF, spilleplade.START, title="Færre inden for 24 timer")
    assert "Forløbet er startet" in said
    return version["pick"]


def test_a_leader_starts_a_forloeb_on_the_view_and_edits_it(dash_app, started):
    with engine(dash_app).connect() as connection:
        row = connection.execute(sa.select(forloeb).where(forloeb.c.id == started)).one()
    assert (row.kpi_id, row.unit, row.grain, row.period) == (KPI, "BFF", "month", date(2026, 10, 1))
    assert row.created_by == DRIFTSCHEF and row.status == "åben"
    assert ("title", "Færre inden for 24 timer", DRIFTSCHEF) in history_of(
        dash_app, "forloeb", started
    )
    before = len(history_of(dash_app, "forloeb", started))
    board = {"noticed": "Faldet i oktober", "internal_collective": "Ny vagtplan", "status": "åben"}
    _, said = write(dash_app, DRIFTSCHEF, spilleplade.SAVE, started, board=board)
    assert said == "Gemt: 2 felter ændret."
    changes = history_of(dash_app, "forloeb", started)[before:]
    assert changes == [
        ("noticed", "Faldet i oktober", DRIFTSCHEF),
        ("internal_collective", "Ny vagtplan", DRIFTSCHEF),
    ]
    with viewing_as(dash_app, DRIFTSCHEF):
        filled = callback(dash_app, "fill")(str(started), {"n": 1}, None)
    assert filled[0] is False and filled[1] == started  # the board is shown, and which
    with viewing_as(dash_app, DRIFTSCHEF):  # redrawn after a card: unsaved typing is kept
        kept = callback(dash_app, "fill")(str(started), {"n": 2}, started)
    fields = kept[3 : 3 + len(spilleplade.FIELDS)]
    assert all(value is no_update for value in fields) and "Faldet i oktober" not in kept
    assert "Faldet i oktober" in filled and "Ny vagtplan" in filled
    assert "Da handlingen begyndte" not in text_of(filled[-2])  # no action yet


OWNER, DUE = "Birgitte Holm (DEMO)", "2026-12-04"  # the card as test_an_action_card… adds it


def test_an_action_card_is_added_and_its_status_changed(dash_app, started):
    action = {"title": "Fast makker hver morgen", "owner": OWNER, "due": DUE}
    _, said = write(dash_app, DRIFTSCHEF, spilleplade.ACTION_ADD, started, action=action)
    assert said == "Handlingskortet er tilføjet."
    with engine(dash_app).connect() as connection:
        card = connection.execute(
            sa.select(action_card).where(action_card.c.forloeb_id == started)
        ).one()
    assert (card.unit, card.status, card.started_period) == (
        "BFF",
        "ikke startet",
        date(2026, 10, 1),
    )
    assert len(history_of(dash_app, "action_card", card.id)) == 5  # each field set
    save = {"type": spilleplade.CARD_SAVE, "id": card.id}
    _, said = write(
        dash_app, DRIFTSCHEF, save, started, cards=[{"id": card.id, "status": "droppet"}]
    )
    assert "hvorfor ikke" in said
    assert len(history_of(dash_app, "action_card", card.id)) == 5  # refused: nothing kept
    dropped = [{"id": card.id, "status": "droppet", "why": "Ingen makker at få"}]
    _, said = write(dash_app, DRIFTSCHEF, save, started, cards=dropped)
    assert said == "Handlingskortet er gemt."
    assert history_of(dash_app, "action_card", card.id)[5:] == [
        ("status", "droppet", DRIFTSCHEF),
        ("why_dropped", "Ingen makker at få", DRIFTSCHEF),
    ]
    with viewing_as(dash_app, DRIFTSCHEF):
        filled = callback(dash_app, "fill")(str(started), {"n": 2}, None)
    follow = text_of(filled[-2])
    assert "Fast makker hver morgen" in follow and "oktober 2026: " in follow


@pytest.mark.parametrize("persona", [JSY_TEAMLEDER, NO_UNITS])
def test_a_leader_outside_the_unit_is_refused_and_nothing_is_stored(dash_app, started, persona):
    counts = [count(dash_app, table) for table in (forloeb, action_card, method_history)]
    _, said = write(dash_app, persona, spilleplade.START, title="Ikke min enhed")
    assert said.startswith("Du kan ikke skrive på Spillepladen for Børn og Familier")
    _, said = write(dash_app, persona, spilleplade.SAVE, started, board={"noticed": "Nej"})
    assert said.startswith("Du kan ikke skrive på Spillepladen")
    action = {"title": "Nej", "owner": "Nej", "due": "2026-12-04"}
    _, said = write(dash_app, persona, spilleplade.ACTION_ADD, started, action=action)
    assert said.startswith("Du kan ikke skrive på Spillepladen")
    assert [count(dash_app, table) for table in (forloeb, action_card, method_history)] == counts
    with viewing_as(dash_app, persona):
        note, options, value, _style, start_hidden = callback(dash_app, "show")(
            BFF_VIEW, {"n": 0}, None
        )
        filled = callback(dash_app, "fill")(str(started), {"n": 0}, None)
    assert "Du kan ikke starte eller skrive forløb for Børn og Familier" in text_of(note)
    assert options == [] and value is None and start_hidden is True
    assert filled[0] is True  # the board stays hidden


def test_the_trend_marks_only_forloeb_the_viewer_may_read(dash_app, started):
    draw = callback(dash_app, "draw", "components.lens_trend")
    for persona, marked in ((DRIFTSCHEF, True), (JSY_TEAMLEDER, False)):
        with viewing_as(dash_app, persona):
            figure, _ = readable(draw(BFF_VIEW, {"n": 1}))
        names = [trace.name for trace in figure.data]
        assert (MARKS_NAME in names) is marked, persona
    with viewing_as(dash_app, DRIFTSCHEF):
        figure, _ = readable(draw(BFF_VIEW, {"n": 1}))
    [marks] = [trace for trace in figure.data if trace.name == MARKS_NAME]
    assert "Forløb startet: Færre inden for 24 timer" in marks.customdata[-1]


def test_the_spilleplade_page_and_the_overview_show_a_leaders_cards(dash_app, started):
    from components.board_parts import my_cards_box
    from pages.spilleplade import layout_for

    services = dash_app._msb_services
    today = date.today()
    for title, due in (("Ring til skolerne", today), ("Gammel aftale", today - timedelta(days=3))):
        action = {"title": title, "owner": "Birgitte Holm (DEMO)", "due": due.isoformat()}
        write(dash_app, DRIFTSCHEF, spilleplade.ACTION_ADD, started, action=action)
    with viewing_as(dash_app, DRIFTSCHEF):
        page = text_of(layout_for(services)())
        only_jsy = text_of(layout_for(services)(enhed="JSY"))
        box = text_of(my_cards_box(services, today))
    assert "Færre inden for 24 timer" in page and "Børn og Familier" in page
    mine = page[page.index("Mine kort") : page.index("Forløb", page.index("Mine kort"))]
    assert "Overskredet" in mine and "Gammel aftale" in mine and "Ring til skolerne" in mine
    assert "Færre inden for 24 timer" not in only_jsy  # ?enhed= gives that unit and below
    assert "Ring til skolerne" in box and "Gammel aftale" in box
    with viewing_as(dash_app, JSY_TEAMLEDER):
        theirs = text_of(layout_for(services)())
        assert my_cards_box(services, today) is None  # nothing due: no box at all
    assert "Færre inden for 24 timer" not in theirs and "Ring til skolerne" not in theirs


def test_an_action_cards_owner_and_deadline_are_changed_in_place(dash_app, started):
    action = {"title": "Ugentlig gennemgang", "owner": OWNER, "due": DUE}
    write(dash_app, DRIFTSCHEF, spilleplade.ACTION_ADD, started, action=action)
    with engine(dash_app).connect() as connection:
        card = connection.execute(
            sa.select(action_card).where(action_card.c.title == "Ugentlig gennemgang")
        ).one()
    save = {"type": spilleplade.CARD_SAVE, "id": card.id}
    before = len(history_of(dash_app, "action_card", card.id))
    for bad, says in (({"owner": "  "}, "Ansvarlig"), ({"due": "4. december"}, "Frist")):
        _, said = write(
            dash_app,
            DRIFTSCHEF,
            save,
            started,
            cards=[{"id": card.id, "status": "ikke startet", **bad}],
        )
        assert says in said
    assert len(history_of(dash_app, "action_card", card.id)) == before  # refused: nothing kept
    moved = {"id": card.id, "status": "i gang", "owner": "Jonas Kragh (DEMO)", "due": "2026-12-18"}
    _, said = write(dash_app, DRIFTSCHEF, save, started, cards=[moved])
    assert said == "Handlingskortet er gemt."
    assert history_of(dash_app, "action_card", card.id)[before:] == [
        ("owner", "Jonas Kragh (DEMO)", DRIFTSCHEF),
        ("due_on", "2026-12-18", DRIFTSCHEF),
        ("status", "i gang", DRIFTSCHEF),
    ]
    with viewing_as(dash_app, DRIFTSCHEF):
        filled = callback(dash_app, "fill")(str(started), {"n": 3}, None)
    shown = text_of(filled)
    assert "Jonas Kragh (DEMO) · frist 18.12.2026" in shown
