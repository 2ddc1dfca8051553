"""Sign-in with OpenID Connect, made for Microsoft Entra ID: authorization code flow with PKCE.

The sign-in guard sends a visitor who is not signed in to `/login/oidc?next=<the page
they asked for>`. That page keeps `next` (a relative path only) in the session and sends
the browser to the provider with state, nonce and an S256 code challenge. The provider
sends it back to `/auth/callback`, where the code is exchanged and the ID token checked
(signature against the provider's JWKS, issuer, audience, nonce, expiry) before
`sign_in` starts the session. Whatever goes wrong ends on a Danish page, never a trace.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, Response, redirect, request, session, url_for
from joserfc.errors import JoseError
from markupsafe import escape

from identity.session import sign_in
from queries.settings import Settings

log = logging.getLogger(__name__)

CLIENT = "oidc"
LOGIN_PATH = "/login/oidc"
CALLBACK_PATH = "/auth/callback"
NEXT_KEY = "oidc_next"
PROVIDER_TIMEOUT_S = 10
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# Pages the user is sent back to must be our own and must not start the flow over.
NOT_A_DESTINATION = (LOGIN_PATH, CALLBACK_PATH)


class SignInFailed(Exception):
    """A sign-in that cannot go on; `message` is the Danish text the user reads."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def register(server: Flask, settings: Settings) -> None:
    """Add `/login/oidc` and `/auth/callback` to `server`; refuse to start when misconfigured."""
    missing = [
        name
        for name, value in (
            ("MSB_OIDC_ISSUER", settings.oidc_issuer),
            ("MSB_OIDC_CLIENT_ID", settings.oidc_client_id),
            ("MSB_OIDC_CLIENT_SECRET", settings.oidc_client_secret),
        )
        if not value
    ]
    if not (server.secret_key or settings.secret_key):
        missing.append("MSB_SECRET_KEY")
    if missing:
        raise SystemExit(
            "MSB i tal starter ikke: MSB_AUTH_MODE=oidc kræver også " + ", ".join(missing) + "."
        )
    if not server.secret_key:
        server.secret_key = settings.secret_key
    issuer = settings.oidc_issuer
    client_id = settings.oidc_client_id
    oauth = OAuth(server)
    provider = oauth.register(
        name=CLIENT,
        client_id=client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid profile",
            "code_challenge_method": "S256",
            "default_timeout": PROVIDER_TIMEOUT_S,
        },
    )

    def login() -> Response:
        session[NEXT_KEY] = safe_destination(request.args.get("next"))
        try:
            announced = provider.load_server_metadata().get("issuer")
            if announced != issuer:
                log.error("the provider calls itself %r, not %r", announced, issuer)
                raise SignInFailed(
                    "Log-ind-tjenesten er ikke den, MSB i tal er sat op til. Kontakt IT.", 502
                )
            return no_store(provider.authorize_redirect(callback_url()))
        except requests.RequestException:
            log.exception("the OpenID provider could not be reached")
            return failure_page(SignInFailed(UNREACHABLE, 502))
        except SignInFailed as failure:
            return failure_page(failure)

    def callback() -> Response:
        try:
            token = provider.authorize_access_token(
                claims_options={
                    "iss": {"essential": True, "value": issuer},
                    "aud": {"essential": True, "value": client_id},
                }
            )
            claims = token.get("userinfo")
            if not claims:  # no ID token came back: nothing signed says who this is
                raise SignInFailed(UNVERIFIED)
            destination = safe_destination(session.get(NEXT_KEY))
            sign_in(user_id_from(claims, issuer), name_from(claims), groups_from(claims), "oidc")
        except SignInFailed as failure:
            return failure_page(failure)
        except MismatchingStateError:
            log.warning("sign-in callback with an unknown or reused state")
            return failure_page(SignInFailed(STATE_MISMATCH))
        except OAuthError as error:
            log.warning("the OpenID provider refused sign-in: %s", error.error)
            return failure_page(SignInFailed(provider_refused(error.error), 403))
        except JoseError as error:
            log.warning("ID token rejected: %s", error)
            return failure_page(SignInFailed(UNVERIFIED))
        except requests.RequestException:
            log.exception("the OpenID provider could not be reached")
            return failure_page(SignInFailed(UNREACHABLE, 502))
        except Exception:  # a sign-in must end on a Danish page, whatever broke
            log.exception("sign-in callback failed")
            return failure_page(SignInFailed(UNVERIFIED, 500))
        return no_store(redirect(destination))

    server.add_url_rule(LOGIN_PATH, "oidc_login", login, methods=["GET"])
    server.add_url_rule(CALLBACK_PATH, "oidc_callback", callback, methods=["GET"])


def callback_url() -> str:
    """The redirect URI registered at the provider: https, except on this machine.

    Behind the reverse proxy the request arrives over plain http, so the scheme is not
    taken from the request; the host is (the proxy must pass `Host` on).
    """
    local = (request.host.rsplit(":", 1)[0].strip("[]")) in LOCAL_HOSTS
    return url_for("oidc_callback", _external=True, _scheme=request.scheme if local else "https")


def safe_destination(target: object) -> str:
    """`target` if it is a path on this site, else "/": the sign-in is never an open redirect."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return "/"  # browsers read "/\evil.example" as "//evil.example"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or parts.path.startswith(NOT_A_DESTINATION):
        return "/"
    return target


def user_id_from(claims: dict, issuer: str) -> str:
    """Entra ID's stable user: object id @ tenant id. Never the e-mail, which can change hands.

    A provider that is not Entra ID has no `oid`/`tid`; there `sub` is stable and unique
    for this issuer, so `sub@issuer` identifies the user as well.
    """
    oid, tid = claims.get("oid"), claims.get("tid")
    if oid and tid:
        return f"{oid}@{tid}"
    if claims.get("sub"):
        return f"{claims['sub']}@{issuer}"
    raise SignInFailed(
        "Log-ind-tjenesten sendte ikke, hvem du er (oid og tid eller sub). Kontakt IT."
    )


def name_from(claims: dict) -> str:
    return str(claims.get("name") or claims.get("preferred_username") or claims.get("sub") or "")


def groups_from(claims: dict) -> list[str]:
    """The `groups` claim and the app's `roles` claim together, each value once, in order."""
    if "groups" in (claims.get("_claim_names") or {}):
        # Entra ID leaves the groups out when a user has more than the token holds; they
        # then match only by user id in the access file. Emit only assigned groups to avoid it.
        log.warning("the token names too many groups to carry them; sign-in without groups")
    found: list[str] = []
    for claim in ("groups", "roles"):
        values = claims.get(claim) or []
        for value in [values] if isinstance(values, str) else values:
            if isinstance(value, str) and value and value not in found:
                found.append(value)
    return found


STATE_MISMATCH = (
    "Svaret fra log-ind-tjenesten passede ikke til din anmodning. Det sker, når log-ind "
    "har stået åbent længe eller er startet i et andet vindue. Prøv igen."
)
UNVERIFIED = "Svaret fra log-ind-tjenesten kunne ikke godkendes, så du er ikke logget ind."
UNREACHABLE = "Log-ind-tjenesten svarer ikke lige nu. Prøv igen om lidt."


def provider_refused(code: str | None) -> str:
    known = code if code and code.replace("_", "").isalnum() and len(code) <= 64 else None
    return "Log-ind-tjenesten afviste log-ind" + (f" (fejlkode: {known})." if known else ".")


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def failure_page(failure: SignInFailed) -> Response:
    """A plain Danish page with a way to try again, back to the page first asked for."""
    again = LOGIN_PATH + "?next=" + quote(safe_destination(session.get(NEXT_KEY)), safe="/")
    body = f"""<!doctype html>
<html lang="da">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log-ind mislykkedes – MSB i tal</title>
<link rel="stylesheet" href="/assets/01-bootstrap.min.css">
</head>
<body>
<main class="container py-5">
<h1 class="h3">Log-ind mislykkedes</h1>
<p id="sign-in-error">{escape(failure.message)}</p>
<p><a class="btn btn-primary" href="{escape(again)}">Prøv igen</a></p>
</main>
</body>
</html>
"""
    return no_store(Response(body, status=failure.status, mimetype="text/html"))
