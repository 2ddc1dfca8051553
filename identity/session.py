"""The signed-in identity in Flask's (signed, HttpOnly) session cookie.

Every sign-in mode ends in `sign_in`; the viewer (role, units, rights) is resolved from
the access file on each request, so a changed access file takes effect at once. Each
sign-in gets a random session id; sign-out records it as ended (identity/revocation.py),
so a copy of the cookie kept from before is refused.
"""

from __future__ import annotations

import secrets
import time

from flask import session

KEY = "identity"
PURPOSE = "purpose"
SESSION_ID = "sid"
SIGNED_IN_AT = "since"
CSRF = "csrf"


def sign_in(user_id: str, name: str, groups: list[str], source: str) -> None:
    """Start a fresh session for this identity (source: demo, header or oidc)."""
    session.clear()
    session[KEY] = {"user_id": user_id, "name": name, "groups": list(groups), "source": source}
    session[SESSION_ID] = secrets.token_urlsafe(24)
    session[SIGNED_IN_AT] = int(time.time())
    session.permanent = False


def sign_out() -> None:
    session.clear()


def current_identity() -> dict | None:
    """{"user_id", "name", "groups", "source"}, or None when nobody is signed in."""
    found = session.get(KEY)
    return dict(found) if isinstance(found, dict) else None


def session_id() -> str | None:
    return session.get(SESSION_ID)


def signed_in_at() -> int:
    return int(session.get(SIGNED_IN_AT) or 0)


def csrf_token() -> str:
    """The token forms in this session must send back (sign-in, sign-out)."""
    if CSRF not in session:
        session[CSRF] = secrets.token_urlsafe(24)
    return session[CSRF]


def csrf_valid(sent: str | None) -> bool:
    expected = session.get(CSRF)
    if not (expected and sent):
        return False
    return secrets.compare_digest(str(sent).encode(), str(expected).encode())


def set_purpose(purpose: str) -> None:
    session[PURPOSE] = purpose


def purpose() -> str | None:
    return session.get(PURPOSE)
