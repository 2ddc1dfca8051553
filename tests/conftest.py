"""Real warehouses for the tests: a small demo written to DuckDB, SQLite, PostgreSQL and MariaDB.

PostgreSQL and MariaDB are the servers this machine runs (CI starts them); override
their URLs with MSB_TEST_POSTGRES_URL / MSB_TEST_MARIADB_URL. A server that is down
fails the tests that need it: it is never silently skipped.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from queries.catalogue.loader import load_catalogue
from queries.demo import generate, write_duckdb, write_engine
from queries.engine import create_warehouse_engine
from queries.settings import ROOT
from queries.warehouse import Warehouse

CATALOGUE = ROOT / "kpi_definitions.yaml"
# Apps built in tests do not warm their cache in a background thread (test_cache.py
# warms it on purpose), so every test sees the same, deterministic state.
os.environ.setdefault("MSB_WARM_CACHE", "0")
# The audit log of apps built in tests goes to a scratch file, not the checkout's data/.
os.environ.setdefault("MSB_APP_DB_URL", f"sqlite:///{tempfile.mkdtemp()}/app.sqlite")
# Session cookies of apps built in tests are signed with a fixed key, not data/secret_key.
os.environ.setdefault("MSB_SECRET_KEY", "tests-only-" + "k" * 40)
POSTGRES_URL = os.environ.get(
    "MSB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
MARIADB_URL = os.environ.get("MSB_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test")
# Each checkout running tests at the same time on one machine sets its own schema name.
TEST_SCHEMA = os.environ.get("MSB_TEST_SCHEMA", "msb_i_tal_test")

# Small but complete: every driftsområde, every fact, 2½ years of months.
SMALL = {"seed": 11, "citizens": 2500, "months": 30}


@pytest.fixture(scope="session")
def frames() -> dict[str, pd.DataFrame]:
    return generate(**SMALL)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue(CATALOGUE)


@pytest.fixture(scope="session")
def duckdb_path(tmp_path_factory: pytest.TempPathFactory, frames) -> Path:
    path = tmp_path_factory.mktemp("duckdb") / "warehouse.duckdb"
    write_duckdb(frames, path)
    return path


def _warehouse(engine: sa.Engine, catalogue) -> Warehouse:
    return Warehouse(engine, load_catalogue(CATALOGUE, engine=engine))


@pytest.fixture(scope="session")
def duckdb_warehouse(duckdb_path, catalogue) -> Warehouse:
    return _warehouse(create_warehouse_engine(f"duckdb:///{duckdb_path}"), catalogue)


@pytest.fixture(scope="session")
def sqlite_warehouse(tmp_path_factory, frames, catalogue) -> Warehouse:
    path = tmp_path_factory.mktemp("sqlite") / "warehouse.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    write_engine(frames, engine)
    return _warehouse(engine, catalogue)


@pytest.fixture(scope="session")
def postgres_warehouse(frames, catalogue) -> Warehouse:
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {TEST_SCHEMA} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {TEST_SCHEMA}"))
    admin.dispose()
    engine = sa.create_engine(
        POSTGRES_URL, connect_args={"options": f"-c search_path={TEST_SCHEMA}"}
    )
    write_engine(frames, engine)
    return _warehouse(engine, catalogue)


@pytest.fixture(scope="session")
def mariadb_warehouse(frames, catalogue) -> Warehouse:
    admin = sa.create_engine(MARIADB_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {TEST_SCHEMA}"))
        connection.execute(sa.text(f"CREATE DATABASE {TEST_SCHEMA} CHARACTER SET utf8mb4"))
    admin.dispose()
    url = sa.engine.make_url(MARIADB_URL).set(database=TEST_SCHEMA)
    engine = sa.create_engine(url.update_query_dict({"charset": "utf8mb4"}))
    write_engine(frames, engine)
    return _warehouse(engine, catalogue)


DIALECT_FIXTURES = [
    "duckdb_warehouse",
    "sqlite_warehouse",
    "postgres_warehouse",
    "mariadb_warehouse",
]


@pytest.fixture(params=DIALECT_FIXTURES, ids=["duckdb", "sqlite", "postgresql", "mariadb"])
def warehouse(request) -> Warehouse:
    return request.getfixturevalue(request.param)


def pytest_terminal_summary(terminalreporter) -> None:
    """How many oracle comparisons each dialect passed through (for the closing note)."""
    from tests.test_oracle import COMPARISONS

    if COMPARISONS:
        counts = ", ".join(f"{name}: {count}" for name, count in sorted(COMPARISONS.items()))
        terminalreporter.write_line(f"oracle comparisons per dialect — {counts}")


@pytest.fixture(scope="module")
def dash_app(duckdb_warehouse):
    """The whole Dash app on the DuckDB demo, one per test module.

    `dash.page_registry` is global and `create_app` fills it, so it is emptied afterwards.
    """
    import dash

    from dashboard import create_app

    app = create_app(duckdb_warehouse)
    yield app
    dash.page_registry.clear()


# ---- signing in ----------------------------------------------------------------------------

ANALYST = "demo-analytiker"  # every unit; list, export and unmask
PURPOSE = "Kvalitetssikring af data"


@contextmanager
def app_db_schema(suffix: str, migrated: bool = True) -> Iterator[sa.Engine]:
    """An engine on a fresh PostgreSQL schema of its own for the app database (the test
    run's schema name plus `suffix`), migrated to the newest revision unless asked not to;
    dropped afterwards."""
    schema = os.environ.get("MSB_TEST_SCHEMA", "msb_i_tal_test") + suffix
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine = sa.create_engine(POSTGRES_URL, connect_args={"options": f"-c search_path={schema}"})
    if migrated:
        from appdb.migrate import upgrade

        upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


def count_calls(monkeypatch, functions: dict[str, tuple[object, str]]) -> dict[str, int]:
    """Wrap each (module, function name) so the returned counts say how often each ran."""
    ran = dict.fromkeys(functions, 0)

    def counting(kind: str, module: object, name: str) -> None:
        real = getattr(module, name)

        def counted(*args, **kwargs):
            ran[kind] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)

    for kind, (module, name) in functions.items():
        counting(kind, module, name)
    return ran


def sign_in(client, persona: str = ANALYST, purpose: str | None = PURPOSE) -> None:
    """Sign a test client in through the demo sign-in page, as a browser does; the purpose
    is then kept in the session as "Vis borgerne" keeps it (test_access.py tests that)."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"csrf": token, "persona": persona, "next": "/"})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    if purpose:
        with client.session_transaction() as session:
            session["purpose"] = purpose


def readable(result):
    """A callback's answer with each figure (the plain dict the lenses send) as a validated
    go.Figure, so a test reads traces by name, and an invalid property fails the test."""
    from components.figures import as_graph_object

    def one(part):
        is_figure = isinstance(part, dict) and set(part) == {"data", "layout"}
        return as_graph_object(part) if is_figure else part

    return tuple(one(part) for part in result) if isinstance(result, tuple) else one(result)


@contextmanager
def viewing_as(app, persona: str = ANALYST, purpose: str | None = PURPOSE) -> Iterator[None]:
    """A request context of the app in which `persona` is signed in (for callbacks called
    as plain functions, as the router calls them)."""
    from identity import session as identity_session

    access = app.server.extensions["msb_identity"].access
    user = access.user(persona)
    with app.server.test_request_context("/_dash-update-component", method="POST"):
        identity_session.sign_in(persona, user.name if user else persona, [], "demo")
        if purpose:
            identity_session.set_purpose(purpose)
        yield


@pytest.fixture(scope="module")
def signed_in_client(dash_app):
    client = dash_app.server.test_client()
    sign_in(client)
    return client


def trend_request(kpi: str, query: str) -> dict:
    """The request dash-renderer sends for the trend lens of `kpi` at `query` (for tests
    that talk to a server over HTTP, without the app's callback map at hand)."""
    return {
        "output": "..trend-graph.figure...trend-sentence.children..",
        "outputs": [
            {"id": "trend-graph", "property": "figure"},
            {"id": "trend-sentence", "property": "children"},
        ],
        "inputs": [
            {"id": "kpi-state", "property": "data", "value": {"kpi": kpi, "query": query}},
            {"id": "board-version", "property": "data", "value": {"n": 0}},
        ],
        "changedPropIds": ["kpi-state.data"],
        "state": [],
    }
