"""One clear Danish message per state of a panel: loading, no data, suppressed, error."""

from __future__ import annotations

import logging
import re
import uuid

import dash_bootstrap_components as dbc
import sqlalchemy as sa
from dash import html
from flask import g, has_request_context

from appdb.audit import AuditUnavailable
from queries.deadline import WarehouseTimeout, WarehouseUnavailable

log = logging.getLogger(__name__)


_UNITS = re.compile(r"(?<=\d) (?=%|kr\.|mio\.|mia\.|dage?\b|procentpoint)")


def keep_together(text: str) -> str:
    """A number and its unit never break across lines ("58,6 %", "1,2 mio. kr.")."""
    return (
        _UNITS.sub("\u00a0", text)
        .replace("mio. kr.", "mio.\u00a0kr.")
        .replace("mia. kr.", "mia.\u00a0kr.")
    )


def message(text: str, kind: str = "info", icon: str = "info-circle") -> html.Div:
    return html.Div(
        [html.I(className=f"bi bi-{icon} me-2", **{"aria-hidden": "true"}), text],
        className=f"panel-message panel-message-{kind}",
        role="status",
    )


def no_data(what: str = "det valgte udsnit") -> html.Div:
    return message(f"Der er ingen data for {what}.", "info", "inbox")


def suppressed(min_n: int) -> html.Div:
    return message(
        f"Tallet vises ikke, fordi færre end {min_n} borgere ligger bag (diskretion).",
        "muted",
        "eye-slash",
    )


AUDIT_DOWN = (
    "Adgangsloggen kan ikke skrives lige nu, og hver visning af borgere skal logges, så "
    "ingen borgere er vist. Prøv igen om lidt; fortsætter det, så kontakt Ledelsesinformation."
)


def not_to_keep() -> None:
    """This request's answer says something failed: it is never kept (webapp/lens_answers)."""
    if has_request_context():
        g.lens_failed = True


def failed(panel: str, error: Exception) -> dbc.Alert:
    """A panel that could not be drawn; the others keep working.

    A warehouse that is away or slow is an outage, not a bug: it is said plainly and
    logged once per outage (queries/deadline.py), not as a traceback per panel. Anything
    else is logged with a short error id that the message shows, so a user's report and
    the log line can be matched."""
    not_to_keep()
    if isinstance(error, AuditUnavailable):
        log.warning("panel %s: audit log unavailable (%s)", panel, error)
        return _alert(panel, AUDIT_DOWN, "warning")
    if isinstance(error, WarehouseTimeout):
        text = (
            "Datavarehuset var for længe om at svare, så forespørgslen blev stoppet. "
            "Prøv igen om lidt, eller vælg en kortere periode."
        )
        return _alert(panel, text, "warning")
    if isinstance(error, WarehouseUnavailable | sa.exc.OperationalError):
        log.warning("panel %s: warehouse unavailable (%s)", panel, type(error).__name__)
        text = "Datavarehuset svarer ikke lige nu. Siden prøver igen, når du opdaterer den."
        return _alert(panel, text, "warning")
    error_id = uuid.uuid4().hex[:8]
    log.error("panel %s failed", panel, exc_info=error, extra={"error_id": error_id})
    text = (
        "Der opstod en fejl. Prøv igen om lidt; fortsætter fejlen, så kontakt "
        f"Ledelsesinformation og oplys fejl-id {error_id}."
    )
    return _alert(panel, text, "danger")


def _alert(panel: str, text: str, color: str) -> dbc.Alert:
    return dbc.Alert(
        [html.Strong(f"{panel} kunne ikke vises. "), text], color=color, className="mb-0"
    )
