"""Documentation that tests keep honest."""

from __future__ import annotations

from queries.catalogue.loader import load_catalogue
from queries.settings import ROOT, SETTINGS_DOC, load_settings

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    missing = [name for name in SETTINGS_DOC if f"`{name}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_every_setting_is_read_by_load_settings():
    environ = {name: "1" for name in SETTINGS_DOC}
    environ["MSB_DEMO_PATH"] = "/tmp/x.duckdb"
    environ["MSB_CATALOGUE"] = "/tmp/k.yaml"
    environ["MSB_AUTH_MODE"] = "oidc"
    environ["MSB_MAX_REQUEST_BYTES"] = "2048"
    settings = load_settings(environ)
    assert settings.warehouse_url == "1" and settings.cache_url == "1"
    assert settings.port == 1 and settings.query_timeout_s == 1.0 and settings.debug
    assert settings.auth_mode == "oidc" and settings.oidc_client_secret == "1"
    assert settings.max_request_bytes == 2048 and settings.trusted_proxies == ("1",)


def test_readme_opens_with_the_two_commands():
    head = README.split("\n## ")[0]
    assert "./scripts/run" in head and "./scripts/test" in head
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("exec ./scripts/test")


def test_every_kpi_has_description_owner_and_a_documented_format():
    catalogue = load_catalogue(ROOT / "kpi_definitions.yaml")
    for kpi in catalogue.kpis:
        assert len(kpi.description) > 20 and kpi.owner, kpi.id
        assert f"`{kpi.format.value}`" in README, kpi.format
