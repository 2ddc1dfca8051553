"""fact_ydelse, fact_sygedagpenge and fact_afgang, all cut from the same benefit spells.

Deriving the three facts from one set of spells keeps them consistent: a sickness
benefit spell in fact_sygedagpenge is the same months in fact_ydelse, and every exit
in fact_afgang is the end of a spell seen there.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from queries.demo.calendar import Window
from queries.demo.citizens import Citizens
from queries.demo.org import Teams
from queries.demo.programs import PROGRAMS, RATE_GROWTH, Program
from queries.demo.spells import Model, Spells, draw_spells

# Benefit months per lane at the default settings, measured; sizes the first try at `rows`.
ROWS_PER_LANE = 15.5


def build_benefits(
    window: Window, teams: Teams, citizens: Citizens, rng: np.random.Generator, rows: int | None
) -> dict[str, pd.DataFrame]:
    model = Model.draw(window, teams, rng)
    spells = _spells_for(model, window, citizens, rng, rows)
    exits_rng, rows_rng = rng.spawn(2)
    return {
        "fact_ydelse": _ydelse(window, teams, spells, rows_rng),
        "fact_sygedagpenge": _sygedagpenge(window, teams, spells),
        "fact_afgang": _afgang(window, teams, spells, exits_rng),
    }


def _spells_for(
    model: Model, window: Window, citizens: Citizens, rng: np.random.Generator, rows: int | None
) -> Spells:
    """One lane per young or adult citizen; for `rows`, as many lanes as that takes.

    Lanes are independent and alike, so taking the first ones until the benefit months
    reach `rows` is a fair sample. When `rows` asks for more than the citizens can
    hold, lanes wrap round the citizens and some hold two benefits in the same month.
    """
    eligible = rng.permutation(np.concatenate([citizens.groups["ung"], citizens.groups["voksen"]]))
    if rows is None:
        return _inside(window, draw_spells(model, window, citizens, eligible, rng))
    n_lanes = int(rows / ROWS_PER_LANE * 1.15) + 200
    while True:
        lane_borger = eligible[np.arange(n_lanes) % eligible.size]
        spells = _inside(window, draw_spells(model, window, citizens, lane_borger, rng))
        months_per_lane = np.bincount(
            spells.lane, weights=_month_count(window, spells), minlength=n_lanes
        )
        reached = np.searchsorted(np.cumsum(months_per_lane), rows)
        if reached < n_lanes:
            return spells.take(np.flatnonzero(spells.lane <= reached))
        n_lanes = int(n_lanes * 1.5)


def _inside(window: Window, spells: Spells) -> Spells:
    return spells.take(np.flatnonzero((spells.end >= 0) & (spells.start <= window.cutoff)))


def _month_count(window: Window, spells: Spells) -> np.ndarray:
    first = window.month_of(np.maximum(spells.start, 0))
    last = window.month_of(np.minimum(spells.end, window.cutoff))
    return last - first + 1


def _ydelse(window: Window, teams: Teams, spells: Spells, rng: np.random.Generator) -> pd.DataFrame:
    level, cost_factor = _spell_terms(spells, rng)
    # One row per spell and month it touches.
    count = _month_count(window, spells)
    spell = np.repeat(np.arange(len(spells)), count)
    offset = np.arange(spell.size) - np.repeat(np.cumsum(count) - count, count)
    month = window.month_of(np.maximum(spells.start, 0))[spell] + offset
    order = np.argsort(
        (month << 40) | (spells.team[spell] << 32) | spells.borger[spell], kind="stable"
    )
    spell, month = spell[order], month[order]
    starts = window.month_starts
    first, last = starts[month], starts[month + 1] - 1
    start, end = spells.start[spell], spells.end[spell]
    days_on = np.minimum(end, last) - np.maximum(start, first) + 1
    fuldtid = np.clip(level[spell] * days_on / (last - first + 1), 0.1, 1.0).round(2)
    program = spells.program[spell]
    rate = np.array([p.rate_kr for p in PROGRAMS])[program]
    growth = (1 + RATE_GROWTH) ** window.years_since_first_january(month)
    return pd.DataFrame(
        {
            "maaned": window.dates(first),
            "borger_id": spells.borger[spell],
            "org_id": pd.Series(teams.ids[spells.team[spell]], dtype="str"),
            "ydelse": pd.Series(_ydelse_names()[program], dtype="str"),
            "fuldtid": fuldtid,
            "udgift_kr": np.rint(rate * growth * cost_factor[spell] * fuldtid),
            "varighed_dage": (np.minimum(end, last) - start + 1).astype(np.int32),
        }
    )


def _spell_terms(spells: Spells, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Per spell: the share of full time (some are part time) and a personal cost factor."""
    partial = np.array([p.partial_share for p in PROGRAMS])[spells.program]
    part_level = rng.choice([0.25, 0.5, 0.75], size=len(spells))
    level = np.where(rng.random(len(spells)) < partial, part_level, 1.0)
    # Family and housing make the same benefit cost more for some citizens than others;
    # benefits paid from former wages stop at their legal maximum.
    capped = np.array([p.rate_is_max for p in PROGRAMS])[spells.program]
    cost_factor = np.clip(rng.lognormal(0.0, 0.12, len(spells)), 0.75, np.where(capped, 1.0, 1.3))
    return level, cost_factor


def _ydelse_names() -> np.ndarray:
    return np.array([p.ydelse for p in PROGRAMS], dtype=object)


def _program_mask(spells: Spells, keep: Callable[[Program], bool]) -> np.ndarray:
    wanted = np.array([keep(p) for p in PROGRAMS])
    return wanted[spells.program]


def _sygedagpenge(window: Window, teams: Teams, spells: Spells) -> pd.DataFrame:
    """Sickness benefit spells that began inside the window."""
    chosen = _program_mask(spells, lambda p: p.ydelse == "sygedagpenge") & (spells.start >= 0)
    s = spells.take(np.flatnonzero(chosen))
    s = s.take(np.lexsort((s.borger, s.start)))
    still_open = s.end >= window.cutoff
    until = np.minimum(s.end, window.cutoff)
    return pd.DataFrame(
        {
            "forloeb_id": np.arange(1, len(s) + 1, dtype=np.int32),
            "borger_id": s.borger,
            "org_id": pd.Series(teams.ids[s.team], dtype="str"),
            "startdato": window.dates(s.start),
            "slutdato": pd.Series(window.dates(s.end)).mask(still_open),
            "varighed_uger": ((until - s.start) // 7).astype(np.int32),
        }
    )


def _afgang(window: Window, teams: Teams, spells: Spells, rng: np.random.Generator) -> pd.DataFrame:
    """Exits from benefit in JSY and UJU: the spells that ended inside the window."""
    chosen = _program_mask(spells, lambda p: p.omraade in ("JSY", "UJU"))
    s = spells.take(np.flatnonzero(chosen & (spells.end < window.cutoff)))
    s = s.take(np.lexsort((s.borger, s.end)))
    return pd.DataFrame(
        {
            "afgang_id": np.arange(1, len(s) + 1, dtype=np.int32),
            "borger_id": s.borger,
            "org_id": pd.Series(teams.ids[s.team], dtype="str"),
            "afgangsdato": window.dates(s.end),
            "ydelse": pd.Series(_ydelse_names()[s.program], dtype="str"),
            "afgang_til": pd.Series(_destination(window, teams, s, rng), dtype="str"),
        }
    )


def _destination(window: Window, teams: Teams, s: Spells, rng: np.random.Generator) -> np.ndarray:
    team_effect = teams.effect(rng, 0.0, 0.25, 0.3)
    month = window.month_of(s.end)
    years = window.years(month)
    summer = np.isin(window.month_of_year(month), (7, 8))
    base = np.array([p.exit_positive for p in PROGRAMS])[s.program]
    # Better over time: the departments' work on getting citizens into job or education.
    logit = np.log(base / (1 - base)) + team_effect[s.team] + 0.12 * years
    positive = rng.random(len(s)) < 1 / (1 + np.exp(-logit))
    education_share = np.array([p.exit_education for p in PROGRAMS])[s.program]
    education_share = np.minimum(0.9, education_share * np.where(summer, 1.4, 1.0))
    education = rng.random(len(s)) < education_share
    # Registration improves, so fewer exits end up as "ukendt" each year.
    unknown = rng.random(len(s)) < 0.4 - 0.04 * years
    return np.select(
        [positive & education, positive, unknown],
        ["uddannelse", "job", "ukendt"],
        default="anden ydelse",
    ).astype(object)
