"""The session cookie: HttpOnly, SameSite=Lax, and Secure unless the app is on localhost."""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class SessionCookies(SecureCookieSessionInterface):
    """Decided per request: behind the proxy the Host is the public name, so the cookie is
    Secure there, while the development server on 127.0.0.1 still works over http."""

    def get_cookie_secure(self, app: Flask) -> bool:
        host = (request.host or "").rsplit(":", 1)[0].strip("[]")
        return host not in LOCAL_HOSTS


def configure(server: Flask, key: str) -> None:
    server.secret_key = key
    server.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    server.config["SESSION_COOKIE_NAME"] = "msb_session"
    server.session_interface = SessionCookies()
