"""Finding the way: Start her and Data-landskabet as pages of the real app on the demo
warehouse (DuckDB), the sources' freshness states, and unit names that say where they sit
when the name is repeated in the organisation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from components.breadcrumb import breadcrumb
from components.freshness import freshness_for
from components.view import View
from pages.datalandskab import FRESH, OLD, UNKNOWN, source_rows
from pages.start import START_UNIT
from queries.catalogue.models import Grain
from tests.test_callbacks import text_of
from tests.test_help import _jsontext_of, _props
from tests.test_http import payload

SAG = "sagsbehandlingstid"  # cases in every driftsområde, Bo- og Dagtilbud too


def page(dash_app, client, path: str, search: str = "") -> dict:
    client.get("/")  # the first request registers the pages' router callback
    body = payload(dash_app, "_pages_content", "children", [path, search], [])
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    return response.get_json()


def links(tree) -> dict[str, str]:
    """{text: href} of every link in a JSON layout."""
    return {_jsontext_of(p.get("children")): p["href"] for p in _props(tree) if p.get("href")}


# ---- Start her -----------------------------------------------------------------------------


def test_start_her_asks_the_first_question_and_keeps_the_unit(dash_app, signed_in_client):
    tree = page(dash_app, signed_in_client, "/start", "?enhed=JSY")
    assert "Hvad vil du gerne?" in _jsontext_of(tree)
    picker = next(p for p in _props(tree) if p.get("id") == START_UNIT)
    assert picker["value"] == "JSY"
    found = links(tree)
    goal = next(href for words, href in found.items() if words.startswith("Vil du sætte mål?"))
    assert goal == "/start?trin=maal&enhed=JSY"


def test_an_answer_links_to_the_kpi_page_with_its_benchmark_mode(dash_app, signed_in_client):
    tree = page(dash_app, signed_in_client, "/start", "?trin=hvorfor&enhed=JSY")
    found = links(tree)
    worst = next(h for w, h in found.items() if w.startswith("Hvilket team ligger dårligst"))
    assert worst == "/kpi/borgere_sygedagpenge?enhed=JSY&sammenlign=teams"
    assert any(w.startswith("Hvad vil du gerne?") for w in found), "the trail leads back"
    assert "Nøgletal: Borgere på sygedagpenge · alle teams" in _jsontext_of(tree)


def test_choosing_a_unit_on_start_her_keeps_the_step(dash_app, signed_in_client):
    body = payload(dash_app, "nav", "href", ["BFF"], ["?trin=hvorfor&enhed=JSY"], START_UNIT)
    answer = signed_in_client.post("/_dash-update-component", json=body).get_json()
    assert answer["response"]["nav"]["href"] == "/start?trin=hvorfor&enhed=BFF"
    body = payload(dash_app, "nav", "href", ["MSB"], ["?trin=hvorfor&enhed=JSY"], START_UNIT)
    answer = signed_in_client.post("/_dash-update-component", json=body).get_json()
    assert answer["response"]["nav"]["href"] == "/start?trin=hvorfor"


def test_an_unknown_step_gets_a_danish_message(dash_app, signed_in_client):
    text = _jsontext_of(page(dash_app, signed_in_client, "/start", "?trin=findes_ikke"))
    assert "Start her har intet trin ved navn 'findes_ikke'" in text


def test_the_overview_shows_a_new_leader_the_way_to_start_her(dash_app, signed_in_client):
    found = links(page(dash_app, signed_in_client, "/", "?enhed=BFF"))
    assert found["Start her"] == "/start?enhed=BFF"


def test_without_a_tree_start_her_says_so_and_the_overview_does_not_link(
    dash_app, signed_in_client, monkeypatch
):
    catalogue = dash_app._msb_services.catalogue
    tree = catalogue.start_tree
    catalogue.attach_start_tree(None)  # as a catalogue without the file
    try:
        text = _jsontext_of(page(dash_app, signed_in_client, "/start"))
        assert "Der er ikke sat et beslutningstræ op endnu" in text
        assert "Start her" not in links(page(dash_app, signed_in_client, "/", "?enhed=BFF"))
    finally:  # the catalogue is shared by the session's apps
        catalogue.attach_start_tree(tree)


def test_start_her_and_data_landskabet_are_in_the_ledelse_menu(signed_in_client):
    layout = signed_in_client.get("/_dash-layout").get_json()
    found = links(layout)
    assert found.get("Start her") == "/start" and found.get("Data-landskabet") == "/datalandskab"


# ---- Data-landskabet ---------------------------------------------------------------------


def test_data_landskabet_lists_each_source_with_owner_load_and_kpis(dash_app, signed_in_client):
    tree = page(dash_app, signed_in_client, "/datalandskab", "?enhed=JSY")
    text = _jsontext_of(tree)
    described = len(dash_app._msb_services.catalogue.warehouse.sources)
    assert described >= 7
    assert (
        f"{described} kilder ligger bag nøgletallene. Alle er indlæst så ofte som ventet." in text
    )
    for words in ("Underretninger", "Børn og Familier, Modtagelsen", "Hver dag", "Opdateret"):
        assert words in text, words
    found = links(tree)
    assert found["Underretninger vurderet inden for 24 timer"] == (
        "/kpi/underretninger_24_timer?enhed=JSY"
    )
    statuses = [p["data-status"] for p in _props(tree) if "data-status" in p]
    assert statuses == [FRESH] * described


def test_a_source_older_than_its_cadence_is_amber_and_a_missing_one_unknown(dash_app):
    services = dash_app._msb_services
    loaded = services.load_times()
    newest = max(loaded.values())  # the demo is judged at its own newest load
    times = {
        **loaded,
        "fact_underretning": newest - timedelta(days=2),  # loaded daily: two days is late
        "fact_ydelse": newest - timedelta(days=6),  # weekly: six days is in time
        "fact_afgang": newest - timedelta(days=30),  # every 31 days: in time
    }
    times.pop("fact_fravaer")
    rows = {row.name: row for row in source_rows(services, times, newest)}
    assert rows["fact_underretning"].status == OLD
    assert "mindst hver 1. dag" in rows["fact_underretning"].reason
    assert rows["fact_ydelse"].status == FRESH and rows["fact_afgang"].status == FRESH
    assert rows["fact_fravaer"].status == UNKNOWN
    assert rows["fact_fravaer"].reason == "Kilden står ikke i indlæsningsloggen."
    assert [k.id for k in rows["fact_underretning"].kpis] == [
        "underretninger_24_timer",
        "underretninger_antal",
    ]
    away = source_rows(services, None, newest)
    assert {row.status for row in away} == {UNKNOWN}
    assert away[0].reason == "Datavarehuset svarer ikke lige nu."


def test_the_freshness_badge_uses_the_source_s_own_cadence(dash_app, monkeypatch):
    services = dash_app._msb_services
    loaded = services.load_times()
    newest = max(loaded.values())
    late = {**loaded, "fact_underretning": newest - timedelta(days=2)}
    monkeypatch.setattr(services, "load_times", lambda: late)
    kpi = services.catalogue.kpi("underretninger_24_timer")
    assert freshness_for(services, kpi).old  # daily source, two days old
    weekly = {**loaded, "fact_sag": newest - timedelta(days=2)}
    monkeypatch.setattr(services, "load_times", lambda: weekly)
    assert not freshness_for(services, services.catalogue.kpi(SAG)).old


# ---- names that say where they sit ---------------------------------------------------------


@pytest.fixture(scope="module")
def repeated(duckdb_warehouse) -> tuple[str, str]:
    """(afdeling, team) of the demo that share a name: "Botilbud Nord" is both."""
    org = duckdb_warehouse.org
    by_name: dict[str, list[str]] = {}
    for unit in org.units.values():
        by_name.setdefault(unit.name, []).append(unit.id)
    pairs = [ids for ids in by_name.values() if len(ids) > 1]
    assert pairs, "the demo organisation has a repeated name"
    afdeling, team = sorted(pairs[0], key=org.depth)
    return afdeling, team


def test_a_repeated_name_carries_its_place_and_others_stay_plain(duckdb_warehouse, repeated):
    org = duckdb_warehouse.org
    afdeling, team = repeated
    name = org.name(afdeling)
    omraade = org.name(org.parent(afdeling))
    assert org.label(afdeling) == f"{name} ({omraade})"
    assert org.label(team) == f"{name} ({omraade} › {name})"
    plain = [u for u in org.units if org.name(u) != name]
    assert all(org.label(u) == org.name(u) for u in plain)


def test_benchmark_target_grid_and_breadcrumb_use_the_labels(dash_app, repeated):
    services = dash_app._msb_services
    org = services.org
    afdeling, team = repeated
    period = services.default_period(SAG, Grain.month)
    children = services.benchmark(SAG, org.parent(afdeling), Grain.month, period, False)
    assert org.label(afdeling) in children.frame["unit_name"].tolist()
    teams = services.benchmark(SAG, afdeling, Grain.month, period, False)
    assert org.label(team) in teams.frame["unit_name"].tolist()
    grid = services.targets(SAG, Grain.month, period).frame.set_index("unit_id")
    assert grid.loc[afdeling, "unit_name"] == org.label(afdeling)
    assert grid.loc[team, "unit_name"] == org.label(team)
    crumbs = breadcrumb(org, View(unit=team, grain=Grain.month), f"/kpi/{SAG}")
    assert org.label(team) in text_of(crumbs)
