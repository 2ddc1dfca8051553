"""Start her's decision tree: each case in start_her_cases/ says at its top what it must
report (`# expect: LINE: PATH: MESSAGE`, as `str(Problem)` without the file name); the
shipped tree is valid; and a bad tree beside a catalogue stops `validate`, `check` and
the app's start with the same messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from queries.catalogue.loader import CatalogueError, load_catalogue
from queries.settings import ROOT
from queries.start_tree import PAGES, start_tree_problems, tree_path
from queries.start_tree.models import MAX_QUESTIONS

CASES = Path(__file__).parent / "start_her_cases"
CASE_FILES = sorted(CASES.glob("*.yaml"))
EXPECT = "# expect: "


def expected(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [f"{path.name}:{line.removeprefix(EXPECT)}" for line in lines if line.startswith(EXPECT)]


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_each_case_reports_exactly_what_it_announces(path: Path, catalogue) -> None:
    tree, problems = start_tree_problems(path, catalogue)
    assert sorted(str(p) for p in problems) == sorted(expected(path))
    assert (tree is None) == bool(problems)


def test_the_corpus_has_valid_and_broken_trees() -> None:
    broken = [p for p in CASE_FILES if expected(p)]
    assert len(broken) >= 7 and len(CASE_FILES) > len(broken)


def test_the_shipped_tree_is_valid_and_reaches_every_kind_of_place(catalogue) -> None:
    tree = catalogue.start_tree
    assert tree is not None, "start_her.yaml beside kpi_definitions.yaml is loaded with it"
    assert tree_path(ROOT / "kpi_definitions.yaml") == ROOT / "start_her.yaml"
    choices = [c for step in tree.steps for c in step.choices]
    # The method's questions are the first step's.
    first = [c.label for c in tree.step(tree.start).choices]
    for question in ("Vil du sætte mål?", "Undrer et tal dig?", "Mangler du data?"):
        assert question in first
    pages = {c.page for c in choices if c.page}
    assert {"spilleplade", "maalkompas", "definitioner", "dialog"} <= pages <= set(PAGES)
    assert any(c.kpi and c.sammenlign == "teams" for c in choices)
    assert all(len(tree.way_to(step.id)) <= MAX_QUESTIONS for step in tree.steps)


def _catalogue_with_tree(tmp_path: Path, tree_text: str) -> Path:
    shutil.copy(ROOT / "kpi_definitions.yaml", tmp_path / "kpi_definitions.yaml")
    (tmp_path / "start_her.yaml").write_text(tree_text, encoding="utf-8")
    return tmp_path / "kpi_definitions.yaml"


BAD_TREE = (CASES / "unknown_kpi.yaml").read_text(encoding="utf-8")


def test_a_bad_tree_beside_the_catalogue_stops_its_loading(tmp_path: Path) -> None:
    path = _catalogue_with_tree(tmp_path, BAD_TREE)
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(path)
    said = [str(p) for p in raised.value.problems]
    assert said == [
        line.replace("unknown_kpi.yaml", "start_her.yaml")
        for line in expected(CASES / "unknown_kpi.yaml")
    ]


def test_a_catalogue_without_a_tree_loads_and_has_none(tmp_path: Path) -> None:
    shutil.copy(ROOT / "kpi_definitions.yaml", tmp_path / "kpi_definitions.yaml")
    assert load_catalogue(tmp_path / "kpi_definitions.yaml").start_tree is None


def _run(*args: str, catalogue: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MSB_CATALOGUE": str(catalogue)}
    return subprocess.run(
        [sys.executable, "-m", "queries", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_and_check_name_the_tree_s_file_and_line(tmp_path: Path) -> None:
    path = _catalogue_with_tree(tmp_path, BAD_TREE)
    validated = _run("validate", "--offline", catalogue=path)
    assert validated.returncode == 1
    assert "start_her.yaml:9: steps[0].choices[0].kpi: unknown KPI" in validated.stdout
    checked = _run("check", catalogue=path)
    assert checked.returncode == 1
    assert "start_her.yaml:9: steps[0].choices[0].kpi: unknown KPI" in checked.stdout
    page = _catalogue_with_tree(tmp_path, (CASES / "unknown_page.yaml").read_text("utf-8"))
    refused = _run("validate", "--offline", catalogue=page)
    assert refused.returncode == 1
    assert "start_her.yaml:11: steps[0].choices[1].page: 'forside' is not allowed" in refused.stdout


def test_validate_says_the_good_tree_is_ok(tmp_path: Path) -> None:
    path = _catalogue_with_tree(tmp_path, (CASES / "valid.yaml").read_text(encoding="utf-8"))
    validated = _run("validate", "--offline", catalogue=path)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "start_her.yaml: OK — 2 steps, 3 answers." in validated.stdout


def test_the_app_refuses_to_start_on_a_bad_tree(tmp_path: Path) -> None:
    path = _catalogue_with_tree(tmp_path, BAD_TREE)
    env = {**os.environ, "MSB_CATALOGUE": str(path)}
    started = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 1
    assert "MSB i tal starter ikke" in started.stderr
    assert "start_her.yaml:9: steps[0].choices[0].kpi" in started.stderr


def test_the_readme_documents_every_page_a_choice_may_end_at() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Start her: the decision tree")[1].split("\n## ")[0]
    assert all(f"`{page}`" in section for page in PAGES)
