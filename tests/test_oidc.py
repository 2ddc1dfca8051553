"""OpenID Connect sign-in over real HTTP: a small Flask app with `register`, a real provider.

Each hop is followed by hand (no automatic redirects) so every step can be checked: the
app's redirect to the provider, the provider's sign-in form, the code coming back, and
where the app finally sends the browser.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests
from flask import Flask, jsonify
from werkzeug.serving import make_server

from identity.oidc import register, safe_destination
from identity.session import current_identity
from queries.settings import load_settings
from tests.oidc_provider import (
    ENTRA_USER,
    OVERAGE_USER,
    PLAIN_USER,
    Provider,
    pkce_challenge,
    running_provider,
)

# The provider is built on the library's own deprecated parts; those warnings are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")

CLIENT_ID = "msb-i-tal-test"
PAGE = "/kpi/sygedagpenge_over_22_uger?enhed=JSY&periode=2026-03"


@pytest.fixture
def provider() -> Iterator[Provider]:
    with running_provider(ENTRA_USER, OVERAGE_USER, PLAIN_USER) as running:
        yield running


def oidc_settings(issuer: str, **more: str):
    return load_settings(
        {
            **os.environ,
            "MSB_AUTH_MODE": "oidc",
            "MSB_OIDC_ISSUER": issuer,
            "MSB_OIDC_CLIENT_ID": CLIENT_ID,
            "MSB_OIDC_CLIENT_SECRET": "hemmeligt",
            "MSB_SECRET_KEY": "en-lang-tilfaeldig-noegle-kun-til-test",
            **more,
        }
    )


def small_app(issuer: str) -> Flask:
    app = Flask("oidc_test_app")
    register(app, oidc_settings(issuer))

    @app.get("/whoami")
    def whoami():
        return jsonify(current_identity())

    @app.get("/kpi/<kpi_id>")
    def kpi(kpi_id: str):
        return f"KPI {kpi_id}"

    return app


@pytest.fixture
def app_url(provider: Provider) -> Iterator[str]:
    """The small app over real HTTP on 127.0.0.1 (the provider is `localhost`)."""
    server = make_server("127.0.0.1", 0, small_app(provider.issuer), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(5)


def to_provider(browser: requests.Session, app_url: str, next_page: str = PAGE) -> str:
    """Open /login/oidc; returns the provider's authorize URL the app sent us to."""
    sent = browser.get(f"{app_url}/login/oidc", params={"next": next_page}, allow_redirects=False)
    assert sent.status_code == 302
    assert sent.headers["Cache-Control"] == "no-store"
    return sent.headers["Location"]


def at_provider(browser: requests.Session, authorize_url: str, **form: str) -> str:
    """Answer the provider's sign-in form; returns the callback URL it sends us back to."""
    assert browser.get(authorize_url).status_code == 200  # the provider's form
    answered = browser.post(authorize_url, data=form, allow_redirects=False)
    assert answered.status_code == 302
    return answered.headers["Location"]


def callback_for(browser: requests.Session, app_url: str, sub: str, next_page: str = PAGE) -> str:
    return at_provider(browser, to_provider(browser, app_url, next_page), sub=sub)


def identity(browser: requests.Session, app_url: str) -> dict | None:
    return browser.get(f"{app_url}/whoami").json()


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
    return urlunsplit(parts._replace(query=urlencode(query)))


def assert_danish_failure(answer: requests.Response, status: int, says: str) -> None:
    assert answer.status_code == status
    assert answer.headers["Content-Type"].startswith("text/html")
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Log-ind mislykkedes" in answer.text and says in answer.text
    assert 'lang="da"' in answer.text
    assert "Traceback" not in answer.text and "Error" not in answer.text


def test_entra_sign_in_is_oid_at_tid_with_groups_and_roles_and_returns_to_the_page(
    provider, app_url
):
    browser = requests.Session()
    callback = callback_for(browser, app_url, ENTRA_USER.sub)
    assert callback.startswith(f"{app_url}/auth/callback?")

    landed = browser.get(callback, allow_redirects=False)
    assert landed.status_code == 302
    assert landed.headers["Location"] == PAGE
    assert browser.get(app_url + landed.headers["Location"]).text == "KPI sygedagpenge_over_22_uger"

    claims = ENTRA_USER.claims
    assert identity(browser, app_url) == {
        "user_id": f"{claims['oid']}@{claims['tid']}",
        "name": "Anna Afdelingsleder",
        "groups": ["grp-jsy-ledere", "grp-msb-alle", "MSB.Leder"],  # both claims, once each
        "source": "oidc",
    }


def test_the_request_carries_pkce_s256_state_and_nonce_and_the_verifier_matches(provider, app_url):
    browser = requests.Session()
    browser.get(callback_for(browser, app_url, ENTRA_USER.sub), allow_redirects=False)

    [asked] = provider.authorize_queries
    [exchanged] = provider.token_forms
    assert asked["response_type"] == "code"
    assert asked["client_id"] == CLIENT_ID
    assert asked["redirect_uri"] == f"{app_url}/auth/callback"
    assert set(asked["scope"].split()) == {"openid", "profile"}  # no e-mail asked for
    assert asked["code_challenge_method"] == "S256"
    assert len(asked["state"]) >= 20 and len(asked["nonce"]) >= 20
    assert len(exchanged["code_verifier"]) >= 43
    assert pkce_challenge(exchanged["code_verifier"]) == asked["code_challenge"]
    assert exchanged["redirect_uri"] == asked["redirect_uri"]


def test_a_provider_without_oid_and_tid_identifies_by_sub_at_issuer(provider, app_url):
    browser = requests.Session()
    browser.get(callback_for(browser, app_url, PLAIN_USER.sub), allow_redirects=False)

    assert identity(browser, app_url) == {
        "user_id": f"plain-bo@{provider.issuer}",
        "name": "Bo Analytiker",
        "groups": [],
        "source": "oidc",
    }


def test_too_many_groups_for_the_token_signs_in_with_the_app_roles_and_says_so(
    provider, app_url, caplog
):
    browser = requests.Session()
    browser.get(callback_for(browser, app_url, OVERAGE_USER.sub), allow_redirects=False)

    claims = OVERAGE_USER.claims
    assert identity(browser, app_url) == {
        "user_id": f"{claims['oid']}@{claims['tid']}",
        "name": "carl@aarhus.dk",  # no `name` claim: the username is shown, not used as id
        "groups": ["MSB.Leder"],
        "source": "oidc",
    }
    assert "too many groups" in caplog.text


def test_behind_the_proxy_the_redirect_uri_is_https_on_the_public_name(provider):
    answer = (
        small_app(provider.issuer)
        .test_client()
        .get("/login/oidc", base_url="http://msbital.aarhus.dk")
    )

    assert answer.status_code == 302
    asked = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert asked["redirect_uri"] == ["https://msbital.aarhus.dk/auth/callback"]


def test_a_tampered_state_is_refused_with_the_danish_page(provider, app_url):
    browser = requests.Session()
    callback = callback_for(browser, app_url, ENTRA_USER.sub)

    answer = browser.get(with_query(callback, state="angriberens-egen-state"))

    assert_danish_failure(answer, 400, "passede ikke til din anmodning")
    assert identity(browser, app_url) is None
    assert provider.token_forms == []  # the code was never exchanged


def test_a_callback_is_used_once_only(provider, app_url):
    browser = requests.Session()
    callback = callback_for(browser, app_url, ENTRA_USER.sub)
    assert browser.get(callback, allow_redirects=False).status_code == 302

    thief = requests.Session()  # the same callback in another browser, or replayed
    assert_danish_failure(thief.get(callback), 400, "passede ikke")
    assert identity(thief, app_url) is None


def test_a_callback_from_another_browser_is_refused(provider, app_url):
    """Login CSRF: a victim's browser must not be signed in as the attacker."""
    attacker = requests.Session()
    callback = callback_for(attacker, app_url, ENTRA_USER.sub)

    victim = requests.Session()
    to_provider(victim, app_url)  # the victim has a sign-in of their own under way
    assert_danish_failure(victim.get(callback), 400, "passede ikke")
    assert identity(victim, app_url) is None


def test_the_provider_saying_no_ends_on_the_danish_page(provider, app_url):
    browser = requests.Session()
    callback = at_provider(browser, to_provider(browser, app_url), action="deny")
    assert "error=access_denied" in callback

    answer = browser.get(callback)

    assert_danish_failure(answer, 403, "afviste log-ind (fejlkode: access_denied)")
    assert f'href="/login/oidc?next={PAGE.split("?")[0]}' in answer.text  # try again, same page
    assert identity(browser, app_url) is None


def test_an_error_text_from_outside_is_never_echoed_as_html(provider, app_url):
    browser = requests.Session()
    authorize = to_provider(browser, app_url)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    answer = browser.get(
        f"{app_url}/auth/callback",
        params={"error": "<script>alert(1)</script>", "state": state},
    )

    assert_danish_failure(answer, 403, "afviste log-ind.")
    assert "<script>" not in answer.text and "alert(1)" not in answer.text


def test_an_id_token_with_a_forged_signature_is_refused(provider, app_url, caplog):
    provider.forge_id_token = True
    browser = requests.Session()

    answer = browser.get(callback_for(browser, app_url, ENTRA_USER.sub))

    assert_danish_failure(answer, 400, "kunne ikke godkendes")
    assert "ID token rejected: bad_signature" in caplog.text
    assert identity(browser, app_url) is None


def test_a_genuine_id_token_issued_to_another_client_is_refused(provider, app_url, caplog):
    """Token substitution: correctly signed by the right provider, but not for this app."""
    provider.substitute_id_token = {"client_id": "some-other-app", "sub": ENTRA_USER.sub}
    browser = requests.Session()

    answer = browser.get(callback_for(browser, app_url, ENTRA_USER.sub))

    assert_danish_failure(answer, 400, "kunne ikke godkendes")
    assert "ID token rejected" in caplog.text and "aud" in caplog.text
    assert identity(browser, app_url) is None


def test_a_genuine_id_token_from_another_sign_in_is_refused_by_its_nonce(provider, app_url, caplog):
    """Replay: a real token for this app and user, issued to an earlier sign-in."""
    provider.substitute_id_token = {"nonce": "en-tidligere-log-inds-nonce", "sub": ENTRA_USER.sub}
    browser = requests.Session()

    answer = browser.get(callback_for(browser, app_url, ENTRA_USER.sub))

    assert_danish_failure(answer, 400, "kunne ikke godkendes")
    assert "ID token rejected" in caplog.text and "nonce" in caplog.text
    assert identity(browser, app_url) is None


def test_a_provider_that_names_another_issuer_is_not_used(provider, app_url):
    provider.announce_issuer = "https://login.evil.example/tenant/v2.0"
    browser = requests.Session()

    answer = browser.get(f"{app_url}/login/oidc", allow_redirects=False)

    assert_danish_failure(answer, 502, "ikke den, MSB i tal er sat op til")
    assert provider.authorize_queries == []


def test_an_unreachable_provider_ends_on_the_danish_page():
    app = small_app("http://127.0.0.1:9")  # discard port: nothing listens
    answer = app.test_client().get("/login/oidc")
    assert answer.status_code == 502
    assert "Log-ind-tjenesten svarer ikke" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://evil.example/kpi",
        "//evil.example/kpi",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\tevil",
        "/login/oidc?next=https://evil.example",
        "/auth/callback",
    ],
)
def test_next_never_leads_off_the_site(provider, app_url, elsewhere):
    browser = requests.Session()
    callback = callback_for(browser, app_url, ENTRA_USER.sub, next_page=elsewhere)

    landed = browser.get(callback, allow_redirects=False)

    assert landed.status_code == 302
    assert landed.headers["Location"] == "/"
    assert identity(browser, app_url)["source"] == "oidc"


@pytest.mark.parametrize("page", ["/", PAGE, "/definitioner#sygedagpenge", "/kpi/a%2Fb"])
def test_pages_on_the_site_are_kept(page):
    assert safe_destination(page) == page


def test_oidc_mode_refuses_to_start_without_its_settings():
    with pytest.raises(SystemExit, match="MSB_OIDC_CLIENT_SECRET, MSB_SECRET_KEY"):
        register(
            Flask("incomplete"),
            load_settings({"MSB_OIDC_ISSUER": "https://x", "MSB_OIDC_CLIENT_ID": "y"}),
        )
