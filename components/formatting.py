"""Danish formatting of KPI values, deltas, periods and timestamps.

Pure functions on plain values, so figures, sentences, cards and tables all show the
same text for the same number. Numbers follow Danish conventions (decimal comma,
thousands dot, a real minus sign), rounding half away from zero as Excel does.

`fmt` is one of "number", "percent", "kr" (also "kr."), "days"; percent values are
fractions (0.234 is 23,4 %). `grain` is one of "month", "quarter", "year". The
catalogue's StrEnum members can be passed directly.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "da_DK"
_LOCALE = Locale.parse(LOCALE)
TIMEZONE = ZoneInfo("Europe/Copenhagen")
MISSING = "–"  # en dash
MINUS = "−"  # U+2212 MINUS SIGN
FORMATS = ("number", "percent", "kr", "days")
GRAINS = ("month", "quarter", "year")

_DEFAULT_DECIMALS = {"percent": 1, "kr": 0, "days": 1}
_MIO, _MIA = Decimal(1_000_000), Decimal(1_000_000_000)


def is_missing(value: object) -> bool:
    """True for None, NaN, pandas NA/NaT and anything that is not a number."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def format_value(value: float | None, fmt: str, decimals: int | None = None) -> str:
    """A KPI value as Danish text: "1.234,5", "23,4 %", "12.345 kr.", "23,4 dage"."""
    fmt = _fmt(fmt)
    if is_missing(value):
        return MISSING
    number = _decimal(value)
    if fmt == "percent":
        return f"{_signed(number * 100, _decimals(fmt, decimals), '')} %"
    if fmt == "kr":
        return _kr(number, decimals, plus="")
    text = _signed(number, _number_decimals(number, fmt, decimals), "")
    return _with_days(text) if fmt == "days" else text


def format_delta(
    delta: float | None, fmt: str, decimals: int | None = None, *, signed: bool = True
) -> str:
    """A difference as Danish text: "+1,8 procentpoint", "−1.234 kr.", "+2,5 dage".

    Percent deltas are differences of fractions, shown in procentpoint. With
    `signed=False` the magnitude is shown without sign (for "1,8 procentpoint bedre").
    Zero at display precision has no sign.
    """
    fmt = _fmt(fmt)
    if is_missing(delta):
        return MISSING
    number = _decimal(delta)
    if not signed:
        number = abs(number)
    plus = "+" if signed else ""
    if fmt == "percent":
        return f"{_signed(number * 100, _decimals(fmt, decimals), plus)} procentpoint"
    if fmt == "kr":
        return _kr(number, decimals, plus=plus)
    text = _signed(number, _number_decimals(number, fmt, decimals), plus)
    return _with_days(text) if fmt == "days" else text


def format_count(n: int) -> str:
    """A whole number with thousands dots: 12345 -> "12.345"."""
    if is_missing(n):
        return MISSING
    return _signed(_decimal(n), 0, "")


def format_period(period: date | str, grain: str, short: bool = False) -> str:
    """The period starting at `period`: "oktober 2026", "4. kvartal 2026", "2026".

    Short forms: "okt. 2026", "K4 2026", "2026".
    """
    grain, day = _grain(grain), _as_date(period)
    if grain == "month":
        return format_date(day, "MMM y" if short else "MMMM y", locale=LOCALE)
    if grain == "quarter":
        quarter = (day.month - 1) // 3 + 1
        return f"K{quarter} {day.year}" if short else f"{quarter}. kvartal {day.year}"
    return str(day.year)


def period_param(period: date | str, grain: str) -> str:
    """The period as a URL parameter: "2026-10", "2026-K4", "2026"."""
    grain, day = _grain(grain), _as_date(period)
    if grain == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if grain == "quarter":
        return f"{day.year:04d}-K{(day.month - 1) // 3 + 1}"
    return f"{day.year:04d}"


_PARAM_PATTERNS = {
    "month": (re.compile(r"(\d{4})-(\d{2})"), "ÅÅÅÅ-MM, fx 2026-10"),
    "quarter": (re.compile(r"(\d{4})-[KQ]([1-4])", re.IGNORECASE), "ÅÅÅÅ-Kn, fx 2026-K4"),
    "year": (re.compile(r"(\d{4})"), "ÅÅÅÅ, fx 2026"),
}
_GRAIN_NAMES = {"month": "måned", "quarter": "kvartal", "year": "år"}


def parse_period(text: str, grain: str) -> date:
    """The first day of the period in a URL parameter (inverse of `period_param`).

    Accepts "2026-10" (month), "2026-K4" or "2026-Q4" (quarter), "2026" (year).
    Raises ValueError with a Danish message on anything else.
    """
    grain = _grain(grain)
    pattern, form = _PARAM_PATTERNS[grain]
    match = pattern.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError(
            f"Ugyldig periode {text!r} for {_GRAIN_NAMES[grain]}: skriv den som {form}."
        )
    year = int(match.group(1))
    month = 1
    if grain == "month":
        month = int(match.group(2))
    elif grain == "quarter":
        month = 3 * int(match.group(2)) - 2
    if not 1 <= month <= 12:
        raise ValueError(f"Ugyldig periode {text!r}: måneden skal være mellem 01 og 12.")
    if not 1900 <= year <= 2100:
        raise ValueError(f"Ugyldig periode {text!r}: året skal være mellem 1900 og 2100.")
    return date(year, month, 1)


def format_datetime(dt: datetime | None) -> str:
    """A timestamp in Danish time: "2. nov. 2026 kl. 06:00" (naive = already local)."""
    if dt is None or is_missing_datetime(dt):
        return MISSING
    if dt.tzinfo is not None:
        dt = dt.astimezone(TIMEZONE)
    return babel_format_datetime(dt, "d. MMM y 'kl.' HH:mm", locale=LOCALE)


def is_missing_datetime(dt: object) -> bool:
    """True for None and pandas NaT."""
    return dt is None or dt != dt  # NaT is not equal to itself


def same_period_last_year(period: date | str) -> date:
    """The same period one year earlier."""
    day = _as_date(period)
    return date(day.year - 1, day.month, 1)


# ---- helpers -------------------------------------------------------------------------


def _fmt(fmt: str) -> str:
    key = str(getattr(fmt, "value", fmt)).rstrip(".")
    if key not in FORMATS:
        raise ValueError(f"Ukendt format {fmt!r}; brug et af {', '.join(FORMATS)}.")
    return key


def _grain(grain: str) -> str:
    key = str(getattr(grain, "value", grain))
    if key not in GRAINS:
        raise ValueError(f"Ukendt periodelængde {grain!r}; brug et af {', '.join(GRAINS)}.")
    return key


def _as_date(period: date | str) -> date:
    if isinstance(period, datetime):
        return period.date()
    if isinstance(period, date):
        return period
    if isinstance(period, str):
        return date.fromisoformat(period[:10])
    raise TypeError(f"Forventede en dato, fik {period!r}.")


def _decimal(value: object) -> Decimal:
    return Decimal(str(float(value)))  # type: ignore[arg-type]


def _round(number: Decimal, decimals: int) -> Decimal:
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _decimals(fmt: str, decimals: int | None) -> int:
    return _DEFAULT_DECIMALS[fmt] if decimals is None else decimals


def _number_decimals(number: Decimal, fmt: str, decimals: int | None) -> int:
    """Numbers default to one decimal, none when the value is whole at that precision."""
    if decimals is not None:
        return decimals
    if fmt == "number":
        return 0 if _round(number, 1) == _round(number, 0) else 1
    return _DEFAULT_DECIMALS[fmt]


def _signed(number: Decimal, decimals: int, plus: str) -> str:
    """Round half up, format the magnitude as Danish, prefix − (or `plus`) unless zero."""
    rounded = _round(number, decimals)
    text = _danish(abs(rounded), decimals)
    if rounded == 0:
        return text
    return (MINUS if rounded < 0 else plus) + text


_TO_DANISH = str.maketrans({",": ".", ".": ","})


def _danish(magnitude: Decimal, decimals: int) -> str:
    """What Babel's da_DK pattern "#,##0.0…" writes for a number already rounded to
    `decimals`: thousands dot, decimal comma. Python's own format of the Decimal is exact
    and many times cheaper (a target grid formats a few hundred numbers per view);
    tests/test_formatting.py checks it against Babel."""
    return format(magnitude, f",.{decimals}f").translate(_TO_DANISH)


@lru_cache(maxsize=8)
def _pattern(decimals: int) -> NumberPattern:
    """Babel's pattern for `decimals`, against which `_danish` is tested."""
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def _kr(number: Decimal, decimals: int | None, plus: str) -> str:
    """Kroner, abbreviated from one million: "12.345 kr.", "1,2 mio. kr.", "3,4 mia. kr."."""
    plain = _round(abs(number), _decimals("kr", decimals))
    if plain >= _MIO:
        in_mio = _round(abs(number) / _MIO, 1)
        if in_mio >= 1000:
            return f"{_signed(number / _MIA, 1, plus)} mia. kr."
        return f"{_signed(number / _MIO, 1, plus)} mio. kr."
    return f"{_signed(number, _decimals('kr', decimals), plus)} kr."


def _with_days(text: str) -> str:
    return f"{text} {'dag' if text.lstrip('+' + MINUS) == '1' else 'dage'}"
