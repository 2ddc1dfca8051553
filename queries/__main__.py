"""Command line for analysts, operators and data protection:
`python -m queries demo|validate|check|explain|audit|appdb`."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from queries.audit_cli import add_commands as add_audit_commands
from queries.catalogue.empty_filters import empty_filter_warnings
from queries.catalogue.loader import CatalogueError, load_catalogue, parse_catalogue
from queries.catalogue.models import Grain
from queries.compiler.periods import parse_period
from queries.compiler.relations import sql_dir_for
from queries.explain import DIALECTS, explain
from queries.settings import load_settings


def _demo(args: argparse.Namespace) -> int:
    from queries.demo import generate, write_duckdb

    started = time.perf_counter()
    frames = generate(citizens=args.citizens, rows=args.rows)
    write_duckdb(frames, args.out)
    counts = ", ".join(f"{name} {len(frame):,}" for name, frame in frames.items())
    print(f"Wrote {args.out} in {time.perf_counter() - started:.1f} s: {counts}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    settings = load_settings()
    path = Path(args.file or settings.catalogue_path)
    engine = None
    if not args.offline:
        from queries.engine import create_warehouse_engine

        if settings.uses_demo:
            from queries.demo import ensure_demo

            ensure_demo(settings.demo_path)
        engine = create_warehouse_engine(settings.effective_warehouse_url, settings.query_timeout_s)
    try:
        catalogue = load_catalogue(path, engine=engine)
    except CatalogueError as error:
        for problem in error.problems:
            print(problem)
        print(f"{len(error.problems)} problem(s) found.", file=sys.stderr)
        return 1
    if engine is not None:
        for warning in empty_filter_warnings(parse_catalogue(path), engine, sql_dir_for(path)):
            print(warning)
    checked = "checked against the warehouse" if engine else "not checked against a warehouse"
    sections = sum(len(area.sections) for area in catalogue.areas)
    print(
        f"{path.name}: OK — {len(catalogue.kpis)} KPIs in {len(catalogue.areas)} areas and "
        f"{sections} sections, {checked}."
    )
    tree = catalogue.start_tree
    if tree is not None:
        answers = sum(c.next is None for step in tree.steps for c in step.choices)
        print(f"start_her.yaml: OK — {len(tree.steps)} steps, {answers} answers.")
    if engine is not None:
        from queries.citizens import cpr_masking_line

        masking = cpr_masking_line(engine, catalogue)
        if masking:
            print(masking)
    return 0


def _check(_args: argparse.Namespace) -> int:
    from queries.check import check

    return check()


def _explain(args: argparse.Namespace) -> int:
    from queries.bootstrap import open_warehouse

    settings = load_settings()
    if args.file:
        settings = replace(settings, catalogue_path=Path(args.file))
    try:
        warehouse = open_warehouse(settings)
        grain = Grain(args.grain) if args.grain else None
        period = (
            parse_period(args.period, grain or warehouse.catalogue.kpi(args.kpi).time.grain)
            if args.period
            else None
        )
        print(
            explain(
                warehouse,
                args.kpi,
                args.lens,
                args.dialect,
                unit=args.unit,
                period=period,
                grain=grain,
            )
        )
    except CatalogueError as error:
        print(error, file=sys.stderr)
        return 1
    except (KeyError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m queries", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="generate the synthetic demo warehouse")
    demo.add_argument("--rows", type=int, default=None, help="rows in fact_ydelse (e.g. 10000000)")
    demo.add_argument("--citizens", type=int, default=80_000)
    demo.add_argument("--out", type=Path, default=load_settings().demo_path)
    demo.set_defaults(run=_demo)

    validate = commands.add_parser("validate", help="check kpi_definitions.yaml")
    validate.add_argument("file", nargs="?", help="catalogue file (default: MSB_CATALOGUE)")
    validate.add_argument(
        "--offline", action="store_true", help="skip the checks against the warehouse"
    )
    validate.set_defaults(run=_validate)

    ready = commands.add_parser("check", help="may the app start? settings, catalogue, warehouse")
    ready.set_defaults(run=_check)

    show = commands.add_parser("explain", help="print the SQL of a lens")
    show.add_argument("kpi")
    show.add_argument("lens", choices=["trend", "benchmark", "list", "target"])
    show.add_argument("--dialect", choices=DIALECTS, default="mssql")
    show.add_argument("--unit", help="organisational unit id (default: the root)")
    show.add_argument("--period", help="2026-10, 2026-K4 or 2026 (default: the latest)")
    show.add_argument("--grain", choices=[g.value for g in Grain])
    show.add_argument("--file", help="catalogue file (default: MSB_CATALOGUE)")
    show.set_defaults(run=_explain)

    add_audit_commands(commands)
    from ops.cube_command import add_cube_commands

    add_cube_commands(commands)

    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
