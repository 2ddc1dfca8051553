"""One clear Danish message per state of a panel: loading, no data, suppressed, error."""

from __future__ import annotations

import logging
import re

import dash_bootstrap_components as dbc
from dash import html

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


def failed(panel: str, error: Exception) -> dbc.Alert:
    """A panel that could not be drawn; the others keep working. Details go to the log."""
    log.exception("panel %s failed", panel, exc_info=error)
    return dbc.Alert(
        [
            html.Strong(f"{panel} kunne ikke vises. "),
            "Datavarehuset svarede ikke som forventet. Prøv igen om lidt; "
            "fortsætter fejlen, så kontakt Ledelsesinformation.",
        ],
        color="danger",
        className="mb-0",
    )
