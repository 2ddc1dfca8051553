"""The running quarter and year: named as incomplete and compared like for like.

The demo's data ends in October 2026, so the fourth quarter of 2026 holds October alone
and the year 2026 holds January–October. Expected numbers are computed here by hand
with pandas over the raw demo rows, not with the compiler or the test oracle.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from flask import Flask
from flask_caching import Cache

from components.formatting import format_delta, format_value
from components.kpi_state import partial_target
from components.sentences import NOT_YET, PRO_RATED, WHOLE, target_sentence, trend_sentence
from components.services import Services
from queries.catalogue.models import Grain
from queries.partial import Coverage, coverage, latest_complete, like_for_like
from tests.oracle import descendants
from tests.test_callbacks import lens, state

RATIO = "afgang_job_uddannelse"  # distinct citizens to job or education / all who left
COUNT = "underretninger_antal"  # notifications received; no target, no own sentence
Q4 = Coverage(date(2026, 10, 1), Grain.quarter, date(2026, 10, 1))
YEAR = Coverage(date(2026, 1, 1), Grain.year, date(2026, 10, 1))


def services_for(warehouse) -> Services:
    return Services(warehouse, Cache(Flask(__name__), config={"CACHE_TYPE": "SimpleCache"}))


def rows_below(frames, table: str, unit: str, column: str, start: str, end: str) -> pd.DataFrame:
    facts = frames[table]
    when = pd.to_datetime(facts[column])
    below = descendants(frames["dim_org"])[unit]
    return facts[facts["org_id"].isin(below) & (when >= start) & (when < end)]


def exits_to_work(frames, unit: str, start: str, end: str) -> tuple[float, int]:
    """(share of citizens who left for job or education, citizens who left) by hand."""
    rows = rows_below(frames, "fact_afgang", unit, "afgangsdato", start, end)
    left = rows["borger_id"].nunique()
    to_work = rows[rows["afgang_til"].isin(["job", "uddannelse"])]["borger_id"].nunique()
    return to_work / left, left


def notifications(frames, unit: str, start: str, end: str) -> int:
    return len(rows_below(frames, "fact_underretning", unit, "modtaget_tid", start, end))


# ---- the arithmetic of coverage -----------------------------------------------------


def test_coverage_of_running_and_complete_periods():
    through = date(2026, 10, 1)
    assert coverage(date(2026, 10, 1), Grain.quarter, through) == Q4
    assert Q4.months == 1 and Q4.window() == (date(2026, 10, 1), date(2026, 11, 1))
    assert Q4.last_year_window() == (date(2025, 10, 1), date(2025, 11, 1))
    assert YEAR.months == 10 and YEAR.last_year_window() == (date(2025, 1, 1), date(2025, 11, 1))
    assert coverage(date(2026, 7, 1), Grain.quarter, through) is None  # complete
    assert coverage(date(2026, 10, 1), Grain.month, through) is None  # a month is whole
    assert coverage(date(2026, 1, 1), Grain.year, date(2026, 12, 1)) is None
    assert latest_complete(date(2026, 10, 1), Grain.quarter, through) == date(2026, 7, 1)
    assert latest_complete(date(2026, 1, 1), Grain.year, through) == date(2025, 1, 1)
    assert latest_complete(date(2026, 10, 1), Grain.month, through) == date(2026, 10, 1)


def test_targets_of_a_running_period_are_pro_rated_or_not_compared(catalogue):
    count = catalogue.kpi(COUNT).model_copy(update={"target": catalogue.kpi(RATIO).target})
    assert partial_target(count, 1200.0, YEAR) == (pytest.approx(1000.0), PRO_RATED)
    assert partial_target(count, 1200.0, None) == (1200.0, WHOLE)
    # a distinct count over ten months is not ten twelfths of the year's
    assert partial_target(catalogue.kpi("anbragte_boern"), 360.0, YEAR) == (None, NOT_YET)
    # levels hold for any number of months: a ratio, an average, an average month
    for kpi_id in (RATIO, "sagsbehandlingstid", "fuldtidspersoner"):
        assert partial_target(catalogue.kpi(kpi_id), 0.5, YEAR) == (0.5, WHOLE)


def test_sentences_name_the_running_period_and_the_same_months_last_year():
    text = trend_sentence(
        "Modtagne underretninger", "BFF", "number", "lower_is_better", "year",
        date(2026, 1, 1), 900.0, 1000.0, 1000.0, part=YEAR, target_rule=PRO_RATED,
    )  # fmt: skip
    assert text == (
        "I 2026 til og med oktober var der 900 modtagne underretninger i BFF, 100 færre end "
        "i januar–oktober 2025 og 100 bedre end målet (omregnet til 10 af 12 måneder)."
    )
    own = trend_sentence(
        "Modtagne underretninger", "BFF", "number", "lower_is_better", "year",
        date(2026, 1, 1), 900.0, None, None, part=YEAR, target_rule=PRO_RATED, own_goal=850.0,
    )  # fmt: skip
    assert own.endswith("50 dårligere end enhedens eget mål (omregnet til 10 af 12 måneder).")
    held_back = trend_sentence(
        "Anbragte børn og unge", "BFF", "number", "lower_is_better", "year",
        date(2026, 1, 1), 300.0, None, None, part=YEAR, target_rule=NOT_YET, own_goal=280.0,
    )  # fmt: skip
    assert "eget mål" not in held_back and "kan ikke sammenlignes endnu" in held_back
    grid = target_sentence("Anbragte børn og unge", "number", "year", date(2026, 1, 1), {}, YEAR,
                           NOT_YET)  # fmt: skip
    assert grid == (
        "2026 til og med oktober er ikke slut, så anbragte børn og unge kan ikke "
        "sammenlignes med målet endnu."
    )


# ---- like for like, live in the database -----------------------------------------------


@pytest.mark.parametrize("closure", ["tree in memory", "recursive in the database"])
@pytest.mark.parametrize("fixture", ["duckdb_warehouse", "postgres_warehouse"])
def test_like_for_like_equals_a_count_by_hand(request, fixture, closure, frames):
    warehouse = request.getfixturevalue(fixture)
    org = warehouse.org if closure == "tree in memory" else None
    kpi = warehouse.catalogue.kpi(RATIO)
    found = like_for_like(
        warehouse.engine, warehouse.catalogue, kpi, ["MSB", "UJU"], Q4, warehouse.sql_dir, org
    )
    for unit in ("MSB", "UJU"):
        now, n_now = exits_to_work(frames, unit, "2026-10-01", "2026-11-01")
        then, n_then = exits_to_work(frames, unit, "2025-10-01", "2025-11-01")
        assert n_now >= kpi.min_n and n_then >= kpi.min_n  # both shown
        assert found[unit].value == pytest.approx(now)
        assert found[unit].last_year == pytest.approx(then)
        assert (found[unit].n, found[unit].last_year_n) == (n_now, n_then)

    counted = warehouse.catalogue.kpi(COUNT)
    year = like_for_like(
        warehouse.engine, warehouse.catalogue, counted, ["BFF"], YEAR, warehouse.sql_dir, org
    )["BFF"]
    assert year.value == notifications(frames, "BFF", "2026-01-01", "2026-11-01")
    assert year.last_year == notifications(frames, "BFF", "2025-01-01", "2025-11-01")


def test_like_for_like_hides_figures_with_too_few_behind_them(duckdb_warehouse, frames):
    kpi = duckdb_warehouse.catalogue.kpi(RATIO)
    below = descendants(frames["dim_org"])
    teams = [u for u in duckdb_warehouse.org.units if len(below[u]) == 1 and u.startswith("UJU")]
    w = duckdb_warehouse
    found = like_for_like(w.engine, w.catalogue, kpi, teams, Q4, w.sql_dir, w.org)
    small = [t for t in teams if 0 < exits_to_work_n(frames, t) < kpi.min_n]
    assert small, "the demo should have a team with fewer than min_n exits in October 2025"
    for team in small:
        assert pd.isna(found[team].last_year)


def exits_to_work_n(frames, unit: str) -> int:
    rows = rows_below(frames, "fact_afgang", unit, "afgangsdato", "2025-10-01", "2025-11-01")
    return rows["borger_id"].nunique()


# ---- the lenses on the demo ----------------------------------------------------------


def test_running_quarter_chart_and_sentence(dash_app, frames):
    draw = lens(dash_app, "components.lens_trend", "draw")
    figure, sentence = draw(state("?enhed=MSB&interval=kvartal&periode=2026-K4", RATIO))
    sentence = sentence.replace("\xa0", " ")  # kept together on screen, read as words here
    now, _ = exits_to_work(frames, "MSB", "2026-10-01", "2026-11-01")
    then, _ = exits_to_work(frames, "MSB", "2025-10-01", "2025-11-01")

    running = [t for t in figure.data if t.name and "til og med oktober" in t.name]
    assert len(running) == 1 and running[0].marker.color == "white"  # a hollow point
    assert running[0].y[-1] == pytest.approx(now)
    assert str(running[0].x[-1])[:10] == "2026-10-01"
    assert running[0].customdata[-1][0] == "2026-10-01"  # clickable like the others
    whole = next(t for t in figure.data if t.name == "MSB – Sociale Forhold og Beskæftigelse")
    assert whole.y[-1] is None  # the whole-period line stops at the last whole quarter
    last_year = next(t for t in figure.data if t.name == "Samme periode sidste år")
    assert last_year.y[-1] == pytest.approx(then)  # October 2025 alone, not the quarter
    assert "(oktober 2025)" in last_year.customdata[-1][1]
    assert [a.text for a in figure.layout.annotations] == ["til og med oktober"]

    assert "I 4. kvartal 2026 til og med oktober lå" in sentence
    difference = format_delta(now - then, "percent", signed=False)
    direction = "højere" if now > then else "lavere"
    assert f"{difference} {direction} end i oktober 2025" in sentence
    assert format_value(now, "percent").replace("\xa0", " ") in sentence


def test_running_year_sentence_compares_january_to_october(dash_app, frames):
    draw = lens(dash_app, "components.lens_trend", "draw")
    figure, sentence = draw(state("?enhed=BFF&interval=aar&periode=2026", COUNT))
    sentence = sentence.replace("\xa0", " ")
    now = notifications(frames, "BFF", "2026-01-01", "2026-11-01")
    then = notifications(frames, "BFF", "2025-01-01", "2025-11-01")
    assert now != then
    assert sentence.startswith("I 2026 til og med oktober var der ")
    assert " modtagne underretninger i Børn og Familier, " in sentence
    difference = format_delta(now - then, "number", signed=False)
    assert f"{difference} {'flere' if now > then else 'færre'} end i januar–oktober 2025" in (
        sentence
    )
    last_year = next(t for t in figure.data if t.name == "Samme periode sidste år")
    assert last_year.y[-1] == then


def test_target_grid_names_the_running_period(dash_app):
    draw = lens(dash_app, "components.lens_target", "draw")
    rows, sentence = draw(state("?enhed=BFF&interval=aar&periode=2026", "anbragte_boern"))
    assert "2026 til og med oktober" in sentence and "kan ikke sammenlignes" in sentence
    by_unit = {row["unit_id"]: row for row in rows}
    assert by_unit["BFF"]["maal"] is None  # not compared with a whole year's target
    assert by_unit["BFF"]["status"] == "Kan ikke sammenlignes endnu"
    assert by_unit["BFF"]["bevaegelse"] is None  # ten months against twelve says nothing
    _, whole = draw(state("?enhed=BFF&interval=aar&periode=2025", "anbragte_boern"))
    assert "til og med" not in whole and "I 2025 var" in whole


def test_ratio_grid_in_a_running_quarter_keeps_its_target_and_movement(dash_app):
    draw = lens(dash_app, "components.lens_target", "draw")
    rows, sentence = draw(state("?enhed=MSB&interval=kvartal&periode=2026-K4", RATIO))
    assert sentence.startswith("I 4. kvartal 2026 til og med oktober var")
    msb = next(row for row in rows if row["unit_id"] == "MSB")
    assert msb["maal"] == pytest.approx(0.55) and msb["bevaegelse"] is not None


# ---- the default period and the picker -------------------------------------------------


def picker_of(services: Services, kpi_id: str, interval: str) -> dict:
    from components.picker import PERIOD
    from pages.kpi import layout_for

    found = {}

    def walk(component) -> None:
        if getattr(component, "id", None) == PERIOD:
            found.update(value=component.value, options=component.options)
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(layout_for(services)(kpi_id=kpi_id, interval=interval))
    return found


def periods_with_data(frames, kpi, grain: Grain) -> list[str]:
    """Every period of the grain in which the KPI has rows, by hand."""
    from queries.compiler.periods import period_param
    from tests.oracle import floor, mask

    facts = frames[kpi.source]
    facts = facts[mask(facts, kpi.filters) & facts[kpi.time.column].notna()]
    starts = sorted(set(floor(facts[kpi.time.column], grain).dt.date))
    return [period_param(p, grain) for p in reversed(starts)]


@pytest.mark.parametrize("grain", list(Grain))
def test_picker_offers_exactly_the_periods_with_data(duckdb_warehouse, frames, grain):
    from components.view import GRAIN_PARAM

    services = services_for(duckdb_warehouse)
    for kpi in services.catalogue.kpis:
        picker = picker_of(services, kpi.id, GRAIN_PARAM[grain])
        offered = [option["value"] for option in picker["options"]]
        assert offered == periods_with_data(frames, kpi, grain), kpi.id


def test_default_period_is_the_latest_complete_one(duckdb_warehouse):
    services = services_for(duckdb_warehouse)
    assert picker_of(services, RATIO, "maaned")["value"] == "2026-10"
    quarter = picker_of(services, RATIO, "kvartal")
    assert quarter["value"] == "2026-K3"
    assert quarter["options"][0] == {
        "label": "4. kvartal 2026 til og med oktober",
        "value": "2026-K4",
    }  # the running quarter one click away
    year = picker_of(services, RATIO, "aar")
    assert year["value"] == "2025"
    assert year["options"][0]["label"] == "2026 til og med oktober"


def test_benchmark_names_the_running_period(dash_app):
    draw = lens(dash_app, "components.lens_benchmark", "draw")
    _, sentence = draw(state("?enhed=MSB&interval=kvartal&periode=2026-K4", RATIO))
    assert sentence.startswith("I 4. kvartal 2026 til og med oktober ")
    _, whole = draw(state("?enhed=MSB&interval=kvartal&periode=2026-K3", RATIO))
    assert whole.startswith("I 3. kvartal 2026 ") and "til og med" not in whole


def test_like_for_like_and_data_range_parse_as_tsql(duckdb_warehouse):
    """SQL Server cannot run here: the two new queries are compiled for it and parsed."""
    import sqlglot
    from sqlglot import exp

    from queries.data_range import range_select
    from queries.explain import dialect_named
    from queries.partial import like_for_like_selects

    mssql = dialect_named("mssql")
    warehouse = duckdb_warehouse
    for kpi in warehouse.catalogue.kpis:
        selects = like_for_like_selects(
            warehouse.catalogue, kpi, ["MSB", "BFF"], YEAR, warehouse.sql_dir, warehouse.org
        )
        for query in (*selects, range_select(kpi)):
            sql = str(query.compile(dialect=mssql, compile_kwargs={"render_postcompile": True}))
            parsed = sqlglot.parse_one(sql, read="tsql")
            assert isinstance(parsed, exp.Select), kpi.id
            # The tree in memory gives the closure: no CTE for SQL Server to recurse in.
            assert not list(parsed.find_all(exp.CTE)), kpi.id
