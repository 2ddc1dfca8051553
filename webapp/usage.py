"""Usage events: every page a viewer opens, and every export, for Brugerstatistik.

Pages are counted where Dash's router builds them (the registered layout functions are
wrapped once, after registration), so navigation inside the app counts as well as a
full page load, and Dash's own bare calls that build the validation layout do not.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import dash
from dash import Dash
from flask import current_app, has_app_context

from appdb.usage import UsageLog
from pages import for_a_viewer
from webapp.who import role, user_id

EXTENSION = "msb_usage_log"
ANONYMOUS = "anonym"
log = logging.getLogger(__name__)


def record_action(page: str, *, kpi_id: str | None = None, unit: str | None = None) -> None:
    """One usage event for this request's viewer; a usage store that fails is only logged."""
    usage = current_app.extensions.get(EXTENSION) if has_app_context() else None
    if usage is None:
        return
    try:
        usage.record(user_id(ANONYMOUS) or ANONYMOUS, page, role=role(), kpi_id=kpi_id, unit=unit)
    except Exception:  # statistics must never cost a leader their page
        log.warning("usage event not recorded", exc_info=True)


def _counted(layout: Callable, page: str) -> Callable:
    @functools.wraps(layout)
    def counted(*args, **kwargs):
        if for_a_viewer():
            record_action(page, kpi_id=kwargs.get("kpi_id"), unit=kwargs.get("enhed"))
        return layout(*args, **kwargs)

    return counted


def count_page_views(app: Dash, usage: UsageLog) -> None:
    """Record a usage event for each page built for a viewer (call after the pages are
    registered)."""
    app.server.extensions[EXTENSION] = usage
    for name, page in dash.page_registry.items():
        if callable(page.get("layout")):
            page["layout"] = _counted(page["layout"], name)
