"""fact_personale: staff per team and month, with those who left and those who joined.

The head count is the one in fact_fravaer, so the two staff facts agree. Departures run
at about 13 % a year (1,1 % a month), highest in summer when people change jobs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.demo.calendar import Window, seasonal
from queries.demo.org import Teams

MONTHLY_TURNOVER = 0.011


def build_personale(
    window: Window, teams: Teams, fravaer: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    frame = fravaer[["maaned", "org_id", "medarbejdere"]].copy()
    team = pd.Series(np.arange(len(teams)), index=teams.ids)[frame["org_id"]].to_numpy()
    month = window.month_of(
        (frame["maaned"].to_numpy() - np.datetime64(window.first, "ns"))
        .astype("timedelta64[D]")
        .astype(np.int64)
    )
    team_effect = teams.effect(rng, 0.1, 0.2, 0.25)
    season = seasonal(window.month_of_year(month), 0.35, 8.0)
    rate = MONTHLY_TURNOVER * np.exp(team_effect[team]) * season
    staff = frame["medarbejdere"].to_numpy()
    frame["fratraadte"] = np.minimum(rng.poisson(staff * rate), staff).astype(np.int32)
    frame["nyansatte"] = rng.poisson(staff * rate * 1.02).astype(np.int32)
    return frame.reset_index(drop=True)
