"""OpenID Connect sign-in in Chromium: the whole Dash app, a real provider, its real form.

The app is reached as `localhost` (dash_duo) and the provider as 127.0.0.1, so their
session cookies stay apart. The test ends on the app's KPI page with a clean console.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote

import dash
import pytest
from flask import jsonify
from selenium.webdriver.common.by import By

from dashboard import create_app
from identity.oidc import register
from identity.session import current_identity
from queries.settings import load_settings
from tests.oidc_provider import ENTRA_USER, running_provider

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")

KPI = "sygedagpenge_over_22_uger"
PAGE = f"/kpi/{KPI}?enhed=JSY"


@pytest.fixture
def provider():
    with running_provider(ENTRA_USER, host="127.0.0.1") as running:
        yield running


@pytest.fixture
def oidc_app(duckdb_warehouse, provider):
    """The full app in oidc mode, and a route that says who the session belongs to.

    Once the app wires sign-in itself, `create_app` registers the OIDC routes (behind its
    guard); until then the fixture does.
    """
    settings = load_settings(
        {
            **os.environ,
            "MSB_AUTH_MODE": "oidc",
            "MSB_OIDC_ISSUER": provider.issuer,
            "MSB_OIDC_CLIENT_ID": "msb-i-tal-browser-test",
            "MSB_OIDC_CLIENT_SECRET": "hemmeligt",
            "MSB_SECRET_KEY": "en-lang-tilfaeldig-noegle-kun-til-browsertest",
        }
    )
    app = create_app(duckdb_warehouse, settings)
    if "oidc_login" not in app.server.view_functions:
        register(app.server, settings)
    app.server.add_url_rule("/_test/whoami", "test_whoami", lambda: jsonify(current_identity()))
    yield app
    dash.page_registry.clear()


def wait_for_trend(kpi_page, unit_name: str) -> None:
    """The page is up when its trend is drawn for the unit (the list waits for a purpose)."""

    def drawn():
        state = kpi_page.lenses()
        return state["trendDrawn"] and state["trend"][:1] == [unit_name]

    kpi_page.wait(drawn, f"the trend for {unit_name} was never drawn")


def test_signing_in_with_oidc_in_the_browser_lands_signed_in_on_the_page_asked_for(
    dash_duo, oidc_app, kpi_page, provider
):
    # No demo persona: this app signs in through the provider only.
    dash_duo.start_server(oidc_app, persona=None)
    driver = dash_duo.driver
    site = dash_duo.server.url.rstrip("/")

    driver.get(f"{site}/login/oidc?next={quote(PAGE, safe='/')}")
    kpi_page.wait(
        lambda: driver.current_url.startswith(f"{provider.issuer}/oauth2/authorize"),
        "the browser never reached the provider",
    )
    kpi_page.click(f"button[name='sub'][value='{ENTRA_USER.sub}']")

    kpi_page.wait(
        lambda: driver.current_url == site + PAGE,
        "the browser did not come back to the page first asked for",
    )
    wait_for_trend(kpi_page, "Job og Sygedagpenge")

    driver.get(f"{site}/_test/whoami")
    signed_in = json.loads(driver.find_element(By.TAG_NAME, "body").text)
    claims = ENTRA_USER.claims
    assert signed_in == {
        "user_id": f"{claims['oid']}@{claims['tid']}",
        "name": "Anna Afdelingsleder",
        "groups": ["grp-jsy-ledere", "grp-msb-alle", "MSB.Leder"],
        "source": "oidc",
    }
    # The test server's readiness probe followed "/" to the provider too: every request
    # to the provider, the browser's last among them, asks with PKCE.
    asked = provider.authorize_queries
    assert asked and all(query["code_challenge_method"] == "S256" for query in asked)

    dash_duo.get_logs()  # what the provider's own pages logged is not the app's
    driver.get(site + PAGE)
    wait_for_trend(kpi_page, "Job og Sygedagpenge")
    assert dash_duo.get_logs() == []
