"""fact_socialindsats: adults with social services under serviceloven, month by month.

Socialpædagogisk støtte (§ 85) is decided and followed by JVS's teams (the cases live in
CSC Social); residents of botilbud (§§ 107–108) are counted under VJH's teams, which run
the places. Each service is a spell of many months, so the stock changes slowly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.demo.calendar import DAYS_PER_YEAR, Window, day_in_month
from queries.demo.citizens import Citizens
from queries.demo.org import Teams

MIN_STOCK = 60
BURN_MONTHS = 72  # services begun up to six years before the window are still running
# fmt: off
# (paragraf, driftsområde, share of adults in it at any time, median days, kr. a month)
INDSATSER = (
    ("§ 85", "JVS", 0.030, 900, 9_500),
    ("§ 107", "VJH", 0.006, 700, 52_000),
    ("§ 108", "VJH", 0.006, 2_500, 68_000),
)
# fmt: on


def build_socialindsats(
    window: Window, teams: Teams, citizens: Citizens, rng: np.random.Generator
) -> pd.DataFrame:
    adults = citizens.groups["voksen"].size
    parts = []
    for paragraf, omraade, share, median_days, kr in INDSATSER:
        units = teams.of_omraade(omraade)
        size = np.exp(teams.effect(rng, 0.0, 0.25, 0.3)[units])
        mean_months = median_days * np.exp(0.6**2 / 2) / 30.44
        months = np.arange(-BURN_MONTHS, window.months)
        # Never fewer than MIN_STOCK at a time, so a small test warehouse fills its teams.
        expected = max(share * adults, MIN_STOCK) / mean_months * months.size
        slope = rng.normal(0.02, 0.03, units.size)
        weight = size[:, None] * np.exp(slope[:, None] * window.years(months)[None, :])
        count = rng.poisson(expected * weight / weight.sum()).ravel()
        unit = np.repeat(np.repeat(units, months.size), count)
        start = day_in_month(window, np.repeat(np.tile(months, units.size), count), rng)
        borger = citizens.pick(start, rng, 18.0, 80.0)
        length = rng.lognormal(np.log(median_days), 0.6, start.size).astype(np.int64)
        end = start + length
        keep = (borger > 0) & (end >= 0) & (start <= window.cutoff)
        parts.append(
            _months(
                window, teams, paragraf, kr, unit[keep], borger[keep], start[keep], end[keep], rng
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    # A citizen drawn twice for the same service in the same month keeps one row.
    frame = frame.drop_duplicates(["maaned", "borger_id", "paragraf"])
    return frame.sort_values(["maaned", "org_id", "borger_id"], kind="stable").reset_index(
        drop=True
    )


def _months(
    window: Window,
    teams: Teams,
    paragraf: str,
    kr: float,
    team: np.ndarray,
    borger: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    first_month = window.month_of(np.maximum(start, 0))
    count = window.month_of(np.minimum(end, window.cutoff)) - first_month + 1
    spell = np.repeat(np.arange(start.size), count)
    month = first_month[spell] + np.arange(spell.size) - np.repeat(np.cumsum(count) - count, count)
    starts = window.month_starts
    first, last = starts[month], starts[month + 1] - 1
    days_on = np.minimum(end[spell], last) - np.maximum(start[spell], first) + 1
    cost = kr * rng.lognormal(0.0, 0.2, start.size)[spell] * days_on / (last - first + 1)
    growth = 1.03 ** window.years_since_first_january(month)
    return pd.DataFrame(
        {
            "maaned": window.dates(first),
            "borger_id": borger[spell].astype(np.int32),
            "org_id": pd.Series(teams.ids[team[spell]], dtype="str"),
            "paragraf": pd.Series([paragraf] * spell.size, dtype="str"),
            "udgift_kr": np.rint(cost * growth),
            "varighed_dage": (np.minimum(end[spell], last) - start[spell] + 1).astype(np.int32),
        }
    )


def age_on(citizens: Citizens, borger: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whole years of age of each citizen on each day number."""
    return ((day - citizens.born_of(borger)) // DAYS_PER_YEAR).astype(np.int32)
