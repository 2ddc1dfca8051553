"""Status-rapport without a browser: which forløb and actions a viewer reads, which KPIs
are chosen, and a report built as the router builds it holds no citizen."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import plotly
import sqlalchemy as sa

from appdb import open_app_db
from appdb.history import now
from appdb.models import action_card, forloeb
from components.report_method import method_rows
from identity.viewer import Viewer
from pages.statusrapport import chosen_kpis, layout_for
from queries.orgtree import OrgTree
from tests.conftest import viewing_as

TODAY = date(2026, 12, 1)
ORG = OrgTree.from_rows(
    [
        ("MSB", None, "MSB"),
        ("JSY", "MSB", "Job og Sygedagpenge"),
        ("JSY-1", "JSY", "Team 1"),
        ("JSY-2", "JSY", "Team 2"),
        ("BFF", "MSB", "Børn og Familier"),
    ]
)
CPR = re.compile(r"\d{6}-XXXX")


def _forloeb(unit: str, title: str, status: str = "åben") -> dict:
    return {
        "kpi_id": "k",
        "unit": unit,
        "grain": "month",
        "period": TODAY,
        "title": title,
        "status": status,
        "created_by": "x",
        "created_at": now(),
        "updated_at": now(),
    }


def _action(unit: str, title: str, due: date, status: str = "i gang") -> dict:
    return {
        "kpi_id": "k",
        "unit": unit,
        "title": title,
        "owner": "Leder",
        "due_on": due,
        "status": status,
        "created_by": "x",
        "created_at": now(),
        "updated_at": now(),
    }


def _fill(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.execute(sa.delete(action_card))
        connection.execute(sa.delete(forloeb))
        connection.execute(
            sa.insert(forloeb),
            [
                _forloeb("JSY", "På JSY"),
                _forloeb("JSY-1", "På team 1"),
                _forloeb("JSY-2", "Afsluttet", status="afsluttet"),
                _forloeb("BFF", "På BFF"),
            ],
        )
        connection.execute(
            sa.insert(action_card),
            [
                _action("JSY-1", "Overskredet", TODAY - timedelta(days=1)),
                _action("JSY-1", "Denne uge", TODAY + timedelta(days=6)),
                _action("JSY-1", "Om otte dage", TODAY + timedelta(days=8)),
                _action("JSY-1", "Gjort", TODAY - timedelta(days=3), status="gjort"),
                _action("JSY-2", "Team 2's", TODAY),
                _action("BFF", "BFF's", TODAY),
            ],
        )


def test_open_forloeb_and_due_actions_below_the_unit_that_the_viewer_may_read(tmp_path):
    engine = open_app_db(f"sqlite:///{tmp_path / 'app.sqlite'}")
    _fill(engine)
    everyone = Viewer(user_id="a", name="A", role="analytiker", all_units=True)

    found = method_rows(engine, ORG, everyone, "JSY", TODAY)
    assert [f["title"] for f in found.forloeb] == ["På JSY", "På team 1"]
    assert [(a["title"], a["overdue"]) for a in found.actions] == [
        ("Overskredet", True),
        ("Team 2's", False),
        ("Denne uge", False),
    ]

    team_leader = Viewer(user_id="t", name="T", role="leder", units=frozenset({"JSY-1"}))
    mine = method_rows(engine, ORG, team_leader, "JSY", TODAY)
    assert [f["title"] for f in mine.forloeb] == ["På team 1"]  # not the unit above
    assert [a["title"] for a in mine.actions] == ["Overskredet", "Denne uge"]
    assert method_rows(engine, ORG, None, "JSY", TODAY) == method_rows(
        engine, ORG, Viewer(user_id="n", name="N", role="leder"), "MSB", TODAY
    )
    assert method_rows(engine, ORG, None, "JSY", TODAY).forloeb == []


class _Kpi:
    def __init__(self, kpi_id: str) -> None:
        self.id = kpi_id


def test_the_kpis_worse_than_their_target_are_chosen_unless_the_address_says():
    shown = [_Kpi("a"), _Kpi("b"), _Kpi("c")]
    statuses = {"a": "worse", "b": "within", "c": "worse"}
    assert chosen_kpis(None, shown, statuses) == ["a", "c"]
    assert chosen_kpis("b,a", shown, statuses) == ["a", "b"]  # catalogue order
    assert chosen_kpis("", shown, statuses) == []  # the leader chose none
    assert chosen_kpis("nope,b", shown, statuses) == ["b"]


def text_of(component) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def test_a_team_leaders_report_holds_figures_and_their_own_actions_but_no_citizen(dash_app):
    services = dash_app._msb_services
    _fill_demo(services.audit.engine)
    layout = layout_for(services)
    with viewing_as(dash_app, "demo-teamleder-jsy"):
        page = text_of(layout(enhed="JSY", kpi="sygedagpenge_over_22_uger"))
    assert "Status-rapport: Job og Sygedagpenge" in page
    assert "rapport-sygedagpenge_over_22_uger" in page and "Over/under målet" in page
    assert "Team-handling" in page and "Afdelingens forløb" not in page  # JSY-01 is above
    assert "Listen viser" in page or "adgang" in page  # the list as its count, or closed
    assert not CPR.search(page)
    with viewing_as(dash_app, "demo-teamleder-jsy"):
        wrong = text_of(layout(enhed="NOPE"))
    assert "findes ikke i organisationen" in wrong


def _fill_demo(engine: sa.Engine) -> None:
    today = date.today()
    with engine.begin() as connection:
        connection.execute(sa.delete(action_card))
        connection.execute(sa.delete(forloeb))
        connection.execute(sa.insert(forloeb), [_forloeb("JSY-01", "Afdelingens forløb")])
        connection.execute(sa.insert(action_card), [_action("JSY-01-01", "Team-handling", today)])


def test_the_report_is_in_the_ledelse_menu(signed_in_client):
    answer = signed_in_client.get("/statusrapport?enhed=JSY")
    assert answer.status_code == 200
    layout = json.dumps(signed_in_client.get("/_dash-layout").get_json(), ensure_ascii=False)
    assert '"/statusrapport"' in layout and "Status-rapport" in layout
