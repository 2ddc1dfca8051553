"""The viewer of the current request, resolved from the session and the access file."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, has_request_context

from identity import session as identity_session
from identity.access import AccessFile
from identity.viewer import Viewer

EXTENSION = "msb_identity"


@dataclass(frozen=True)
class Identity:
    """What the sign-in room keeps on the Flask app."""

    access: AccessFile
    mode: str  # demo, header or oidc


def config() -> Identity | None:
    return current_app.extensions.get(EXTENSION) if has_request_context() else None


def viewer() -> Viewer | None:
    """The signed-in viewer, or None outside a request or when nobody is signed in."""
    found = config()
    if found is None:
        return None
    if "viewer" not in g:
        who = identity_session.current_identity()
        g.viewer = (
            None
            if who is None
            else found.access.viewer(
                who["user_id"], who["name"], who["groups"], demo=found.mode == "demo"
            )
        )
    return g.viewer


def purpose() -> str | None:
    """The purpose chosen in this session, if it is still one the access file offers."""
    found = config()
    chosen = identity_session.purpose() if found else None
    return chosen if found and chosen in found.access.purposes else None


def purposes() -> tuple[str, ...]:
    found = config()
    return found.access.purposes if found else ()


def contact() -> str:
    found = config()
    return found.access.contact if found else ""
