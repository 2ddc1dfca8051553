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
from queries.lenses import BenchmarkResult, TargetResult, TrendResult
from queries.scope import Scope
from queries.suppression import Decision
from queries.warehouse import ListPage, Warehouse

T = TypeVar("T")
VERSION_TTL_S = 60.0
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

    @property
    def catalogue(self):
        return self.warehouse.catalogue

    @property
    def org(self):
        return self.warehouse.org

    def data_version(self) -> str:
        """The warehouse's load time, asked at most once a minute per process."""
        checked, version = self._version
        if time.monotonic() - checked > VERSION_TTL_S:
            version = self.warehouse.data_version()
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
            self.suppression(kpi.id)

    def suppression(self, kpi_id: str) -> Decision:
        """The KPI's one suppression decision for this data version, shared by every view.

        It needs the KPI's cubes at every grain; a cube not yet built is built here, so
        the first look at a KPI after a load waits for them (correct before fast)."""
        kpi = self.catalogue.kpi(kpi_id)
        if not kpi.min_n or not kpi.citizen:
            return self.warehouse.suppression(kpi_id)  # nothing to hide, no cube needed
        return self._cached(
            ("suppression", kpi_id),
            lambda: self.warehouse.suppression(
                kpi_id, {grain: self.cube(kpi_id, grain) for grain in Grain}
            ),
        )

    def is_hidden(self, kpi_id: str, unit: str, grain: Grain, period: date) -> bool:
        """Whether the figure for (unit, period) is suppressed, e.g. so a list does not say
        how many rows lie behind it."""
        return self.suppression(kpi_id).hides(grain, unit, period)

    def latest_period(self, kpi_id: str, grain: Grain) -> date | None:
        found = self._cached(
            ("latest", kpi_id, grain), lambda: self.warehouse.latest_period(kpi_id, grain) or "none"
        )
        return None if found == "none" else found  # the cache cannot hold None

    def trend(
        self, kpi_id: str, unit: str, grain: Grain, last: date, periods: int = 24
    ) -> TrendResult:
        return self._cached(
            ("trend", kpi_id, unit, grain, last, periods),
            lambda: self.warehouse.trend(
                kpi_id,
                unit,
                grain,
                last,
                periods,
                decision=self.suppression(kpi_id),  # first: it builds the cubes
                cube=self.ready_cube(kpi_id, grain),
            ),
        )

    def benchmark(
        self, kpi_id: str, unit: str, grain: Grain, period: date, siblings: bool = False
    ) -> BenchmarkResult:
        return self._cached(
            ("benchmark", kpi_id, unit, grain, period, siblings),
            lambda: self.warehouse.benchmark(
                kpi_id,
                unit,
                grain,
                period,
                siblings,
                decision=self.suppression(kpi_id),  # first: it builds the cubes
                cube=self.ready_cube(kpi_id, grain),
            ),
        )

    def targets(self, kpi_id: str, grain: Grain, period: date) -> TargetResult:
        return self._cached(
            ("target", kpi_id, grain, period),
            lambda: self.warehouse.targets(
                kpi_id,
                grain,
                period,
                decision=self.suppression(kpi_id),  # first: it builds the cubes
                cube=self.ready_cube(kpi_id, grain),
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
