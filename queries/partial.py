"""Partial periods: the newest quarter or year before the data covers it to its end.

A running quarter or year holds fewer months than a whole one, so it is compared
like for like: with the same months of last year (October 2026 alone against October
2025 alone for a fourth quarter that has reached October), computed live over the
truncated windows. A count or sum target for a whole period is pro-rated by the months
covered; a distinct count cannot be pro-rated (a citizen counted in October may come
back in December), so its target cannot be compared until the period is complete.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.sql import Select

from queries.catalogue.models import Catalogue, Grain, Kpi, MeasureType
from queries.compiler.lenses import aggregate_select
from queries.compiler.periods import add_months, floor_period, next_period
from queries.compiler.relations import SQL_DIR
from queries.engine import read_frame
from queries.lazy import pandas as pd
from queries.lenses import values_from

if TYPE_CHECKING:
    from queries.orgtree import OrgTree


@dataclass(frozen=True)
class Coverage:
    """How much of a period the data covers: `through` is the newest month with data."""

    period: date
    grain: Grain
    through: date

    @property
    def months(self) -> int:
        """Months of the period with data (1..grain.months)."""
        covered = (self.through.year - self.period.year) * 12 + self.through.month
        return max(0, min(covered - self.period.month + 1, self.grain.months))

    @property
    def partial(self) -> bool:
        return 0 < self.months < self.grain.months

    def window(self) -> tuple[date, date]:
        """[start, end) of the months covered."""
        return self.period, add_months(self.period, self.months)

    def last_year_window(self) -> tuple[date, date]:
        """The same months one year earlier."""
        start, end = self.window()
        return add_months(start, -12), add_months(end, -12)


def coverage(period: date, grain: Grain, through: date | None) -> Coverage | None:
    """The coverage of a period, or None when it is complete (or nothing is known)."""
    if through is None:
        return None
    found = Coverage(floor_period(period, grain), Grain(grain), floor_period(through, Grain.month))
    return found if found.partial else None


def is_running(period: date, grain: Grain, through: date | None) -> bool:
    return coverage(period, grain, through) is not None


def latest_complete(latest: date, grain: Grain, through: date | None) -> date:
    """The default period to show: the newest one the data covers to its end."""
    latest = floor_period(latest, grain)
    return next_period(latest, grain, -1) if is_running(latest, grain, through) else latest


# --- targets -------------------------------------------------------------------


def target_for_part(kpi: Kpi, target: float | None, part: Coverage | None) -> float | None:
    """The target a partial period is measured against, or None when there is none.

    Ratios, averages and average months are levels: the target holds for any number of
    months. Counts and sums add up over the months: the target is pro-rated. Distinct
    counts neither add up nor hold as a level: None (see `target_comparable`)."""
    if target is None or part is None:
        return target
    if not target_comparable(kpi, part):
        return None
    if _additive(kpi):
        return target * part.months / part.grain.months
    return target


def target_comparable(kpi: Kpi, part: Coverage | None) -> bool:
    """False when the KPI's target cannot be compared before the period is complete."""
    return part is None or kpi.measure.type is not MeasureType.count_distinct


def _additive(kpi: Kpi) -> bool:
    measure = kpi.measure
    return measure.type is MeasureType.count or (
        measure.type is MeasureType.sum and not measure.monthly_average
    )


def movement_comparable(kpi: Kpi, part: Coverage | None) -> bool:
    """A running period's sum or count against a whole previous period says nothing."""
    return part is None or not (_additive(kpi) or kpi.measure.type is MeasureType.count_distinct)


# --- like for like ---------------------------------------------------------------


@dataclass(frozen=True)
class LikeForLike:
    """One unit's value over the months covered and over the same months last year.

    Values are NaN when hidden (fewer than min_n behind them) or without rows."""

    unit: str
    coverage: Coverage
    value: float
    n: float
    last_year: float
    last_year_n: float


def like_for_like_selects(
    catalogue: Catalogue,
    kpi: Kpi,
    units: list[str],
    part: Coverage,
    sql_dir: Path = SQL_DIR,
    org: OrgTree | None = None,
) -> tuple[Select, Select]:
    """(this year's months, last year's same months), each one row per unit. With `org`,
    the tree in memory, the closure is written into the statement (no recursive CTE)."""

    def window(start: date, end: date) -> Select:
        return aggregate_select(
            catalogue,
            kpi,
            units=units,
            start=start,
            end=end,
            grain=part.grain,
            by_period=False,
            sql_dir=sql_dir,
            org=org,
        )

    return window(*part.window()), window(*part.last_year_window())


def like_for_like(
    engine: sa.Engine,
    catalogue: Catalogue,
    kpi: Kpi,
    units: list[str],
    part: Coverage,
    sql_dir: Path = SQL_DIR,
    org: OrgTree | None = None,
) -> dict[str, LikeForLike]:
    """Run both windows and line them up per unit."""
    now_query, then_query = like_for_like_selects(catalogue, kpi, units, part, sql_dir, org)
    now, then = _values(engine, now_query, kpi), _values(engine, then_query, kpi)
    return {
        unit: LikeForLike(
            unit,
            part,
            now["value"].get(unit, float("nan")),
            now["n"].get(unit, float("nan")),
            then["value"].get(unit, float("nan")),
            then["n"].get(unit, float("nan")),
        )
        for unit in units
    }


def _values(engine: sa.Engine, query: Select, kpi: Kpi) -> pd.DataFrame:
    raw = read_frame(engine, query)
    raw = raw.reindex(columns=["unit", "numerator", "denominator", "n"])
    frame = values_from(raw, kpi)  # hides values with fewer than min_n behind them
    return frame.set_index("unit")[["value", "n"]].astype(float)
