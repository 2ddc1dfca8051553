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


def test_files_from_assets_are_compressed_too(dash_app):
    """Flask streams files from assets/ (Plotly's bundle, Bootstrap's CSS): they are
    compressed as they stream, with brotli or gzip, and arrive whole."""
    import gzip
    from pathlib import Path

    client = dash_app.server.test_client()
    assets = Path(__file__).resolve().parents[1] / "assets"
    for name in ("plotly-basic.min.js", "01-bootstrap.min.css"):
        original = (assets / name).read_bytes()
        for encoding, unpack in (("br", brotli.decompress), ("gzip", gzip.decompress)):
            answer = client.get(f"/assets/{name}?m=1", headers={"Accept-Encoding": encoding})
            assert answer.headers["Content-Encoding"] == encoding, (name, encoding)
            sent = answer.get_data()
            assert unpack(sent) == original and len(sent) < len(original) / 2.5
