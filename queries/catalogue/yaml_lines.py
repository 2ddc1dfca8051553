"""YAML loading that remembers where each value was written, so errors can name the line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import yaml


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a YAML file, at its line (the catalogue's and the access file's)."""

    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class LineDict(dict):
    """A mapping that knows its own line and the line of each of its keys (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]


@dataclass(frozen=True)
class DuplicateKey:
    key: str
    line: int
    first_line: int
    path: str = ""  # readable path of the key, e.g. "kpis[0].direction"


class _Lines:
    """Mappings and sequences that keep their lines; mixed into both loaders below."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[LineDict, DuplicateKey]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LineDict:  # type: ignore[override]
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in result.key_lines:
                duplicate = DuplicateKey(str(key), line, result.key_lines[key])
                self.duplicates.append((result, duplicate))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LineList:  # type: ignore[override]
        result = LineList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


class _LineLoader(_Lines, yaml.SafeLoader):
    """The pure-Python parser: its error messages are the ones analysts see."""


class _FastLineLoader(_Lines, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser where PyYAML has it: half the time on the catalogue, with the same
    nodes and marks; its error messages differ, so a file it refuses is read again by
    _LineLoader for the message."""


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Lines.construct_mapping
    )
    _loader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _Lines.construct_sequence
    )


def load_with_lines(text: str) -> tuple[Any, list[DuplicateKey]]:
    """Parse YAML text; raises yaml.YAMLError with a mark on a syntax error."""
    try:
        document, loader = _parse(_FastLineLoader, text)
    except yaml.YAMLError:
        document, loader = _parse(_LineLoader, text)
    paths = {id(node): path for node, path in _walk(document, "")}
    duplicates = [
        replace(dup, path=_join(paths.get(id(mapping), ""), dup.key))
        for mapping, dup in loader.duplicates
    ]
    return document, duplicates


def _parse(kind: type, text: str) -> tuple[Any, _Lines]:
    loader = kind(text)
    try:
        return loader.get_single_data(), loader
    finally:
        loader.dispose()


def _walk(node: Any, path: str) -> Iterator[tuple[Any, str]]:
    """Every mapping and sequence in the document with its readable path."""
    if isinstance(node, dict | list):
        yield node, path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, _join(path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def locate(document: Any, loc: tuple[Any, ...]) -> tuple[int, str]:
    """The line and readable path ("kpis[3].measure.type") of a location in the document.

    Location parts that do not exist in the document (pydantic names union members and
    validators in its paths) are skipped; the line is that of the deepest part found.
    """
    node, line, path = document, getattr(document, "line", 1), ""
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, node.line)
            path = f"{path}.{part}" if path else str(part)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            path = f"{path}[{part}]"
            node = node[part]
        elif isinstance(node, LineDict) and isinstance(part, str) and _looks_like_field(part):
            # A missing field: point at the mapping that should have had it.
            path = f"{path}.{part}" if path else part
            break
    return line, path


# pydantic names the members of a union such as `str | int | list[str]` in its paths.
_UNION_MEMBER_TAGS = {"str", "int", "float", "bool", "bytes", "none", "list", "dict", "tuple"}


def _looks_like_field(part: str) -> bool:
    return part.isidentifier() and not part[:1].isupper() and part not in _UNION_MEMBER_TAGS
