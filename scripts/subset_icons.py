"""Cut Bootstrap Icons down to the icons the app uses: the font and its CSS.

The full font is 134 KB and its CSS 87 KB (2,000 icons); a first visit fetched both for
the twenty or so we show. Run after adding an icon (tests/test_page_weight.py says when):

    cd /tmp && npm pack bootstrap-icons@1.13.2 && tar xzf bootstrap-icons-1.13.2.tgz
    pip install --target /tmp/ft fonttools brotli   # outside the app's environment
    PYTHONPATH=/tmp/ft .venv/bin/python scripts/subset_icons.py /tmp/package/font

An icon is found where the code names it: a `bi-NAME` class, an `icon` argument or
default of `components.states.message`, or a value assigned to a variable `icon` (the
f-strings `bi-{icon}` read those). `f"bi-{...}"` with anything else is refused by the test,
so a new way of naming icons cannot go unseen.
"""

from __future__ import annotations

import ast
import hashlib
import re
import sys
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("components", "pages", "webapp", "identity", "dashboard.py", "app.py")
CSS = ROOT / "assets" / "02-bootstrap-icons.min.css"
FONT = ROOT / "assets" / "fonts" / "bootstrap-icons.woff2"
CLASS = re.compile(r"\bbi-([a-z0-9]+(?:-[a-z0-9]+)*)")


def python_files() -> list[Path]:
    files: list[Path] = []
    for name in SOURCES:
        path = ROOT / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _is_message(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "message") or (
        isinstance(func, ast.Attribute) and func.attr == "message"
    )


def icons_in(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found |= set(CLASS.findall(node.value))
        elif isinstance(node, ast.Call) and _is_message(node):
            if len(node.args) > 2:
                found |= _strings(node.args[2])
            found |= {s for k in node.keywords if k.arg == "icon" for s in _strings(k.value)}
        elif isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "icon" for t in node.targets
        ):
            found |= _strings(node.value)
        elif isinstance(node, ast.FunctionDef):
            arguments = node.args.args[-len(node.args.defaults) :] if node.args.defaults else []
            for argument, default in zip(arguments, node.args.defaults, strict=True):
                if argument.arg == "icon":
                    found |= _strings(default)
    return found


def dynamic_icon_names(tree: ast.AST) -> list[str]:
    """What each `f"…bi-{X}…"` puts in place of X, as source text."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = node.values
            for before, value in pairwise(parts):
                if (
                    isinstance(before, ast.Constant)
                    and str(before.value).endswith("bi-")
                    and isinstance(value, ast.FormattedValue)
                ):
                    names.append(ast.unparse(value.value))
    return names


def icons_in_code() -> set[str]:
    found: set[str] = set()
    for path in python_files():
        found |= icons_in(ast.parse(path.read_text(), filename=str(path)))
    return found


def icons_in_css(css: str) -> dict[str, str]:
    """Icon name → its code point as written in the CSS (e.g. "f1c5")."""
    return dict(re.findall(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}', css))


def main(package_font: Path) -> None:
    from fontTools import subset  # only here: a tool for maintainers, not the app

    full_css = (package_font / "bootstrap-icons.min.css").read_text()
    known = icons_in_css(full_css)
    wanted = sorted(name for name in icons_in_code() if name in known)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]
    font = subset.load_font(str(package_font / "fonts" / "bootstrap-icons.woff2"), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[int(known[name], 16) for name in wanted])
    subsetter.subset(font)
    subset.save_font(font, str(FONT), options)
    version = hashlib.md5(FONT.read_bytes()).hexdigest()  # a new address for a new font
    rules_start = full_css.index(".bi-")  # the shared rules come before the first icon
    head = re.sub(
        r"bootstrap-icons\.woff2\?[0-9a-f]+",
        f"bootstrap-icons.woff2?{version}",
        full_css[:rules_start],
    )
    head = re.sub(r',url\("fonts/bootstrap-icons\.woff\?[^)]*\) format\("woff"\)', "", head)
    rules = "".join(f'.bi-{name}::before{{content:"\\{known[name]}"}}' for name in wanted)
    CSS.write_text(head + rules + "\n")
    print(f"{len(wanted)} icons: {', '.join(wanted)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
