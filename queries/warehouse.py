"""The warehouse as the app sees it: the catalogue, the org tree and the four lenses."""

from __future__ import annotations

import contextlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import CompoundSelect, Select

from queries.catalogue.models import Catalogue, Grain, Kpi
from queries.compiler.citizen_sets import citizen_sets_select, distinct_parts, own_parts_select
from queries.compiler.lenses import (
    CITIZEN_KEY,
    aggregate_select,
    latest_select,
    list_query,
    own_counts_select,
    per_unit_select,
)
from queries.compiler.measures import n_in_figure
from queries.compiler.own_figures import monthly_average, own_figure_select, rolls_up
from queries.compiler.periods import floor_period, next_period, period_bounds, period_stamps
from queries.compiler.relations import (
    SQL_DIR,
    inline_closure,
    inline_codes,
    named_table,
)
from queries.cpr import mask_cpr
from queries.cube_counts import by_grain, cells_to_count, coarser, fill_counts, lower_bounds
from queries.engine import Fetched, read_frame, read_rows
from queries.lazy import pandas as pd
from queries.lenses import (
    AGGREGATE_COLUMNS,
    BenchmarkResult,
    TargetResult,
    TrendResult,
    shape_benchmark,
    shape_targets,
    shape_trend,
    target_window,
    trend_window,
)
from queries.orgtree import OrgTree
from queries.rollup import coarser_own, count_sets, roll_up, with_distinct
from queries.scope import Scope
from queries.suppression import Cell, Decision, decide

LENSES = ("trend", "benchmark", "list", "target")
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 1, 1)


def _as_datetime(value: object) -> datetime:
    """A load time as the driver gave it, as a datetime. Drivers give a datetime (or an
    ISO text on SQLite); pandas reads anything else, but the footer of the first page
    asks for these before pandas is needed (queries/lazy.py)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value)
    return pd.Timestamp(value).to_pydatetime()


def cut(cube: pd.DataFrame, units: list[str | None] | None, start: date, end: date) -> pd.DataFrame:
    """The rows of a cube for some units (None: all) in [start, end)."""
    chosen = (cube["period"] >= pd.Timestamp(start)) & (cube["period"] < pd.Timestamp(end))
    if units is not None:
        chosen &= cube["unit"].isin([u for u in units if u is not None])
    return cube[chosen]


def uncounted(raw: pd.DataFrame, decision: Decision) -> pd.DataFrame:
    """Raw lens rows without citizen counts when one decision hides what must be hidden:
    a lens's own query no longer counts them (queries/cube_counts.py), and a cube has
    them only where suppression needed them, so showing them would make a view depend
    on its route. Only the old per-view rule still reads them."""
    if not decision.cross_view or raw.empty:
        return raw
    return raw.assign(n=float("nan"))


@dataclass(frozen=True)
class ListPage:
    columns: tuple[tuple[str, str], ...]  # (key, label)
    rows: list[dict]
    total: int
    offset: int
    limit: int
    citizens: tuple[object, ...] = ()  # ids of the citizens on this page, for the audit log


def iso_text(value: object) -> object:
    """Dates and times as ISO text (a date alone when there is no time of day), so every
    dialect's driver gives the screen the same thing."""
    if isinstance(value, datetime):
        if pd.isna(value):  # NaT passes for a datetime
            return None
        if value.hour or value.minute:
            return value.isoformat(sep=" ", timespec="minutes")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


class Warehouse:
    def __init__(self, engine: sa.Engine, catalogue: Catalogue, sql_dir: Path = SQL_DIR) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.sql_dir = sql_dir
        self._decisions: dict[tuple[str, str, bool], Decision] = {}
        # Per KPI and data version: a cube and the suppression decision both need the
        # citizen counts, and every grain's bounds come from one monthly query; the
        # cube's own rows by month serve its quarter and year (frames, or fetched rows).
        self._counts: dict[tuple[str, object, str], Any] = {}
        self._own_statements: dict[tuple[str, Grain], Select] = {}

    # --- reading ---------------------------------------------------------------
    def frame(self, query: Select) -> pd.DataFrame:
        return read_frame(self.engine, query)

    def scalar(self, query: Select) -> object:
        with self.engine.connect() as connection:
            return connection.execute(query).scalar()

    @cached_property
    def org(self) -> OrgTree:
        with self.engine.connect() as connection:
            return OrgTree.read(connection, self.catalogue)

    def forget_org(self) -> None:
        """Read the org tree again on next use (after a new load)."""
        self.__dict__.pop("org", None)

    def data_version(self) -> str:
        """When the warehouse was last loaded; part of every cache key."""
        log = self.catalogue.warehouse.load_log
        if log is None:
            return "static"
        table = named_table(log.table, log.loaded_at)
        latest = self.scalar(sa.select(sa.func.max(table.c[log.loaded_at])))
        return str(latest)

    def load_times(self) -> dict[str, datetime]:
        log = self.catalogue.warehouse.load_log
        if log is None:
            return {}
        table = named_table(log.table, log.source, log.loaded_at)
        query = sa.select(table.c[log.source], sa.func.max(table.c[log.loaded_at])).group_by(
            table.c[log.source]
        )
        with self.engine.connect() as connection:
            return {str(s): _as_datetime(t) for s, t in connection.execute(query)}

    def latest_period(self, kpi_id: str, grain: Grain | None = None) -> date | None:
        kpi = self.catalogue.kpi(kpi_id)
        latest = self.scalar(latest_select(kpi, self.sql_dir, before=self.newest_possible()))
        if latest is None:
            return None
        return floor_period(pd.Timestamp(latest).date(), grain or kpi.time.grain)

    def newest_possible(self) -> date:
        """The day after the newest load (or today): nothing real is dated later."""
        loaded = self.load_times()
        newest = max(loaded.values()).date() if loaded else date.today()
        return newest + timedelta(days=1)

    def target_of(self, kpi: Kpi, unit: str) -> float | None:
        return kpi.target_for(self.org.ancestors(unit))

    # --- the four lenses ---------------------------------------------------------
    def trend_query(
        self,
        kpi: Kpi,
        unit: str,
        grain: Grain,
        last: date,
        periods: int,
        citizens: bool = False,
    ) -> Select | CompoundSelect:
        """`citizens`: count the citizens behind each figure too (only the old per-view
        rule needs them; the one decision comes from the cubes)."""
        _, start, end = trend_window(last, grain, periods)
        parent = self.org.parent(unit)
        units = [unit] + ([parent] if parent else [])
        if not citizens and not rolls_up(kpi):  # a distinct count: a scan per unit
            scans = per_unit_select(
                kpi, self.org, units=units, start=start, end=end, grain=grain, sql_dir=self.sql_dir
            )
            if scans is not None:
                return scans
        return aggregate_select(
            self.catalogue,
            kpi,
            units=units,
            start=start,
            end=end,
            grain=grain,
            sql_dir=self.sql_dir,
            org=self.org,
            citizens=citizens,
        )

    def trend_frame(
        self,
        kpi: Kpi,
        unit: str,
        grain: Grain,
        last: date,
        periods: int,
        citizens: bool = False,
    ) -> pd.DataFrame:
        """The trend's (unit, period, numerator, denominator, n) for the unit and its
        parent. A figure whose parts add up is aggregated once per own unit and added up
        the tree in memory (`rolled_up`): one grouping scan, where the closure's join
        counts every row once per unit asked; the rest by `trend_query`."""
        if rolls_up(kpi) and not citizens:
            _, start, end = trend_window(last, grain, periods)
            units = {unit, self.org.parent(unit)} - {None}
            return self.rolled_up(kpi, grain, start, end, only=units)
        return self._aggregate(self.trend_query(kpi, unit, grain, last, periods, citizens))

    def trend(
        self,
        kpi_id: str,
        unit: str,
        grain: Grain,
        last: date,
        periods: int = 24,
        cube: pd.DataFrame | None = None,
        decision: Decision | None = None,
    ) -> TrendResult:
        kpi = self.catalogue.kpi(kpi_id)
        shown, start, end = trend_window(last, grain, periods)
        decision = self.suppression(kpi_id) if decision is None else decision
        if cube is not None:
            raw = cut(cube, [unit, self.org.parent(unit)], start, end)
        else:
            raw = self.trend_frame(kpi, unit, grain, last, periods, not decision.cross_view)
        raw = uncounted(raw, decision)
        return shape_trend(
            raw,
            kpi,
            unit,
            self.org.parent(unit),
            grain,
            shown,
            self.target_of(kpi, unit),
            decision,
        )

    def benchmark_members(
        self, unit: str, siblings: bool, teams: bool = False
    ) -> tuple[str, tuple[str, ...]]:
        """(reference unit, units compared): the unit's children, or it and its siblings,
        or (`teams`) every team (leaf) under it at any depth, so the weakest team of a
        driftsområde is one look away; a team alone stands among its afdeling's teams."""
        parent = self.org.parent(unit)
        if teams:
            reference = unit if self.org.children(unit) or not parent else parent
            leaves = [u for u in self.org.descendants(reference) if not self.org.children(u)]
            return reference, tuple(u for u in leaves if u != reference) or (reference,)
        if siblings and parent:
            return parent, self.org.children(parent)
        if self.org.children(unit):
            return unit, self.org.children(unit)
        return (parent, self.org.children(parent)) if parent else (unit, (unit,))

    def benchmark_query(
        self,
        kpi: Kpi,
        unit: str,
        grain: Grain,
        period: date,
        siblings: bool,
        teams: bool = False,
        citizens: bool = False,
    ) -> Select:
        reference, members = self.benchmark_members(unit, siblings, teams)
        start, end = period_bounds(period, grain)
        return aggregate_select(
            self.catalogue,
            kpi,
            units=[reference, *members],
            start=start,
            end=end,
            grain=grain,
            by_period=False,
            sql_dir=self.sql_dir,
            org=self.org,
            citizens=citizens,
        )

    def team_label(self, unit: str) -> str:
        """A team's name with its afdeling, since team names repeat across the tree."""
        parent = self.org.parent(unit)
        return f"{self.org.name(unit)} ({self.org.name(parent)})" if parent else self.org.name(unit)

    def benchmark(
        self,
        kpi_id: str,
        unit: str,
        grain: Grain,
        period: date,
        siblings: bool = False,
        cube: pd.DataFrame | None = None,
        decision: Decision | None = None,
        teams: bool = False,
    ) -> BenchmarkResult:
        kpi = self.catalogue.kpi(kpi_id)
        reference, members = self.benchmark_members(unit, siblings, teams)
        decision = self.suppression(kpi_id) if decision is None else decision
        if cube is not None:
            start, end = period_bounds(period, grain)
            raw = cut(cube, [reference, *members], start, end).drop(columns="period")
        else:
            query = self.benchmark_query(
                kpi, unit, grain, period, siblings, teams, not decision.cross_view
            )
            raw = self._aggregate(query, by_period=False)
        raw = uncounted(raw, decision)
        label = self.team_label if teams else self.org.label
        names = {u: label(u) for u in members}
        has_children = {u: bool(self.org.children(u)) for u in members}
        return shape_benchmark(
            raw,
            kpi,
            reference,
            members,
            names,
            has_children,
            floor_period(period, grain),
            grain,
            self.target_of(kpi, reference),
            decision,
            groups={u: self.org.parent(u) for u in members} if teams else None,
        )

    def target_query(self, kpi: Kpi, grain: Grain, period: date, citizens: bool = False) -> Select:
        start, end = target_window(floor_period(period, grain), grain)
        return aggregate_select(
            self.catalogue,
            kpi,
            units=None,
            start=start,
            end=end,
            grain=grain,
            sql_dir=self.sql_dir,
            org=self.org,
            citizens=citizens,
        )

    def targets(
        self,
        kpi_id: str,
        grain: Grain,
        period: date,
        cube: pd.DataFrame | None = None,
        decision: Decision | None = None,
    ) -> TargetResult:
        kpi = self.catalogue.kpi(kpi_id)
        decision = self.suppression(kpi_id) if decision is None else decision
        if cube is not None:
            raw = cut(cube, None, *target_window(floor_period(period, grain), grain))
        elif decision.cross_view and rolls_up(kpi):
            # A distinct count keeps the closure here: over a grid's two periods the
            # citizens' sets (three scans of the window) cost more than one fanned-out scan.
            start, end = target_window(floor_period(period, grain), grain)
            raw = self.rolled_up(kpi, grain, start, end)
        else:
            raw = self._aggregate(self.target_query(kpi, grain, period, not decision.cross_view))
        raw = uncounted(raw, decision)
        order = self.org.walk()
        units = [u for u, _ in order]
        return shape_targets(
            raw,
            kpi,
            order,
            {u: self.org.label(u) for u in units},
            {u: self.org.parent(u) for u in units},
            {u: self.target_of(kpi, u) for u in units},
            floor_period(period, grain),
            grain,
            decision,
        )

    def list_query(self, kpi: Kpi, unit: str, grain: Grain, period: date, scope: Scope, **page):
        start, end = period_bounds(period, grain)
        return list_query(
            self.catalogue,
            kpi,
            unit=unit,
            start=start,
            end=end,
            scope=scope,
            sql_dir=self.sql_dir,
            tree=self.org,
            **page,
        )

    def list_page(
        self,
        kpi_id: str,
        unit: str,
        grain: Grain,
        period: date,
        scope: Scope,
        *,
        numerator_only: bool = False,
        sort: tuple[tuple[str, bool], ...] = (),
        offset: int = 0,
        limit: int = 50,
        unmask: bool = False,
        total: int | None = None,
    ) -> ListPage:
        """A page of the list; `total` when the caller already knows it (it is the same
        for every page of a view), else it is counted here."""
        kpi = self.catalogue.kpi(kpi_id)
        query = self.list_query(
            kpi,
            unit,
            grain,
            period,
            scope,
            numerator_only=numerator_only,
            sort=sort,
            offset=offset,
            limit=limit,
        )
        columns = self.list_columns(kpi_id)
        if not scope.all_units and not scope.units:
            return ListPage(columns, [], 0, offset, limit)
        with self.engine.connect() as connection:
            if total is None:
                total = int(connection.execute(query.total).scalar() or 0)
            rows = [dict(row._mapping) for row in connection.execute(query.rows)]
        cpr = self.cpr_key()
        citizens = tuple(dict.fromkeys(row.pop(CITIZEN_KEY) for row in rows if CITIZEN_KEY in row))
        for row in rows:
            row.update({key: iso_text(value) for key, value in row.items()})
            if cpr in row and not unmask:
                row[cpr] = mask_cpr(row[cpr])
        return ListPage(columns, rows, total, offset, limit, citizens)

    def list_total(
        self,
        kpi_id: str,
        unit: str,
        grain: Grain,
        period: date,
        scope: Scope,
        numerator_only: bool = False,
    ) -> int:
        """How many rows the list has in `scope` (the count only, no row is read)."""
        if not scope.all_units and not scope.units:
            return 0
        kpi = self.catalogue.kpi(kpi_id)
        query = self.list_query(kpi, unit, grain, period, scope, numerator_only=numerator_only)
        with self.engine.connect() as connection:
            return int(connection.execute(query.total).scalar() or 0)

    def list_columns(self, kpi_id: str) -> tuple[tuple[str, str], ...]:
        """(key, label) of the list's columns, in order."""
        kpi = self.catalogue.kpi(kpi_id)
        return tuple((self.list_key(c), c.label or c.column) for c in kpi.list.columns)

    def cpr_key(self) -> str | None:
        citizen = self.catalogue.warehouse.citizen
        return f"citizen_{citizen.cpr}" if citizen and citizen.cpr else None

    @staticmethod
    def list_key(column) -> str:
        return {"citizen": f"citizen_{column.column}", "org": f"org_{column.column}"}.get(
            column.table, column.column
        )

    def cube_query(self, kpi: Kpi, grain: Grain) -> Select:
        """The statement of the KPI's cube: the figure per own unit and period, which
        `cube` adds up the tree in memory; for a KPI with a distinct count, the parts
        that add up, its distinct counts coming from `citizen_sets_query`."""
        return self.own_figure_query(kpi, grain, EARLIEST, LATEST)

    def own_figure_query(self, kpi: Kpi, grain: Grain, start: date, end: date) -> Select:
        if not rolls_up(kpi):
            return own_parts_select(kpi, start=start, end=end, grain=grain, sql_dir=self.sql_dir)
        return own_figure_select(kpi, start=start, end=end, grain=grain, sql_dir=self.sql_dir)

    def citizen_sets_queries(self, kpi: Kpi, grain: Grain, start: date, end: date) -> dict:
        """{role: statement} for each distinct part of the figure
        (queries/compiler/citizen_sets.py)."""
        if not (parts := distinct_parts(kpi)):
            return {}  # no closure to write: a cold target grid asks this on every view
        # The tree's closure, made once per tree, not on every cold view.
        units = self.org.ancestor_positions[0]
        closure = inline_closure(self.org.coded_closure, ancestor=sa.Integer())
        return {
            d.role: citizen_sets_select(
                kpi,
                d.part,
                closure,
                inline_codes(units),
                start=start,
                end=end,
                grain=grain,
                sql_dir=self.sql_dir,
            )
            for d in parts
        }

    def rolled_up(
        self,
        kpi: Kpi,
        grain: Grain,
        start: date,
        end: date,
        only: Collection[str] | None = None,
    ) -> pd.DataFrame:
        """Every unit's figure per period in [start, end), from the own-unit figures added
        up the tree in memory (queries/rollup.py); a distinct count from the citizens'
        sets of units per period (`count_sets`), never the rows fanned out."""
        # One statement per KPI and grain, its period bound at execution: building and
        # compiling a fresh one cost a cold target grid a sixth of its bare query.
        key = (kpi.id, grain)
        if (statement := self._own_statements.get(key)) is None:
            statement = self._own_statements[key] = self.own_figure_query(
                kpi, grain, EARLIEST, LATEST
            )
        own = read_rows(self.engine, statement, {"start": start, "end": end})
        frame = roll_up(own, self.org, monthly_average=monthly_average(kpi), only=only)
        for role, query in self.citizen_sets_queries(kpi, grain, start, end).items():
            frame = with_distinct(frame, role, count_sets(self.frame(query), self.org))
        return frame

    def closure_cube_query(self, kpi: Kpi, grain: Grain) -> Select:
        """Every unit and period of the KPI, each row aggregated under every ancestor in
        the database, the figure only (n is added by `cube`)."""
        return aggregate_select(
            self.catalogue,
            kpi,
            units=None,
            start=EARLIEST,
            end=LATEST,
            grain=grain,
            sql_dir=self.sql_dir,
            org=self.org,
            citizens=False,
        )

    def cube(self, kpi_id: str, grain: Grain, *, in_memory: bool = True) -> pd.DataFrame:
        """The KPI for every unit and every period at once (a few thousand rows).

        Each row is counted under every ancestor (in memory when the figure's parts add
        up, queries/rollup.py; else in the database), so any slice of the cube equals the
        lens's own query; cached per data version, it serves the aggregate lenses for any
        unit without asking the warehouse again. Its n (citizens) is exact where
        suppression may need it and NaN where the cell is known to hold at least min_n
        (queries/cube_counts.py). `in_memory` False: every figure by the closure in the
        database, to compare the two routes."""
        kpi = self.catalogue.kpi(kpi_id)
        version = self.data_version()  # before the figures: counts of a newer load are not kept
        raw = self.cube_figures(kpi, grain, in_memory=in_memory, version=version)
        raw["period"] = pd.to_datetime(raw["period"]).dt.normalize()
        raw["unit"] = raw["unit"].astype(str)
        if not (kpi.citizen and kpi.min_n):
            raw["n"] = pd.to_numeric(raw["n"], errors="coerce").astype(float)
            return raw
        if (part := n_in_figure(kpi)) is not None:  # a distinct count of the citizens
            raw["n"] = pd.to_numeric(raw[part], errors="coerce").astype(float)
            if in_memory:  # exact in every cell: the decision need not count them again
                self._remember((kpi.id, grain, version), raw[["unit", "period", "n"]].copy())
            return raw
        counts = self.citizen_counts(kpi, grain, version)
        counted = {
            (grain, unit, stamp): n
            for unit, stamp, n in zip(
                counts["unit"].tolist(),
                period_stamps(counts["period"]),
                counts["n"].tolist(),
                strict=True,
            )
            if n == n
        }
        return fill_counts(raw, grain, counted)

    def cube_figures(
        self, kpi: Kpi, grain: Grain, *, in_memory: bool = True, version: str | None = None
    ) -> pd.DataFrame:
        """(unit, period, numerator, denominator, n NULL) for every unit and period.
        `version`: the data version the caller read before (else read here)."""
        if not in_memory:
            return self._aggregate(self.closure_cube_query(kpi, grain))
        averaged = monthly_average(kpi)
        by_month = self._own_month_rows(kpi, grain, version)
        own = coarser_own(by_month, grain, monthly_average=averaged)
        frame = roll_up(own, self.org, monthly_average=averaged)
        for role, query in self.citizen_sets_queries(kpi, grain, EARLIEST, LATEST).items():
            frame = with_distinct(frame, role, count_sets(self.frame(query), self.org))
        return frame

    def _own_month_rows(self, kpi: Kpi, grain: Grain, version: str | None) -> Fetched:
        """The cube statement's own rows by month. A build makes every month cube first,
        then the quarters, then the years: the quarter's and year's own rows are added up
        from these in memory (`coarser_own`), kept until the year is built."""
        version = version if version is not None else self.data_version()
        key = (kpi.id, "own month rows", version)
        found = self._counts.get(key)
        if found is None:
            found = read_rows(self.engine, self.cube_query(kpi, Grain.month))
            self._remember(key, found)
        if grain is Grain.year:
            self._counts.pop(key, None)
        return found

    def citizen_counts(self, kpi: Kpi, grain: Grain, version: str | None = None) -> pd.DataFrame:
        """(unit, period, n) for every cell of the KPI's cube at `grain`, without the cube:
        n exact where its lower bound is below min_n, else NaN (at least min_n). The cells
        are those with rows: each unit with rows of its own, and its ancestors
        (queries/cube_counts.py). A KPI whose figure is its citizens' distinct count has
        them exact in every cell of its cube, kept here when the cube is built. `version`:
        the data version the caller read before its own figures (else read here)."""
        version = version if version is not None else self.data_version()
        key = (kpi.id, grain, version)
        if key in self._counts:
            return self._counts[key].copy()
        own = coarser(self._own_months(kpi, version), grain)
        bounds = lower_bounds(own, self.org)
        cells = pd.DataFrame(
            {
                "unit": [unit for unit, _ in bounds],
                "period": pd.to_datetime([stamp for _, stamp in bounds]),
            },
            columns=["unit", "period"],
        )
        counted = self.exact_counts(kpi, cells_to_count(cells, grain, bounds, kpi.min_n))
        found = fill_counts(cells, grain, counted)
        self._remember(key, found)
        return found.copy()

    def _own_months(self, kpi: Kpi, version: str) -> pd.DataFrame:
        key = (kpi.id, "own months", version)
        if key not in self._counts:
            query = own_counts_select(
                kpi, start=EARLIEST, end=LATEST, grain=Grain.month, sql_dir=self.sql_dir
            )
            self._remember(key, self.frame(query))
        return self._counts[key]

    def _remember(self, key: tuple[str, object, str], frame: object) -> None:
        """Keep counts of the newest data version only: a new load makes them stale."""
        for old in [k for k in list(self._counts) if k[2] != key[2]]:  # list(): threads
            self._counts.pop(old, None)
        self._counts[key] = frame

    def exact_counts(self, kpi: Kpi, cells: set[Cell]) -> dict[Cell, float]:
        """The distinct citizens of some cells, counted over all their descendants' rows:
        one query per grain, for the units and the span of periods asked."""
        found: dict[Cell, float] = {}
        for grain, chosen in by_grain(cells).items():
            units = sorted({unit for _, unit, _ in chosen})
            stamps = [stamp for _, _, stamp in chosen]
            query = aggregate_select(
                self.catalogue,
                kpi,
                units=units,
                start=min(stamps).date(),
                end=next_period(max(stamps).date(), grain),
                grain=grain,
                sql_dir=self.sql_dir,
                org=self.org,
            )
            raw = self._aggregate(query)
            stamps_of = pd.to_datetime(raw["period"]).dt.normalize()
            counts = pd.to_numeric(raw["n"], errors="coerce").astype(float)
            for unit, stamp, count in zip(raw["unit"].astype(str), stamps_of, counts, strict=True):
                if (grain, unit, stamp) in chosen:
                    found[(grain, unit, stamp)] = count
        return found

    def suppression(
        self,
        kpi_id: str,
        cubes: dict[Grain, pd.DataFrame] | None = None,
        *,
        cross_view: bool = True,
    ) -> Decision:
        """The KPI's one suppression decision, taken over every unit and period at every grain.

        Always over the whole tree and time, never a lens's own slice, so a live query and
        a cube give the same answer. Without `cubes` the citizens per cell are counted
        here (`citizen_counts`), and the decision is kept per data version (the app's
        Services cache it across processes)."""
        kpi = self.catalogue.kpi(kpi_id)
        if not kpi.min_n or not kpi.citizen:
            return Decision(kpi_id, frozenset(), frozenset(), cross_view)  # nothing to hide

        def exact(cells: set[Cell]) -> dict[Cell, float]:
            return self.exact_counts(kpi, cells)

        if cubes is not None:
            return decide(kpi_id, cubes, self.org, kpi.min_n, cross_view=cross_view, exact=exact)
        version = self.data_version()
        key = (kpi_id, version, cross_view)
        if key not in self._decisions:
            # The citizens per cell, not the figure cubes: the decision needs no figure, and
            # a KPI whose cube fails or times out is still decided (and answers live).
            counts = {grain: self.citizen_counts(kpi, grain, version) for grain in Grain}
            self._decisions[key] = decide(
                kpi_id, counts, self.org, kpi.min_n, cross_view=cross_view, exact=exact
            )
        return self._decisions[key]

    def _aggregate(self, query: Select, by_period: bool = True) -> pd.DataFrame:
        raw = self.frame(query)
        columns = (
            AGGREGATE_COLUMNS if by_period else [c for c in AGGREGATE_COLUMNS if c != "period"]
        )
        return raw.reindex(columns=columns)
