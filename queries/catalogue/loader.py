"""Load `kpi_definitions.yaml` into a frozen Catalogue, reporting every problem at once.

Stage one checks each field (pydantic); stage two checks rules across KPIs and, when
an engine is given, that tables and columns exist in the warehouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from queries.catalogue.models import Catalogue
from queries.catalogue.yaml_lines import load_with_lines, locate


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class CatalogueError(Exception):
    """The catalogue cannot be used; `problems` lists every reason, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the KPI catalogue:\n{lines}")


@dataclass(frozen=True)
class Loaded:
    """A parsed document with its line information, and the catalogue if stage one passed."""

    file: str
    document: Any
    catalogue: Catalogue | None
    problems: list[Problem]

    def problem(self, loc: tuple[Any, ...], message: str) -> Problem:
        line, path = locate(self.document, loc)
        return Problem(self.file, line, path, message)


def parse_catalogue(path: str | Path) -> Loaded:
    """Stage one: YAML syntax, duplicate keys and every field's type and shape."""
    file = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return Loaded(file, None, None, [Problem(file, 0, "", f"cannot read the file: {error}")])
    try:
        document, duplicates = load_with_lines(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        what = getattr(error, "problem", None) or str(error)
        return Loaded(file, None, None, [Problem(file, line, "", f"YAML syntax: {what}")])

    problems = [
        Problem(file, dup.line, dup.key, f"duplicate key (first given on line {dup.first_line})")
        for dup in duplicates
    ]
    if not isinstance(document, dict):
        problems.append(
            Problem(file, 1, "", "the file must be a mapping with 'warehouse', 'areas' and 'kpis'")
        )
        return Loaded(file, document, None, problems)
    try:
        catalogue = Catalogue.model_validate(document)
    except ValidationError as error:
        loaded = Loaded(file, document, None, [])
        seen: set[tuple[int, str]] = set()
        for item in error.errors():
            problem = loaded.problem(item["loc"], _explain(item))
            if (
                problem.line,
                problem.path,
            ) not in seen:  # one message per place, not per union member
                seen.add((problem.line, problem.path))
                problems.append(problem)
        return Loaded(file, document, None, problems)
    return Loaded(file, document, None if problems else catalogue, problems)


def load_catalogue(path: str | Path, engine: Any = None, sql_dir: Path | None = None) -> Catalogue:
    """Load and fully validate a catalogue; raise CatalogueError listing every problem."""
    from queries.catalogue.rules import check_rules

    loaded = parse_catalogue(path)
    if loaded.catalogue is None:
        raise CatalogueError(loaded.problems)
    problems = check_rules(loaded, engine=engine, sql_dir=sql_dir)
    if problems:
        raise CatalogueError(problems)
    return loaded.catalogue


def _explain(item: dict[str, Any]) -> str:
    """pydantic's message, reworded where it would not tell an analyst what to do."""
    kind, message = item["type"], item["msg"]
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see the README for the fields allowed here)"
    if kind == "missing":
        return "required field is missing"
    if kind == "string_pattern_mismatch":
        return f"'{item['input']}' is not allowed here: {_pattern_hint(item['ctx']['pattern'])}"
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        return f"'{item['input']}' is not allowed; {message[0].lower()}{message[1:]}"
    return message


def _pattern_hint(pattern: str) -> str:
    hints = {
        "^[a-z][a-z0-9_]*$": "use lower-case letters, digits and _ (starting with a letter)",
        "^[A-Za-z_][A-Za-z0-9_]*$": "use letters, digits and _ (a plain SQL name)",
    }
    return hints.get(pattern, f"it must match {pattern}")
