"""Nobody sees anything of the warehouse before signing in.

A `before_request` hook: pages redirect to the sign-in page, Dash's JSON endpoints
(`/_dash-layout`, `/_dash-dependencies`, `/_dash-update-component`) answer 401 with no
data. Static files, `/healthz` and the sign-in routes are open. In header mode the
proxy's headers are believed only from MSB_TRUSTED_PROXIES; from anywhere else they are
refused and the attempt is logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from flask import Flask, Response, jsonify, redirect, request

from identity import session as identity_session
from identity.revocation import SignedOutSessions

log = logging.getLogger(__name__)
OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/")
OPEN_PATHS = {"/healthz", "/_favicon.ico", "/login", "/logout", "/login/oidc", "/auth/callback"}
MAX_SESSION_S = 12 * 3600  # a working day; then sign in again
NOT_SIGNED_IN = "Du er ikke logget ind. Genindlæs siden og log ind."


@dataclass(frozen=True)
class Guard:
    mode: str
    trusted_proxies: frozenset[str]
    user_header: str
    groups_header: str
    sessions: SignedOutSessions
    record_denied: Callable[[str, str], None]  # (who, why) into the audit log

    def check(self) -> Response | None:
        """None lets the request through; anything else is the answer instead."""
        if request.path in OPEN_PATHS or request.path.startswith(OPEN_PREFIXES):
            return None
        if self.mode == "header":
            refused = self._believe_proxy()
            if refused is not None:
                return refused
        try:
            if self._signed_in():
                return None
        except Exception:  # the app database is away: fail closed, say so
            log.exception("could not check the session")
            return Response("Log-ind kan ikke kontrolleres lige nu. Prøv igen om lidt.", 503)
        return self._unsigned()

    def _believe_proxy(self) -> Response | None:
        user = request.headers.get(self.user_header, "").strip()
        if not user:
            identity_session.sign_out()  # no header, no identity: never a leftover cookie
            return None
        if request.remote_addr not in self.trusted_proxies:
            self.record_denied(user, f"identitetsheader fra {request.remote_addr}")
            log.warning("identity header from untrusted address %s", request.remote_addr)
            return Response("Adgang nægtet.", 403, mimetype="text/plain")
        groups = [g.strip() for g in request.headers.get(self.groups_header, "").split(",")]
        groups = [g for g in groups if g]
        known = identity_session.current_identity()
        if not known or known["user_id"] != user or known["groups"] != groups:
            identity_session.sign_in(user, user, groups, "header")
        return None

    def _signed_in(self) -> bool:
        if identity_session.current_identity() is None:
            return False
        sid = identity_session.session_id()
        fresh = time.time() - identity_session.signed_in_at() < MAX_SESSION_S
        return bool(sid) and fresh and not self.sessions.ended(sid)

    def _unsigned(self) -> Response:
        if request.path.startswith("/_dash-"):
            answer = jsonify({"message": NOT_SIGNED_IN})
            answer.status_code = 401
            return answer
        target = request.full_path if request.query_string else request.path
        start = "/login/oidc" if self.mode == "oidc" else "/login"
        return redirect(f"{start}?next={quote(target)}", code=302)


def install(server: Flask, guard: Guard) -> None:
    server.before_request(guard.check)
