"""The Dash application: warehouse in, web app out. `create_app` is used by app.py and tests."""

from __future__ import annotations

import json
import logging
import threading
import time

import dash
from dash import Dash, Input, Output, State
from flask import Response
from flask_caching import Cache

from appdb import open_app_db
from appdb.audit import AuditLog
from appdb.usage import UsageLog
from components.services import Services
from components.shell import shell
from pages import area, definitions, home, kpi, not_found_404, usage
from queries.settings import ROOT, Settings, load_settings
from queries.warehouse import Warehouse
from webapp import hardening
from webapp.usage import count_page_views

PAGES = (home, area, kpi, definitions, usage, not_found_404)
log = logging.getLogger(__name__)


def cache_config(settings: Settings) -> dict:
    if settings.cache_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.cache_url,
            "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
            "CACHE_KEY_PREFIX": "msb:",
        }
    return {
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
        "CACHE_THRESHOLD": 5000,
    }


def open_audit_log(settings: Settings) -> AuditLog:
    """The audit log in the app database, its schema migrated to the newest revision."""
    return AuditLog(open_app_db(settings.app_db_url))


def start_warming(services: Services, every_s: float = 300.0) -> threading.Thread:
    """Keep every KPI's cube cached: now, and again whenever the data version changes."""

    def keep_warm() -> None:
        warmed = None
        while True:
            try:
                if services.data_version() != warmed:
                    started = time.perf_counter()
                    services.warm()
                    warmed = services.data_version()
                    log.info("cubes ready in %.1f s", time.perf_counter() - started)
            except Exception:  # the lenses fall back to their own queries meanwhile
                log.exception("warming the cache failed; trying again later")
            time.sleep(every_s)

    thread = threading.Thread(target=keep_warm, name="msb-warm-cache", daemon=True)
    thread.start()
    return thread


def create_app(warehouse: Warehouse, settings: Settings | None = None) -> Dash:
    settings = settings or load_settings()
    dash.page_registry.clear()  # pages are registered per app, not per process
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ROOT / "assets"),
        title="MSB i tal",
        update_title=None,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    cache = Cache(app.server, config=cache_config(settings))
    audit = open_audit_log(settings)
    services = Services(warehouse, cache, demo=settings.uses_demo, audit=audit)
    if settings.warm_cache:
        start_warming(services)
    for page in PAGES:
        page.register(app, services)
    count_page_views(app, UsageLog(audit.engine))
    hardening.install(app, settings, limiter_storage=settings.cache_url)
    app.layout = lambda: shell(services)
    # No validation_layout of our own: Dash pages builds it from every page (and the shell)
    # on the first request, so callback ids are still checked.
    app.index_string = app.index_string.replace("<html>", '<html lang="da">')

    @app.callback(
        Output("nav-collapse", "is_open"),
        Input("nav-toggle", "n_clicks"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_navigation(_clicks: int, is_open: bool) -> bool:
        return not is_open

    @app.server.get("/healthz")
    def healthz() -> Response:
        try:
            body, status = (
                {"status": "ok", "warehouse": "ok", "data_version": warehouse.data_version()},
                200,
            )
        except Exception as error:
            body, status = (
                {"status": "error", "warehouse": "unavailable", "detail": type(error).__name__},
                503,
            )
        return Response(json.dumps(body), status=status, mimetype="application/json")

    return app
