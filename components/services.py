"""What callbacks need from the data layer: cached lens results and the viewer's scope.

Lens results are cached (Flask-Caching: Redis when MSB_CACHE_URL is set, else in
process) under a key of KPI, lens, unit, grain, period and the warehouse's data
version, so a new load invalidates them. Citizen lists are never cached.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from flask_caching import Cache

from queries.audit import AuditLog
from queries.catalogue.models import Grain
from queries.compiler.lenses import MAX_PAGE_SIZE
from queries.compiler.periods import floor_period
from queries.data_range import data_range
from queries.lenses import BenchmarkResult, TargetResult, TrendResult
from queries.orphans import orphan_rows
from queries.partial import Coverage, LikeForLike, coverage, latest_complete, like_for_like
from queries.scope import Scope
from queries.warehouse import ListPage, Warehouse

T = TypeVar("T")
VERSION_TTL_S = 60.0
STALE_RETRY_S = 5.0  # while the warehouse is away, look for it more often
EXPORT_MAX = 10_000  # rows in one Excel export


@dataclass
class Services:
    warehouse: Warehouse
    cache: Cache
    viewer_scope: Scope = field(default_factory=Scope.everything)
    demo: bool = False
    audit: AuditLog | None = None
    viewer_id: str = "demo-bruger"
    _version: tuple[float, str] = (0.0, "")
    stale: bool = False  # the warehouse did not answer the last version check

    @property
    def catalogue(self):
        return self.warehouse.catalogue

    @property
    def org(self):
        return self.warehouse.org

    def data_version(self) -> str:
        """The warehouse's load time, asked at most once a minute per process.

        When the warehouse does not answer, the last known version is kept, so cached
        results go on being served (marked as possibly old: `stale`) through an outage."""
        checked, known = self._version
        version = known
        if (
            time.monotonic() - checked > (STALE_RETRY_S if self.stale else VERSION_TTL_S)
            or not known
        ):
            try:
                version = self.warehouse.data_version()
            except Exception:
                if not known:
                    raise
                self.stale = True
            else:
                self.stale = False
                if known and version != known:
                    self.warehouse.forget_org()  # a new load may bring new teams
            self._version = (time.monotonic(), version)
        return version

    def _key(self, parts: tuple[Any, ...]) -> str:
        raw = "|".join(str(p) for p in (*parts, self.data_version()))
        return "lens:" + hashlib.sha1(raw.encode()).hexdigest()

    def _cached(self, parts: tuple[Any, ...], compute: Callable[[], T]) -> T:
        key = self._key(parts)
        found = self.cache.get(key)
        if found is None:
            found = compute()
            self.cache.set(key, found)
        return found

    def cube(self, kpi_id: str, grain: Grain):
        """Every unit and period of a KPI, computed once per data version."""
        return self._cached(("cube", kpi_id, grain), lambda: self.warehouse.cube(kpi_id, grain))

    def ready_cube(self, kpi_id: str, grain: Grain):
        """The cube if it is already cached, else None: a lens never waits for a cube."""
        return self.cache.get(self._key(("cube", kpi_id, grain)))

    def warm(self) -> None:
        """Compute every KPI's cube at every grain (run in the background at start-up)."""
        for kpi in self.catalogue.kpis:
            for grain in Grain:
                self.cube(kpi.id, grain)

    def orphans(self) -> dict[str, int]:
        """Rows per KPI whose org id no unit has; counted once per data version."""

        def count() -> dict[str, int]:
            with self.warehouse.engine.connect() as connection:
                return orphan_rows(connection, self.catalogue, self.warehouse.sql_dir)

        return self._cached(("orphans",), count)

    def known_orphans(self) -> dict[str, int] | None:
        """The count if it is already made (for /healthz, which must answer at once)."""
        return self.cache.get(self._key(("orphans",)))

    def latest_period(self, kpi_id: str, grain: Grain) -> date | None:
        found = self._cached(
            ("latest", kpi_id, grain), lambda: self.warehouse.latest_period(kpi_id, grain) or "none"
        )
        return None if found == "none" else found  # the cache cannot hold None

    # --- periods with data, and the running (partial) period -----------------------
    def data_range(self, kpi_id: str) -> tuple[date, date] | None:
        """(first month, last month) with data for the KPI."""
        found = self._cached(
            ("range", kpi_id),
            lambda: (
                data_range(
                    self.warehouse.engine, self.catalogue.kpi(kpi_id), self.warehouse.sql_dir
                )
                or "none"
            ),
        )
        return None if found == "none" else found

    def coverage(self, kpi_id: str, grain: Grain, period: date) -> Coverage | None:
        """How far the data reaches into a period that is still running; None if complete."""
        found = self.data_range(kpi_id)
        return coverage(period, grain, found[1] if found else None)

    def default_period(self, kpi_id: str, grain: Grain) -> date | None:
        """The latest complete period: a leader compares whole quarters and years."""
        found = self.data_range(kpi_id)
        if found is None:
            return None
        earliest, through = found
        return max(latest_complete(through, grain, through), floor_period(earliest, grain))

    def like_for_like(
        self, kpi_id: str, unit: str, grain: Grain, period: date
    ) -> dict[str, LikeForLike] | None:
        """A running period and the same months last year, for the unit and its parent."""
        part = self.coverage(kpi_id, grain, period)
        if part is None:
            return None
        parent = self.org.parent(unit)
        units = [unit] + ([parent] if parent else [])
        return self._cached(
            ("like-for-like", kpi_id, unit, grain, part.period, part.through),
            lambda: like_for_like(
                self.warehouse.engine,
                self.catalogue,
                self.catalogue.kpi(kpi_id),
                units,
                part,
                self.warehouse.sql_dir,
            ),
        )

    def trend(
        self, kpi_id: str, unit: str, grain: Grain, last: date, periods: int = 24
    ) -> TrendResult:
        return self._cached(
            ("trend", kpi_id, unit, grain, last, periods),
            lambda: self.warehouse.trend(
                kpi_id, unit, grain, last, periods, cube=self.ready_cube(kpi_id, grain)
            ),
        )

    def benchmark(
        self, kpi_id: str, unit: str, grain: Grain, period: date, siblings: bool = False
    ) -> BenchmarkResult:
        return self._cached(
            ("benchmark", kpi_id, unit, grain, period, siblings),
            lambda: self.warehouse.benchmark(
                kpi_id, unit, grain, period, siblings, cube=self.ready_cube(kpi_id, grain)
            ),
        )

    def targets(self, kpi_id: str, grain: Grain, period: date) -> TargetResult:
        return self._cached(
            ("target", kpi_id, grain, period),
            lambda: self.warehouse.targets(
                kpi_id, grain, period, cube=self.ready_cube(kpi_id, grain)
            ),
        )

    def list_header(
        self, kpi_id: str, unit: str, grain: Grain, period: date, numerator_only: bool
    ) -> ListPage:
        """Columns and total only: no citizen is shown, so nothing is logged."""
        page = self.warehouse.list_page(
            kpi_id, unit, grain, period, self.viewer_scope, numerator_only=numerator_only, limit=1
        )
        return ListPage(page.columns, [], page.total, 0, 0)

    def export_list(
        self, kpi_id: str, unit: str, grain: Grain, period: date, numerator_only: bool = False
    ) -> ListPage:
        """The whole list (up to EXPORT_MAX rows) for Excel, fetched a page at a time and
        written to the audit log as one export."""
        rows: list[dict] = []
        citizens: list[object] = []
        total = None
        while total is None or len(rows) < min(total, EXPORT_MAX):
            page = self.warehouse.list_page(
                kpi_id,
                unit,
                grain,
                period,
                self.viewer_scope,
                numerator_only=numerator_only,
                offset=len(rows),
                limit=min(MAX_PAGE_SIZE, EXPORT_MAX - len(rows)),
            )
            total = page.total
            if not page.rows:
                break
            rows += page.rows
            citizens += page.citizens
        if rows:
            self._log("export", kpi_id, unit, grain, period, dict.fromkeys(citizens))
        return ListPage(page.columns, rows, total or 0, 0, len(rows), tuple(citizens))

    def list_page(
        self, kpi_id: str, unit: str, grain: Grain, period: date, **page: Any
    ) -> ListPage:
        """One page of citizens; every page shown is written to the audit log."""
        result = self.warehouse.list_page(kpi_id, unit, grain, period, self.viewer_scope, **page)
        if result.rows:
            self._log("list_view", kpi_id, unit, grain, period, result.citizens)
        return result

    def _log(
        self, action: str, kpi_id: str, unit: str, grain: Grain, period: date, citizens
    ) -> None:
        """One look at citizen data, in the audit log."""
        if self.audit is not None:
            self.audit.record(
                self.viewer_id,
                action,
                kpi_id=kpi_id,
                unit=unit,
                period=f"{grain.value}:{period.isoformat()}",
                citizens=citizens,
                purpose="Ledelsesinformation",
            )
