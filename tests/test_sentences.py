from datetime import date

import pytest

from components.sentences import (
    benchmark_sentence,
    list_sentence,
    mid_sentence,
    target_sentence,
    template_sentence,
    trend_sentence,
)

OCT = date(2026, 10, 1)
TITLE = "Andel sygedagpengeforløb over 22 uger"


def trend(**overrides):
    arguments = {
        "title": TITLE,
        "unit_name": "BFF",
        "fmt": "percent",
        "direction": "lower_is_better",
        "grain": "month",
        "period": OCT,
        "value": 0.234,
        "last_year": 0.255,
        "target": 0.252,
    }
    return trend_sentence(**{**arguments, **overrides})


def test_trend_sentence_full():
    assert trend() == (
        "I oktober 2026 lå andel sygedagpengeforløb over 22 uger i BFF på 23,4 %, "
        "2,1 procentpoint lavere end i oktober 2025 og 1,8 procentpoint bedre end målet."
    )


def test_trend_sentence_names_the_units_own_goal_after_the_target():
    assert trend(own_goal=0.22) == (
        "I oktober 2026 lå andel sygedagpengeforløb over 22 uger i BFF på 23,4 %, "
        "2,1 procentpoint lavere end i oktober 2025, 1,8 procentpoint bedre end målet og "
        "1,4 procentpoint dårligere end enhedens eget mål."
    )
    assert trend(last_year=None, target=None, own_goal=0.234).endswith(
        "på 23,4 %, på niveau med enhedens eget mål."
    )


def test_trend_sentence_target_follows_direction():
    assert "1,8 procentpoint dårligere end målet" in trend(direction="higher_is_better")
    assert "1,8 procentpoint bedre end målet" in trend(direction="lower_is_better")
    assert "bedre end målet" in trend(direction="higher_is_better", target=0.2)


def test_trend_sentence_equal_at_display_precision():
    assert "på niveau med målet" in trend(target=0.23404)
    assert "på samme niveau som i oktober 2025" in trend(last_year=0.2339)


def test_trend_sentence_omits_missing_clauses():
    only_target = trend(last_year=None)
    assert only_target.endswith("på 23,4 %, 1,8 procentpoint bedre end målet.")
    only_last_year = trend(target=float("nan"))
    assert only_last_year.endswith("på 23,4 %, 2,1 procentpoint lavere end i oktober 2025.")
    assert trend(last_year=None, target=None) == (
        "I oktober 2026 lå andel sygedagpengeforløb over 22 uger i BFF på 23,4 %."
    )


def test_trend_sentence_other_units_and_grains():
    assert trend_sentence(
        "Udbetalt ydelse",
        "JUS",
        "kr",
        "lower_is_better",
        "quarter",
        OCT,
        1_234_567,
        last_year=1_000_000,
        target=1_500_000,
    ) == (
        "I 4. kvartal 2026 lå udbetalt ydelse i JUS på 1,2 mio. kr., 234.567 kr. mere end "
        "i 4. kvartal 2025 og 265.433 kr. bedre end målet."
    )
    assert (
        trend_sentence(
            "Sagsbehandlingstid",
            "UJU",
            "days",
            "lower_is_better",
            "year",
            date(2026, 1, 1),
            23.4,
            last_year=20.9,
        )
        == "I 2026 lå sagsbehandlingstid i UJU på 23,4 dage, 2,5 dage længere end i 2025."
    )


def test_trend_sentence_counts_say_how_many_and_how_many_more():
    assert trend_sentence(
        "Borgere på sygedagpenge",
        "Job og Sygedagpenge",
        "number",
        "lower_is_better",
        "month",
        OCT,
        1667,
        last_year=1571,
    ) == (
        "I oktober 2026 var der 1.667 borgere på sygedagpenge i Job og Sygedagpenge, "
        "96 flere end i oktober 2025."
    )
    fewer = trend_sentence(
        "Modtagne underretninger", "BFF", "number", "lower_is_better", "month", OCT, 90, 100
    )
    assert (
        fewer
        == "I oktober 2026 var der 90 modtagne underretninger i BFF, 10 færre end i oktober 2025."
    )


def test_trend_sentence_suppressed_and_missing():
    assert trend(suppressed=True, min_n=5) == (
        "I oktober 2026 er tallet for andel sygedagpengeforløb over 22 uger i BFF skjult, "
        "fordi der er færre end 5 borgere bag det."
    )
    assert trend(value=None) == (
        "I oktober 2026 er der ingen tal for andel sygedagpengeforløb over 22 uger i BFF."
    )


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Andel borgere", "andel borgere"),
        ("BFF-sager i alt", "BFF-sager i alt"),
        ("UJU aktivitet", "UJU aktivitet"),
        ("A-kasse medlemmer", "a-kasse medlemmer"),
        ("", ""),
    ],
)
def test_mid_sentence(title, expected):
    assert mid_sentence(title) == expected


ROWS = [
    ("Team Nord", 0.123),
    ("Team Syd", 0.31),
    ("Team Øst", None),
    ("Team Vest", 0.2),
    ("Team Midt", float("nan")),
]


def test_benchmark_sentence_lower_is_better():
    assert benchmark_sentence(
        TITLE, "BFF", "percent", "lower_is_better", "month", OCT, ROWS, 0.201, target=0.25
    ) == (
        "I oktober 2026 klarede Team Nord sig bedst af enhederne i BFF med 12,3 %, "
        "og Team Syd klarede sig dårligst med 31,0 %. BFF lå samlet på 20,1 %. "
        "2 af 3 enheder nåede målet. "
        "2 enheder har intet tal, fordi der er for få borgere eller ingen data."
    )


def test_benchmark_sentence_higher_is_better_without_target_or_parent():
    assert benchmark_sentence(
        TITLE, "BFF", "percent", "higher_is_better", "month", OCT, ROWS[:2], None
    ) == (
        "I oktober 2026 klarede Team Syd sig bedst af enhederne i BFF med 31,0 %, "
        "og Team Nord klarede sig dårligst med 12,3 %."
    )


def test_a_count_or_sum_names_the_highest_and_lowest_not_the_best():
    """Spending or a count of citizens grows with the unit: the smallest is not the best."""
    spend = [("Team Nord", 2_500_000.0), ("Team Syd", 900_000.0), ("Team Øst", None)]
    assert benchmark_sentence(
        "Udgifter i alt",
        "BFF",
        "number",
        "lower_is_better",
        "month",
        OCT,
        spend,
        3_400_000.0,
        additive=True,
    ) == (
        "I oktober 2026 havde Team Nord det højeste tal af enhederne i BFF med 2.500.000, "
        "og Team Syd det laveste med 900.000. BFF lå samlet på 3.400.000. "
        "1 enhed har intet tal, fordi der er for få borgere eller ingen data."
    )


def test_benchmark_sentence_edge_cases():
    one = benchmark_sentence(
        TITLE,
        "BFF",
        "percent",
        "higher_is_better",
        "month",
        OCT,
        [("Team Nord", 0.5)],
        None,
        target=0.4,
    )
    assert one == (
        "I oktober 2026 har kun Team Nord et tal blandt enhederne i BFF: 50,0 %. "
        "1 af 1 enhed nåede målet."
    )
    tied = benchmark_sentence(
        TITLE, "BFF", "percent", "higher_is_better", "month", OCT, [("A", 0.5), ("B", 0.5)], None
    )
    assert tied == "I oktober 2026 lå alle 2 enheder i BFF på 50,0 %."
    none = benchmark_sentence(
        TITLE, "BFF", "percent", "higher_is_better", "month", OCT, [("A", None)], None
    )
    assert none == (
        "I oktober 2026 er der ingen enheder i BFF med tal for "
        "andel sygedagpengeforløb over 22 uger."
    )


def test_target_sentence():
    counts = {"better": 12, "within": 3, "worse": 5, "none": 0}
    assert target_sentence(TITLE, "percent", "month", OCT, counts) == (
        "I oktober 2026 var 12 enheder bedre end målet, 3 inden for tolerancen og 5 dårligere."
    )


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"better": 1}, "I oktober 2026 var 1 enhed bedre end målet."),
        ({"worse": 4}, "I oktober 2026 var 4 enheder dårligere end målet."),
        (
            {"within": 2, "worse": 1},
            "I oktober 2026 var 2 enheder inden for tolerancen og 1 dårligere end målet.",
        ),
        (
            {"better": 2, "none": 1},
            "I oktober 2026 var 2 enheder bedre end målet; "
            "1 enhed kan ikke vurderes (intet tal eller intet mål).",
        ),
        (
            {"none": 3},
            "I oktober 2026 kunne ingen enheder måles mod et mål (3 enheder uden tal eller mål).",
        ),
        (
            {},
            "I oktober 2026 er der ingen enheder med tal for "
            "andel sygedagpengeforløb over 22 uger.",
        ),
    ],
)
def test_target_sentence_variants(counts, expected):
    assert target_sentence(TITLE, "percent", "month", OCT, counts) == expected


@pytest.mark.parametrize(
    ("total", "numerator_only", "expected"),
    [
        (1234, False, "Listen viser de 1.234 borgere bag tallet for BFF i oktober 2026."),
        (1, False, "Listen viser 1 borger bag tallet for BFF i oktober 2026."),
        (0, False, "Der er ingen borgere bag tallet for BFF i oktober 2026."),
        (
            230,
            True,
            "Listen viser kun de 230 borgere, der tæller med i andelen for BFF i oktober 2026.",
        ),
        (1, True, "Listen viser kun 1 borger, der tæller med i andelen for BFF i oktober 2026."),
        (0, True, "Ingen borgere tæller med i andelen for BFF i oktober 2026."),
    ],
)
def test_list_sentence(total, numerator_only, expected):
    assert (
        list_sentence(total, "BFF", "month", OCT, numerator_only, "borger", "borgere") == expected
    )


def test_list_sentence_default_noun():
    assert list_sentence(2, "JUS", "year", date(2026, 1, 1), False) == (
        "Listen viser de 2 rækker bag tallet for JUS i 2026."
    )


def test_template_sentence():
    template = "I {periode} havde {enhed} {værdi} sager."
    assert template_sentence(template, "BFF", "number", "month", OCT, 1234) == (
        "I oktober 2026 havde BFF 1.234 sager."
    )
    assert template_sentence(template, "BFF", "number", "month", OCT, 3, suppressed=True) == (
        "I oktober 2026 havde BFF skjult (færre end 5) sager."
    )
