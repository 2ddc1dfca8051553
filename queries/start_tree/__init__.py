"""Start her: the decision tree in `start_her.yaml`, kept beside the KPI catalogue.

Validated like the catalogue, every problem at once with file and line: stage one the
fields (pydantic), stage two the rules across steps and against the catalogue's KPIs.
"""

from __future__ import annotations

from pathlib import Path

from queries.catalogue.loader import model_problems, read_yaml
from queries.catalogue.models import Catalogue
from queries.catalogue.yaml_lines import Problem
from queries.start_tree.models import PAGES, Choice, StartTree, Step
from queries.start_tree.rules import Parsed, check_rules

FILE_NAME = "start_her.yaml"

__all__ = ["FILE_NAME", "PAGES", "Choice", "StartTree", "Step", "start_tree_problems", "tree_path"]


def tree_path(catalogue_path: str | Path) -> Path:
    """Where Start her's tree lives: beside the catalogue file."""
    return Path(catalogue_path).with_name(FILE_NAME)


def start_tree_problems(
    path: str | Path, catalogue: Catalogue
) -> tuple[StartTree | None, list[Problem]]:
    """The tree in `path` checked against `catalogue`; (None, []) when there is no file
    (a catalogue without a tree: Start her then says so)."""
    if not Path(path).exists():
        return None, []
    file, document, problems = read_yaml(path)
    if document is None and problems:
        return None, problems
    if not isinstance(document, dict):
        line = getattr(document, "line", 1)
        wanted = "a mapping with 'start' and 'steps'"
        found = "empty" if document is None else "not a mapping"
        return None, [Problem(file, line, "", f"the file is {found}; it must be {wanted}")]
    tree, found = model_problems(file, document, StartTree)
    problems += found
    if tree is None:
        return None, problems
    problems += check_rules(Parsed(file, document, tree), catalogue)
    return (None if problems else tree), problems
