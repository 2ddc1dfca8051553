"""The signed-in identity in Flask's (signed, HttpOnly) session cookie.

Every sign-in mode ends in `sign_in`; the viewer (role, units, rights) is resolved from
the access file on each request, so a changed access file takes effect at once.
"""

from __future__ import annotations

from flask import session

KEY = "identity"
PURPOSE = "purpose"


def sign_in(user_id: str, name: str, groups: list[str], source: str) -> None:
    """Start a fresh session for this identity (source: demo, header or oidc)."""
    session.clear()
    session[KEY] = {"user_id": user_id, "name": name, "groups": list(groups), "source": source}
    session.permanent = False


def sign_out() -> None:
    session.clear()


def current_identity() -> dict | None:
    """{"user_id", "name", "groups", "source"}, or None when nobody is signed in."""
    found = session.get(KEY)
    return dict(found) if isinstance(found, dict) else None


def set_purpose(purpose: str) -> None:
    session[PURPOSE] = purpose


def purpose() -> str | None:
    return session.get(PURPOSE)
