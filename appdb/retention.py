"""Durations for retention and look-back: "5y", "18m", "30d", "2w" (år, måneder, dage, uger)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

UNITS = {"y": 12, "å": 12, "m": 1}  # in months
DAYS = {"d": 1, "w": 7, "u": 7}
PATTERN = re.compile(r"^\s*(\d+)\s*([ymdwåu])\s*$", re.IGNORECASE)


def parse_duration(text: str) -> tuple[int, int]:
    """(months, days) from "5y", "18m", "30d" or "2w"; ValueError with a Danish hint."""
    found = PATTERN.match(text or "")
    if not found:
        raise ValueError(
            f"'{text}' er ikke en varighed; "
            "skriv fx 5y (år), 18m (måneder), 30d (dage) eller 2w (uger)"
        )
    amount, unit = int(found.group(1)), found.group(2).lower()
    if unit in UNITS:
        return amount * UNITS[unit], 0
    return 0, amount * DAYS[unit]


def before(text: str, now: datetime) -> datetime:
    """The moment `text` before `now` (months counted on the calendar, day clamped)."""
    months, days = parse_duration(text)
    total = now.year * 12 + (now.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    day = min(now.day, _days_in(year, month))
    return now.replace(year=year, month=month, day=day) - timedelta(days=days)


def _days_in(year: int, month: int) -> int:
    following = datetime(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day
