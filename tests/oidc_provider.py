"""A real OpenID provider for the sign-in tests (`oidc-provider-mock`), served over HTTP.

It listens on 127.0.0.1 on a free port and is reached as `localhost`, so its cookies never
mix with those of the app under test, which the tests reach as 127.0.0.1 (cookies are
kept per host name, not per port). A thin WSGI layer records what the app sent to the
provider (to check PKCE) and can spoil what the provider answers (to check that the app
notices): a forged ID token signature, a genuine ID token from another sign-in (for
another client, or with another nonce), or metadata that names another issuer.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
from oidc_provider_mock import User
from werkzeug.serving import make_server
from werkzeug.test import Client

# An Entra ID–shaped user: object id and tenant id, a UPN that looks like an e-mail,
# security groups (object ids) and an app role.
ENTRA_USER = User(
    sub="entra-sub-anna",
    claims={
        "oid": "7c0f3a52-1111-4d2e-9a6b-0a1b2c3d4e5f",
        "tid": "d5a8b0e1-2222-4c3b-8f7e-aaaaaaaaaaaa",
        "name": "Anna Afdelingsleder",
        "preferred_username": "anna@aarhus.dk",
        "email": "anna@aarhus.dk",
        "groups": ["grp-jsy-ledere", "grp-msb-alle", "grp-jsy-ledere"],
        "roles": ["MSB.Leder", "grp-msb-alle"],
    },
)
# More groups than a token holds: Entra ID names a source instead of listing them.
OVERAGE_USER = User(
    sub="entra-sub-carl",
    claims={
        "oid": "0b5c7e3a-3333-4f1d-8c2b-111111111111",
        "tid": ENTRA_USER.claims["tid"],
        "preferred_username": "carl@aarhus.dk",
        "_claim_names": {"groups": "src1"},
        "_claim_sources": {"src1": {"endpoint": "https://graph.microsoft.com/v1.0/users/x"}},
        "roles": ["MSB.Leder"],
    },
)
# A provider that is not Entra ID: no oid/tid, only sub.
PLAIN_USER = User(sub="plain-bo", claims={"name": "Bo Analytiker"})


@dataclass
class Provider:
    issuer: str
    authorize_queries: list[dict[str, str]] = field(default_factory=list)
    token_forms: list[dict[str, str]] = field(default_factory=list)
    forge_id_token: bool = False
    # Authorization parameters (and `sub`) of a second sign-in whose genuine, signed
    # ID token replaces the one the app should get.
    substitute_id_token: dict[str, str] | None = None
    announce_issuer: str | None = None


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256, computed here independently of the library the app uses."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _first_values(query: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(query).items()}


def _spoil_signature(id_token: str) -> str:
    header, payload, signature = id_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["oid"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


class _Recorder:
    """WSGI middleware between the network and the provider."""

    def __init__(self, app, provider: Provider) -> None:
        self.app = app
        self.provider = provider

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/oauth2/authorize" and environ["REQUEST_METHOD"] == "GET":
            self.provider.authorize_queries.append(_first_values(environ.get("QUERY_STRING", "")))
        if path == "/oauth2/token":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(size)
            self.provider.token_forms.append(_first_values(body.decode()))
            environ["wsgi.input"] = io.BytesIO(body)
        token_spoilt = self.provider.forge_id_token or self.provider.substitute_id_token
        spoil = (path == "/oauth2/token" and token_spoilt) or (
            path == "/.well-known/openid-configuration" and self.provider.announce_issuer
        )
        if not spoil:
            return self.app(environ, start_response)
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)

        answer = json.loads(b"".join(self.app(environ, capture)))
        if "id_token" in answer and self.provider.forge_id_token:
            answer["id_token"] = _spoil_signature(answer["id_token"])
        if "id_token" in answer and self.provider.substitute_id_token:
            answer["id_token"] = self._other_id_token(self.provider.substitute_id_token)
        if "issuer" in answer:
            answer["issuer"] = self.provider.announce_issuer
        body = json.dumps(answer).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _other_id_token(self, changes: dict[str, str]) -> str:
        """Sign in once more, straight at the provider, as the app's last request but with
        `changes`; the ID token it issues is genuine and correctly signed."""
        side = Client(self.app)
        params = {**self.provider.authorize_queries[-1], **changes}
        sub = params.pop("sub")
        given = side.post(
            "/oauth2/authorize",
            query_string=params,
            data={"sub": sub},
            base_url=self.provider.issuer,
        )
        code = parse_qs(urlsplit(given.headers["Location"]).query)["code"][0]
        token = side.post(
            "/oauth2/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": params["redirect_uri"],
                "client_id": params["client_id"],
                "client_secret": "hemmeligt",
            },
            base_url=self.provider.issuer,
        )
        return token.get_json()["id_token"]


@contextmanager
def running_provider(*users: User, host: str = "localhost") -> Iterator[Provider]:
    """The provider on a free port, with `users` offered as one-click sign-ins.

    `host` is the name it is reached by: pick the one the app under test is not reached by.
    """
    app = oidc_provider_mock.app(require_nonce=True, user_claims=users)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    provider = Provider(issuer=f"http://{host}:{server.server_port}")
    server.app = _Recorder(app, provider)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
