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
    numerator = _floats(frame["numerator"])
    denominator = _floats(frame["denominator"])
    with np.errstate(divide="ignore", invalid="ignore"):
        divided = numerator / np.where(denominator != 0, denominator, np.nan)
    value = np.where(np.isnan(denominator), numerator, divided)
    n = pd.to_numeric(frame["n"], errors="coerce")
    if kpi.min_n:
        suppressed = (n < kpi.min_n).fillna(False).to_numpy(dtype=bool)
    else:
        suppressed = np.zeros(len(frame), dtype=bool)
    value[suppressed] = np.nan
    frame["value"] = value
    frame["n"] = n
    frame["suppressed"] = suppressed
    if "period" in frame:
        frame["period"] = pd.to_datetime(frame["period"]).dt.normalize()
    frame["unit"] = frame["unit"].astype(str)
    return frame


def _floats(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _looked_up(values: pd.Series, at: np.ndarray) -> np.ndarray:
    """`values` at positions `at`, NaN where a position is -1 (not there): what
    `Series.map` gives, an int column becoming float only when something is missing.
    For the few rows of a lens; `map` boxed every date and cost most of a lens's shaping."""
    if len(values) == 0:
        return np.full(len(at), np.nan)
    found = values.to_numpy()[at]
    if (at >= 0).all():
        return found
    return np.where(at >= 0, found.astype(float), np.nan)


def _flags(values: pd.Series, at: np.ndarray) -> np.ndarray:
    """Booleans at positions `at`, False where a position is -1."""
    if len(values) == 0:
        return np.zeros(len(at), dtype=bool)
    return np.where(at >= 0, values.to_numpy(dtype=bool)[at], False)


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
    units = frame["unit"].to_numpy()
    mine = frame[units == unit]
    index = pd.to_datetime(pd.Series(shown))
    periods = pd.DatetimeIndex(mine["period"])
    here = periods.get_indexer(index)
    year_before = periods.get_indexer(index - pd.DateOffset(years=1))
    if parent:
        theirs = frame[units == parent]
        above = _looked_up(theirs["value"], pd.DatetimeIndex(theirs["period"]).get_indexer(index))
    out = pd.DataFrame(
        {
            "period": index,
            "value": _looked_up(mine["value"], here).astype(float),
            "n": _looked_up(mine["n"], here),
            "suppressed": _flags(mine["suppressed"], here),
            "last_year": _looked_up(mine["value"], year_before).astype(float),
            "parent": above.astype(float) if parent else np.nan,
            "target": np.nan if target is None else float(target),
        }
    )
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
    at = pd.Index(frame["unit"]).get_indexer(list(members))
    rows = pd.DataFrame(
        {
            "unit_id": list(members),
            "unit_name": [names.get(u, np.nan) for u in members],
            "value": _looked_up(frame["value"], at).astype(float),
            "n": _looked_up(frame["n"], at),
            "suppressed": _flags(frame["suppressed"], at),
            "has_children": [bool(has_children.get(u, np.nan)) for u in members],
        }
    )
    frame = frame.set_index("unit")
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
