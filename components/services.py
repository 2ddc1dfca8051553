"""What callbacks need from the data layer: cached lens results and the viewer's scope.

Lens results are cached (Flask-Caching: Redis when MSB_CACHE_URL is set, else in
process) under a key of KPI, lens, unit, grain, period and the warehouse's data
version, so a new load invalidates them. Citizen lists are never cached.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from flask_caching import Cache

from components.citizen_access import FIXED_PURPOSE, Looker, check
from components.near_cache import NearCache
from identity import current
from identity import session as identity_session
from identity.viewer import Viewer
from queries.audit import AuditLog
from queries.catalogue.models import Grain
from queries.compiler.lenses import MAX_PAGE_SIZE
from queries.compiler.periods import floor_period, next_period
from queries.data_range import data_range
from queries.lenses import BenchmarkResult, TargetResult, TrendResult
from queries.orphans import orphan_rows
from queries.partial import Coverage, LikeForLike, coverage, latest_complete, like_for_like
from queries.scope import Scope
from queries.suppression import Decision
from queries.warehouse import ListPage, Warehouse, mask_cpr

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
    # The request's viewer and purpose (set by the app); unset, the fixed scope above holds.
    viewer_source: Callable[[], Viewer | None] | None = None
    purpose_source: Callable[[], str | None] | None = None
    # Builds the cubes (queries.bootstrap.cube_builder: its own engine and time limit);
    # unset, the warehouse above builds them.
    builder: Warehouse | None = None
    _version: tuple[float, str] = (0.0, "")
    stale: bool = False  # the warehouse did not answer the last version check
    # Recent entries of the shared cache, kept in this process (components/near_cache.py).
    near: NearCache = field(default_factory=NearCache)

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
                    if self.builder is not None:
                        self.builder.forget_org()
            self._version = (time.monotonic(), version)
        return version

    def _key(self, parts: tuple[Any, ...]) -> str:
        raw = "|".join(str(p) for p in (*parts, self.data_version()))
        return "lens:" + hashlib.sha1(raw.encode()).hexdigest()

    def _cached(
        self,
        parts: tuple[Any, ...],
        compute: Callable[[], T],
        near: bool = True,
        shared: bool = False,
    ) -> T:
        """From this process's copy, else the shared cache, else computed and stored in
        both. `near=False` asks the shared cache itself (the warm-up keeps it filled);
        `shared`: every caller in this process gets the one object, and never changes it."""
        key = self._key(parts)
        found = self.near.get(key) if near else None
        if found is not None:
            return found
        found = self.cache.get(key)
        if found is None:
            found = compute()
            self.cache.set(key, found)
        if near:
            self.near.put(key, found, shared=shared)
        return found

    def kept(self, parts: tuple[Any, ...], shared: bool = False) -> Any | None:
        """What `keep` stored under `parts` for this data version, else None."""
        key = self._key(parts)
        found = self.near.get(key)
        if found is None:
            found = self.cache.get(key)
            self.near.put(key, found, shared=shared)
        return found

    def keep(self, parts: tuple[Any, ...], value: Any) -> None:
        key = self._key(parts)
        self.cache.set(key, value)
        self.near.put(key, value)

    def cube(self, kpi_id: str, grain: Grain):
        """Every unit and period of a KPI, computed once per data version and stored in
        the shared cache (asked there: the warm-up uses it to fill a flushed cache)."""
        builder = self.builder or self.warehouse
        return self._cached(
            ("cube", kpi_id, grain), lambda: builder.cube(kpi_id, grain), near=False
        )

    def load_times(self) -> dict:
        """When each source was loaded; read once per data version (the footer, the
        freshness badge and Definitioner ask on every page)."""
        return self._cached(("load_times",), self.warehouse.load_times)

    def ready_cube(self, kpi_id: str, grain: Grain):
        """The cube if it is already in the shared cache, else None: a lens never waits
        for a cube."""
        return self.cache.get(self._key(("cube", kpi_id, grain)))

    def has_cube(self, kpi_id: str, grain: Grain) -> bool:
        """Whether the cube is in the shared cache, without fetching it: /healthz and the
        warm-up ask this of every cube every time, and a 10M cube is megabytes to unpack."""
        return bool(self.cache.has(self._key(("cube", kpi_id, grain))))

    def _lens_cube(self, kpi_id: str, grain: Grain):
        """The cube a lens cuts from: this process's copy, else the shared cache's. One
        object for every lens of the process: a lens only cuts copies from it."""
        return self.kept(("cube", kpi_id, grain), shared=True)

    def warm(self) -> None:
        """Compute every KPI's cube at every grain (run in the background at start-up)."""
        for kpi in self.catalogue.kpis:
            for grain in Grain:
                self.cube(kpi.id, grain)
            self.suppression(kpi.id)

    def suppression(self, kpi_id: str) -> Decision:
        """The KPI's one suppression decision for this data version, shared by every view.

        It needs the citizens behind every unit and period at every grain, not the figure
        cubes (queries/cube_counts.py): the first look at a KPI after a load waits for
        those counts (correct before fast), and a KPI whose cube fails or times out is
        still decided and answers live. Counted by the builder (its own engine and time
        limit)."""
        kpi = self.catalogue.kpi(kpi_id)
        if not kpi.min_n or not kpi.citizen:
            return self.warehouse.suppression(kpi_id)  # nothing to hide, no cube needed
        counter = self.builder or self.warehouse
        return self._cached(
            ("suppression", kpi_id), lambda: counter.suppression(kpi_id), shared=True
        )

    def is_hidden(self, kpi_id: str, unit: str, grain: Grain, period: date) -> bool:
        """Whether the figure for (unit, period) is suppressed, e.g. so a list does not say
        how many rows lie behind it."""
        return self.suppression(kpi_id).hides(grain, unit, period)

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

    def knows_periods(self, kpi_id: str) -> bool:
        """Whether the KPI's data range and the load times are at hand for this data
        version, so what is made of them alone needs no warehouse (a kept page's key)."""
        return self.kept(("range", kpi_id)) is not None and self.kept(("load_times",)) is not None

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
        found = self._cached(
            ("like-for-like", kpi_id, unit, grain, part.period, part.through),
            lambda: like_for_like(
                self.warehouse.engine,
                self.catalogue,
                self.catalogue.kpi(kpi_id),
                units,
                part,
                self.warehouse.sql_dir,
                self.org,
            ),
        )
        if not self.catalogue.kpi(kpi_id).min_n:
            return found
        return {u: self._within_decision(kpi_id, grain, part, f) for u, f in found.items()}

    def _within_decision(
        self, kpi_id: str, grain: Grain, part: Coverage, found: LikeForLike
    ) -> LikeForLike:
        """Like-for-like figures are new sums of months: last year's January–October and
        its whole year together would reveal November–December. So last year's figure is
        shown only when no month (and not the period) of last year is hidden for the unit,
        and this year's only when the running period itself is shown."""
        decision = self.suppression(kpi_id)
        last_year = next_period(part.period, Grain.year, -1)
        months = [next_period(last_year, Grain.month, i) for i in range(grain.months)]
        if decision.hides(grain, found.unit, last_year) or any(
            decision.hides(Grain.month, found.unit, month) for month in months
        ):
            found = replace(found, last_year=float("nan"))
        if decision.hides(grain, found.unit, part.period):
            found = replace(found, value=float("nan"))
        return found

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
                cube=self._lens_cube(kpi_id, grain),
            ),
        )

    def benchmark(
        self,
        kpi_id: str,
        unit: str,
        grain: Grain,
        period: date,
        siblings: bool = False,
        teams: bool = False,
    ) -> BenchmarkResult:
        """The unit's children, siblings, or (`teams`) every team under it; hidden figures
        come from the KPI's one suppression decision, as in every other view."""
        return self._cached(
            ("benchmark", kpi_id, unit, grain, period, siblings, teams),
            lambda: self.warehouse.benchmark(
                kpi_id,
                unit,
                grain,
                period,
                siblings,
                decision=self.suppression(kpi_id),  # first: it builds the cubes
                cube=self._lens_cube(kpi_id, grain),
                teams=teams,
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
                cube=self._lens_cube(kpi_id, grain),
            ),
        )

    def looker(self) -> Looker:
        """Who asks, in this request: never cached, never shared between viewers."""
        if self.viewer_source is None:
            return Looker.fixed(self.viewer_id, self.viewer_scope)
        purpose = self.purpose_source() if self.purpose_source else None
        return Looker.of(self.viewer_source(), purpose)

    def purposes(self) -> tuple[str, ...]:
        """The purposes a viewer may give for looking at citizens (from the access file)."""
        return current.purposes() if self.viewer_source else (FIXED_PURPOSE,)

    def purpose(self) -> str | None:
        return self.looker().purpose

    def choose_purpose(self, chosen: str | None) -> bool:
        """Keep the viewer's purpose for this session, if it is one they may give."""
        if self.viewer_source is None or chosen not in self.purposes():
            return False
        identity_session.set_purpose(chosen)
        return True

    def list_header(
        self, kpi_id: str, unit: str, grain: Grain, period: date, numerator_only: bool
    ) -> ListPage:
        """Columns and the count in the viewer's scope; no citizen is shown, so nothing is
        logged. Raises Refused when the list is closed to the viewer."""
        looker = self.looker()
        check(looker, self.org, unit, "list", deny=lambda _: None, need_purpose=False)
        total = self._list_total(kpi_id, unit, grain, period, looker.scope, numerator_only)
        return ListPage(self.warehouse.list_columns(kpi_id), [], total, 0, 0)

    def _list_total(
        self, kpi_id: str, unit: str, grain: Grain, period: date, scope, numerator_only: bool
    ) -> int:
        """Counted once per view, viewer scope and data version: every page of a list and
        its sentence share it. A count, never a row, so the cache may hold it."""
        return self._cached(
            ("list_total", kpi_id, unit, grain, period, bool(numerator_only), scope.key),
            lambda: self.warehouse.list_total(
                kpi_id, unit, grain, period, scope, numerator_only=numerator_only
            ),
        )

    def export_list(
        self, kpi_id: str, unit: str, grain: Grain, period: date, numerator_only: bool = False
    ) -> ListPage:
        """The whole list (up to EXPORT_MAX rows) for Excel, fetched a page at a time and
        written to the audit log as one export."""
        looker = self.looker()
        view_state = {"numerator_only": numerator_only}
        where = (kpi_id, unit, grain, period)
        deny = self._denier(looker, *where, view_state)
        check(looker, self.org, unit, "export", deny)
        rows: list[dict] = []
        citizens: list[object] = []
        total = None
        while total is None or len(rows) < min(total, EXPORT_MAX):
            page = self.warehouse.list_page(
                kpi_id,
                unit,
                grain,
                period,
                looker.scope,
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
            self._log(looker, "export", *where, dict.fromkeys(citizens), view_state)
        return ListPage(page.columns, rows, total or 0, 0, len(rows), tuple(citizens))

    def list_page(
        self, kpi_id: str, unit: str, grain: Grain, period: date, **page: Any
    ) -> ListPage:
        """One page of citizens; every page shown is written to the audit log with the view
        (numerator only, sort, page) it was shown in."""
        looker = self.looker()
        view_state = _view_state(**page)
        where = (kpi_id, unit, grain, period)
        check(looker, self.org, unit, "list", self._denier(looker, *where, view_state))
        page.pop("unmask", None)  # a CPR is shown one row at a time, by unmask_row
        total = self._list_total(
            kpi_id, unit, grain, period, looker.scope, page.get("numerator_only", False)
        )
        result = self.warehouse.list_page(
            kpi_id, unit, grain, period, looker.scope, total=total, **page
        )
        if result.rows:
            self._log(looker, "list_view", *where, result.citizens, view_state)
        return result

    def unmask_row(
        self, kpi_id: str, unit: str, grain: Grain, period: date, row: int, shown: str, **page: Any
    ) -> str:
        """The CPR of one row (its place in the list as sorted), for a viewer with the right;
        `shown` is the masked CPR the viewer clicked, so a moved list unmasks nobody else."""
        looker = self.looker()
        view_state = {**_view_state(**page), "row": row}
        where = (kpi_id, unit, grain, period)
        deny = self._denier(looker, *where, view_state)
        check(looker, self.org, unit, "unmask", deny)
        page = {**page, "offset": max(0, int(row)), "limit": 1}
        found = self.warehouse.list_page(
            kpi_id, unit, grain, period, looker.scope, unmask=True, **page
        )
        key = self.warehouse.cpr_key()
        cpr = found.rows[0].get(key) if found.rows and key else None
        if cpr is None or str(mask_cpr(cpr)) != str(shown):
            return ""
        self._log(looker, "unmask", *where, found.citizens, view_state)
        return str(cpr)

    def _denier(self, looker: Looker, kpi_id, unit, grain, period, view_state):
        def deny(reason: str) -> None:
            self._log(looker, "denied", kpi_id, unit, grain, period, (), view_state, reason)

        return deny

    def _log(
        self,
        looker: Looker,
        action: str,
        kpi_id: str,
        unit: str,
        grain: Grain,
        period: date,
        citizens,
        view_state: dict | None = None,
        reason: str | None = None,
    ) -> None:
        """One look at citizen data (or a refused attempt), in the audit log."""
        if self.audit is not None:
            state = dict(view_state or {})
            if reason:
                state["reason"] = reason
            self.audit.record(
                looker.user_id,
                action,
                kpi_id=kpi_id,
                unit=unit,
                period=f"{grain.value}:{period.isoformat()}",
                citizens=citizens,
                purpose=looker.purpose,
                view_state=state,
                role=looker.role,
            )


def _view_state(
    numerator_only: bool = False,
    sort: tuple[tuple[str, bool], ...] = (),
    offset: int = 0,
    limit: int = 50,
    **_: Any,
) -> dict:
    """What the viewer had chosen when they looked, for the audit log."""
    return {
        "numerator_only": bool(numerator_only),
        "sort": [[column, "desc" if descending else "asc"] for column, descending in sort],
        "page": int(offset) // max(1, int(limit)) + 1,
    }
