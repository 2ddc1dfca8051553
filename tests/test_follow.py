"""The chosen unit follows the leader, and "Alle teams" in the benchmark.

The menu's links are asked for over HTTP as the browser asks (the shell's layout, then
the callback that rewrites the links from the address). "Alle teams" is checked against
the existing benchmark of each afdeling (the two views must agree team for team) and
against the KPI's one suppression decision (no hidden figure may appear).
"""

from __future__ import annotations

import json
import math
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from components.figures import as_graph_object, benchmark_figure
from components.services import Services
from queries.catalogue.models import Grain
from tests.conftest import viewing_as

KPI = "sygedagpenge_over_22_uger"
CARRY = "nav-carry"


# ---- the menu keeps the unit, grain and period ------------------------------------------


def carry_ids(node) -> list[dict]:
    """Every menu link id in a layout (as JSON) that the carry callback rewrites."""
    found = []
    if isinstance(node, dict):
        ident = node.get("props", {}).get("id") if "props" in node else None
        if isinstance(ident, dict) and ident.get("type") == CARRY:
            found.append(ident)
        for value in node.values():
            found += carry_ids(value)
    elif isinstance(node, list):
        for value in node:
            found += carry_ids(value)
    return found


@pytest.fixture(scope="module")
def menu(signed_in_client) -> list[dict]:
    layout = signed_in_client.get("/_dash-layout")
    assert layout.status_code == 200
    return carry_ids(layout.get_json())


def menu_hrefs(client, app, menu: list[dict], pathname: str, search: str) -> dict[str, str]:
    """{link's own path: href} as the callback answers the browser for this address."""
    key = next(k for k, entry in app.callback_map.items() if CARRY in k and ".href" in k)
    entry = app.callback_map[key]
    body = {
        "output": key,
        "outputs": [{"id": ident, "property": "href"} for ident in menu],
        "inputs": [
            {**entry["inputs"][0], "value": pathname},
            {**entry["inputs"][1], "value": search},
        ],
        "state": [],
        "changedPropIds": ["nav.search"],
    }
    answer = client.post("/_dash-update-component", json=body)
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    found = answer.get_json()["response"]
    hrefs = {}
    for ident_text, props in found.items():
        ident = json.loads(ident_text)
        if ident["slot"] == 0:
            hrefs[ident["path"]] = props["href"]
    return hrefs


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_the_menu_has_a_link_to_every_kpi_and_page(menu, dash_app):
    paths = {ident["path"] for ident in menu}
    services: Services = dash_app._msb_services
    assert {f"/kpi/{k.id}" for k in services.catalogue.kpis} <= paths
    assert {"/", "/definitioner"} <= paths
    assert {f"/omraade/{a.id}" for a in services.catalogue.areas} <= paths


def test_a_unit_chosen_on_the_overview_stays_in_every_menu_link(signed_in_client, dash_app, menu):
    hrefs = menu_hrefs(signed_in_client, dash_app, menu, "/", "?enhed=JSY")
    assert hrefs, "no menu link was rewritten"
    for path, href in hrefs.items():
        assert urlsplit(href).path == path
        assert query_of(href) == {"enhed": ["JSY"]}, (path, href)


def test_a_kpi_page_passes_on_its_unit_grain_and_period(signed_in_client, dash_app, menu):
    search = "?enhed=JSY-01&interval=kvartal&periode=2026-K2"
    hrefs = menu_hrefs(signed_in_client, dash_app, menu, f"/kpi/{KPI}", search)
    services: Services = dash_app._msb_services
    with_period = 0
    for kpi in services.catalogue.kpis:
        found = query_of(hrefs[f"/kpi/{kpi.id}"])
        assert found["enhed"] == ["JSY-01"] and found["interval"] == ["kvartal"], kpi.id
        first, last = services.data_range(kpi.id)
        if first <= date(2026, 4, 1) and last >= date(2026, 4, 1):
            assert found["periode"] == ["2026-K2"], kpi.id
            with_period += 1
        else:  # a period the KPI has no data for is left for the page to choose
            assert "periode" not in found, kpi.id
    assert with_period > 0
    # The overview, the areas and Definitioner have a unit but no grain or period.
    for path in ("/", "/definitioner", *(f"/omraade/{a.id}" for a in services.catalogue.areas)):
        assert query_of(hrefs[path]) == {"enhed": ["JSY-01"]}, path


@pytest.mark.parametrize(
    "search",
    ["", "?enhed=MSB", "?enhed=FINDES-IKKE", "?enhed=JSY%27%3B--", "?interval=aar&periode=99"],
)
def test_no_unit_or_an_unknown_unit_is_never_carried(signed_in_client, dash_app, menu, search):
    hrefs = menu_hrefs(signed_in_client, dash_app, menu, "/", search)
    for path, href in hrefs.items():
        assert "enhed" not in query_of(href), (search, href)
        if not path.startswith("/kpi/"):
            assert href == path


def test_definitions_and_the_kpi_page_link_onward_with_the_unit(dash_app):
    import dash

    pages = {page["module"]: page for page in dash.page_registry.values()}
    with viewing_as(dash_app):
        definitions = str(pages["definitions"]["layout"](enhed="JSY"))
        kpi_page = str(pages["kpi"]["layout"](kpi_id=KPI, enhed="JSY-02"))
        unknown = str(pages["definitions"]["layout"](enhed="NOPE"))
    assert f"href='/kpi/{KPI}?enhed=JSY'" in definitions
    assert "enhed=NOPE" not in unknown and f"href='/kpi/{KPI}'" in unknown
    assert f"href='/definitioner?enhed=JSY-02#{KPI}'" in kpi_page


# ---- "Alle teams": every team under a unit, named with its afdeling ---------------------


@pytest.fixture(scope="module")
def services(dash_app) -> Services:
    return dash_app._msb_services


def latest(services: Services, kpi_id: str) -> date:
    return services.default_period(kpi_id, Grain.month)


def test_alle_teams_lists_every_team_under_a_driftsomraade_with_its_afdeling(services):
    org = services.org
    result = services.benchmark(KPI, "JSY", Grain.month, latest(services, KPI), teams=True)
    teams = {u for u in org.descendants("JSY") if not org.children(u)}
    assert set(result.frame["unit_id"]) == teams and len(teams) > 3
    for row in result.frame.itertuples():
        assert row.unit_name == f"{org.name(row.unit_id)} ({org.name(org.parent(row.unit_id))})"
    shown = result.frame.dropna(subset=["value"])["value"].tolist()
    assert shown == sorted(shown), "lower is better: the best team comes first"


def _agreement(services: Services, kpi_id: str, unit: str, period: date) -> tuple[int, int]:
    """Compare "Alle teams" with each afdeling's own benchmark; (teams, hidden teams)."""
    org = services.org
    teams = services.benchmark(kpi_id, unit, Grain.month, period, teams=True).frame
    per_team = {}
    for afdeling in {org.parent(u) for u in teams["unit_id"]}:
        for row in services.benchmark(kpi_id, afdeling, Grain.month, period).frame.itertuples():
            per_team[row.unit_id] = row
    decision = services.suppression(kpi_id)
    hidden = 0
    for row in teams.itertuples():
        other = per_team[row.unit_id]
        assert row.suppressed == other.suppressed, (kpi_id, row.unit_id)
        if row.suppressed:
            hidden += 1
            assert math.isnan(row.value), (kpi_id, row.unit_id, "a hidden figure was shown")
        else:
            assert row.value == pytest.approx(other.value, nan_ok=True), (kpi_id, row.unit_id)
        assert row.suppressed == decision.hides(Grain.month, row.unit_id, period)
    return len(teams), hidden


def test_alle_teams_agrees_with_each_afdelings_benchmark_and_hides_the_same(services):
    compared = hidden = 0
    for kpi in services.catalogue.kpis:
        period = latest(services, kpi.id)
        for unit in services.org.children(services.org.root):
            found, hid = _agreement(services, kpi.id, unit, period)
            compared, hidden = compared + found, hidden + hid
    assert compared > 100
    assert hidden > 0, "the demo must hold hidden teams for this test to mean something"


def test_a_hidden_team_is_drawn_as_fewer_than_min_n_never_as_a_value(services):
    for kpi in services.catalogue.kpis:
        if not kpi.min_n:
            continue
        period = latest(services, kpi.id)
        for unit in services.org.children(services.org.root):
            result = services.benchmark(kpi.id, unit, Grain.month, period, teams=True)
            hidden = result.frame[result.frame["suppressed"]]
            if hidden.empty:
                continue
            figure = as_graph_object(
                benchmark_figure(
                    result.frame, kpi.format.value, kpi.direction.value, "x", None, None, kpi.min_n
                )
            )
            drawn = {y for trace in figure.data if trace.type == "bar" for y in trace.y}
            blanks = [t for t in figure.data if t.type == "scatter"]
            assert not drawn & set(hidden["unit_id"])
            texts = dict(zip(blanks[0].y, blanks[0].text, strict=True))
            assert all(texts[u] == f"<{kpi.min_n}" for u in hidden["unit_id"])
            return
    pytest.fail("no KPI in the demo has a hidden team")


def test_a_team_chosen_alone_stands_among_its_afdelings_teams(services):
    org = services.org
    team = next(u for u in org.descendants("JSY") if not org.children(u))
    result = services.benchmark(KPI, team, Grain.month, latest(services, KPI), teams=True)
    assert result.parent == org.parent(team)
    assert set(result.frame["unit_id"]) == set(org.children(org.parent(team)))


def test_the_mode_is_kept_in_the_address():
    from components.view import View, params_from_search, view_from_params

    view = View("JSY", Grain.month, teams=True)
    assert "sammenlign=teams" in view.query()
    again = view_from_params(params_from_search(view.query()), {"JSY"}, "JSY", Grain.quarter)
    assert again.teams and not again.siblings
