"""Who is asking, as far as the web layer needs it: an id to log and to rate-limit by."""

from __future__ import annotations

from flask import has_request_context, request


def _identity() -> dict | None:
    if not has_request_context():
        return None
    try:
        from identity.session import current_identity
    except ImportError:  # the sign-in room is optional for the web layer
        return None
    return current_identity()


def user_id(default: str | None = None) -> str | None:
    """The signed-in user's id, else `default`."""
    found = _identity()
    return str(found["user_id"]) if found and found.get("user_id") else default


def user_label(default: str) -> str:
    """Name and id for a document's header ("Anne Jensen (aj123)"), else `default`."""
    found = _identity()
    if not found or not found.get("user_id"):
        return default
    name = found.get("name")
    return f"{name} ({found['user_id']})" if name and name != found["user_id"] else found["user_id"]


def rate_key() -> str:
    """Per signed-in user; per address when nobody is signed in."""
    found = user_id()
    if found:
        return f"user:{found}"
    return f"addr:{request.remote_addr if has_request_context() else 'local'}"


def role() -> str | None:
    """The viewer's role from the access file, when the sign-in room can tell it."""
    if not has_request_context():
        return None
    try:
        from identity import viewer
    except ImportError:
        return None
    current_viewer = getattr(viewer, "current_viewer", None)
    if current_viewer is None:
        return None
    try:
        found = current_viewer()
    except Exception:  # no viewer (not signed in, or not in the access file)
        return None
    return getattr(found, "role", None)
