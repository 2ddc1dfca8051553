from datetime import UTC, date, datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.formatting import (
    format_count,
    format_datetime,
    format_delta,
    format_period,
    format_value,
    parse_period,
    period_param,
)


@pytest.mark.parametrize(
    ("value", "fmt", "decimals", "expected"),
    [
        (1234.5, "number", None, "1.234,5"),
        (1234, "number", None, "1.234"),
        (12.34, "number", None, "12,3"),
        (2.25, "number", None, "2,3"),  # half away from zero, as in Excel
        (-1234.5, "number", None, "−1.234,5"),
        (1234.5, "number", 2, "1.234,50"),
        (0.1234, "percent", None, "12,3 %"),
        (0.234, "percent", None, "23,4 %"),
        (1, "percent", None, "100,0 %"),
        (0.1234, "percent", 0, "12 %"),
        (-0.0004, "percent", None, "0,0 %"),  # no "−0,0"
        (12345, "kr", None, "12.345 kr."),
        (999_999.4, "kr", None, "999.999 kr."),
        (999_999.6, "kr", None, "1,0 mio. kr."),
        (1_234_567, "kr", None, "1,2 mio. kr."),
        (1_234_567, "kr.", None, "1,2 mio. kr."),
        (-2_500_000, "kr", None, "−2,5 mio. kr."),
        (1_234_567_890, "kr", None, "1,2 mia. kr."),
        (999_960_000, "kr", None, "1,0 mia. kr."),
        (23.44, "days", None, "23,4 dage"),
        (1, "days", 0, "1 dag"),
        (1, "days", None, "1,0 dage"),
        (2, "days", 0, "2 dage"),
        (None, "number", None, "–"),
        (float("nan"), "percent", None, "–"),
        (pd.NA, "kr", None, "–"),
    ],
)
def test_format_value(value, fmt, decimals, expected):
    assert format_value(value, fmt, decimals) == expected


def test_format_value_rejects_unknown_format():
    with pytest.raises(ValueError, match="Ukendt format"):
        format_value(1, "euro")


@pytest.mark.parametrize(
    ("delta", "fmt", "expected"),
    [
        (0.018, "percent", "+1,8 procentpoint"),
        (-0.021, "percent", "−2,1 procentpoint"),
        (0.0, "percent", "0,0 procentpoint"),
        (0.00004, "percent", "0,0 procentpoint"),
        (-1234, "kr", "−1.234 kr."),
        (1_500_000, "kr", "+1,5 mio. kr."),
        (2.5, "days", "+2,5 dage"),
        (12, "number", "+12"),
        (-0.5, "number", "−0,5"),
        (None, "number", "–"),
    ],
)
def test_format_delta(delta, fmt, expected):
    assert format_delta(delta, fmt) == expected


def test_format_delta_unsigned_shows_magnitude():
    assert format_delta(-0.021, "percent", signed=False) == "2,1 procentpoint"
    assert format_delta(-1, "days", 0, signed=False) == "1 dag"


def test_format_count():
    assert format_count(12345) == "12.345"
    assert format_count(0) == "0"
    assert format_count(1_000_000) == "1.000.000"


@pytest.mark.parametrize(
    ("period", "grain", "short", "expected"),
    [
        (date(2026, 10, 1), "month", False, "oktober 2026"),
        (date(2026, 10, 1), "month", True, "okt. 2026"),
        (date(2026, 5, 1), "month", True, "maj 2026"),
        (pd.Timestamp("2026-02-01"), "month", False, "februar 2026"),
        (date(2026, 10, 1), "quarter", False, "4. kvartal 2026"),
        (date(2026, 10, 1), "quarter", True, "K4 2026"),
        (date(2026, 1, 1), "quarter", False, "1. kvartal 2026"),
        (date(2026, 1, 1), "year", False, "2026"),
        (date(2026, 1, 1), "year", True, "2026"),
        ("2026-07-01", "quarter", True, "K3 2026"),
    ],
)
def test_format_period(period, grain, short, expected):
    assert format_period(period, grain, short) == expected


def test_format_period_rejects_unknown_grain():
    with pytest.raises(ValueError, match="Ukendt periodelængde"):
        format_period(date(2026, 1, 1), "week")


@pytest.mark.parametrize(
    ("period", "grain", "param"),
    [
        (date(2026, 10, 1), "month", "2026-10"),
        (date(2026, 1, 1), "month", "2026-01"),
        (date(2026, 10, 1), "quarter", "2026-K4"),
        (date(2026, 4, 1), "quarter", "2026-K2"),
        (date(2026, 1, 1), "year", "2026"),
    ],
)
def test_period_param_round_trip(period, grain, param):
    assert period_param(period, grain) == param
    assert parse_period(param, grain) == period


@pytest.mark.parametrize(
    ("text", "grain", "expected"),
    [
        ("2026-Q4", "quarter", date(2026, 10, 1)),
        ("2026-k3", "quarter", date(2026, 7, 1)),
        (" 2026-10 ", "month", date(2026, 10, 1)),
    ],
)
def test_parse_period_accepts_variants(text, grain, expected):
    assert parse_period(text, grain) == expected


@pytest.mark.parametrize(
    ("text", "grain", "message"),
    [
        ("2026-13", "month", "måneden skal være mellem 01 og 12"),
        ("2026-00", "month", "måneden skal være mellem 01 og 12"),
        ("2026-1", "month", "skriv den som ÅÅÅÅ-MM"),
        ("oktober", "month", "skriv den som ÅÅÅÅ-MM"),
        ("2026-K5", "quarter", "skriv den som ÅÅÅÅ-Kn"),
        ("2026-10", "quarter", "skriv den som ÅÅÅÅ-Kn"),
        ("26", "year", "skriv den som ÅÅÅÅ"),
        ("1066", "year", "året skal være mellem 1900 og 2100"),
        ("", "year", "Ugyldig periode"),
    ],
)
def test_parse_period_rejects_bad_input_in_danish(text, grain, message):
    with pytest.raises(ValueError, match=message):
        parse_period(text, grain)


def test_format_datetime():
    assert format_datetime(datetime(2026, 11, 2, 6, 0)) == "2. nov. 2026 kl. 06:00"
    # aware timestamps are shown in Danish time (CET in November)
    assert format_datetime(datetime(2026, 11, 2, 5, 0, tzinfo=UTC)) == "2. nov. 2026 kl. 06:00"
    assert format_datetime(None) == "–"
    assert format_datetime(pd.NaT) == "–"


def test_catalogue_enums_are_accepted():
    from enum import StrEnum

    class Format(StrEnum):
        percent = "percent"

    class Grain(StrEnum):
        quarter = "quarter"

    assert format_value(0.5, Format.percent) == "50,0 %"
    assert format_period(date(2026, 10, 1), Grain.quarter) == "4. kvartal 2026"


def test_numbers_and_units_stay_on_one_line_in_sentences():
    from components.states import keep_together

    text = keep_together("var 58,6 % — 1,4 procentpoint, 1,2 mio. kr. og 3 dage i 2026 og Team 2")
    assert "58,6\u00a0%" in text and "1,4\u00a0procentpoint" in text
    assert "1,2\u00a0mio.\u00a0kr." in text and "3\u00a0dage" in text
    assert "Team 2" in text  # only numbers followed by a unit are joined


@settings(max_examples=500, deadline=None)
@given(
    number=st.decimals(min_value=-(10**13), max_value=10**13, allow_nan=False, places=6),
    decimals=st.integers(min_value=0, max_value=4),
)
def test_danish_numbers_are_what_babel_writes(number, decimals):
    """The plain format that replaced Babel's on the hot path writes the same text."""
    from components.formatting import _LOCALE, _danish, _pattern, _round

    rounded = abs(_round(number, decimals))
    assert _danish(rounded, decimals) == _pattern(decimals).apply(rounded, _LOCALE)
