"""Relations named by the catalogue: fact sources, the organisation tree and its closure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FromClause
from sqlalchemy.sql.selectable import Values

from queries.catalogue.models import Catalogue, Filter, Kpi, SourceSql

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


def sql_dir_for(catalogue_path: str | Path) -> Path:
    """Where `source: {sql: NAME.sql}` files are read: the `sql/` folder beside the
    catalogue file, so an analyst keeps the SQL with the YAML; without that folder,
    the shipped `queries/sql/`."""
    beside = Path(catalogue_path).resolve().parent / "sql"
    return beside if beside.is_dir() else SQL_DIR


def named_table(qualified: str, *columns: str) -> sa.TableClause:
    """A lightweight table for a catalogue name such as "fact_sag" or "dbo.fact_sag"."""
    schema, _, name = qualified.rpartition(".")
    return sa.table(name, *(sa.column(c) for c in columns), schema=schema or None)


def _filter_columns(filters: tuple[Filter, ...]) -> list[str]:
    return [f.column for f in filters if f.column]


def referenced_columns(kpi: Kpi) -> list[str]:
    """Every source column the KPI uses, in a stable order without repeats."""
    names = [kpi.time.column, kpi.org]
    if kpi.citizen:
        names.append(kpi.citizen)
    names += _filter_columns(kpi.filters)
    measure = kpi.measure
    if measure.column:
        names.append(measure.column)
    names += _filter_columns(measure.filters)
    for part in (measure.numerator, measure.denominator):
        if part is not None:
            names += ([part.column] if part.column else []) + _filter_columns(part.filters)
    if kpi.list:
        names += [c.column for c in kpi.list.columns if c.table == "fact"]
    return list(dict.fromkeys(names))


def source_relation(kpi: Kpi, sql_dir: Path = SQL_DIR) -> FromClause:
    """The KPI's fact relation: a table or view, or a SELECT kept in `sql_dir`."""
    columns = referenced_columns(kpi)
    if isinstance(kpi.source, SourceSql):
        text = (sql_dir / kpi.source.sql).read_text(encoding="utf-8").strip().rstrip(";")
        return sa.text(text).columns(*(sa.column(c) for c in columns)).subquery("src")
    return named_table(kpi.source, *columns).alias("src")


def org_table(catalogue: Catalogue) -> sa.TableClause:
    org = catalogue.warehouse.org
    return named_table(org.table, org.id, org.parent, org.name)


def org_closure(catalogue: Catalogue) -> sa.CTE:
    """(ancestor, descendant) for every unit and each of its descendants, itself included.

    Computed by the warehouse from the organisation table, so a row is counted under
    every ancestor and distinct counts and ratios are right at every level.
    """
    org = catalogue.warehouse.org
    table = org_table(catalogue)
    base = sa.select(table.c[org.id].label("ancestor"), table.c[org.id].label("descendant")).cte(
        "org_closure", recursive=True
    )
    step = sa.select(base.c.ancestor, table.c[org.id]).where(
        table.c[org.parent] == base.c.descendant
    )
    return base.union_all(step)


def closure_pairs(
    children: Mapping[str, Sequence[str]], ancestors: Iterable[str]
) -> list[tuple[str, str]]:
    """(ancestor, descendant) for each ancestor and every unit below it, itself included,
    from an org tree already in memory (`children`: unit -> its child units)."""
    pairs: list[tuple[str, str]] = []
    for ancestor in dict.fromkeys(ancestors):
        seen, stack = set(), [ancestor]
        while stack:  # depth first; `seen` guards against a cycle in a broken dimension
            unit = stack.pop()
            if unit in seen:
                continue
            seen.add(unit)
            pairs.append((ancestor, unit))
            stack.extend(children.get(unit, ()))
    return pairs


class InlineRows(Values):
    """A small table of literal rows in the statement itself (the closure, the units'
    codes): the database sees a plain join with a small known table, no recursive CTE,
    and no bound parameter per row (SQL Server takes at most 2,100 in one statement)."""

    inherit_cache = True


def inline_closure(
    pairs: Sequence[tuple[str | int, str]], *, ancestor: sa.types.TypeEngine | None = None
) -> InlineRows:
    """(ancestor, descendant) rows written into the statement (see `closure_pairs`); the
    ancestor a unit id, or its code (`inline_codes`) with `ancestor=sa.Integer()`."""
    rows = list(pairs) or [("", "")]  # VALUES needs a row; callers add a false filter then
    columns = (
        sa.column("ancestor", ancestor if ancestor is not None else sa.String()),
        sa.column("descendant", sa.String()),
    )
    return InlineRows(*columns, name="org_closure", literal_binds=True).data(rows)


def inline_codes(units: Sequence[str]) -> InlineRows:
    """(unit, code): each unit with its position in `units`, so that a statement can take
    the smallest and largest of a citizen's units as whole numbers, not as text."""
    rows = [(unit, code) for code, unit in enumerate(units)] or [("", -1)]
    columns = (sa.column("unit", sa.String()), sa.column("code", sa.Integer()))
    return InlineRows(*columns, name="unit_code", literal_binds=True).data(rows)


def _quoted(value: object) -> str:
    """A unit id as an SQL string literal (standard SQL: a quote is doubled)."""
    return "'" + str(value).replace("'", "''") + "'"


def _literal_rows(element: InlineRows, compiler: Any) -> list[tuple[str, ...]]:
    rows = [row for chunk in element._data for row in chunk]
    text = sa.String()
    mysql = compiler.dialect.name in ("mysql", "mariadb")  # a backslash escapes there too

    def literal(value: object) -> str:
        if isinstance(value, int):
            return str(int(value))
        return compiler.render_literal_value(value, text) if mysql else _quoted(value)

    return [tuple(literal(v) for v in row) for row in rows]


def _names(element: InlineRows) -> list[str]:
    return [column.name for column in element._column_args]


@compiles(InlineRows)
def _rows_values(element: InlineRows, compiler: Any, **kw: Any) -> str:
    # Written here rather than by SQLAlchemy's VALUES, which binds and renders each value
    # as a parameter first: 25-45 ms for a tree of a hundred units, on every lens query.
    rows = ", ".join(f"({', '.join(row)})" for row in _literal_rows(element, compiler))
    body = f"(VALUES {rows})"
    names = ", ".join(_names(element))
    return f"{body} AS {element.name} ({names})" if kw.get("asfrom") else body


@compiles(InlineRows, "sqlite")
def _rows_sqlite(element: InlineRows, compiler: Any, **kw: Any) -> str:
    # SQLite names a VALUES table's columns column1, column2 and takes no column aliases.
    rows = ", ".join(f"({', '.join(row)})" for row in _literal_rows(element, compiler))
    named = ", ".join(f"column{i} AS {name}" for i, name in enumerate(_names(element), 1))
    body = f"SELECT {named} FROM (VALUES {rows})"
    return f"({body}) AS {element.name}" if kw.get("asfrom") else f"({body})"


@compiles(InlineRows, "mysql")
@compiles(InlineRows, "mariadb")
def _rows_mysql(element: InlineRows, compiler: Any, **kw: Any) -> str:
    # MariaDB takes no column aliases on a VALUES table: the first row names the columns.
    first, *rest = _literal_rows(element, compiler)
    named = ", ".join(f"{v} AS {name}" for v, name in zip(first, _names(element), strict=True))
    body = f"SELECT {named}" + "".join(f" UNION ALL SELECT {', '.join(row)}" for row in rest)
    return f"({body}) AS {element.name}" if kw.get("asfrom") else f"({body})"


@compiles(InlineRows, "duckdb")
def _rows_duckdb(element: InlineRows, compiler: Any, **kw: Any) -> str:
    # A list constant per column instead of a VALUES row per pair: DuckDB binds each
    # VALUES row's expressions one by one (some 20 ms for a tree of a hundred units), a
    # list at once.
    rows = _literal_rows(element, compiler)
    lists = [", ".join(column) for column in zip(*rows, strict=True)]
    named = ", ".join(
        f"unnest([{values}]) AS {name}"
        for values, name in zip(lists, _names(element), strict=True)
    )  # fmt: skip
    body = f"SELECT {named}"
    return f"({body}) AS {element.name}" if kw.get("asfrom") else f"({body})"
