"""An attacker who knows every figure the app shows and subtracts.

Independent of queries/suppression.py: the relations are built here from the parent of
each unit and from calendar arithmetic. A cell is (grain, unit, first day of period).
For every relation — a parent and its children in one period, a quarter and its months,
a year and its quarters, a year and its months — with exactly one unknown member, the
attacker computes it (whole − the other parts, or the sum of the parts), treats the
result as known, and repeats until nothing new comes out. Cells shown as "no data" are
known zeros.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

Cell = tuple[str, str, pd.Timestamp]


def _floor(stamp: pd.Timestamp, months: int) -> pd.Timestamp:
    return pd.Timestamp(stamp.year, stamp.month - (stamp.month - 1) % months, 1)


def relations(
    cells: Iterable[Cell], parent_of: Mapping[str, str | None]
) -> list[tuple[Cell, list[Cell]]]:
    """(whole, parts) for every relation among the cells that have rows."""
    cells = set(cells)
    groups: dict[Cell, list[Cell]] = {}
    for cell in cells:
        grain, unit, stamp = cell
        wholes = []
        if parent_of.get(unit) is not None:
            wholes.append((grain, parent_of[unit], stamp))
        if grain == "month":
            wholes += [("quarter", unit, _floor(stamp, 3)), ("year", unit, _floor(stamp, 12))]
        if grain == "quarter":
            wholes.append(("year", unit, _floor(stamp, 12)))
        for whole in wholes:
            groups.setdefault(whole, []).append(cell)
    # the year-from-months relation and the year-from-quarters relation share a whole
    split: list[tuple[Cell, list[Cell]]] = []
    for whole, parts in groups.items():
        if whole not in cells:
            continue
        for grain in {p[0] for p in parts}:
            same_level = [p for p in parts if p[0] == grain and p[1] != whole[1]]
            same_unit = [p for p in parts if p[0] == grain and p[1] == whole[1]]
            split += [(whole, members) for members in (same_level, same_unit) if members]
    return split


@dataclass
class Seen:
    """What the views showed for one measure (the value, or the citizen count n)."""

    known: dict[Cell, float] = field(default_factory=dict)
    hidden: set[Cell] = field(default_factory=set)  # shown as "<min_n" somewhere

    def show(self, cell: Cell, value: object, suppressed: bool = False) -> None:
        if suppressed:
            self.hidden.add(cell)
        elif value is not None and not pd.isna(value):
            self.known[cell] = float(value)

    @property
    def contradictions(self) -> set[Cell]:
        """Cells one view hides and another shows."""
        return self.hidden & set(self.known)


def derive(
    known: Mapping[Cell, float], unknown: set[Cell], groups: list[tuple[Cell, list[Cell]]]
) -> dict[Cell, float]:
    """Every unknown cell that subtraction reveals, using what it reveals again."""
    known = dict(known)
    found: dict[Cell, float] = {}
    changed = True
    while changed:
        changed = False
        for whole, parts in groups:
            members = [whole, *parts]
            missing = [m for m in members if m in unknown and m not in known]
            if len(missing) != 1 or any(m not in known and m not in unknown for m in members):
                continue
            target = missing[0]
            rest = sum(known[p] for p in parts if p != target)
            value = known[whole] - rest if target != whole else rest
            known[target] = found[target] = value
            changed = True
    return found


def leaks(found: Mapping[Cell, float], truth: Mapping[Cell, float]) -> dict[Cell, float]:
    """The derived figures that equal the true hidden figure."""
    return {
        cell: value
        for cell, value in found.items()
        if cell in truth
        and not math.isnan(truth[cell])
        and math.isclose(value, truth[cell], rel_tol=1e-9, abs_tol=1e-9)
    }
