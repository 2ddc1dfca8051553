"""Pages, callback answers and scripts travel compressed."""

from __future__ import annotations

import brotli

from tests.conftest import sign_in


def test_the_page_and_the_big_scripts_are_compressed(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    page = client.get("/kpi/fuldtidspersoner", headers={"Accept-Encoding": "br, gzip"})
    assert page.headers["Content-Encoding"] == "br"
    html = brotli.decompress(page.get_data()).decode()
    assert "_dash-config" in html and len(page.get_data()) < len(html) / 3
    script = client.get(
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
        headers={"Accept-Encoding": "gzip"},
    )
    assert script.headers["Content-Encoding"] == "gzip"
    assert len(script.get_data()) < 2_000_000  # 4.8 MB as it lies on disk


def test_a_client_that_asks_for_nothing_gets_plain_text(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    page = client.get("/definitioner", headers={"Accept-Encoding": ""})
    assert "Content-Encoding" not in page.headers and b"_dash-config" in page.get_data()
