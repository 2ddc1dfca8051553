"""fact_underretning and fact_anbringelse: children and young people (BFF, some UJU)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.demo.calendar import DAYS_PER_YEAR, Window, day_in_month, seasonal
from queries.demo.citizens import Citizens
from queries.demo.org import Teams

UNDERRETNINGER_PER_CITIZEN = 15_000 / 80_000  # in the whole window, at default size
MINUTES_PER_DAY = 24 * 60

ANBRINGELSESTYPER = (
    "familiepleje",
    "netværkspleje",
    "døgninstitution",
    "opholdssted",
    "eget værelse",
)
# Monthly cost in kr. the first year, and the log-odds of each type before effects.
ANBRINGELSE_KR = np.array([32_000, 9_000, 115_000, 78_000, 18_000])
TYPE_LOGIT = np.log([0.45, 0.10, 0.18, 0.22, 0.05])
# Political aim: more children in (network) foster families, fewer in institutions.
TYPE_TREND = np.array([0.10, 0.12, -0.12, -0.05, 0.0])
PLACED_SHARE = 0.025  # of the children, placed in an average month
PLACEMENT_MEDIAN_DAYS = 720
BURN_MONTHS = 60


def monthly_counts(expected: float, weight: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Poisson counts per cell with means proportional to `weight`, summing to `expected`."""
    return rng.poisson(expected * weight / weight.sum())


def build_underretninger(
    window: Window, teams: Teams, citizens: Citizens, rng: np.random.Generator
) -> pd.DataFrame:
    bff = teams.of_omraade("BFF")
    months = np.arange(window.months)
    moy = window.month_of_year(months)
    size = np.exp(teams.effect(rng, 0.0, 0.3, 0.25)[bff])
    slope = teams.effect(rng, 0.0, 0.02, 0.03)[bff]
    # Schools report most: few notifications in the July holiday, a peak after it.
    season = seasonal(moy, 0.08, 10.0) * np.where(moy == 7, 0.6, 1.0)
    weight = size[:, None] * season[None, :] * np.exp((0.04 + slope[:, None]) * months / 12)
    expected = UNDERRETNINGER_PER_CITIZEN * citizens.frame.shape[0]
    count = monthly_counts(expected, weight, rng).ravel()
    team = np.repeat(np.repeat(bff, months.size), count)
    month = np.repeat(np.tile(months, bff.size), count)
    received = _received_minutes(window, month, rng)
    delay = _assessment_minutes(window, teams, team, month, received, rng)
    assessed = received + delay
    day = received // MINUTES_PER_DAY
    borger = citizens.pick(day, rng, 0.0, 15.0)
    keep = (assessed < (window.cutoff + 1) * MINUTES_PER_DAY) & (borger > 0)
    order = np.flatnonzero(keep)[np.argsort(received[keep], kind="stable")]
    return pd.DataFrame(
        {
            "underretning_id": np.arange(1, order.size + 1, dtype=np.int32),
            "borger_id": borger[order].astype(np.int32),
            "org_id": pd.Series(teams.ids[team[order]], dtype="str"),
            "modtaget_tid": window.timestamps(received[order]),
            "vurderet_tid": window.timestamps(assessed[order]),
            "timer_til_vurdering": delay[order] / 60.0,
        }
    )


def _received_minutes(window: Window, month: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mostly office hours on weekdays; the police and the emergency service report at night."""
    day = day_in_month(window, month, rng, weekend_weight=0.3)
    office = rng.normal(11.5, 2.2, month.size).clip(7.5, 16.5)
    any_hour = rng.random(month.size) * 24
    weekend = window.weekday(day) >= 5
    hour = np.where(weekend | (rng.random(month.size) < 0.15), any_hour, office)
    return day * MINUTES_PER_DAY + (hour * 60).astype(np.int64)


def _assessment_minutes(
    window: Window,
    teams: Teams,
    team: np.ndarray,
    month: np.ndarray,
    received: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Minutes until the notification is assessed; the law asks for 24 hours."""
    team_effect = teams.effect(rng, 0.0, 0.35, 0.45)
    moy = window.month_of_year(month)
    weekday = window.weekday(received // MINUTES_PER_DAY)
    late_friday = (weekday == 4) & (received % MINUTES_PER_DAY > 13 * 60)
    logit = (
        2.4
        + team_effect[team]
        + 0.15 * window.years(month)
        - 0.6 * (moy == 7)
        - 0.7 * ((weekday >= 5) | late_friday)
    )
    in_time = rng.random(team.size) < 1 / (1 + np.exp(-logit))
    fast = rng.lognormal(np.log(4.0), 0.9, team.size).clip(0.25, 23.75)
    slow = 24 + rng.lognormal(np.log(22.0), 0.8, team.size).clip(0.25, 200.0)
    return np.rint(np.where(in_time, fast, slow) * 60).astype(np.int64)


def build_anbringelser(
    window: Window, teams: Teams, citizens: Citizens, rng: np.random.Generator
) -> pd.DataFrame:
    """Monthly status of placed children: placements started, then one row per month."""
    uju = teams.of_omraade("UJU")
    units = np.concatenate([teams.of_omraade("BFF"), rng.choice(uju, size=2, replace=False)])
    young = np.isin(units, uju)
    months = np.arange(-BURN_MONTHS, window.months)
    size = np.exp(teams.effect(rng, 0.0, 0.25, 0.3)[units]) * np.where(young, 0.35, 1.0)
    slope = teams.effect(rng, 0.0, 0.02, 0.03)[units]
    weight = size[:, None] * np.exp(slope[:, None] * window.years(months)[None, :])
    mean_months = PLACEMENT_MEDIAN_DAYS * np.exp(0.8**2 / 2) / 30.44
    starts_per_month = PLACED_SHARE * citizens.groups["barn"].size / mean_months
    count = monthly_counts(starts_per_month * months.size, weight, rng).ravel()
    unit = np.repeat(np.repeat(np.arange(units.size), months.size), count)
    start = day_in_month(window, np.repeat(np.tile(months, units.size), count), rng)
    young = young[unit]
    borger = np.where(
        young, citizens.pick(start, rng, 15.0, 17.5), citizens.pick(start, rng, 0.0, 15.0)
    )
    length = rng.lognormal(np.log(PLACEMENT_MEDIAN_DAYS), 0.8, start.size).astype(np.int64)
    # Placements under the law for children end at 18 (aftercare is another fact).
    adult_day = citizens.born_of(np.maximum(borger, 1)) + int(18 * DAYS_PER_YEAR)
    end = np.minimum(start + length, adult_day - 1)
    kind = _placement_type(window, teams, units[unit], young, start, rng)
    keep = (borger > 0) & (end >= 0) & (start <= window.cutoff) & (end >= start)
    return _placement_months(
        window, teams, units[unit][keep], borger[keep], kind[keep], start[keep], end[keep], rng
    )


def _placement_type(
    window: Window,
    teams: Teams,
    team: np.ndarray,
    young: np.ndarray,
    start: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    team_effect = rng.normal(0.0, 0.35, (len(teams), len(ANBRINGELSESTYPER)))
    years = window.years(window.month_of(start))
    logit = TYPE_LOGIT[None, :] + team_effect[team] + TYPE_TREND[None, :] * years[:, None]
    # Teenagers go to opholdssteder and their own room more, seldom to a new family.
    logit += np.where(young[:, None], np.array([-0.8, -0.5, 0.0, 0.6, 1.8]), 0.0)
    return np.argmax(logit + rng.gumbel(size=logit.shape), axis=1)


def _placement_months(
    window: Window,
    teams: Teams,
    team: np.ndarray,
    borger: np.ndarray,
    kind: np.ndarray,
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
    cost_factor = rng.lognormal(0.0, 0.15, start.size)[spell]
    growth = 1.025 ** window.years_since_first_january(month)
    udgift = ANBRINGELSE_KR[kind[spell]] * cost_factor * growth * days_on / (last - first + 1)
    frame = pd.DataFrame(
        {
            "maaned": window.dates(first),
            "borger_id": borger[spell].astype(np.int32),
            "org_id": pd.Series(teams.ids[team[spell]], dtype="str"),
            "anbringelsestype": pd.Series(
                np.array(ANBRINGELSESTYPER, dtype=object)[kind[spell]], dtype="str"
            ),
            "udgift_kr": np.rint(udgift),
        }
    )
    # The rare child drawn for two overlapping placements keeps the first one.
    frame = frame.drop_duplicates(["maaned", "borger_id"])
    return frame.sort_values(["maaned", "org_id", "borger_id"], kind="stable").reset_index(
        drop=True
    )
