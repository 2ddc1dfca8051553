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

import pandas as pd

from queries.compiler.relations import closure_pairs
from queries.lenses import AGGREGATE_COLUMNS
from queries.orgtree import OrgTree


def ancestors_of_own(org: OrgTree) -> pd.DataFrame:
    """(unit, own): every unit of the tree beside each unit at or below it, the pairs the
    closure's statement joins on."""
    children = {u: org.children(u) for u in org.units}
    return pd.DataFrame(closure_pairs(children, list(org.units)), columns=["unit", "own"])


def roll_up(own: pd.DataFrame, org: OrgTree, *, monthly_average: bool = False) -> pd.DataFrame:
    """The closure's (unit, period, numerator, denominator, n) from the own-unit rows of
    `own_figure_select` (n is NULL: citizens are counted elsewhere).

    A monthly average's own denominator is its matching rows; a unit's is the number of
    months (within the period) whose matching rows at or below it are more than none."""
    if own.empty:
        return pd.DataFrame([], columns=AGGREGATE_COLUMNS)
    # Periods as codes: grouping by small integers is many times faster than by the
    # driver's date objects, which the result keeps (so its dtypes are the closure's).
    period_codes, periods = pd.factorize(own["period"], sort=True)
    own = pd.DataFrame(
        {
            "own": own["unit"].astype(str).to_numpy(),
            "period": period_codes,
            "numerator": pd.to_numeric(own["numerator"], errors="coerce").to_numpy(),
            "denominator": pd.to_numeric(own["denominator"], errors="coerce").to_numpy(),
        }
        | ({"month": pd.factorize(own["month"])[0]} if "month" in own.columns else {})
    )
    months = ["month"] if "month" in own.columns else []
    joined = own.merge(ancestors_of_own(org), on="own", how="inner")
    # min_count: a cell whose parts are all NULL (an average over no value) stays NULL.
    parts = joined.groupby(["unit", "period", *months], sort=True)[["numerator", "denominator"]]
    added = parts.sum(min_count=1)
    if monthly_average:
        added["denominator"] = (added["denominator"] > 0).astype("int64")
        if months:
            added = added.groupby(level=["unit", "period"], sort=True).sum()
    added = added.reset_index()
    records = zip(
        added["unit"].tolist(),
        periods.take(added["period"].to_numpy()).tolist(),
        _values(added["numerator"]),
        _values(added["denominator"]),
        [None] * len(added),
        strict=True,
    )
    # Built like a frame of fetched rows, so its dtypes are those the closure gives.
    return pd.DataFrame(list(records), columns=AGGREGATE_COLUMNS)


def _values(column: pd.Series) -> list[object]:
    """Python values with None for NULL, as a driver returns them."""
    return column.astype(object).where(column.notna(), None).tolist()
