"""Run the lens queries and shape their (small) results for the screen.

The database aggregates; this module only divides numerator by denominator, hides
the figures the KPI's suppression decision hides (queries/suppression.py), and lines
periods up with last year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from queries.catalogue.models import Grain, Kpi
from queries.compiler.periods import next_period, period_bounds, periods_back
from queries.lazy import numpy as np
from queries.lazy import pandas as pd
from queries.suppression import Decision

AGGREGATE_COLUMNS = ["unit", "period", "numerator", "denominator", "n"]


@dataclass(frozen=True)
class TrendResult:
    """frame: period, value, n, suppressed, last_year, parent, target (one row per period)."""

    kpi_id: str
    unit: str
    parent: str | None
    grain: Grain
    frame: pd.DataFrame


@dataclass(frozen=True)
class BenchmarkResult:
    """frame: unit_id, unit_name, value, n, suppressed, has_children (sorted by value)."""

    kpi_id: str
    parent: str
    period: date
    grain: Grain
    parent_value: float | None
    parent_suppressed: bool
    target: float | None
    frame: pd.DataFrame


@dataclass(frozen=True)
class TargetResult:
    """frame: unit_id, unit_name, parent_id, depth, value, previous, movement, target,
    deviation, n, suppressed (one row per unit, tree order)."""

    kpi_id: str
    period: date
    grain: Grain
    frame: pd.DataFrame


def values_from(raw: pd.DataFrame, kpi: Kpi) -> pd.DataFrame:
    """Add value and suppressed to raw rows (unit, [period], numerator, denominator, n)."""
    frame = raw.copy()
    numerator = pd.to_numeric(frame["numerator"], errors="coerce").astype(float)
    denominator = pd.to_numeric(frame["denominator"], errors="coerce").astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(
            denominator.isna(), numerator, numerator / denominator.where(denominator != 0)
        )
    frame["value"] = pd.Series(value, index=frame.index, dtype=float)
    n = pd.to_numeric(frame["n"], errors="coerce")
    frame["n"] = n
    frame["suppressed"] = (n < kpi.min_n).fillna(False).astype(bool) if kpi.min_n else False
    frame.loc[frame["suppressed"], "value"] = np.nan
    if "period" in frame:
        frame["period"] = pd.to_datetime(frame["period"]).dt.normalize()
    frame["unit"] = frame["unit"].astype(str)
    return frame


def suppress_secondary(siblings: pd.DataFrame) -> pd.DataFrame:
    """Hide one more sibling when exactly one is hidden, so that the parent's figure
    minus the others cannot reveal it: the shown sibling with the fewest citizens."""
    hidden = siblings["suppressed"]
    if hidden.sum() != 1:
        return siblings
    shown = siblings[~hidden & siblings["value"].notna()]
    if shown.empty:
        return siblings
    victim = shown.sort_values(["n", "unit_id"]).index[0]
    siblings = siblings.copy()
    siblings.loc[victim, "suppressed"] = True
    siblings.loc[victim, "value"] = np.nan
    return siblings


def _shared(decision: Decision | None) -> bool:
    """True when one decision over tree and time already hid what this view must hide."""
    return decision is not None and decision.cross_view


def trend_window(last: date, grain: Grain, periods: int) -> tuple[list[date], date, date]:
    """The periods shown, and the [start, end) to query: one year more, for last year's values."""
    shown = periods_back(last, grain, periods)
    start = next_period(shown[0], Grain.month, -12)
    return shown, start, next_period(shown[-1], grain)


def shape_trend(
    raw: pd.DataFrame,
    kpi: Kpi,
    unit: str,
    parent: str | None,
    grain: Grain,
    shown: list[date],
    target: float | None,
    decision: Decision | None = None,
) -> TrendResult:
    frame = values_from(raw, kpi)
    if decision is not None:
        frame = decision.apply(frame, grain)
    mine = frame[frame["unit"] == unit].set_index("period")
    theirs = frame[frame["unit"] == parent].set_index("period") if parent else None
    index = pd.to_datetime(pd.Series(shown))
    out = pd.DataFrame({"period": index})
    out["value"] = index.map(mine["value"]).astype(float)
    out["n"] = index.map(mine["n"])
    out["suppressed"] = index.map(mine["suppressed"]).astype("boolean").fillna(False).astype(bool)
    out["last_year"] = (index - pd.DateOffset(years=1)).map(mine["value"]).astype(float)
    out["parent"] = index.map(theirs["value"]).astype(float) if theirs is not None else np.nan
    out["target"] = np.nan if target is None else float(target)
    return TrendResult(kpi.id, unit, parent, grain, out)


def shape_benchmark(
    raw: pd.DataFrame,
    kpi: Kpi,
    parent: str,
    members: tuple[str, ...],
    names: dict[str, str],
    has_children: dict[str, bool],
    period: date,
    grain: Grain,
    target: float | None,
    decision: Decision | None = None,
    groups: dict[str, str | None] | None = None,
) -> BenchmarkResult:
    """`groups` (unit -> parent) when the members are not one set of siblings (every team
    under a unit): then the old per-view secondary rule runs per set of siblings."""
    frame = values_from(raw, kpi)
    if decision is not None:
        frame = decision.apply(frame, grain, period)
    frame = frame.set_index("unit")
    rows = pd.DataFrame({"unit_id": list(members)})
    rows["unit_name"] = rows["unit_id"].map(names)
    rows["value"] = rows["unit_id"].map(frame["value"]).astype(float)
    rows["n"] = rows["unit_id"].map(frame["n"])
    rows["suppressed"] = (
        rows["unit_id"].map(frame["suppressed"]).astype("boolean").fillna(False).astype(bool)
    )
    rows["has_children"] = rows["unit_id"].map(has_children).astype(bool)
    if kpi.min_n and not _shared(decision):
        if groups is None:
            rows = suppress_secondary(rows)
        else:
            rows = pd.concat(
                suppress_secondary(group)
                for _, group in rows.groupby(rows["unit_id"].map(groups), dropna=False)
            )
    ascending = kpi.direction.value == "lower_is_better"
    rows = rows.sort_values(["value", "unit_name"], ascending=[ascending, True], na_position="last")
    parent_value = frame["value"].get(parent)
    parent_suppressed = bool(frame["suppressed"].get(parent, False))
    return BenchmarkResult(
        kpi.id,
        parent,
        period,
        grain,
        None if parent_value is None or pd.isna(parent_value) else float(parent_value),
        parent_suppressed,
        target,
        rows.reset_index(drop=True),
    )


def shape_targets(
    raw: pd.DataFrame,
    kpi: Kpi,
    order: list[tuple[str, int]],
    names: dict[str, str],
    parents: dict[str, str | None],
    targets: dict[str, float | None],
    period: date,
    grain: Grain,
    decision: Decision | None = None,
) -> TargetResult:
    frame = values_from(raw, kpi)
    if decision is not None:
        frame = decision.apply(frame, grain)
    stamp = pd.Timestamp(period)
    now = frame[frame["period"] == stamp].set_index("unit")
    before = frame[frame["period"] == pd.Timestamp(next_period(period, grain, -1))].set_index(
        "unit"
    )
    rows = pd.DataFrame({"unit_id": [u for u, _ in order], "depth": [d for _, d in order]})
    rows["unit_name"] = rows["unit_id"].map(names)
    rows["parent_id"] = rows["unit_id"].map(parents)
    rows["value"] = rows["unit_id"].map(now["value"]).astype(float)
    rows["previous"] = rows["unit_id"].map(before["value"]).astype(float)
    rows["movement"] = rows["value"] - rows["previous"]
    rows["target"] = rows["unit_id"].map(targets).astype(float)
    rows["deviation"] = rows["value"] - rows["target"]
    rows["n"] = rows["unit_id"].map(now["n"])
    rows["suppressed"] = (
        rows["unit_id"].map(now["suppressed"]).astype("boolean").fillna(False).astype(bool)
    )
    if kpi.min_n and not _shared(decision):
        rows = pd.concat(
            [
                suppress_secondary(group)
                for _, group in rows.groupby("parent_id", dropna=False, sort=False)
            ]
        ).sort_index()
        rows["deviation"] = rows["value"] - rows["target"]
        rows.loc[rows["suppressed"], "movement"] = np.nan
    return TargetResult(kpi.id, period, grain, rows)


def target_window(period: date, grain: Grain) -> tuple[date, date]:
    """This period and the one before it, for the movement column."""
    start, end = period_bounds(period, grain)
    return next_period(start, grain, -1), end
