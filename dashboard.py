"""The Dash application: warehouse in, web app out. `create_app` is used by app.py and tests."""

from __future__ import annotations

import json
import logging
import uuid

import dash
import sqlalchemy as sa
from dash import Dash, Input, Output, State
from flask import Response, g, request
from flask_caching import Cache

from appdb import open_app_db
from appdb.audit import AuditLog
from appdb.usage import UsageLog
from components import carry
from components.resilient_cache import ResilientCache, cache_config
from components.services import Services
from components.shell import shell
from identity import current as current_viewer
from identity import setup as identity_setup
from ops.after_start import after_first_response, in_background
from ops.compression import compress
from ops.health import health
from ops.warmup import start_warming
from pages import (
    area,
    datalandskab,
    definitions,
    dialog,
    home,
    kpi,
    maalkompas,
    not_found_404,
    outage_safe,
    start,
    statusrapport,
    usage,
)
from pages import help as help_page
from pages import spilleplade as spilleplade_page
from queries import lazy
from queries.bootstrap import cube_builder
from queries.deadline import WarehouseUnavailable
from queries.settings import ROOT, Settings, load_settings
from queries.warehouse import Warehouse
from webapp import hardening, lens_answers, shared_answers, validation_layout
from webapp.usage import count_page_views

PAGES = (
    home,
    area,
    kpi,
    maalkompas,
    dialog,
    definitions,
    help_page,
    usage,
    start,
    datalandskab,
    spilleplade_page,
    statusrapport,
    not_found_404,  # last: it answers every address the others do not
)
log = logging.getLogger(__name__)


def open_audit_log(settings: Settings) -> AuditLog:
    """The audit log in the app database, its schema migrated to the newest revision."""
    return AuditLog(open_app_db(settings.app_db_url))


def known_units(warehouse: Warehouse) -> tuple[str, ...] | None:
    """The org tree's units, to check the access file against; None when the warehouse
    is away at start (the app starts anyway; `python -m queries check` checks later)."""
    try:
        return tuple(warehouse.org.units)
    except (sa.exc.DBAPIError, WarehouseUnavailable) as error:
        log.warning("access file not checked against the org tree: %s", type(error).__name__)
        return None


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
    compress(app.server)
    cache = ResilientCache(Cache(app.server, config=cache_config(settings)))
    audit = open_audit_log(settings)
    services = Services(
        warehouse,
        cache,
        builder=cube_builder(warehouse, settings.cube_timeout_s),
        demo=settings.uses_demo,
        audit=audit,
        viewer_source=current_viewer.viewer,
        purpose_source=current_viewer.purpose,
    )
    # Before the sign-in guard: an unknown host or an oversized body is refused first.
    hardening.install(app, settings, limiter_storage=settings.cache_url)
    identity_setup.install(
        app.server,
        settings,
        known_units(warehouse),
        record_denied=lambda who, why: audit.record(who, "denied", view_state={"reason": why}),
        app_db=audit.engine,
    )
    app._msb_services = services  # for operators' scripts and the fault tests
    if settings.warm_cache:  # not before the first answer (see ops/after_start.py)
        after_first_response(app.server, lambda: start_warming(services))
    # pandas is not needed to answer at start; imported now, the first page need not wait
    after_first_response(app.server, lambda: in_background(lazy.load, "msb-import"))
    for page in PAGES:
        page.register(app, services)
    carry.register(app, services)
    count_page_views(app, UsageLog(audit.engine))
    for entry in dash.page_registry.values():
        entry["layout"] = outage_safe(entry["layout"])
    app.layout = lambda: shell(services)
    # Dash pages builds the validation layout from every page (and the shell) on the first
    # request, so callback ids are checked; each page carries only its ids (see the module).
    validation_layout.install(app)
    shared_answers.install(app, services)  # the shell and callbacks' JSON, made once
    lens_answers.install(app, services)  # the benchmark's answer, kept per scope and load
    app.index_string = app.index_string.replace("<html>", '<html lang="da">')

    @app.callback(
        Output("nav-collapse", "is_open"),
        Input("nav-toggle", "n_clicks"),
        State("nav-collapse", "is_open"),
        prevent_initial_call=True,
    )
    def toggle_navigation(_clicks: int, is_open: bool) -> bool:
        return not is_open

    @app.server.before_request
    def _request_id() -> None:
        # Ties a user's error message, the proxy's log and ours to one request.
        g.request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex[:16]

    @app.server.after_request
    def _echo_request_id(response: Response) -> Response:
        response.headers["X-Request-ID"] = g.get("request_id", "")
        return response

    @app.server.get("/healthz")
    def healthz() -> Response:
        body, status = health(services)
        return Response(json.dumps(body), status=status, mimetype="application/json")

    return app
