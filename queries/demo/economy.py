"""fact_udgift: what each team spends per month, and what the state refunds (no citizens).

Magnitudes follow Aarhus MSB's budget: about 11 mia. kr. a year, of which about 2,1 mia.
comes back as state refunds (statsrefusion). Refunds are paid on transfers
(overførsler: benefits), hardly on service (staff, institutions), so a driftsområde that
pays out benefits gets much more back than one that runs botilbud.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.demo.calendar import Window, seasonal
from queries.demo.org import Teams

# Yearly spending per driftsområde in mio. kr. (first year), and the share of it that
# is transfers; the refund rate applies to transfers only.
# fmt: off
BUDGET = {  # område: (mio. kr. a year, share transfers, refund rate on transfers)
    "JSY": (2_600, 0.85, 0.32),
    "JUS": (2_300, 0.80, 0.31),
    "JVS": (2_100, 0.75, 0.36),
    "UJU": (1_100, 0.70, 0.21),
    "BFF": (1_700, 0.15, 0.20),
    "VJH": (1_200, 0.10, 0.40),
}
# fmt: on
UDGIFTSARTER = ("Overførsler", "Service")
PRICE_GROWTH = 0.03  # pris- og lønudvikling a year


def build_udgift(window: Window, teams: Teams, rng: np.random.Generator) -> pd.DataFrame:
    months = np.arange(window.months)
    moy = window.month_of_year(months)
    yearly = np.array([BUDGET[o][0] for o in teams.omraade]) * 1e6
    transfers = np.array([BUDGET[o][1] for o in teams.omraade])
    refund_rate = np.array([BUDGET[o][2] for o in teams.omraade])
    # Teams of one område differ in size; their shares add up to the område's budget.
    size = np.exp(teams.effect(rng, 0.0, 0.2, 0.25))
    share = size / pd.Series(size).groupby(teams.omraade).transform("sum").to_numpy()
    slope = teams.effect(rng, 0.0, 0.01, 0.015)
    # Year-end: December carries the accruals; July is quiet.
    season = (
        seasonal(moy, 0.02, 12.0) * np.where(moy == 12, 1.06, 1.0) * np.where(moy == 7, 0.96, 1)
    )
    growth = (1 + PRICE_GROWTH) ** window.years_since_first_january(months)
    level = (yearly * share / 12)[:, None] * np.exp(slope[:, None] * months / 12)
    monthly = level * (growth * season)[None, :] * rng.lognormal(0.0, 0.04, level.shape)
    kinds = []
    for art, part in (("Overførsler", transfers), ("Service", 1 - transfers)):
        udgift = np.rint(monthly * part[:, None] / 1000) * 1000
        # Refund rates fall slowly as the refusionstrappe bites on long spells.
        rate = (
            refund_rate[:, None] * np.exp(-0.02 * months / 12)[None, :]
            if art == "Overførsler"
            else 0.02
        )
        refusion = np.rint(udgift * rate * rng.lognormal(0.0, 0.03, udgift.shape) / 1000) * 1000
        kinds.append(
            pd.DataFrame(
                {
                    "maaned": np.tile(window.dates(window.month_starts[:-1]), len(teams)),
                    "org_id": pd.Series(np.repeat(teams.ids, months.size), dtype="str"),
                    "udgiftsart": pd.Series([art] * udgift.size, dtype="str"),
                    "udgift_kr": udgift.ravel(),
                    "refusion_kr": refusion.ravel(),
                }
            )
        )
    return (
        pd.concat(kinds, ignore_index=True)
        .sort_values(["maaned", "org_id", "udgiftsart"], kind="stable")
        .reset_index(drop=True)
    )
