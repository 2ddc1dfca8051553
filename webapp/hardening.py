"""HTTP hardening around the Dash app, installed with one call from dashboard.py.

- a Content-Security-Policy Dash works under: scripts only from the app itself plus
  the hashes of Dash's own inline scripts (the renderer bootstrap and clientside
  callbacks; `_dash-config` is JSON and never runs); styles may be inline because
  Plotly and AG Grid position every element with inline styles;
- no framing, no MIME sniffing, no referrer to other sites;
- `Cache-Control: no-store` on everything but static files: pages and callback answers
  may carry citizens' names; static files whose address carries their version (Dash's
  fingerprinted component suites, assets with `?m=`) are kept a year without asking
  again (`immutable`); the others are revalidated;
- no version in the `Server` header and no Python build string in `_dash-config`;
- a request size limit (MSB_MAX_REQUEST_BYTES → 413) and an allowed-hosts check
  (MSB_ALLOWED_HOSTS → 400), both answered in Danish;
- the Excel export rate limit (MSB_EXPORT_RATE), checked where the export is made.
"""

from __future__ import annotations

import re

from dash import Dash
from dash.fingerprint import check_fingerprint
from flask import Response, request
from werkzeug.serving import WSGIRequestHandler

from queries.settings import Settings
from webapp.ratelimit import EXTENSION as LIMITER
from webapp.ratelimit import ExportLimiter

STATIC_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
SUITES = "/_dash-component-suites/"
A_YEAR = "public, max-age=31536000, immutable"
SERVER_NAME = "MSB i tal"
TOO_LARGE = "Forespørgslen er for stor. Den er afvist for at beskytte systemet."
WRONG_HOST = "Ukendt adresse: MSB i tal svarer kun på sin egen adresse."
PORT = re.compile(r":\d+$")


def install(app: Dash, settings: Settings, limiter_storage: str | None = None) -> None:
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    server.extensions[LIMITER] = ExportLimiter(settings.export_rate, limiter_storage)
    _hide_versions(app)
    allowed = {host.lower() for host in settings.allowed_hosts}

    @server.before_request
    def refuse_unknown_hosts_and_large_bodies() -> Response | None:
        if "*" not in allowed and host_name(request.host) not in allowed:
            return danish(WRONG_HOST, 400)
        if (request.content_length or 0) > settings.max_request_bytes:
            return danish(TOO_LARGE, 413)
        return None

    @server.errorhandler(413)  # a body without Content-Length, cut off while it is read
    def too_large(_error) -> Response:
        return danish(TOO_LARGE, 413)

    @server.after_request
    def security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = content_security_policy(app)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if not request.path.startswith(STATIC_PREFIXES):
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
            response.headers.pop("ETag", None)
        elif response.status_code == 200 and versioned(request.path, request.args):
            response.headers["Cache-Control"] = A_YEAR
        response.headers.pop("Server", None)
        return response


def host_name(host: str) -> str:
    """The Host header without its port ("[::1]:8050" → "[::1]")."""
    return PORT.sub("", host.strip().lower())


def versioned(path: str, args) -> bool:
    """A static address that changes when its file changes: Dash writes component suites
    as `name.v4_4_1m1700000000.js` and assets as `name.css?m=1700000000`."""
    if path.startswith(SUITES):
        return check_fingerprint(path)[1]
    return path.startswith("/assets/") and "m" in args


def danish(text: str, status: int) -> Response:
    return Response(
        text, status=status, mimetype="text/plain", content_type="text/plain; charset=utf-8"
    )


def content_security_policy(app: Dash) -> str:
    scripts = " ".join(["'self'", *app.csp_hashes()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _hide_versions(app: Dash) -> None:
    """No Python build string in the page's config, no versions in the Server header."""
    config = app._config

    def config_without_python() -> dict:
        return {key: value for key, value in config().items() if key != "python_version"}

    app._config = config_without_python
    # The development server (and dash.testing) writes its own Server header,
    # "Werkzeug/x Python/y", below Flask; gunicorn writes "gunicorn" without a version.
    WSGIRequestHandler.version_string = lambda _handler: SERVER_NAME
