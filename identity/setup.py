"""Sign-in wired into the Flask server: cookie, access file, routes and the guard."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import Flask

from identity import cookies, current, guard, signin
from identity.access import AccessFile, load_access
from identity.revocation import SignedOutSessions
from identity.secret import secret_key
from queries.settings import ROOT, Settings

MODES = ("demo", "header", "oidc")


def install(
    server: Flask,
    settings: Settings,
    units: Iterable[str] | None,
    record_denied,
    app_db: sa.Engine | None = None,
) -> AccessFile:
    """Everything sign-in needs; raises AccessFileError or SystemExit on bad config."""
    if settings.auth_mode not in MODES:
        raise SystemExit(
            f"MSB_AUTH_MODE={settings.auth_mode!r} kendes ikke; vælg {', '.join(MODES)}"
        )
    if settings.auth_mode == "header" and not settings.trusted_proxies:
        raise SystemExit("MSB_AUTH_MODE=header kræver MSB_TRUSTED_PROXIES (proxyens adresser)")
    access = load_access(settings.access_file, units)
    cookies.configure(server, secret_key(settings.secret_key, ROOT / "data" / "secret_key"))
    sessions = SignedOutSessions(
        app_db or sa.create_engine(settings.app_db_url), keep_s=guard.MAX_SESSION_S
    )
    server.extensions[current.EXTENSION] = current.Identity(access, settings.auth_mode)
    signin.register(server, access, settings.auth_mode, sessions)
    if settings.auth_mode == "oidc":
        from identity import oidc  # written for the OIDC sign-in; only needed in that mode

        oidc.register(server, settings)
    guard.install(
        server,
        guard.Guard(
            mode=settings.auth_mode,
            trusted_proxies=frozenset(settings.trusted_proxies),
            user_header=settings.auth_user_header,
            groups_header=settings.auth_groups_header,
            sessions=sessions,
            record_denied=record_denied,
        ),
    )
    return access
