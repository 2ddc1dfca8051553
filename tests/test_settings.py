"""Bad settings stop the app at start with one Danish line per variable, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from queries.engine import DuckdbLimits
from queries.settings import ROOT, SettingsError, load_settings


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("PORT", "-1", "PORT='-1': skal være et helt tal fra 1 til 65535"),
        ("PORT", "otte", "PORT='otte': skal være et helt tal"),
        ("MSB_QUERY_TIMEOUT", "abc", "MSB_QUERY_TIMEOUT='abc': skal være et tal"),
        ("MSB_QUERY_TIMEOUT", "0", "MSB_QUERY_TIMEOUT='0': skal være et tal fra 0.5"),
        ("MSB_WARM_CACHE", "ja", "MSB_WARM_CACHE='ja': skal være 1 (til) eller 0 (fra)"),
        ("MSB_AUTH_MODE", "ldap", "MSB_AUTH_MODE='ldap': skal være en af demo, header, oidc"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_accepts(name, value, says):
    with pytest.raises(SettingsError) as raised:
        load_settings({name: value})
    assert any(problem.startswith(says) for problem in raised.value.problems), raised.value


def test_duckdbs_default_limits_are_the_settings_defaults():
    """A command (audit, cubes) opens the app's DuckDB file in the same process as an
    engine made with DuckdbLimits(); DuckDB refuses a second configuration of one file."""
    settings = load_settings({})
    assert (settings.duckdb_memory_mb, settings.duckdb_threads) == (
        DuckdbLimits().memory_mb,
        DuckdbLimits().threads,
    )


def test_every_problem_is_told_at_once():
    with pytest.raises(SettingsError) as raised:
        load_settings({"PORT": "x", "MSB_CACHE_TIMEOUT": "-5", "MSB_DEBUG": "yes"})
    assert [p.split("=")[0] for p in raised.value.problems] == [
        "MSB_CACHE_TIMEOUT",
        "PORT",
        "MSB_DEBUG",
    ]


def test_oidc_needs_its_three_settings_and_demo_sign_in_needs_the_demo():
    with pytest.raises(SettingsError, match="MSB_OIDC_ISSUER"):
        load_settings({"MSB_AUTH_MODE": "oidc"})
    with pytest.raises(SettingsError, match="kun for demo"):
        load_settings({"MSB_AUTH_MODE": "demo", "MSB_WAREHOUSE_URL": "sqlite://"})
    assert load_settings({"MSB_WAREHOUSE_URL": "sqlite://"}).auth_mode == "header"


def test_the_app_refuses_to_start_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PORT": "-1", "MSB_QUERY_TIMEOUT": "abc"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "PORT='-1'" in result.stderr and "MSB_QUERY_TIMEOUT='abc'" in result.stderr
