"""/healthz: warehouse, cache, app database and cubes, each on its own line.

503 only when the warehouse is away (nothing new can be shown); a cache or app database
that fails makes the app `degraded`: slower, or lists refused, but serving."""

from __future__ import annotations

import sqlalchemy as sa

from queries.catalogue.models import Grain


def health(services) -> tuple[dict, int]:
    body: dict = {"status": "ok"}
    try:
        body["data_version"] = services.warehouse.data_version()
        body["warehouse"] = "ok"
    except Exception as error:
        body.update(warehouse="unavailable", detail=type(error).__name__)
    body["cache"] = _cache_state(services.cache)
    body["app_db"] = _app_db_state(services.audit)
    if body["warehouse"] == "ok" and body["cache"] != "unavailable":
        total = len(services.catalogue.kpis) * len(Grain)
        ready = sum(
            services.has_cube(kpi.id, grain) for kpi in services.catalogue.kpis for grain in Grain
        )
        body["cubes"] = f"{ready}/{total}"
        orphans = services.known_orphans()
        if orphans is not None:
            body["rows_without_unit"] = orphans  # per KPI; {} when every row has a unit
    if body["warehouse"] != "ok":
        body["status"] = "error"
        return body, 503
    if "unavailable" in (body["cache"], body["app_db"]):
        body["status"] = "degraded"
    return body, 200


def _cache_state(cache) -> str:
    healthy = getattr(cache, "healthy", None)
    if healthy is None:
        return "ok"
    return "ok" if healthy() else "unavailable"


def _app_db_state(audit) -> str:
    if audit is None:
        return "none"
    try:
        with audit.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception:
        return "unavailable"
    return "ok"
