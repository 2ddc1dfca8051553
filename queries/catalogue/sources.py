"""Rule: each source described under `warehouse.sources` once, and used by a KPI (a name
no KPI uses is most often a misspelt table)."""

from __future__ import annotations

import difflib
from pathlib import Path

from queries.catalogue.loader import Loaded, Problem
from queries.catalogue.models import Kpi, SourceSql


def source_name(kpi: Kpi) -> str:
    """The source as a KPI names it: the table or view, or the SQL file."""
    return kpi.source.sql if isinstance(kpi.source, SourceSql) else kpi.source


def sources_are_used(loaded: Loaded, sql_dir: Path) -> list[Problem]:
    used = sorted({source_name(kpi) for kpi in loaded.catalogue.kpis})
    first: dict[str, int] = {}
    problems = []
    for index, described in enumerate(loaded.catalogue.warehouse.sources):
        where = ("warehouse", "sources", index, "source")
        here = loaded.problem(where, "")
        if described.source in first:
            problems.append(
                loaded.problem(
                    where,
                    f"'{described.source}' is already described on line {first[described.source]}",
                )
            )
        elif described.source not in used:
            close = difflib.get_close_matches(described.source, used, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"KPI sources: {', '.join(used)}"
            problems.append(
                loaded.problem(where, f"no KPI uses the source '{described.source}'; {hint}")
            )
        first.setdefault(described.source, here.line)
    return problems
