"""fact_fravaer: staff sickness absence per team and month (no citizens)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.demo.calendar import Window, seasonal
from queries.demo.org import Teams

# Share of working days lost to holidays, by calendar month (vinter-, påske-, sommer-,
# efterårs- and juleferie).
HOLIDAY_SHARE = np.array([0.03, 0.06, 0.03, 0.07, 0.05, 0.05, 0.42, 0.12, 0.03, 0.06, 0.03, 0.10])
SICKNESS_SHARE = 0.055  # of working days, across the department in an average month


def build_fravaer(window: Window, teams: Teams, rng: np.random.Generator) -> pd.DataFrame:
    months = np.arange(window.months)
    moy = window.month_of_year(months)
    staff = _staff(window, teams, months, rng)
    month_days = window.month_starts
    first = window.first + month_days[:-1].astype("timedelta64[D]")
    after = window.first + month_days[1:].astype("timedelta64[D]")
    workdays = np.busday_count(first, after) * (1 - HOLIDAY_SHARE[moy - 1])
    arbejdsdage = np.round(staff * workdays[None, :], 1)
    team_effect = teams.effect(rng, 0.1, 0.15, 0.2)
    slope = teams.effect(rng, 0.0, 0.03, 0.05)
    # Winter flu season; a level still raised after the pandemic, fading over the window.
    season = seasonal(moy, 0.22, 1.5) * (1 + 0.15 * np.exp(-months / 12))
    rate = (
        SICKNESS_SHARE
        * np.exp(team_effect[:, None] + slope[:, None] * months / 12)
        * season[None, :]
        * rng.lognormal(0.0, 0.15, staff.shape)
    )
    # Now and then one colleague in sixteen is on long-term sick leave for a month.
    long_term = (rng.random(staff.shape) < 0.04) * workdays[None, :] * 0.9 * (staff // 16 + 1)
    fravaer = np.minimum(np.round(arbejdsdage * rate + long_term, 1), arbejdsdage)
    return (
        pd.DataFrame(
            {
                "maaned": np.tile(window.dates(month_days[:-1]), len(teams)),
                "org_id": pd.Series(np.repeat(teams.ids, months.size), dtype="str"),
                "medarbejdere": staff.ravel().astype(np.int32),
                "arbejdsdage": arbejdsdage.ravel(),
                "fravaersdage": fravaer.ravel(),
            }
        )
        .sort_values(["maaned", "org_id"], kind="stable")
        .reset_index(drop=True)
    )


def _staff(
    window: Window, teams: Teams, months: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Employees per team and month: a size per team that drifts slowly; about 4.500 in all
    (a team here is also a botilbud or a jobcenter unit with its own staff)."""
    base = rng.integers(35, 90, len(teams))
    growth = rng.normal(0.0, 0.04, len(teams))
    wander = np.cumsum(rng.normal(0.0, 1.0, (len(teams), months.size)), axis=1)
    staff = base[:, None] * np.exp(growth[:, None] * months / 12) + wander
    return np.maximum(3, np.rint(staff)).astype(np.int64)
