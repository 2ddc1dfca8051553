"""Citizen counts for a KPI's cubes, exact only where suppression needs them.

A distinct count of citizens over every row fanned out to every ancestor costs most of
a cube (ten times the figure on the demo). The suppression rule needs far less:

- whether a cell has fewer than `min_n` citizens: a unit's citizens are at least those
  of its own rows and those of any unit below it, so the largest distinct count of the
  unit's own rows or of any own rows below it is a lower bound, and those counts take one
  query with no fan-out, by month (a quarter's or year's citizens are at least those of
  any of its months). Only cells whose bound is below `min_n` are counted exactly;
- which shown cell of a relation has the fewest citizens, when exactly one is hidden:
  queries/suppression.py asks for those cells itself (`decide(exact=…)`).

A cell left uncounted has n NaN in the cube and is known to hold at least `min_n`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from queries.catalogue.models import Grain
from queries.compiler.periods import floor_period, period_stamps
from queries.lazy import pandas as pd
from queries.orgtree import OrgTree
from queries.suppression import Cell

Counts = Callable[[set[Cell]], Mapping[Cell, float]]


def lower_bounds(own: pd.DataFrame, org: OrgTree) -> dict[tuple[str, pd.Timestamp], float]:
    """{(unit, period): a lower bound of its distinct citizens} from each unit's own
    counts (unit, period, n): the largest own count at or below the unit."""
    bound: dict[tuple[str, pd.Timestamp], float] = {}
    stamps = period_stamps(own["period"])
    counts = pd.to_numeric(own["n"], errors="coerce").fillna(0).astype(float).tolist()
    for unit, stamp, count in zip(own["unit"].astype(str).tolist(), stamps, counts, strict=True):
        if unit not in org:
            continue  # rows of an unknown unit count under no unit
        for ancestor in org.ancestors(unit):
            key = (ancestor, stamp)
            if bound.get(key, -1.0) < count:
                bound[key] = count
    return bound


def coarser(own_months: pd.DataFrame, grain: Grain) -> pd.DataFrame:
    """Own counts per month turned into lower bounds per quarter or year: a quarter's
    citizens are at least those of any of its months, so the largest monthly count
    bounds it, and the cells with rows are the same. One own-count query per KPI then
    serves every grain (the cells a bound leaves open are counted exactly)."""
    if grain is Grain.month or own_months.empty:
        return own_months
    stamps = period_stamps(own_months["period"])
    floored = {stamp: pd.Timestamp(floor_period(stamp, grain)) for stamp in set(stamps)}
    periods = [floored[stamp] for stamp in stamps]
    counts = pd.to_numeric(own_months["n"], errors="coerce").fillna(0).astype(float)
    frame = pd.DataFrame({"unit": own_months["unit"].astype(str), "period": periods, "n": counts})
    return frame.groupby(["unit", "period"], as_index=False)["n"].max()


def cells_to_count(
    cube: pd.DataFrame, grain: Grain, bounds: Mapping[tuple[str, pd.Timestamp], float], min_n: int
) -> set[Cell]:
    """The cells of a cube whose lower bound does not settle that they hold min_n."""
    stamps = period_stamps(cube["period"])
    grain = Grain(grain)  # once, not per cell
    return {
        (grain, unit, stamp)
        for unit, stamp in zip(cube["unit"].astype(str).tolist(), stamps, strict=True)
        if bounds.get((unit, stamp), 0.0) < min_n
    }


def fill_counts(cube: pd.DataFrame, grain: Grain, counted: Mapping[Cell, float]) -> pd.DataFrame:
    """The cube with n from `counted` where a cell was counted, else NaN."""
    stamps = period_stamps(cube["period"])
    grain = Grain(grain)  # once, not per cell
    cube = cube.copy()
    cube["n"] = [
        counted.get((grain, unit, stamp), float("nan"))
        for unit, stamp in zip(cube["unit"].astype(str).tolist(), stamps, strict=True)
    ]
    cube["n"] = cube["n"].astype(float)
    return cube


def by_grain(cells: Iterable[Cell]) -> dict[Grain, set[Cell]]:
    found: dict[Grain, set[Cell]] = {}
    for cell in cells:
        found.setdefault(cell[0], set()).add(cell)
    return found
