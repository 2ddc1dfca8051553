"""Ledelsesoverblik shows a unit the KPIs of its own work, and says which it leaves out."""

from __future__ import annotations

import json

import plotly
from flask import Flask
from flask_caching import Cache

from components.services import Services
from pages.home import grouped_cards


def text_of(components) -> str:
    return json.dumps(components, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def services_for(warehouse) -> Services:
    return Services(warehouse, Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}))


def test_a_unit_sees_only_kpis_with_rows_of_its_own(duckdb_warehouse):
    text = text_of(grouped_cards(services_for(duckdb_warehouse), "BFF"))
    assert "Anbragte børn og unge" in text  # BFF's own work
    assert "/kpi/sygedagpenge_over_22_uger" not in text  # JSY's work: no card
    assert "har ingen data for Børn og Familier og er ikke vist" in text
    assert "sygedagpengeforløb over 22 uger" in text  # named in the note


def test_the_whole_organisation_sees_every_kpi(duckdb_warehouse):
    services = services_for(duckdb_warehouse)
    text = text_of(grouped_cards(services, services.org.root))
    assert all(f"/kpi/{kpi.id}?" in text for kpi in services.catalogue.kpis)
    assert "er ikke vist" not in text
