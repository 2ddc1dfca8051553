"""Stage two of validation: rules across KPIs, and checks against the warehouse.

Each rule is a small function that returns the problems it finds, so a new rule is a
new function in RULES (or WAREHOUSE_RULES when it needs the database).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from queries.catalogue.loader import Loaded, Problem
from queries.catalogue.models import Catalogue, MeasureType, SourceSql
from queries.catalogue.sources import sources_are_used
from queries.compiler.relations import SQL_DIR, named_table, referenced_columns, source_relation

SENTENCE_FIELDS = {"periode", "værdi", "enhed"}


def unique_kpi_ids(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    first: dict[str, tuple[int, int]] = {}  # id -> (index, line) of its first use
    problems = []
    for index, kpi in enumerate(loaded.catalogue.kpis):
        here = loaded.problem(("kpis", index, "id"), "")
        if kpi.id in first:
            other, line = first[kpi.id]
            message = f"'{kpi.id}' is already the id of kpis[{other}] on line {line}"
            problems.append(replace(here, message=message))
        first.setdefault(kpi.id, (index, here.line))
    return problems


def unique_sections(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    first: dict[str, int] = {}  # id -> line of its first use
    problems = []
    for a, area in enumerate(loaded.catalogue.areas):
        for s, section in enumerate(area.sections):
            here = loaded.problem(("areas", a, "sections", s, "id"), "")
            if section.id in first:
                message = f"'{section.id}' is already a section id on line {first[section.id]}"
                problems.append(replace(here, message=message))
            first.setdefault(section.id, here.line)
    return problems


def sections_exist(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    known = [s.id for area in loaded.catalogue.areas for s in area.sections]
    return [
        loaded.problem(
            ("kpis", i, "section"),
            f"unknown section '{kpi.section}'; known sections: {', '.join(known)}",
        )
        for i, kpi in enumerate(loaded.catalogue.kpis)
        if kpi.section not in known
    ]


def lists_are_answerable(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    """Citizen columns need a citizen dimension and a citizen column on the KPI."""
    problems = []
    has_dimension = loaded.catalogue.warehouse.citizen is not None
    for i, kpi in enumerate(loaded.catalogue.kpis):
        if kpi.list is None:
            continue
        for c, col in enumerate(kpi.list.columns):
            if col.table != "citizen":
                continue
            if not has_dimension:
                problems.append(
                    loaded.problem(
                        ("kpis", i, "list", "columns", c, "table"),
                        "'citizen' columns need warehouse.citizen to be configured",
                    )
                )
            elif kpi.citizen is None:
                problems.append(
                    loaded.problem(
                        ("kpis", i, "list", "columns", c, "table"),
                        "a 'citizen' column needs the KPI's own 'citizen' field, naming the "
                        "source column that holds the citizen id (e.g. citizen: borger_id)",
                    )
                )
    return problems


def targets_make_sense(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    problems = []
    for i, kpi in enumerate(loaded.catalogue.kpis):
        if kpi.target is None or kpi.format.value != "percent":
            continue
        values = [(("default",), kpi.target.default)]
        values += [(("units", unit), value) for unit, value in kpi.target.units.items()]
        problems += [
            loaded.problem(
                ("kpis", i, "target", *where),
                f"{_number(value)} is not a fraction between 0 and 1; "
                "a percent target is written 0.25 for 25 %",
            )
            for where, value in values
            if value is not None and not 0 <= value <= 1
        ]
    return problems


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def sentences_are_templates(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    problems = []
    for i, kpi in enumerate(loaded.catalogue.kpis):
        if kpi.sentence is None:
            continue
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(kpi.sentence) if name}
        except ValueError as error:
            message = f"not a valid template ({error}); write {{{{ and }}}} for a literal brace"
        else:
            unknown = ", ".join(f"{{{name}}}" for name in sorted(names - SENTENCE_FIELDS))
            message = f"unknown placeholder(s) {unknown}" if unknown else ""
        if message:
            problems.append(
                loaded.problem(
                    ("kpis", i, "sentence"),
                    f"{message}; the placeholders are {{periode}}, {{værdi}} and {{enhed}}",
                )
            )
    return problems


def sql_files_exist(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    return [
        loaded.problem(("kpis", i, "source", "sql"), f"no such file: {sql_dir / kpi.source.sql}")
        for i, kpi in enumerate(loaded.catalogue.kpis)
        if isinstance(kpi.source, SourceSql) and not (sql_dir / kpi.source.sql).is_file()
    ]


def ratio_parts_differ(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    return [
        loaded.problem(
            ("kpis", i, "measure"), "numerator and denominator are identical (always 100 %)"
        )
        for i, kpi in enumerate(loaded.catalogue.kpis)
        if kpi.measure.type is MeasureType.ratio
        and kpi.measure.numerator == kpi.measure.denominator
    ]


def numerator_labels_belong_to_ratios(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    return [
        loaded.problem(
            ("kpis", i, "list", "numerator_label"),
            "only a ratio's list can be narrowed to its numerator; remove numerator_label "
            f"or make the measure a ratio (it is '{kpi.measure.type.value}')",
        )
        for i, kpi in enumerate(loaded.catalogue.kpis)
        if kpi.list is not None
        and kpi.list.numerator_label is not None
        and kpi.measure.type is not MeasureType.ratio
    ]


Rule = Callable[[Loaded, Path], list[Problem]]
RULES: list[Rule] = [
    unique_kpi_ids,
    unique_sections,
    sections_exist,
    lists_are_answerable,
    targets_make_sense,
    sentences_are_templates,
    sql_files_exist,
    ratio_parts_differ,
    numerator_labels_belong_to_ratios,
    sources_are_used,
]


def _readable(connection: sa.Connection, query: sa.Select) -> bool:
    """Whether a zero-row SELECT runs (duckdb-engine cannot reflect tables)."""
    try:
        connection.execute(query.where(sa.false())).fetchall()
    except SQLAlchemyError:
        connection.rollback()  # PostgreSQL refuses further statements in a failed transaction
        return False
    return True


UNREADABLE = "cannot be read in the warehouse (does it exist?)"


def _relation_problem(
    connection: sa.Connection,
    relation: sa.FromClause,
    columns: list[str],
    named: str,
    unreadable: str = UNREADABLE,
) -> str | None:
    """What is wrong with reading `columns` from `relation` (called `named`), if anything."""

    def readable(names: list[str]) -> bool:
        return _readable(connection, sa.select(*(relation.c[n] for n in names)))

    if readable(columns):
        return None
    missing = [name for name in columns if not readable([name])]
    if missing == columns and not _readable(connection, sa.select(1).select_from(relation)):
        return f"{named} {unreadable}"
    listed = ", ".join(f"'{name}'" for name in missing)
    return f"{named} has no column{'s' if len(missing) > 1 else ''} {listed} in the warehouse"


def _dimension_columns(catalogue: Catalogue) -> list[tuple[str, str, list[str]]]:
    """(field, table, columns) of each dimension configured under `warehouse:`."""
    wh = catalogue.warehouse
    dims = [("org", wh.org.table, [wh.org.id, wh.org.parent, wh.org.name])]
    if wh.citizen:
        citizen = [wh.citizen.id, *([wh.citizen.cpr] if wh.citizen.cpr else [])]
        dims.append(("citizen", wh.citizen.table, citizen))
    if wh.load_log:
        dims.append(("load_log", wh.load_log.table, [wh.load_log.source, wh.load_log.loaded_at]))
    return dims


def _wanted_reads(loaded: Loaded, sql_dir: Path) -> list[sa.Select]:
    """Every read the checks below make, when all of them succeed."""
    catalogue = loaded.catalogue
    reads, dimensions = [], {}
    for name, table, columns in _dimension_columns(catalogue):
        dimensions[name] = table
        relation = named_table(table, *columns)
        reads.append(sa.select(*(relation.c[n] for n in columns)))
    for kpi in catalogue.kpis:
        if isinstance(kpi.source, SourceSql) and not (sql_dir / kpi.source.sql).is_file():
            continue
        relation = source_relation(kpi, sql_dir)
        reads.append(sa.select(*(relation.c[n] for n in referenced_columns(kpi))))
        for col in kpi.list.columns if kpi.list else ():
            if col.table in dimensions:
                relation = named_table(dimensions[col.table], col.column)
                reads.append(sa.select(relation.c[col.column]))
    return reads


def _all_readable(connection: sa.Connection, reads: list[sa.Select]) -> bool:
    """Whether every read runs, asked in one zero-row statement: one round trip at start
    instead of one per relation and column (about 90, a quarter of a second on DuckDB)."""
    if not reads:
        return True
    arms = [
        sa.select(sa.literal(1).label("ok")).select_from(read.where(sa.false()).subquery())
        for read in reads
    ]
    try:
        connection.execute(sa.union_all(*arms)).fetchall()
    except SQLAlchemyError:
        connection.rollback()  # PostgreSQL refuses further statements in a failed transaction
        return False
    return True


def warehouse_matches(loaded: Loaded, sql_dir: Path, engine: sa.Engine) -> list[Problem]:
    with engine.connect() as connection:
        if _all_readable(connection, _wanted_reads(loaded, sql_dir)):
            return _target_units_exist(loaded, connection)
        # Something is wrong: each relation and column on its own says what.
        return _each_relation(loaded, sql_dir, connection)


def _each_relation(loaded: Loaded, sql_dir: Path, connection: sa.Connection) -> list[Problem]:
    problems = []
    readable_dimensions = {}
    for name, table, columns in _dimension_columns(loaded.catalogue):
        relation = named_table(table, *columns)
        found = _relation_problem(connection, relation, columns, f"table '{table}'")
        if found:
            problems.append(loaded.problem(("warehouse", name, "table"), found))
        else:
            readable_dimensions[name] = table
    for i, kpi in enumerate(loaded.catalogue.kpis):
        if isinstance(kpi.source, SourceSql):
            if not (sql_dir / kpi.source.sql).is_file():
                continue  # reported by sql_files_exist
            named, unreadable = f"the SELECT in {kpi.source.sql}", "fails in the warehouse"
        else:
            named, unreadable = f"table or view '{kpi.source}'", UNREADABLE
        relation, columns = source_relation(kpi, sql_dir), referenced_columns(kpi)
        found = _relation_problem(connection, relation, columns, named, unreadable)
        if found:
            problems.append(loaded.problem(("kpis", i, "source"), found))
        problems += _list_columns_exist(loaded, i, connection, readable_dimensions)
    problems += _target_units_exist(loaded, connection)
    return problems


def _list_columns_exist(
    loaded: Loaded, i: int, connection: sa.Connection, dimensions: dict[str, str]
) -> list[Problem]:
    """A KPI's list columns taken from the organisation or citizen table exist there."""
    kpi, problems = loaded.catalogue.kpis[i], []
    for c, col in enumerate(kpi.list.columns if kpi.list else ()):
        table = dimensions.get(col.table)  # "fact" columns are checked with the source
        if table is None:
            continue
        relation = named_table(table, col.column)
        found = _relation_problem(connection, relation, [col.column], f"table '{table}'")
        if found:
            problems.append(loaded.problem(("kpis", i, "list", "columns", c, "column"), found))
    return problems


def _target_units_exist(loaded: Loaded, connection: sa.Connection) -> list[Problem]:
    org = loaded.catalogue.warehouse.org
    table = named_table(org.table, org.id)
    try:
        known = {str(row[0]) for row in connection.execute(sa.select(table.c[org.id]))}
    except SQLAlchemyError:
        connection.rollback()
        return []  # reported by the dimension check
    problems = []
    for i, kpi in enumerate(loaded.catalogue.kpis):
        for unit in kpi.target.units if kpi.target else {}:
            if unit not in known:
                problems.append(
                    loaded.problem(
                        ("kpis", i, "target", "units", unit),
                        f"unknown unit '{unit}': it is not an {org.id} in {org.table}",
                    )
                )
    return problems


def check_rules(loaded: Loaded, engine: Any = None, sql_dir: Path | None = None) -> list[Problem]:
    sql_dir = sql_dir or SQL_DIR
    problems = [p for rule in RULES for p in rule(loaded, sql_dir)]
    if engine is not None and not problems:
        problems += warehouse_matches(loaded, sql_dir, engine)
    return problems
