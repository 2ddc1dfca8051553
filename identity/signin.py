"""The sign-in page (/login), its POST, and sign-out (/logout): plain Flask, server-side HTML.

Demo mode offers the personas of the access file, clearly marked DEMO. Both forms carry
a per-session token, so another site cannot sign a visitor in or out.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlsplit

from flask import Flask, Response, redirect, request

from identity import session as identity_session
from identity.access import AccessFile
from identity.revocation import SignedOutSessions

ROLE_NAMES = {
    "leder": "Leder",
    "analytiker": "Analytiker",
    "admin": "Administrator",
    "databeskyttelse": "Databeskyttelse",
    "": "Ingen adgang til borgerdata",
}
STYLES = ("/assets/01-bootstrap.min.css", "/assets/03-fonts.css", "/assets/app.css")


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an address elsewhere (no open redirect)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _page(body: str, status: int = 200) -> Response:
    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in STYLES)
    html = (
        '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Log ind – MSB i tal</title>{links}</head>"
        f'<body><main class="container py-5" style="max-width: 46rem">{body}</main></body></html>'
    )
    answer = Response(html, status=status, mimetype="text/html")
    answer.headers["Cache-Control"] = "no-store"
    return answer


def _persona_form(access: AccessFile, token: str, next_path: str) -> str:
    choices = []
    for index, persona in enumerate(access.personas):
        checked = " checked" if index == 0 else ""
        role = ROLE_NAMES.get(persona.role, persona.role)
        about = f'<div class="small text-body-secondary">{escape(persona.description or "")}</div>'
        choices.append(
            '<div class="form-check border rounded p-3 ps-5 mb-2">'
            f'<input class="form-check-input" type="radio" name="persona" id="persona-{index}" '
            f'value="{escape(persona.id)}"{checked}>'
            f'<label class="form-check-label" for="persona-{index}">'
            f"<strong>{escape(persona.name or persona.id)}</strong> · {escape(role)}{about}"
            "</label></div>"
        )
    return (
        '<div class="alert alert-warning" role="note"><strong>DEMO</strong> · '
        "Syntetiske data og opdigtede personer. Vælg, hvem du vil se appen som.</div>"
        f'<form method="post" action="/login">'
        f'<input type="hidden" name="csrf" value="{escape(token)}">'
        f'<input type="hidden" name="next" value="{escape(next_path)}">'
        f'<fieldset><legend class="h5">Log ind som</legend>{"".join(choices)}</fieldset>'
        '<button type="submit" class="btn btn-primary mt-2">Log ind</button></form>'
    )


def register(server: Flask, access: AccessFile, mode: str, sessions: SignedOutSessions) -> None:
    @server.get("/login")
    def login_page() -> Response:
        if mode == "oidc":
            target = quote(safe_next(request.args.get("next")))
            return redirect(f"/login/oidc?next={target}", code=302)
        next_path = safe_next(request.args.get("next"))
        heading = '<h1 class="h3 mb-4">Log ind på MSB i tal</h1>'
        if mode == "demo":
            return _page(heading + _persona_form(access, identity_session.csrf_token(), next_path))
        return _page(
            heading + "<p>Du logges ind gennem kommunens fælles log-ind. Åbn MSB i tal fra "
            "intranettet; hjælper det ikke, så kontakt "
            f"{escape(access.contact)}.</p>",
            status=401,
        )

    @server.post("/login")
    def login() -> Response:
        if mode != "demo":
            return _page("<p>Log ind her bruges kun i demo.</p>", status=404)
        if not identity_session.csrf_valid(request.form.get("csrf")):
            return _page("<p>Siden var for gammel. <a href='/login'>Prøv igen</a>.</p>", 400)
        persona = access.user(request.form.get("persona", ""))
        if persona is None or not persona.persona:
            return _page("<p>Den person findes ikke. <a href='/login'>Prøv igen</a>.</p>", 400)
        identity_session.sign_in(persona.id, persona.name or persona.id, [], "demo")
        return redirect(safe_next(request.form.get("next")), code=303)

    @server.post("/logout")
    def logout() -> Response:
        if not identity_session.csrf_valid(request.form.get("csrf")):
            return _page("<p>Siden var for gammel. <a href='/'>Tilbage</a>.</p>", 400)
        sid = identity_session.session_id()
        if sid:
            sessions.end(sid)
        identity_session.sign_out()
        body = (
            '<h1 class="h3 mb-4">Du er logget ud</h1>'
            '<p><a class="btn btn-primary" href="/login">Log ind igen</a></p>'
        )
        return _page(body)
