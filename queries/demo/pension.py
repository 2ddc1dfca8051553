"""fact_pension: awards of førtidspension, decided in JVS's teams.

About 600 a year at the default size (a large municipality awards several hundred), and
never fewer than 300 a year, so even the small test warehouses show a figure for MSB.
A citizen is awarded a pension once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.demo.calendar import Window, day_in_month
from queries.demo.citizens import Citizens
from queries.demo.org import Teams
from queries.demo.social import age_on

AWARDS_PER_CITIZEN_YEAR = 600 / 80_000
MIN_AWARDS_YEAR = 300


def build_pension(
    window: Window, teams: Teams, citizens: Citizens, rng: np.random.Generator
) -> pd.DataFrame:
    units = teams.of_omraade("JVS")
    months = np.arange(window.months)
    yearly = max(AWARDS_PER_CITIZEN_YEAR * citizens.frame.shape[0], MIN_AWARDS_YEAR)
    size = np.exp(teams.effect(rng, 0.0, 0.3, 0.3)[units])
    # Fewer awards each year: more citizens are offered ressourceforløb first.
    weight = size[:, None] * np.exp(-0.05 * months / 12)[None, :]
    count = rng.poisson(yearly * months.size / 12 * weight / weight.sum()).ravel()
    team = np.repeat(np.repeat(units, months.size), count)
    day = day_in_month(window, np.repeat(np.tile(months, units.size), count), rng, 0.0)
    borger = citizens.pick(day, rng, 25.0, 65.0)
    frame = pd.DataFrame(
        {
            "borger_id": borger.astype(np.int32),
            "org_id": pd.Series(teams.ids[team], dtype="str"),
            "afgoerelsesdato": window.dates(day),
            "alder": age_on(citizens, np.maximum(borger, 1), day),
        }
    )
    frame = frame[frame["borger_id"] > 0].drop_duplicates("borger_id")
    frame = frame.sort_values(["afgoerelsesdato", "borger_id"], kind="stable")
    frame.insert(0, "pension_id", np.arange(1, len(frame) + 1, dtype=np.int32))
    return frame.reset_index(drop=True)
