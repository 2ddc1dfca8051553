"""Help where a leader needs it: the Hjælp page, "Hvad betyder tallet?" and the freshness
badge, on the real demo warehouse (DuckDB) and the real app."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

import dash
import pytest
from flask import Flask
from flask_caching import Cache

from components.freshness import OLD, freshness_for, freshness_of
from components.meaning import meaning, meaning_rows
from components.services import Services
from pages.help import SECTIONS
from queries.catalogue.models import SourceSql
from queries.engine import create_warehouse_engine
from queries.warehouse import Warehouse
from tests.conftest import viewing_as
from tests.test_callbacks import text_of
from tests.test_http import payload

KPI = "sygedagpenge_over_22_uger"
DEAD = "postgresql+psycopg://postgres@127.0.0.1:1/test"
SQL_WORDS = re.compile(r"\b(SELECT|FROM)\b")


# ---- Hjælp -------------------------------------------------------------------------------


def test_the_help_page_renders_every_section_for_a_signed_in_viewer(dash_app, signed_in_client):
    signed_in_client.get("/")  # the first request registers the pages' router callback
    body = payload(dash_app, "_pages_content", "children", ["/hjaelp", ""], [])
    response = signed_in_client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    tree = response.get_json()
    headings = {p["id"]: _jsontext_of(p["children"]) for p in _props(tree) if p.get("id")}
    for ident, heading, _ in SECTIONS:
        assert headings.get(ident) == heading
    page = _jsontext_of(tree)
    for words in ("Alle teams", "<5", "Vis borgerne", "inden for tolerancen", "indlæst"):
        assert words in page, words
    assert SQL_WORDS.search(page) is None


def _props(node):
    """Every component's props in a JSON layout."""
    if isinstance(node, list):
        for item in node:
            yield from _props(item)
    elif isinstance(node, dict):
        if "props" in node and "type" in node:
            yield node["props"]
        for value in node.values():
            yield from _props(value)


def _jsontext_of(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return " ".join(_jsontext_of(n) for n in node)
    if isinstance(node, dict):
        return (
            _jsontext_of(node.get("props", {}).get("children"))
            if "props" in node
            else " ".join(_jsontext_of(v) for v in node.values())
        )
    return ""


def test_hjaelp_is_in_the_top_menu(signed_in_client):
    layout = signed_in_client.get("/_dash-layout").get_json()
    links = {p.get("href"): _jsontext_of(p.get("children")) for p in _props(layout)}
    assert links.get("/hjaelp") == "Hjælp"


def test_the_help_page_answers_over_http(signed_in_client):
    response = signed_in_client.get("/hjaelp")
    assert response.status_code == 200 and '<html lang="da">' in response.get_data(as_text=True)


# ---- Hvad betyder tallet? ----------------------------------------------------------------


def test_every_kpi_is_explained_in_words_without_sql(catalogue):
    for kpi in catalogue.kpis:
        shown = text_of(meaning(kpi, f"/definitioner#{kpi.id}"))
        assert kpi.description in shown, kpi.id
        assert "Hvad betyder tallet?" in shown
        assert kpi.time.column in shown  # what dates a row
        assert SQL_WORDS.search(shown) is None, (kpi.id, shown)
        labels = [label for label, _ in meaning_rows(kpi)]
        assert labels[:4] == ["Hvad viser det", "Det tælles", "Tid", "Enhed"]


def test_the_explanation_links_to_the_definition(catalogue):
    kpi = catalogue.kpi(KPI)
    fold = meaning(kpi, f"/definitioner?enhed=JSY#{KPI}")
    links = [c for c in fold.children[1].children if getattr(c, "href", None)]
    assert [link.href for link in links] == [f"/definitioner?enhed=JSY#{KPI}"]


def test_the_kpi_page_carries_the_explanation_and_the_badge(dash_app):
    layout = dash.page_registry["kpi"]["layout"]
    with viewing_as(dash_app):
        page = layout(kpi_id=KPI, enhed="JSY")
    shown = text_of(page)
    assert "Hvad betyder tallet?" in shown
    assert re.search(r"Data til og med \d+\. \w+\.? 20\d\d · indlæst \d+\. \w+\.? 20\d\d", shown)


# ---- the freshness badge -----------------------------------------------------------------


@pytest.fixture
def services(duckdb_warehouse):
    warehouse = Warehouse(duckdb_warehouse.engine, duckdb_warehouse.catalogue)
    return Services(warehouse, Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}))


def _loaded(services: Services, kpi_id: str) -> datetime:
    kpi = services.catalogue.kpi(kpi_id)
    source = kpi.source.sql if isinstance(kpi.source, SourceSql) else kpi.source
    return services.warehouse.load_times()[source]


def test_the_badge_is_fresh_within_the_cadence(services):
    loaded = _loaded(services, KPI)
    through = services.data_range(KPI)[1]
    found = freshness_for(services, services.catalogue.kpi(KPI), now=loaded + timedelta(days=1))
    assert not found.old and found.reason == ""
    assert found.text.startswith("Data til og med ")
    assert str(through.year) in found.text and f"{loaded.day}. " in found.text
    assert " · indlæst " in found.text


def test_the_demo_is_judged_by_its_own_load_day_not_by_today(services):
    """The demo warehouse is one fixed day's load; it must not look overdue forever."""
    demo = replace(services, demo=True)
    kpi = services.catalogue.kpi(KPI)
    months_later = _loaded(services, KPI) + timedelta(days=120)
    assert not freshness_for(demo, kpi, now=months_later).old
    assert freshness_for(services, kpi, now=months_later).old  # a real warehouse would be


def test_the_badge_turns_amber_after_the_cadence(services):
    refresh = services.catalogue.warehouse.load_log.refresh_days
    assert refresh == 7  # the default: the demo catalogue does not set it
    loaded = _loaded(services, KPI)
    kpi = services.catalogue.kpi(KPI)
    just = freshness_for(services, kpi, now=loaded + timedelta(days=refresh, hours=-1))
    late = freshness_for(services, kpi, now=loaded + timedelta(days=refresh + 3))
    assert not just.old
    assert late.old and late.text == just.text
    assert f"hver {refresh}. dag" in late.reason and f"{refresh + 3} dage" in late.reason


def test_the_badge_says_may_be_old_when_the_warehouse_is_down(services):
    kpi = services.catalogue.kpi(KPI)
    services.data_version()
    services.data_range(KPI)  # cached before the outage, as a running app has it
    services.warehouse.engine = create_warehouse_engine(DEAD, timeout_s=2)
    services._version = (0.0, services._version[1])  # the minute has passed: ask again
    services.data_version()
    assert services.stale
    found = freshness_for(services, kpi, now=datetime(2026, 11, 3))
    assert found.old and "svarer ikke" in found.reason
    assert found.text.startswith("Data til og med ")  # the cached range still speaks


def test_the_badge_without_any_warehouse_at_all_says_so(duckdb_warehouse):
    warehouse = Warehouse(create_warehouse_engine(DEAD, timeout_s=2), duckdb_warehouse.catalogue)
    services = Services(warehouse, Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}))
    found = freshness_for(services, duckdb_warehouse.catalogue.kpi(KPI), now=datetime(2026, 11, 3))
    assert found.old and "svarer ikke" in found.reason


def test_the_badge_words_in_danish():
    found = freshness_of(
        datetime(2026, 10, 1).date(), datetime(2026, 11, 2, 6, 0), 7, datetime(2026, 11, 3)
    )
    assert found == type(found)("Data til og med 31. okt. 2026 · indlæst 2. nov. 2026", False)
    late = freshness_of(None, datetime(2026, 11, 2, 6, 0), 7, datetime(2026, 11, 20))
    assert late.old and late.text == "indlæst 2. nov. 2026" and OLD not in late.reason


def test_refresh_days_is_validated(catalogue):
    from pydantic import ValidationError

    from queries.catalogue.models import LoadLog

    assert LoadLog(table="t", source="s", loaded_at="l", refresh_days=1).refresh_days == 1
    with pytest.raises(ValidationError):
        LoadLog(table="t", source="s", loaded_at="l", refresh_days=0)
