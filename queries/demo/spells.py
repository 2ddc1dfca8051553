"""Benefit spells: each citizen's life on and off benefits as a chain of spells.

Every "lane" is one citizen's timeline. Along it, gaps off benefits alternate with
candidate spells, each on one program in one team. A candidate is kept with a
probability that follows the program's season and trend and the team's own trend
(thinning), so inflow has the shape we want while a citizen never holds two spells at
once. The chain starts five years before the window so stocks are settled when it opens.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from queries.demo.calendar import Window, seasonal
from queries.demo.citizens import Citizens
from queries.demo.org import Teams, pick_team
from queries.demo.programs import OCCUPANCY, PROGRAMS

BURN_MONTHS = 60
BLOCK = 8  # candidate spells drawn per lane per round
MIN_DAYS = 14
MAX_DAYS = 8 * 365
# Age limits for benefits: UJU's programs from 16 to 29, adults' from 30 until pension.
GROUPS = ("ung", "voksen")
AGE_LIMITS = np.rint(np.array([[16, 30], [30, 67]]) * 365.25).astype(np.int64)  # in days


@dataclass(frozen=True)
class Spells:
    """Parallel arrays, one element per spell; day numbers as in `Window`, ends inclusive."""

    lane: np.ndarray
    borger: np.ndarray
    program: np.ndarray
    team: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def take(self, index: np.ndarray) -> Spells:
        return Spells(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def __len__(self) -> int:
        return self.lane.size


@dataclass(frozen=True)
class Model:
    """Everything about programs and teams that is drawn once from the seed."""

    team_weight: np.ndarray  # (program, team): how often a new spell lands in the team
    accept: np.ndarray  # (program, team, burn-in + window month): chance a candidate is kept
    duration_effect: np.ndarray  # (team,): log factor on spell length
    slot_programs: dict[str, tuple[np.ndarray, np.ndarray]]  # group -> (programs, chances)
    gap_days: dict[str, float]  # group -> mean days between candidate spells

    @classmethod
    def draw(cls, window: Window, teams: Teams, rng: np.random.Generator) -> Model:
        size = teams.effect(rng, 0.0, 0.25, 0.35)
        slope = teams.effect(rng, 0.0, 0.02, 0.04)  # each team's own yearly trend in inflow
        duration_effect = teams.effect(rng, 0.0, 0.12, 0.15)
        months = np.arange(-BURN_MONTHS, window.months)
        years = window.years(months)
        n_prog = len(PROGRAMS)
        team_weight = np.zeros((n_prog, len(teams)))
        accept = np.zeros((n_prog, len(teams), months.size))
        kept_share = np.zeros(n_prog)  # average chance a candidate is kept
        mean_days = np.zeros(n_prog)
        for k, program in enumerate(PROGRAMS):
            candidates = teams.of_omraade(program.omraade)
            weight = np.exp(size[candidates] + rng.normal(0.0, 0.15, candidates.size))
            team_weight[k, candidates] = weight
            season = seasonal(window.month_of_year(months), program.season_amp, program.season_peak)
            log_trend = np.log1p(program.inflow_trend) + slope[candidates, None]
            intensity = season[None, :] * np.exp(log_trend * years[None, :])
            accept[k, candidates] = intensity / intensity.max()
            share = weight / weight.sum()
            kept_share[k] = share @ accept[k, candidates].mean(axis=1)
            mean_days[k] = program.mean_days * share @ np.exp(duration_effect[candidates])
        slot_programs, gap_days = {}, {}
        for group in GROUPS:
            progs = np.array([k for k, p in enumerate(PROGRAMS) if p.group == group])
            stock = np.array([PROGRAMS[k].stock_share for k in progs])
            # Candidates per program so that kept spells fill the intended share of months.
            chance = stock / (mean_days[progs] * kept_share[progs])
            chance /= chance.sum()
            slot_programs[group] = (progs, chance)
            on = chance @ (kept_share[progs] * mean_days[progs])
            gap_days[group] = on / OCCUPANCY[group] - chance @ mean_days[progs]
        return cls(team_weight, accept, duration_effect, slot_programs, gap_days)


def draw_spells(
    model: Model,
    window: Window,
    citizens: Citizens,
    lane_borger: np.ndarray,
    rng: np.random.Generator,
) -> Spells:
    """Spells overlapping the window for lanes of the given citizens."""
    born = citizens.born_of(lane_borger)
    # Some citizens come back again and again, most rarely: a per-lane factor on gaps.
    propensity = np.clip(rng.lognormal(-0.32, 0.8, lane_borger.size), 0.15, 10.0)
    slots = _chain(model, window, born, propensity, rng)
    spells = slots.take(_thin(model, window, slots, born[slots.lane], rng))
    return Spells(
        lane=spells.lane,
        borger=lane_borger[spells.lane].astype(np.int32),
        program=spells.program,
        team=spells.team,
        start=spells.start,
        end=_shorten(window, spells, born[spells.lane]),
    )


def _chain(
    model: Model, window: Window, born: np.ndarray, propensity: np.ndarray, rng: np.random.Generator
) -> Spells:
    gap_days = np.array([model.gap_days[g] for g in GROUPS])
    first_day = int(window.month_start_of(np.array([-BURN_MONTHS]))[0])
    position = first_day - (rng.random(born.size) * propensity * gap_days.mean()).astype(np.int64)
    active = np.arange(born.size)
    parts: list[Spells] = []
    while active.size:
        # Citizens grow out of UJU's target group: the group follows age as the lane goes on.
        group = np.repeat(np.where(position[active] - born[active] < AGE_LIMITS[0, 1], 0, 1), BLOCK)
        lane = np.repeat(active, BLOCK)
        program = _draw_programs(model, group, rng)
        team = np.zeros(lane.size, dtype=np.int64)
        for k in np.unique(program):
            these = program == k
            candidates = np.flatnonzero(model.team_weight[k])
            team[these] = pick_team(rng, candidates, model.team_weight[k], these.sum())
        length = _length(model, program, team, rng)
        off = 1 + rng.exponential(propensity[lane] * gap_days[group]).astype(np.int64)
        end = position[active, None] + np.cumsum((off + length).reshape(-1, BLOCK), axis=1) - 1
        start = end - length.reshape(-1, BLOCK) + 1
        position[active] = end[:, -1] + 1
        overlaps = (end.ravel() >= 0) & (start.ravel() <= window.cutoff)
        parts.append(
            Spells(
                lane=lane,
                borger=lane,  # a placeholder: draw_spells maps lanes to citizens
                program=program,
                team=team,
                start=start.ravel(),
                end=end.ravel(),
            ).take(overlaps)
        )
        active = active[position[active] <= window.cutoff]
    return Spells(
        **{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(Spells)}
    )


def _draw_programs(model: Model, group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    program = np.zeros(group.size, dtype=np.int64)
    for g, name in enumerate(GROUPS):
        members = group == g
        progs, chance = model.slot_programs[name]
        program[members] = rng.choice(progs, size=members.sum(), p=chance)
    return program


def _length(
    model: Model, program: np.ndarray, team: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    log_median = np.log([p.median_days for p in PROGRAMS])[program]
    sigma = np.array([p.sigma for p in PROGRAMS])[program]
    log_days = log_median + model.duration_effect[team] + sigma * rng.standard_normal(team.size)
    return np.maximum(MIN_DAYS, np.exp(np.minimum(log_days, np.log(MAX_DAYS)))).astype(np.int64)


def _thin(
    model: Model, window: Window, slots: Spells, born: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Positions of the candidate spells that become real spells."""
    month = np.clip(window.month_of(slots.start) + BURN_MONTHS, 0, model.accept.shape[2] - 1)
    chance = model.accept[slots.program, slots.team, month]
    group = np.array([GROUPS.index(p.group) for p in PROGRAMS])[slots.program]
    age = slots.start - born
    of_age = (age >= AGE_LIMITS[group, 0]) & (age < AGE_LIMITS[group, 1])
    return np.flatnonzero((rng.random(len(slots)) < chance) & of_age)


def _shorten(window: Window, spells: Spells, born: np.ndarray) -> np.ndarray:
    """End days after the trends towards shorter spells, and at the group's age limit.

    Spells only ever get shorter here, so a lane's spells still never overlap. At 30 a
    citizen's case moves from UJU to the adults' driftsområder; at 67 comes pension.
    """
    trend = np.log1p([p.duration_trend for p in PROGRAMS])[spells.program]
    factor = np.exp(trend * window.years(window.month_of(spells.start)))
    length = np.maximum(MIN_DAYS, np.rint((spells.end - spells.start + 1) * factor))
    group = np.array([GROUPS.index(p.group) for p in PROGRAMS])[spells.program]
    too_old = born + AGE_LIMITS[group, 1]
    return np.minimum(spells.start + length.astype(np.int64), too_old) - 1
