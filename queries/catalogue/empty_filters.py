"""Warnings for analysts: filters that match no rows in the warehouse.

A filter that matches nothing is valid YAML and valid SQL, yet the KPI then shows "ingen
data" everywhere, most often because of a misspelt value ("klage" for "Klage"). These
are warnings, not errors: a new KPI may be defined before its data arrive.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql.expression import ColumnElement, FromClause

from queries.catalogue.describe import describe_filter, describe_filters
from queries.catalogue.loader import Loaded, Problem
from queries.catalogue.models import Filter, Kpi, MeasureType
from queries.compiler.measures import condition
from queries.compiler.relations import source_relation

WARNING = "warning: "


def _filter_lists(kpi: Kpi) -> Iterator[tuple[tuple[Any, ...], tuple[Filter, ...]]]:
    """(place in the YAML, filters) of each measure part that has its own filters."""
    measure = kpi.measure
    if measure.type is MeasureType.ratio:
        yield ("measure", "numerator", "filters"), measure.numerator.filters
        yield ("measure", "denominator", "filters"), measure.denominator.filters
    else:
        yield ("measure", "filters"), measure.filters


def _any_row(connection: sa.Connection, src: FromClause, where: list[ColumnElement]) -> bool:
    query = sa.select(sa.literal(1)).select_from(src).where(*where).limit(1)
    return connection.execute(query).first() is not None


def _empty(
    loaded: Loaded,
    connection: sa.Connection,
    src: FromClause,
    place: tuple[Any, ...],
    filters: tuple[Filter, ...],
    base: list[ColumnElement],
) -> list[Problem]:
    """A warning at each filter that alone matches no rows, or at the list when only the
    filters together match none."""
    if not filters or _any_row(connection, src, base + [condition(src, f) for f in filters]):
        return []
    alone = [
        loaded.problem(
            (*place, j),
            f"{WARNING}no rows in the warehouse match «{describe_filter(item)}»; "
            "check the column and the value (spelling, upper and lower case)",
        )
        for j, item in enumerate(filters)
        if not _any_row(connection, src, [*base, condition(src, item)])
    ]
    return alone or [
        loaded.problem(
            place,
            f"{WARNING}no rows in the warehouse match all of «{describe_filters(filters)}» "
            "together",
        )
    ]


def empty_filter_warnings(loaded: Loaded, engine: sa.Engine, sql_dir: Path) -> list[Problem]:
    """Every KPI filter, and every measure part's filters (within the KPI's), that match no
    rows. Checks that fail in the database are left to the validation errors."""
    warnings: list[Problem] = []
    with engine.connect() as connection:
        for i, kpi in enumerate(loaded.catalogue.kpis):
            try:
                src = source_relation(kpi, sql_dir)
                found = _empty(loaded, connection, src, ("kpis", i, "filters"), kpi.filters, [])
                if not found:
                    base = [condition(src, f) for f in kpi.filters]
                    for place, filters in _filter_lists(kpi):
                        found += _empty(loaded, connection, src, ("kpis", i, *place), filters, base)
            except (SQLAlchemyError, OSError):
                connection.rollback()
                continue
            warnings += found
    return sorted(set(warnings))
