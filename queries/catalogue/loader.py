"""Load `kpi_definitions.yaml` into a frozen Catalogue, reporting every problem at once.

Stage one checks each field (pydantic); stage two checks rules across KPIs and, when
an engine is given, that tables and columns exist in the warehouse.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError

from queries.catalogue.models import SOURCE_NAME, Catalogue
from queries.catalogue.yaml_lines import Problem, load_with_lines, locate


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


def read_yaml(path: str | Path) -> tuple[str, Any, list[Problem]]:
    """(file name, document with lines, problems): the file read, its YAML syntax and
    duplicate keys checked; the document is None when it cannot be read or parsed."""
    file = Path(path).name
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return file, None, [Problem(file, 0, "", f"cannot read the file: {error}")]
    try:
        document, duplicates = load_with_lines(text)
    except yaml.YAMLError as error:
        return file, None, [_syntax_problem(file, error)]
    problems = [
        Problem(file, dup.line, dup.path, f"given twice (first on line {dup.first_line}); keep one")
        for dup in duplicates
    ]
    return file, document, problems


def model_problems(
    file: str, document: Any, model: type[BaseModel]
) -> tuple[BaseModel | None, list[Problem]]:
    """`document` validated as `model`: the model, or None and one problem per place."""
    try:
        return model.model_validate(document), []
    except ValidationError as error:
        # One message per place: pydantic reports a union once per member.
        by_place: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for item in error.errors():
            if not _echoes_item_errors(item):
                by_place.setdefault(locate(document, item["loc"]), []).append(item)
        return None, [
            Problem(file, line, where, _explain_union(items, model))
            for (line, where), items in by_place.items()
        ]


def parse_catalogue(path: str | Path) -> Loaded:
    """Stage one: YAML syntax, duplicate keys and every field's type and shape."""
    file, document, problems = read_yaml(path)
    if document is None and problems:
        return Loaded(file, None, None, problems)
    if not isinstance(document, dict):
        line = getattr(document, "line", 1)
        problems.append(Problem(file, line, "", _not_a_mapping(document)))
        return Loaded(file, document, None, problems)
    catalogue, found = model_problems(file, document, Catalogue)
    problems += found
    return Loaded(file, document, None if problems else catalogue, problems)


def load_catalogue(path: str | Path, engine: Any = None, sql_dir: Path | None = None) -> Catalogue:
    """Load and fully validate a catalogue; raise CatalogueError listing every problem."""
    from queries.catalogue.rules import check_rules

    loaded = parse_catalogue(path)
    if loaded.catalogue is None:
        raise CatalogueError(loaded.problems)
    from queries.compiler.relations import sql_dir_for

    problems = check_rules(loaded, engine=engine, sql_dir=sql_dir or sql_dir_for(path))
    # Start her's tree beside the catalogue names KPIs, so it is checked with it.
    from queries.start_tree import start_tree_problems, tree_path

    tree, tree_problems = start_tree_problems(tree_path(path), loaded.catalogue)
    problems += tree_problems
    if problems:
        raise CatalogueError(problems)
    loaded.catalogue.attach_start_tree(tree)
    return loaded.catalogue


def _syntax_problem(file: str, error: yaml.YAMLError) -> Problem:
    """A YAML syntax error at the line PyYAML stopped, with where the open construct began."""
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return Problem(file, 0, "", f"YAML syntax: {error}")
    problem = getattr(error, "problem", None) or str(error)
    message = f"YAML syntax (column {mark.column + 1}): {problem}"
    context, context_mark = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and context_mark and context_mark.line != mark.line:
        message += f" {context} that starts on line {context_mark.line + 1}"
    for clue, hint in _SYNTAX_HINTS.items():
        if clue in problem:
            message += f"; {hint}"
    return Problem(file, mark.line + 1, "", message)


_SYNTAX_HINTS = {
    "mapping values are not allowed": "put a value that contains ': ' in quotes, "
    "or check the indentation",
    "'\\t'": "indent with spaces, not tabs",
    "undefined alias": "a value starting with '*' must be in quotes",
}


def _not_a_mapping(document: Any) -> str:
    wanted = "a mapping with 'warehouse', 'areas' and 'kpis'"
    if document is None:
        return f"the file is empty; it must be {wanted}"
    return f"the top level must be {wanted}, not {_described(document)}"


def _echoes_item_errors(item: dict[str, Any]) -> bool:
    """pydantic adds 'too short' to a list whose items failed (it counts valid items only)."""
    given, minimum = item.get("input"), item.get("ctx", {}).get("min_length")
    return item["type"] == "too_short" and isinstance(given, list) and len(given) >= minimum


# What each of pydantic's type errors expected, in an analyst's words.
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping (name: value)",
    "model_type": "a mapping (name: value)",
}

# Shapes to copy when a whole block is written as a single value.
_EXAMPLES = {
    "Kpi": "a KPI: a mapping of its fields (id: ..., title: ..., description: ...)",
    "Measure": "a mapping such as {type: count_distinct, column: borger_id}",
    "Aggregate": "a mapping such as {type: count}",
    "Filter": "a mapping such as {column: ydelse, value: sygedagpenge}",
    "TimeSpec": "a mapping such as {column: maaned, grain: month}",
    "Target": "a mapping such as {default: 0.25, tolerance: 0.02}",
    "ListSpec": "a mapping such as {columns: [cpr, maaned]}",
    "ListColumn": "a column name or a mapping such as {column: cpr, table: citizen}",
}

_BOUNDS = {
    "greater_than_equal": ("at least", "ge"),
    "greater_than": ("more than", "gt"),
    "less_than_equal": ("at most", "le"),
    "less_than": ("less than", "lt"),
}


def _explain_union(items: list[dict[str, Any]], root: type[BaseModel] = Catalogue) -> str:
    """One message for the errors pydantic gives at one place (several for a union)."""
    if len(items) > 1 and all(item["type"] in _EXPECTED for item in items):
        nouns = list(dict.fromkeys(_EXPECTED[item["type"]] for item in items))
        if "a number" in nouns and "a whole number" in nouns:
            nouns.remove("a whole number")
        nouns = [noun.replace("true or false", "true/false") for noun in nouns]
        expected = f"{', '.join(nouns[:-1])} or {nouns[-1]}"
        return f"expected {expected}, got {_described(items[0]['input'])}"
    return _explain(items[0], root)


def _explain(item: dict[str, Any], root: type[BaseModel] = Catalogue) -> str:
    """pydantic's message, reworded where it would not tell an analyst what to do."""
    kind, message, ctx = item["type"], item["msg"], item.get("ctx", {})
    given = item.get("input")
    if kind == "extra_forbidden":
        return _unknown_field(item["loc"], root)
    if kind == "missing":
        last = item["loc"][-1] if item["loc"] else None
        if isinstance(last, int):
            return f"too few items: item {last + 1} is missing"
        return "required field is missing"
    if kind == "string_pattern_mismatch":
        return f"'{given}' is not allowed here: {_pattern_hint(ctx['pattern'])}"
    if message.startswith("Value error, "):
        return message.removeprefix("Value error, ")
    if kind in ("enum", "literal_error"):
        return f"{_shown(given)} is not allowed; use {ctx['expected']}"
    if kind in _BOUNDS:
        words, key = _BOUNDS[kind]
        return f"must be {words} {_shown(ctx[key])}, not {_shown(given)}"
    if kind == "string_too_short":
        return f"must be at least {ctx['min_length']} characters long"
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters long, not {len(given)}"
    if kind == "too_short":
        return f"is empty; it needs at least {_items(ctx['min_length'])}"
    if kind == "too_long":
        return f"has {_items(ctx['actual_length'])}; at most {ctx['max_length']} are allowed"
    if kind in _EXPECTED:
        expected = _EXAMPLES.get(ctx.get("class_name", ""), _EXPECTED[kind])
        return f"expected {expected}, got {_described(given)}"
    return message


def _unknown_field(loc: tuple[Any, ...], root: type[BaseModel] = Catalogue) -> str:
    """Name the field the author probably meant, or list the fields allowed here."""
    allowed = _fields_of(_model_at(loc[:-1], root))
    guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if guess:
        return f"unknown field; did you mean '{guess[0]}'?"
    return f"unknown field; allowed here: {', '.join(allowed)}"


def _model_at(loc: tuple[Any, ...], root: type[BaseModel] = Catalogue) -> type[BaseModel] | None:
    """The model under `root` (the catalogue) that validates the mapping at `loc`."""
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None or not isinstance(part, str):
            continue  # list indexes and dict keys keep the item model
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field else None
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model inside an annotation such as `tuple[Kpi, ...]` or `Target | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found:
            return found
    return None


def _fields_of(model: type[BaseModel] | None) -> list[str]:
    return list(model.model_fields) if model else []


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"


def _shown(value: Any) -> str:
    """A value as the analyst wrote it: text in quotes, numbers as they are."""
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _described(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {_shown(value)}"
    return _shown(value)


def _pattern_hint(pattern: str) -> str:
    hints = {
        "^[a-z][a-z0-9_]*$": "use lower-case letters, digits and _ (starting with a letter)",
        "^[A-Za-z_][A-Za-z0-9_]*$": "use letters, digits and _ (a plain SQL name)",
        SOURCE_NAME: "write the source as the KPIs do: a table or view such as 'fact_sag' or "
        "'dbo.fact_sag', or a SQL file name such as 'klager.sql'",
        "^/[a-z0-9_/-]*$": "write the page's address on this site, such as /definitioner",
    }
    return hints.get(pattern, f"it must match {pattern}")
