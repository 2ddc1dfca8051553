"""fact_sag: decided cases with their processing time and the published deadline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from queries.demo.calendar import Window, day_in_month, seasonal
from queries.demo.citizens import Citizens
from queries.demo.org import Teams

SAGER_PER_CITIZEN = 40_000 / 80_000  # decided cases in the window, at default size


@dataclass(frozen=True)
class Sagstype:
    navn: str
    omraade: str
    frist_dage: int  # the published deadline (sagsbehandlingsfrist)
    median_share: float  # typical processing time as a share of the deadline
    volume: float  # relative number of cases within the driftsområde


SAGSTYPER: tuple[Sagstype, ...] = (
    Sagstype("Ret til sygedagpenge", "JSY", 30, 0.50, 3.0),
    Sagstype("Indstilling til ressourceforløb", "JSY", 90, 0.60, 1.0),
    Sagstype("Ansøgning om kontanthjælp", "JUS", 30, 0.55, 3.0),
    Sagstype("Enkeltydelse", "JUS", 30, 0.45, 2.0),
    Sagstype("Børnefaglig undersøgelse", "BFF", 120, 0.70, 2.0),
    Sagstype("Merudgifter til børn", "BFF", 60, 0.60, 1.0),
    Sagstype("Tabt arbejdsfortjeneste", "BFF", 60, 0.55, 1.0),
    Sagstype("Socialpædagogisk støtte", "JVS", 90, 0.55, 2.0),
    Sagstype("Hjælpemidler", "JVS", 60, 0.50, 2.0),
    Sagstype("Merudgifter til voksne", "JVS", 60, 0.60, 1.0),
    Sagstype("Ansøgning om uddannelseshjælp", "UJU", 30, 0.50, 3.0),
    Sagstype("Enkeltydelse", "UJU", 30, 0.45, 1.0),
    Sagstype("Visitation til botilbud", "VJH", 90, 0.65, 1.0),
    Sagstype("Aflastning", "VJH", 60, 0.55, 1.0),
    # A complaint about a decision is reconsidered by the unit that made it within four
    # weeks before it goes on to Ankestyrelsen (retssikkerhedsloven § 66): about one
    # case in ten, in every driftsområde.
    Sagstype("Klage", "JSY", 28, 0.60, 0.45),
    Sagstype("Klage", "JUS", 28, 0.60, 0.45),
    Sagstype("Klage", "BFF", 28, 0.60, 0.45),
    Sagstype("Klage", "JVS", 28, 0.60, 0.45),
    Sagstype("Klage", "UJU", 28, 0.60, 0.45),
    Sagstype("Klage", "VJH", 28, 0.60, 0.20),
)
# Age on the day the case arrives, by driftsområde: BFF children, UJU young, others adults.
AGES = {"BFF": (0.0, 15.0), "UJU": (15.0, 30.0)}
ADULT_AGES = (30.0, 100.0)


def build_sager(
    window: Window, teams: Teams, citizens: Citizens, rng: np.random.Generator
) -> pd.DataFrame:
    months = np.arange(window.months)
    moy = window.month_of_year(months)
    size = np.exp(teams.effect(rng, 0.2, 0.25, 0.3))
    slope = teams.effect(rng, 0.0, 0.02, 0.03)
    season = np.where(moy == 7, 0.7, 1.0) * np.where(moy == 12, 0.85, 1.0)
    weight = size[:, None] * season[None, :] * np.exp((0.02 + slope[:, None]) * months / 12)
    # A few more are drawn than wanted: the cases not decided by the cut-off drop out.
    expected = SAGER_PER_CITIZEN * citizens.frame.shape[0] * 1.04
    count = rng.poisson(expected * weight / weight.sum()).ravel()
    team = np.repeat(np.repeat(np.arange(len(teams)), months.size), count)
    month = np.repeat(np.tile(months, len(teams)), count)
    received = day_in_month(window, month, rng, weekend_weight=0.1)
    kind = _sagstype(teams, team, rng)
    days = _processing_days(window, teams, team, kind, month, rng)
    decided = received + days
    borger = _citizen(teams, citizens, team, received, rng)
    keep = np.flatnonzero((decided <= window.cutoff) & (borger > 0))
    keep = keep[np.lexsort((team[keep], received[keep]))]
    frist = np.array([s.frist_dage for s in SAGSTYPER])[kind[keep]]
    return pd.DataFrame(
        {
            "sag_id": np.arange(1, keep.size + 1, dtype=np.int32),
            "borger_id": borger[keep].astype(np.int32),
            "org_id": pd.Series(teams.ids[team[keep]], dtype="str"),
            "sagstype": pd.Series(
                np.array([s.navn for s in SAGSTYPER], dtype=object)[kind[keep]], dtype="str"
            ),
            "modtaget_dato": window.dates(received[keep]),
            "afgjort_dato": window.dates(decided[keep]),
            "sagsbehandlingsdage": days[keep].astype(np.int32),
            "frist_dage": frist.astype(np.int32),
            "inden_for_frist": (days[keep] <= frist).astype(np.int32),
        }
    )


def _sagstype(teams: Teams, team: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    kind = np.zeros(team.size, dtype=np.int64)
    for omraade in np.unique(teams.omraade):
        types = np.array([k for k, s in enumerate(SAGSTYPER) if s.omraade == omraade])
        volume = np.array([SAGSTYPER[k].volume for k in types])
        members = teams.omraade[team] == omraade
        kind[members] = rng.choice(types, size=members.sum(), p=volume / volume.sum())
    return kind


def _processing_days(
    window: Window,
    teams: Teams,
    team: np.ndarray,
    kind: np.ndarray,
    month: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    team_effect = teams.effect(rng, 0.1, 0.15, 0.2)
    frist = np.array([s.frist_dage for s in SAGSTYPER])[kind]
    share = np.array([s.median_share for s in SAGSTYPER])[kind]
    # Cases received before the summer holiday wait longest; work gets faster each year.
    season = seasonal(window.month_of_year(month), 0.12, 6.5)
    trend = np.exp(-0.04 * window.years(month))
    median = frist * share * np.exp(team_effect[team]) * season * trend
    days = rng.lognormal(np.log(median), 0.5)
    return np.maximum(1, np.rint(days)).astype(np.int64)


def _citizen(
    teams: Teams, citizens: Citizens, team: np.ndarray, day: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    borger = np.zeros(team.size, dtype=np.int64)
    omraade = teams.omraade[team]
    for name in np.unique(omraade):
        members = omraade == name
        borger[members] = citizens.pick(day[members], rng, *AGES.get(name, ADULT_AGES))
    return borger
