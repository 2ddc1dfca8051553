"""Who is asking, as far as the web layer needs it: an id to log and to rate-limit by."""

from __future__ import annotations

from flask import has_request_context, request


def _identity() -> dict | None:
    if not has_request_context():
        return None
    from identity.session import current_identity

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
    """The viewer's role from the access file; None when nobody (known) is signed in."""
    if not has_request_context():
        return None
    from identity.current import viewer

    found = viewer()
    return found.role if found is not None else None
