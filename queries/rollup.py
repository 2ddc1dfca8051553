"""Rolling a KPI's own-unit figures up the org tree in memory.

A cube (and the target grid) has a figure for every unit over all its descendants' rows.
Joining the fact rows to an (ancestor, descendant) closure in the database aggregates
each row once per ancestor, three to four times on the demo's tree. When the figure's
parts add up (counts, sums, averages, ratios of those: `rolls_up`), the database need
only aggregate each row once, under its own unit (compiler/own_figures.py); the tree,
already in memory, adds those few thousand rows up to every ancestor here. Distinct
counts do not add up and keep the closure in the database.

The frame is the one the closure's statement gives, row for row: a cell for each unit
and period with at least one row at or below the unit (units the tree does not know
count under no unit), the same columns, NULLs and value types, so the cube's dtypes do
not depend on the route.
"""

from __future__ import annotations

from collections.abc import Collection

from queries.catalogue.models import Grain
from queries.compiler.citizen_sets import CLOSURE
from queries.compiler.periods import floor_fetched, period_stamps
from queries.compiler.relations import closure_pairs
from queries.engine import Fetched
from queries.lazy import numpy as np
from queries.lazy import pandas as pd
from queries.lenses import AGGREGATE_COLUMNS
from queries.orgtree import OrgTree


def ancestors_by_unit(org: OrgTree) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(units, ancestors, first, count): the tree's units, and for the unit at position i
    the positions of the units whose closure holds it, `ancestors[first[i]:first[i] +
    count[i]]` (the pairs the closure's statement joins on, itself included)."""
    units = list(org.units)
    index = {unit: i for i, unit in enumerate(units)}
    children = {u: org.children(u) for u in units}
    pairs = closure_pairs(children, units)
    above = np.array([index[a] for a, _ in pairs], dtype=np.int64)
    below = np.array([index[d] for _, d in pairs], dtype=np.int64)
    order = np.argsort(below, kind="stable")
    count = np.bincount(below, minlength=len(units))
    return units, above[order], np.cumsum(count) - count, count


def roll_up(
    own: Fetched,
    org: OrgTree,
    *,
    monthly_average: bool = False,
    only: Collection[str] | None = None,
) -> pd.DataFrame:
    """The closure's (unit, period, numerator, denominator, n) from the own-unit rows of
    `own_figure_select` (n is NULL: citizens are counted elsewhere).

    A monthly average's own denominator is its matching rows; a unit's is the number of
    months (within the period) whose matching rows at or below it are more than none.
    `only`: the units whose cells are wanted (a trend's unit and parent), else every unit.

    The rows are read as the driver gave them, not through a frame: a cold target grid's
    own rows are a few hundred, and pandas' per-column overhead was most of its roll-up."""
    units, above, first, count = org.ancestor_positions
    known = org.unit_positions
    position = np.array(
        [-1 if u is None else known.get(u if type(u) is str else str(u), -1)
         for u in own.column("unit")],
        dtype=np.int64,
    )  # fmt: skip
    rows = np.flatnonzero(position >= 0)  # rows of a unit the tree does not know: no cell
    if rows.size == 0:
        return pd.DataFrame([], columns=AGGREGATE_COLUMNS)
    # Every own row once under each of its ancestors: the closure's fan-out, in memory.
    fan = count[position[rows]]
    spread = np.repeat(rows, fan)
    step = np.arange(fan.sum()) - np.repeat(np.cumsum(fan) - fan, fan)
    ancestor = above[np.repeat(first[position[rows]], fan) + step]
    if only is not None:
        wanted = np.isin(ancestor, [known[u] for u in only if u in known])
        spread, ancestor = spread[wanted], ancestor[wanted]
        if spread.size == 0:
            return pd.DataFrame([], columns=AGGREGATE_COLUMNS)
    # Periods (and months) as codes; the result keeps the driver's own period values,
    # so its dtypes are the closure's.
    period_code, periods = _codes(own.column("period"))
    month_code, months = (None, [])
    if "month" in own.columns:
        month_code, months = _codes(own.column("month"), sort=False)
    key = ancestor * len(periods) + period_code[spread]
    if len(months):
        key = key * len(months) + month_code[spread]
    cells, cell_of = np.unique(key, return_inverse=True)
    numerator, numerator_counted = _numbers(own.column("numerator"))
    denominator, denominator_counted = _numbers(own.column("denominator"))
    numerator = _sums(numerator, spread, cell_of, cells.size)
    denominator = _sums(denominator, spread, cell_of, cells.size)
    if monthly_average:
        denominator = (denominator > 0).astype(np.int64)
        if len(months):  # add the months up to their period
            cells, cell_of = np.unique(cells // len(months), return_inverse=True)
            numerator = np.bincount(cell_of, numerator, minlength=cells.size)
            denominator = np.bincount(cell_of, denominator, minlength=cells.size)
            denominator = denominator.astype(np.int64)
    records = zip(
        [units[i] for i in (cells // len(periods)).tolist()],
        [periods[i] for i in (cells % len(periods)).tolist()],
        _values(numerator, numerator_counted),
        _values(denominator, denominator_counted),
        [None] * cells.size,
        strict=True,
    )
    # Built like a frame of fetched rows, so its dtypes are those the closure gives.
    return pd.DataFrame(list(records), columns=AGGREGATE_COLUMNS)


def coarser_own(month: Fetched, grain: Grain, *, monthly_average: bool = False) -> Fetched:
    """The own rows of a KPI at `grain` from its own rows by month (the cube's statement
    at month grain), as that statement at `grain` returns them: the parts add up, so a
    quarter's or a year's own rows need not be read from the warehouse again.

    A monthly average keeps its months apart (the statement's `month` column); else each
    unit's months are added up per period, NULL only when every part is (SQL's SUM)."""
    if grain is Grain.month:
        return month
    at = {name: i for i, name in enumerate(month.columns)}
    unit, period = at["unit"], at["period"]
    numerator, denominator = at["numerator"], at["denominator"]
    if monthly_average:
        return Fetched(
            ["unit", "period", "month", "numerator", "denominator"],
            [
                (r[unit], floor_fetched(r[period], grain), r[period], r[numerator], r[denominator])
                for r in month.rows
            ],
        )
    sums: dict[tuple, list] = {}
    for r in month.rows:
        key = (r[unit], floor_fetched(r[period], grain))
        found = sums.get(key)
        if found is None:
            sums[key] = [r[numerator], r[denominator]]
            continue
        for i, value in ((0, r[numerator]), (1, r[denominator])):
            if value is not None:
                found[i] = value if found[i] is None else found[i] + value
    return Fetched(
        ["unit", "period", "numerator", "denominator"],
        [(u, p, n, d) for (u, p), (n, d) in sums.items()],
    )


def _codes(values: list, *, sort: bool = True) -> tuple[np.ndarray, list]:
    """Each value's position among the distinct values (in order, or as first seen), and
    those values."""
    distinct = sorted(set(values)) if sort else list(dict.fromkeys(values))
    code = {value: i for i, value in enumerate(distinct)}
    return np.array([code[value] for value in values], dtype=np.int64), distinct


def _numbers(values: list) -> tuple[np.ndarray, bool]:
    """A fetched column as floats (NaN for NULL), and whether every value is a whole
    number the database counted (an int, none NULL), as pandas would infer its dtype."""
    counted = all(type(value) is int for value in values)
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float), counted


def _sums(values: np.ndarray, spread: np.ndarray, cell_of: np.ndarray, cells: int) -> np.ndarray:
    """SQL's SUM per cell: NULLs left out, NULL when every part is NULL."""
    values = values[spread]
    present = ~np.isnan(values)
    total = np.bincount(cell_of, np.where(present, values, 0.0), minlength=cells)
    parts = np.bincount(cell_of, present, minlength=cells)
    return np.where(parts > 0, total, np.nan)


def _values(sums: np.ndarray, counted: bool) -> list[object]:
    """Python values with None for NULL, as a driver returns them: whole numbers where
    the database counted (the own parts were integers)."""
    if counted and not np.isnan(sums.astype(float)).any():
        return sums.astype(np.int64).tolist()
    return [None if value != value else value for value in sums.astype(float).tolist()]


def count_sets(rows: pd.DataFrame, org: OrgTree) -> dict[tuple[str, pd.Timestamp], int]:
    """{(unit, period): distinct count} from `citizen_sets_select`'s rows, whose units
    are codes, positions in `org.ancestor_positions`: a set's citizens count once under
    every unit at or above either of its members; a closure row's count is its unit's
    already."""
    if rows.empty:
        return {}
    period_code, periods = pd.factorize(pd.to_datetime(rows["period"]).dt.normalize())
    citizens = pd.to_numeric(rows["n"]).to_numpy(dtype=np.int64)
    closure = pd.to_numeric(rows["kind"]).to_numpy() == CLOSURE
    units, above, first, count = org.ancestor_positions
    lo = pd.to_numeric(rows["lo"]).to_numpy(dtype=np.int64)
    hi = pd.to_numeric(rows["hi"]).to_numpy(dtype=np.int64)
    # A closure row names its unit itself: its citizens count there and nowhere else.
    pairs = [(np.flatnonzero(closure), lo[closure])]
    # A set's rows: once under each unit above its smallest member or its largest.
    chosen = np.flatnonzero(~closure)
    for member in (lo, hi):
        fan = count[member[chosen]]
        step = np.arange(fan.sum()) - np.repeat(np.cumsum(fan) - fan, fan)
        ancestor = above[np.repeat(first[member[chosen]], fan) + step]
        pairs.append((np.repeat(chosen, fan), ancestor))
    row = np.concatenate([r for r, _ in pairs])
    unit = np.concatenate([u for _, u in pairs])
    # A unit above both members counts the set's citizens once.
    row_unit = np.unique(row * len(units) + unit)
    row, unit = row_unit // len(units), row_unit % len(units)
    cells, cell_of = np.unique(unit * len(periods) + period_code[row], return_inverse=True)
    sums = np.bincount(cell_of, citizens[row], minlength=cells.size).astype(np.int64)
    stamps = list(periods)  # Timestamps, looked up once
    return {
        (units[c // len(stamps)], stamps[c % len(stamps)]): int(total)
        for c, total in zip(cells.tolist(), sums.tolist(), strict=True)
    }


def with_distinct(
    frame: pd.DataFrame, role: str, counts: dict[tuple[str, pd.Timestamp], int]
) -> pd.DataFrame:
    """The rolled-up frame with its distinct part `role` from `count_sets` (0 in a cell
    whose rows hold none to count, as COUNT(DISTINCT …) gives)."""
    stamps = period_stamps(frame["period"])
    units = frame["unit"].tolist()
    values = [counts.get((str(u), s), 0) for u, s in zip(units, stamps, strict=True)]
    frame = frame.copy()
    frame[role] = pd.Series(values, index=frame.index, dtype="int64")
    return frame
