"""Who is signed in, in the navbar: name, role, DEMO marking, and "Log ud"."""

from __future__ import annotations

from dash import dcc, html

from identity import current
from identity import session as identity_session
from identity.signin import ROLE_NAMES


def user_menu() -> html.Div | None:
    viewer = current.viewer()
    if viewer is None:
        return None
    demo = html.Span("DEMO", className="badge bg-light text-dark me-2") if viewer.demo else None
    return html.Div(
        [
            demo,
            html.Span(
                [
                    html.Span(viewer.name, className="fw-semibold"),
                    f" · {ROLE_NAMES.get(viewer.role, viewer.role)}",
                ],
                id="user-name",
                className="me-2 small",
            ),
            html.Form(
                [
                    dcc.Input(type="hidden", name="csrf", value=identity_session.csrf_token()),
                    html.Button(
                        "Log ud",
                        type="submit",
                        id="sign-out",
                        className="btn btn-sm btn-outline-light",
                    ),
                ],
                method="POST",
                action="/logout",
                className="d-inline",
            ),
        ],
        className="d-flex align-items-center text-white ms-lg-3 mt-2 mt-lg-0",
    )
