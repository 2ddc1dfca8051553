"""An independent answer for every KPI: pandas over the raw rows of the demo frames.

Nothing here uses the compiler. Roll-ups go through an explicit descendant set per
unit, so a distinct count or a ratio at a driftsområde is computed over all its rows.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from queries.catalogue.models import Aggregate, Filter, Grain, Kpi, MeasureType, Operator


def descendants(org: pd.DataFrame) -> dict[str, set[str]]:
    children: dict[str, list[str]] = {}
    for unit, parent in zip(org["org_id"], org["parent_id"], strict=True):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(unit)
    result = {}
    for unit in org["org_id"]:
        found, stack = set(), [unit]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(children.get(current, []))
        result[unit] = found
    return result


def floor(stamps: pd.Series, grain: Grain) -> pd.Series:
    stamps = pd.to_datetime(stamps)
    frequency = {1: "M", 3: "Q", 12: "Y"}[Grain(grain).months]
    return stamps.dt.to_period(frequency).dt.start_time


def _matches(col: pd.Series, op: Operator, value: object) -> pd.Series:
    if op is Operator.is_null:
        return col.isna()
    if op is Operator.not_null:
        return col.notna()
    if op is Operator.in_:
        return col.isin(value)
    if op is Operator.not_in:
        return ~col.isin(value) & col.notna()
    compare = {
        Operator.eq: "eq",
        Operator.ne: "ne",
        Operator.lt: "lt",
        Operator.le: "le",
        Operator.gt: "gt",
        Operator.ge: "ge",
    }[op]
    return getattr(col, compare)(value)


def mask(frame: pd.DataFrame, filters: tuple[Filter, ...]) -> pd.Series:
    result = pd.Series(True, index=frame.index)
    for item in filters:
        assert item.sql is None, "the oracle does not evaluate raw SQL filters"
        matched = _matches(frame[item.column], item.op, item.value)
        result &= matched.astype("boolean").fillna(False).astype(bool)
    return result


def _aggregate(rows: pd.DataFrame, part: Aggregate) -> float:
    chosen = rows[mask(rows, part.filters)]
    if part.type == "count":
        return float(len(chosen))
    if part.type == "count_distinct":
        return float(chosen[part.column].nunique())
    return float(chosen[part.column].sum())


def measure(rows: pd.DataFrame, kpi: Kpi) -> tuple[float, float | None, int | None]:
    """(numerator, denominator, n) for the rows of one unit and period."""
    m = kpi.measure
    if m.type is MeasureType.ratio:
        numerator, denominator = _aggregate(rows, m.numerator), _aggregate(rows, m.denominator)
        citizens = rows[mask(rows, m.denominator.filters)]
    else:
        chosen = rows[mask(rows, m.filters)]
        citizens = chosen
        denominator = None
        if m.type is MeasureType.avg:
            values = chosen[m.column].dropna()
            numerator, denominator = float(values.sum()), float(len(values))
        elif m.type is MeasureType.count:
            numerator = float(len(chosen))
        elif m.type is MeasureType.count_distinct:
            numerator = float(chosen[m.column].nunique())
        else:
            numerator = float(chosen[m.column].sum())
            if m.monthly_average:
                denominator = float(floor(chosen[kpi.time.column], Grain.month).nunique())
    n = int(citizens[kpi.citizen].nunique()) if kpi.citizen else None
    return numerator, denominator, n


def value_of(numerator: float, denominator: float | None) -> float:
    if denominator is None:
        return numerator
    return numerator / denominator if denominator else np.nan


def expected(
    frames: dict[str, pd.DataFrame],
    kpi: Kpi,
    units: list[str],
    start: date,
    end: date,
    grain: Grain,
) -> dict[tuple[str, pd.Timestamp], tuple[float, int | None]]:
    """{(unit, period start): (value, n)} for rows in [start, end), unsuppressed."""
    source = frames[kpi.source]
    source = source[mask(source, kpi.filters)]
    stamps = pd.to_datetime(source[kpi.time.column])
    source = source[(stamps >= pd.Timestamp(start)) & (stamps < pd.Timestamp(end))].copy()
    source["_period"] = floor(source[kpi.time.column], grain)
    below = descendants(frames["dim_org"])
    result = {}
    for unit in units:
        rows = source[source[kpi.org].isin(below[unit])]
        for period, group in rows.groupby("_period"):
            numerator, denominator, n = measure(group, kpi)
            result[(unit, pd.Timestamp(period))] = (value_of(numerator, denominator), n)
    return result


def shown(value: float, n: int | None, kpi: Kpi) -> float:
    """What the screen should show: nothing when too few citizens are behind the figure."""
    if kpi.min_n and n is not None and n < kpi.min_n:
        return np.nan
    return value


def shown_among_siblings(
    figures: dict[str, tuple[float, int | None]], kpi: Kpi
) -> dict[str, float]:
    """What the screen should show for a group of siblings: primary suppression, and when
    exactly one is hidden, also the visible sibling with the fewest citizens (ties by id)."""
    result = {unit: shown(value, n, kpi) for unit, (value, n) in figures.items()}
    if not kpi.min_n:
        return result
    hidden = [u for u, (v, n) in figures.items() if n is not None and n < kpi.min_n]
    visible = [u for u, v in result.items() if not np.isnan(v)]
    if len(hidden) == 1 and visible:
        smallest = min(visible, key=lambda u: (figures[u][1], u))
        result[smallest] = np.nan
    return result


def everything(frames: dict[str, pd.DataFrame], kpi: Kpi, grain: Grain) -> dict:
    """expected() for every unit and every period."""
    units = list(frames["dim_org"]["org_id"])
    return expected(frames, kpi, units, date(1900, 1, 1), date(2200, 1, 1), grain)


def cube(found: dict[tuple[str, pd.Timestamp], tuple[float, int | None]]) -> pd.DataFrame:
    """expected() as a cube: (unit, period, value, n)."""
    rows = [(unit, period, value, n) for (unit, period), (value, n) in found.items()]
    frame = pd.DataFrame(rows, columns=["unit", "period", "value", "n"])
    return frame.astype({"n": float})


def decision(frames: dict[str, pd.DataFrame], kpi: Kpi, found=everything):
    """The suppression decision taken over the oracle's own cubes and org tree.

    `found(frames, kpi, grain)` gives expected() for every unit and period."""
    from queries.orgtree import OrgTree
    from queries.suppression import decide

    org = frames["dim_org"]
    tree = OrgTree.from_rows(
        zip(
            org["org_id"],
            org["parent_id"].where(org["parent_id"].notna(), None),
            org["org_navn"],
            strict=True,
        )
    )
    cubes = {grain: cube(found(frames, kpi, grain)) for grain in Grain}
    return decide(kpi.id, cubes, tree, kpi.min_n if kpi.citizen else 0)
