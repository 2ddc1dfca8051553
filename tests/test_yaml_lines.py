"""The catalogue is parsed by libyaml when PyYAML has it; the result must be exactly what
the pure-Python parser gives (values, lines, duplicate keys), and a file either refuses
gets the pure parser's message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from queries.catalogue import yaml_lines

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "kpi_definitions.yaml", *sorted((ROOT / "tests/catalogue_cases").glob("*.yaml"))]


def lines_of(node):
    if isinstance(node, dict):
        return [node.line, sorted(node.key_lines.items(), key=str)] + [
            lines_of(v) for v in node.values()
        ]
    if isinstance(node, list):
        return [node.line, node.item_lines] + [lines_of(v) for v in node]
    return None


def parsed(kind, text):
    try:
        document, loader = yaml_lines._parse(kind, text)
    except yaml.YAMLError:
        return "refused"
    return document, lines_of(document), [d for _, d in loader.duplicates]


def test_libyaml_is_used_here():
    assert yaml.__with_libyaml__
    assert issubclass(yaml_lines._FastLineLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_both_parsers_read_every_catalogue_alike(path):
    text = path.read_text(encoding="utf-8")
    assert parsed(yaml_lines._FastLineLoader, text) == parsed(yaml_lines._LineLoader, text)


def test_a_refused_file_gets_the_pure_parsers_message():
    with pytest.raises(yaml.YAMLError, match="expected ',' or '}', but got ':'"):
        yaml_lines.load_with_lines("kpis: {id: a\nb: c}\n")
