"""Bootstrap Icons are shipped cut down to the icons the code names
(`scripts/subset_icons.py`): every icon a page can show must be in the font and its CSS."""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import re

from queries.settings import ROOT

_spec = importlib.util.spec_from_file_location("subset_icons", ROOT / "scripts/subset_icons.py")
subset_icons = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(subset_icons)

AGAIN = "an icon is missing: run scripts/subset_icons.py (its docstring says how)"


def test_every_icon_the_code_names_is_in_the_subset():
    in_css = subset_icons.icons_in_css(subset_icons.CSS.read_text())
    named = subset_icons.icons_in_code()
    assert {"bar-chart-line", "info-circle", "clock-history"} <= named  # the scan finds them
    assert named - set(in_css) == set(), AGAIN


def test_the_font_is_the_one_made_with_the_css():
    """The script writes both; the CSS addresses the font by its own checksum, so a font
    and a CSS from different runs (or the full font back) are caught here."""
    css = subset_icons.CSS.read_text()
    [version] = re.findall(r"bootstrap-icons\.woff2\?([0-9a-f]+)", css)
    assert hashlib.md5(subset_icons.FONT.read_bytes()).hexdigest() == version
    assert subset_icons.FONT.stat().st_size < 10_000  # the full font is 134 KB
    assert len(css) < 5_000  # the full CSS is 87 KB


def test_icons_named_through_a_variable_are_named_icon():
    """`f"bi bi-{X}"` is found only when X is a variable `icon` whose values (or an
    argument `icon` of `message`) the scan reads."""
    for path in subset_icons.python_files():
        for name in subset_icons.dynamic_icon_names(ast.parse(path.read_text())):
            assert name == "icon", f"{path}: bi-{{{name}}}: name the variable `icon`"


def test_the_scan_reads_each_way_of_naming_an_icon():
    source = """
html.I(className="bi bi-alarm me-1")
message("Tekst", "info", "archive")
states.message("Tekst", icon="award")
icon = "bell" if late else "bookmark"
def message(text, kind="info", icon="brush"): ...
other = "calendar"
"""
    assert subset_icons.icons_in(ast.parse(source)) == {
        "alarm",
        "archive",
        "award",
        "bell",
        "bookmark",
        "brush",
    }
