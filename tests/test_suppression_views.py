"""The one suppression decision reaches the card, the target grid and the list sentence.

The cells used here are hidden by the secondary rule only (enough citizens of their
own), so the old per-view rule would have shown them in these views."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from flask import Flask
from flask_caching import Cache

from components.formatting import format_count
from components.kpi_card import kpi_card
from components.lens_target import rows_for
from components.services import Services
from queries.catalogue.models import Grain
from queries.compiler.periods import next_period
from queries.scope import Scope
from tests.test_callbacks import lens, state, text_of


@pytest.fixture(scope="module")
def services(duckdb_warehouse) -> Services:
    cache = Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"})
    return Services(duckdb_warehouse, cache)


def secondary_cells(services: Services, grain: Grain, pick) -> list[tuple]:
    """(kpi, unit, period) hidden by the secondary rule alone, where pick(...) holds."""
    found = []
    for kpi in services.catalogue.kpis:
        decision = services.suppression(kpi.id)
        latest = services.latest_period(kpi.id, grain)
        if latest is None:
            continue
        for unit in services.org.units:
            if pick(decision, kpi, unit, latest):
                found.append((kpi, unit, latest))
    return found


def only_secondary(decision, grain, unit, period) -> bool:
    return decision.hides(grain, unit, period) and (
        (grain, unit, pd.Timestamp(period)) not in decision.primary
    )


def test_a_card_shows_neither_a_hidden_figure_nor_a_change_from_one(services):
    def pick(decision, kpi, unit, latest):
        return kpi.time.grain is Grain.month and only_secondary(decision, Grain.month, unit, latest)

    cells = secondary_cells(services, Grain.month, pick)
    assert cells, "the demo should have figures hidden by the secondary rule"
    for kpi, unit, _ in cells[:10]:
        card = text_of(kpi_card(services, kpi, unit))
        assert f"<{kpi.min_n}" in card and "siden forrige periode" not in card, (kpi.id, unit)
        assert "skjult" in card  # the headline sentence says why, without the figure


def test_movement_is_not_shown_when_the_previous_figure_is_hidden(services):
    checked = 0
    for kpi in services.catalogue.kpis:
        if kpi.target is None or not kpi.min_n:
            continue
        decision = services.suppression(kpi.id)
        latest = services.latest_period(kpi.id, Grain.quarter)
        before = next_period(latest, Grain.quarter, -1)
        result = services.targets(kpi.id, Grain.quarter, latest)
        rows = {row["unit_id"]: row for row in rows_for(result, kpi, kpi.target.tolerance)}
        for unit, row in rows.items():
            if decision.hides(Grain.quarter, unit, before):
                assert row["bevaegelse"] is None and row["bevaegelse_tekst"] == "–", (kpi.id, unit)
                checked += 1
            if decision.hides(Grain.quarter, unit, latest):
                assert row["vaerdi"] is None and row["vaerdi_tekst"] == f"<{kpi.min_n}"
                assert row["afvigelse"] is None and row["afvigelse_tekst"] == "–"
    assert checked, "the demo should have a hidden previous quarter"


def test_the_list_sentence_keeps_a_hidden_count_to_itself(dash_app, services):
    columns = lens(dash_app, "components.lens_list", "columns")

    def pick(decision, kpi, unit, latest):
        return kpi.list is not None and only_secondary(decision, Grain.month, unit, latest)

    cells = secondary_cells(services, Grain.month, pick)
    assert cells
    for kpi, unit, latest in cells[:5]:
        query = f"?enhed={unit}&interval=maaned&periode={latest:%Y-%m}"
        _, sentence = columns(state(query, kpi.id))[:2]
        text = text_of(sentence)
        total = services.warehouse.list_page(
            kpi.id, unit, Grain.month, latest, Scope.everything(), limit=1
        ).total
        assert total > 0 and "skjult" in text, text
        assert not re.search(rf"\b{re.escape(format_count(total))}\b", text.replace("2026", ""))


def test_list_sentence_for_a_hidden_figure_names_no_count():
    from datetime import date

    from components.sentences import list_sentence

    text = list_sentence(
        3, "Team Nord", "month", date(2026, 10, 1), False, "sag", "sager", hidden=True
    )
    assert text == (
        "Tallet for Team Nord i oktober 2026 er skjult, fordi der er for få borgere bag det; "
        "derfor nævnes antallet af sager ikke."
    )
