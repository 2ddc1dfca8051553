"""The demo's time axis: whole days counted from the first day of the first month.

Every generator works on integer day numbers (0 = the first day of the window) and
month numbers (0 = the first month), which keeps the arithmetic vectorised; only the
final frames turn them into datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Window:
    """The months the demo covers, ending with (and including) the month `end`."""

    first: np.datetime64  # first day of the first month, unit 'D'
    months: int

    @classmethod
    def ending(cls, end: date, months: int) -> Window:
        if end.day != 1:
            raise ValueError(f"end must be the first day of a month, not {end.isoformat()}")
        if months < 13:
            raise ValueError("months must be at least 13, so every series has a year to compare")
        first_month = np.datetime64(end, "M") - (months - 1)
        return cls(first=first_month.astype("datetime64[D]"), months=months)

    @property
    def month_starts(self) -> np.ndarray:
        """Day number of the first day of each month, plus the month after the window."""
        months = np.datetime64(self.first, "M") + np.arange(self.months + 1)
        return (months.astype("datetime64[D]") - self.first).astype(np.int64)

    @property
    def cutoff(self) -> int:
        """Day number of the last day with data: the last day of the last month."""
        return int(self.month_starts[-1] - 1)

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Month number of each day number (negative before the window)."""
        as_months = (self.first + np.asarray(days, dtype=np.int64)).astype("datetime64[M]")
        return (as_months - np.datetime64(self.first, "M")).astype(np.int64)

    def month_start_of(self, month: np.ndarray) -> np.ndarray:
        """Day number of the first day of each month number (any month, also outside)."""
        months = np.datetime64(self.first, "M") + np.asarray(month, dtype=np.int64)
        return (months.astype("datetime64[D]") - self.first).astype(np.int64)

    def month_of_year(self, month: np.ndarray) -> np.ndarray:
        """Calendar month (1–12) of each month number."""
        first = np.datetime64(self.first, "M").astype(np.int64)  # months since 1970-01
        return (first + np.asarray(month, dtype=np.int64)) % 12 + 1

    def years_since_first_january(self, month: np.ndarray) -> np.ndarray:
        """Whole calendar years since the window's first year: rates change each January."""
        first = np.datetime64(self.first, "M").astype(np.int64)
        return (first + np.asarray(month, dtype=np.int64)) // 12 - first // 12

    def weekday(self, days: np.ndarray) -> np.ndarray:
        """Weekday of each day number, Monday = 0."""
        epoch_days = self.first.astype(np.int64) + np.asarray(days, dtype=np.int64)
        return (epoch_days + 3) % 7  # 1970-01-01 was a Thursday

    def years(self, month: np.ndarray) -> np.ndarray:
        """Years since the window began, clipped to the window so burn-in months hold still."""
        return np.clip(np.asarray(month, dtype=np.float64), 0, self.months - 1) / 12.0

    def dates(self, days: np.ndarray) -> np.ndarray:
        """Day numbers as datetime64[ns] at midnight."""
        stamps = self.first + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")
        return stamps.astype("datetime64[ns]")

    def timestamps(self, minutes: np.ndarray) -> np.ndarray:
        """Minutes since the window began as datetime64[ns]."""
        start = self.first.astype("datetime64[m]")
        return (start + np.asarray(minutes, dtype=np.int64).astype("timedelta64[m]")).astype(
            "datetime64[ns]"
        )


def seasonal(month_of_year: np.ndarray, amplitude: float, peak: float) -> np.ndarray:
    """A yearly cosine wave around 1 that is highest in month `peak` (1–12)."""
    return 1.0 + amplitude * np.cos(2 * np.pi * (np.asarray(month_of_year) - peak) / 12.0)


def day_in_month(
    window: Window, month: np.ndarray, rng: np.random.Generator, weekend_weight: float = 1.0
) -> np.ndarray:
    """A random day number inside each month, weekends drawn `weekend_weight` as often."""
    month = np.asarray(month, dtype=np.int64)
    lo = window.month_start_of(month)
    length = window.month_start_of(month + 1) - lo
    if weekend_weight >= 1.0:
        return lo + (rng.random(month.size) * length).astype(np.int64)
    # Rejection sampling keeps it vectorised: redraw the rejected weekend days only.
    days = lo + (rng.random(month.size) * length).astype(np.int64)
    todo = np.flatnonzero((window.weekday(days) >= 5) & (rng.random(month.size) >= weekend_weight))
    while todo.size:
        days[todo] = lo[todo] + (rng.random(todo.size) * length[todo]).astype(np.int64)
        keep = (window.weekday(days[todo]) >= 5) & (rng.random(todo.size) >= weekend_weight)
        todo = todo[keep]
    return days
