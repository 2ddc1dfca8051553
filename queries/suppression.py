"""One suppression decision per KPI: which figures are hidden, for every unit, period and grain.

A figure with fewer than `min_n` citizens behind it is hidden (primary). That alone is
not enough: a parent's figure minus its shown children, a quarter minus its shown
months, or a year minus its shown quarters would give a hidden figure back. So the
decision is taken once, over the whole organisation tree and the time hierarchy
together, and every view (trend, benchmark, target grid, cards, sentences, list counts)
is cut from it.

The rule (secondary suppression): every additive relation — a parent and its children
in one period, a quarter and its months, a year and its quarters, a year and its months
— must hold either no hidden figure or at least two. When exactly one is hidden, the
shown member with the fewest citizens is hidden too (ties: the finer grain, then unit
id, then period, so the decision never depends on the order rows arrive in). Hiding
one figure can leave another relation with exactly one, so the rule is repeated until
nothing changes. With two or more unknowns in every relation, no subtraction of shown
figures yields a hidden one.

It is applied to every measure type, even where figures do not add up (distinct counts,
averages, ratios): numerators, denominators and citizen counts are often additive in
practice (a citizen in one team at a time), and hiding a little more is the safe side.
A parent's own rows (facts booked on a non-leaf unit) are not counted as a hidden child:
they would excuse a lone hidden child, yet when they are few the difference would all
but reveal it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from queries.catalogue.models import Grain
from queries.compiler.periods import period_stamps
from queries.lazy import numpy as np
from queries.lazy import pandas as pd
from queries.orgtree import OrgTree

Cell = tuple[Grain, str, "pd.Timestamp"]  # (grain, unit, first day of the period)
GRAIN_ORDER = {Grain.month: 0, Grain.quarter: 1, Grain.year: 2}
# Exact citizen counts for cells a cube left uncounted (known to be at least min_n).
ExactCounts = Callable[[set[Cell]], Mapping[Cell, float]]


@dataclass(frozen=True)
class Decision:
    """The hidden cells of one KPI, at every grain.

    `cross_view` False is the old rule (primary only here; each view then hid one more
    sibling on its own). It exists so tests can show what the shared decision prevents."""

    kpi_id: str
    hidden: frozenset[Cell]
    primary: frozenset[Cell]
    cross_view: bool = True

    def hides(self, grain: Grain, unit: str, period: object) -> bool:
        return (Grain(grain), str(unit), _stamp(period)) in self.hidden

    def mask(self, units: pd.Series, periods: pd.Series | object, grain: Grain) -> pd.Series:
        """True where the decision hides (unit, period); `periods` may be one period for all."""
        if isinstance(periods, pd.Series):
            stamps = pd.to_datetime(periods).dt.normalize()
        else:
            stamps = pd.Series(_stamp(periods), index=units.index)
        grain = Grain(grain)
        hidden = [(grain, str(u), p) in self.hidden for u, p in zip(units, stamps, strict=True)]
        return pd.Series(hidden, index=units.index, dtype=bool)

    def apply(self, frame: pd.DataFrame, grain: Grain, period: object = None) -> pd.DataFrame:
        """A lens frame (unit, [period], value, suppressed) with the decision's cells hidden."""
        if frame.empty:
            return frame
        frame = frame.copy()
        periods = frame["period"] if period is None else period
        hidden = self.mask(frame["unit"], periods, grain) | frame["suppressed"].astype(bool)
        frame["suppressed"] = hidden
        frame.loc[hidden, "value"] = np.nan
        return frame


def _stamp(period: object) -> pd.Timestamp:
    return pd.Timestamp(period).normalize()


@functools.cache  # a few hundred periods, asked for every cell of every relation
def quarter_of(stamp: pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(stamp.year, stamp.month - (stamp.month - 1) % 3, 1)


@functools.cache
def year_of(stamp: pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(stamp.year, 1, 1)


def citizens_behind(cubes: Mapping[Grain, pd.DataFrame]) -> dict[Cell, float]:
    """{cell: n} for every cell with rows; n is NaN when the KPI counts no citizens."""
    found: dict[Cell, float] = {}
    for grain, cube in cubes.items():
        n = pd.to_numeric(cube["n"], errors="coerce").astype(float).tolist()
        stamps = period_stamps(cube["period"])
        grain = Grain(grain)
        for unit, stamp, count in zip(cube["unit"].astype(str).tolist(), stamps, n, strict=True):
            found[(grain, unit, stamp)] = count
    return found


def relations(cells: Iterable[Cell], org: OrgTree) -> Iterator[tuple[Cell, ...]]:
    """Every additive relation among cells with rows: (whole, *parts).

    A part without rows is a known zero, so it is left out rather than counted unknown."""
    cells = set(cells)
    by_parent: dict[Cell, list[Cell]] = {}
    by_quarter: dict[Cell, list[Cell]] = {}
    by_year_q: dict[Cell, list[Cell]] = {}
    by_year_m: dict[Cell, list[Cell]] = {}
    for cell in sorted(cells, key=_order):
        grain, unit, stamp = cell
        parent = org.parent(unit) if unit in org else None
        if parent is not None:
            by_parent.setdefault((grain, parent, stamp), []).append(cell)
        if grain is Grain.month:
            by_quarter.setdefault((Grain.quarter, unit, quarter_of(stamp)), []).append(cell)
            by_year_m.setdefault((Grain.year, unit, year_of(stamp)), []).append(cell)
        elif grain is Grain.quarter:
            by_year_q.setdefault((Grain.year, unit, year_of(stamp)), []).append(cell)
    for groups in (by_parent, by_quarter, by_year_q, by_year_m):
        for whole in sorted(groups, key=_order):
            if whole in cells:
                yield (whole, *groups[whole])


def _order(cell: Cell) -> tuple:
    grain, unit, stamp = cell
    return (GRAIN_ORDER[grain], unit, stamp)


class _Uncounted(Exception):
    """The fixed point needs exact counts it does not have yet."""

    def __init__(self, cells: set[Cell]) -> None:
        super().__init__(f"{len(cells)} cells")
        self.cells = cells


def _fixed_point(
    primary: frozenset[Cell],
    groups: list[tuple[Cell, ...]],
    n: Mapping[Cell, float],
    uncounted: set[Cell],
) -> set[Cell]:
    """Secondary suppression until nothing changes. A victim is the shown member with the
    fewest citizens, so every shown member of a relation with one hidden member must be
    counted exactly; when one is not, stop and say which cells are wanted: every
    uncounted member of every relation that already holds a hidden cell."""
    hidden = set(primary)
    changed = True
    while changed:  # a fixed point: hiding one figure may expose another relation
        changed = False
        for members in groups:
            unknown = sum(member in hidden for member in members)
            if unknown != 1:
                continue
            shown = [m for m in members if m not in hidden and not np.isnan(n[m])]
            if any(m in uncounted for m in members if m not in hidden):
                wanted = {
                    m
                    for group in groups
                    if any(g in hidden for g in group)
                    for m in group
                    if m in uncounted
                }
                raise _Uncounted(wanted)
            if shown:
                hidden.add(min(shown, key=lambda m: (n[m], *_order(m))))
                changed = True
    return hidden


def decide(
    kpi_id: str,
    cubes: Mapping[Grain, pd.DataFrame],
    org: OrgTree,
    min_n: int,
    *,
    cross_view: bool = True,
    exact: ExactCounts | None = None,
) -> Decision:
    """The hidden cells of a KPI from its cubes (unit, period, …, n) at month, quarter and year.

    With `exact`, an n of NaN means "not counted, and at least min_n" (queries/cube_counts.py
    counts exactly only the cells whose lower bound is below min_n): such a cell is never
    hidden for itself, and `exact` is asked for the counts the secondary rule compares,
    a batch at a time, until the rule runs through on exact counts alone. The decision
    is then the one full counts give: the rule reads n only to compare with min_n and to
    pick the smallest shown member of a relation."""
    n = citizens_behind(cubes)
    primary = frozenset(c for c, count in n.items() if min_n and count < min_n)
    if not cross_view or not primary:
        return Decision(kpi_id, primary, primary, cross_view)
    groups = list(relations(n, org))
    uncounted = {c for c, count in n.items() if np.isnan(count)} if exact is not None else set()
    while True:
        try:
            hidden = _fixed_point(primary, groups, n, uncounted)
            break
        except _Uncounted as wanted:
            found = exact(wanted.cells)
            missing = wanted.cells - set(found)
            if missing:  # a cube cell has rows, so the count query must return it
                first = sorted(missing, key=_order)[:3]
                raise LookupError(f"no citizen count for {first}") from None
            for cell in wanted.cells:
                n[cell] = float(found[cell])
            uncounted -= wanted.cells
    return Decision(kpi_id, frozenset(hidden), primary, cross_view)
