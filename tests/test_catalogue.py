"""What the catalogue loader says about broken files: each case in catalogue_cases/.

Every case is a small, complete catalogue with one deliberate mistake (a few have
several) and says at its top exactly what it must report, in order:

    # expect: 41: kpis[0].filters[0].op: '==' is not allowed; use '=', ...
    # expect with warehouse: 37: kpis[0].source: table or view 'fact_ydelse' has ...

`expect` lines are the problems of an offline load (stage one, fields; stage two, rules
across KPIs), each written as `str(Problem)` without the leading file name. A file with
no `expect` lines must load. `expect with warehouse` lines are the problems of a load
against the small DuckDB warehouse built below (stage three); every `warehouse_*` case
is loaded that way. `{sql: file.sql}` sources are looked up next to the cases, and
`{sql_dir}` in an expectation stands for that folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from queries.catalogue.loader import CatalogueError, load_catalogue
from queries.settings import ROOT

CASES = Path(__file__).parent / "catalogue_cases"
CASE_FILES = sorted(CASES.glob("*.yaml"))
WAREHOUSE_CASES = [path for path in CASE_FILES if path.name.startswith("warehouse_")]
OFFLINE = "# expect: "
WITH_WAREHOUSE = "# expect with warehouse: "


def expected(path: Path, prefix: str) -> list[str]:
    """The problems a case file announces, as `str(Problem)` gives them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        f"{path.name}:{line.removeprefix(prefix).replace('{sql_dir}', str(CASES))}"
        for line in lines
        if line.startswith(prefix)
    ]


def reported(path: Path, engine: sa.Engine | None = None) -> list[str]:
    try:
        load_catalogue(path, engine=engine, sql_dir=CASES)
    except CatalogueError as error:
        return [str(problem) for problem in error.problems]
    return []


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    """The smallest warehouse the `warehouse_*` cases can be checked against."""
    path = tmp_path_factory.mktemp("catalogue") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE dim_org (org_id TEXT, parent_id TEXT, org_navn TEXT)")
        connection.execute(
            "INSERT INTO dim_org VALUES ('MSB', NULL, 'MSB'), ('JSY', 'MSB', 'Jobcenter Syd')"
        )
        connection.execute("CREATE TABLE dim_borger (borger_id INTEGER, cpr TEXT, navn TEXT)")
        connection.execute("CREATE TABLE load_log (kilde TEXT, indlaest_tid TIMESTAMP)")
        connection.execute(
            "CREATE TABLE fact_ydelse (maaned DATE, org_id TEXT, borger_id INTEGER, ydelse TEXT)"
        )
    engine = sa.create_engine(f"duckdb:///{path}")
    yield engine
    engine.dispose()


def test_the_corpus_is_complete() -> None:
    assert len(CASE_FILES) >= 20
    for path in CASE_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and not first.startswith("# expect"), (
            f"{path.name} should open with a comment saying what is wrong"
        )
    broken = [p for p in CASE_FILES if expected(p, OFFLINE) or expected(p, WITH_WAREHOUSE)]
    assert len(broken) >= 20


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda path: path.stem)
def test_offline_problems(path: Path) -> None:
    assert reported(path) == expected(path, OFFLINE)


@pytest.mark.parametrize("path", WAREHOUSE_CASES, ids=lambda path: path.stem)
def test_warehouse_problems(path: Path, warehouse: sa.Engine) -> None:
    assert reported(path, warehouse) == expected(path, WITH_WAREHOUSE)


def test_problems_are_listed_in_line_order() -> None:
    problems = expected(CASES / "several_problems.yaml", OFFLINE)
    lines = [int(problem.split(":")[1]) for problem in problems]
    assert len(problems) > 3 and lines == sorted(lines)


def test_the_shipped_catalogue_loads_offline() -> None:
    catalogue = load_catalogue(ROOT / "kpi_definitions.yaml")
    assert catalogue.kpis


def validate(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "queries", "validate", "--offline", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_validate_command_prints_every_problem_and_fails() -> None:
    path = CASES / "several_problems.yaml"
    result = validate(str(path.relative_to(ROOT)))
    problems = expected(path, OFFLINE)
    assert result.returncode == 1
    assert result.stdout.splitlines() == problems
    assert result.stderr.strip() == f"{len(problems)} problem(s) found."


def test_validate_command_summarises_a_good_catalogue() -> None:
    catalogue = load_catalogue(ROOT / "kpi_definitions.yaml")
    sections = sum(len(area.sections) for area in catalogue.areas)
    result = validate("kpi_definitions.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"kpi_definitions.yaml: OK — {len(catalogue.kpis)} KPIs in {len(catalogue.areas)} areas "
        f"and {sections} sections, not checked against a warehouse.",
        f"start_her.yaml: OK — {len(catalogue.start_tree.steps)} steps, "
        f"{sum(c.next is None for s in catalogue.start_tree.steps for c in s.choices)} answers.",
    ]
    assert result.stderr == ""


def test_a_sound_warehouse_is_checked_in_one_read_and_the_target_units(
    duckdb_path, tmp_path
) -> None:
    """Every relation and column at once (one round trip at start), then the units the
    targets name; a relation that fails is then told on its own (the cases above)."""
    # A copy: DuckDB refuses a second configuration of a file this process already has open.
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(duckdb_path, copy)
    engine = sa.create_engine(f"duckdb:///{copy}", connect_args={"read_only": True})
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        catalogue = load_catalogue(ROOT / "kpi_definitions.yaml", engine=engine)
    finally:
        engine.dispose()
    assert catalogue.kpis
    assert len(statements) == 2, statements
    assert statements[0].count("UNION ALL") >= len(catalogue.kpis)
