"""fact_investering: citizens in the investment models, followed up six months after start.

An investment model (investeringsmodel) spends extra on a group — more caseworker
contact, a mentor — to get more of them off benefit. Each participant is followed up
six months after the start: self-supporting (selvforsørgende) or not. Only follow-ups
made by the cut-off are in the warehouse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from queries.demo.calendar import Window, day_in_month
from queries.demo.citizens import Citizens
from queries.demo.org import Teams

# fmt: off
MODELLER = (  # (model, driftsområde, citizen ages, share self-supporting after 6 months)
    ("Tættere kontakt – sygedagpenge", "JSY", (30.0, 67.0), 0.55),
    ("Virksomhedsrettet indsats – kontanthjælp", "JUS", (30.0, 67.0), 0.30),
    ("Mentor og uddannelse – unge", "UJU", (18.0, 30.0), 0.45),
)
# fmt: on
STARTS_PER_CITIZEN_YEAR = 900 / 80_000
MIN_STARTS_YEAR = 600
FOLLOW_UP_DAYS = 182  # six months


def build_investering(
    window: Window, teams: Teams, citizens: Citizens, rng: np.random.Generator
) -> pd.DataFrame:
    yearly = max(STARTS_PER_CITIZEN_YEAR * citizens.frame.shape[0], MIN_STARTS_YEAR)
    months = np.arange(window.months)
    parts = []
    for model, omraade, (young, old), base in MODELLER:
        units = teams.of_omraade(omraade)
        size = np.exp(teams.effect(rng, 0.0, 0.2, 0.2)[units])
        mean = (yearly / len(MODELLER) / 12) * (size / size.sum())[:, None]
        per_cell = rng.poisson(mean, (units.size, months.size)).ravel()
        team = np.repeat(np.repeat(units, months.size), per_cell)
        start = day_in_month(window, np.repeat(np.tile(months, units.size), per_cell), rng, 0.0)
        follow_up = start + FOLLOW_UP_DAYS
        borger = citizens.pick(start, rng, young, old)
        effect = teams.effect(rng, 0.0, 0.3, 0.3)[team]
        # The models are learning: a little better each year.
        logit = np.log(base / (1 - base)) + effect + 0.1 * window.years(window.month_of(start))
        success = rng.random(start.size) < 1 / (1 + np.exp(-logit))
        keep = (borger > 0) & (follow_up >= 0) & (follow_up <= window.cutoff)
        parts.append(
            pd.DataFrame(
                {
                    "borger_id": borger[keep].astype(np.int32),
                    "org_id": pd.Series(teams.ids[team[keep]], dtype="str"),
                    "model": pd.Series([model] * int(keep.sum()), dtype="str"),
                    "startdato": window.dates(start[keep]),
                    "opfoelgningsdato": window.dates(follow_up[keep]),
                    "selvforsoergende": success[keep].astype(np.int32),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.sort_values(["opfoelgningsdato", "borger_id"], kind="stable")
    frame.insert(0, "deltager_id", np.arange(1, len(frame) + 1, dtype=np.int32))
    return frame.reset_index(drop=True)
