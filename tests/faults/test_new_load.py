"""A new load is seen whole: a team it adds is found, a mistyped future date does not move
the default period, and rows whose unit is unknown or missing are counted and told."""

from __future__ import annotations

from datetime import date, datetime

import dash
import pytest
import sqlalchemy as sa

from dashboard import create_app
from queries.catalogue.loader import load_catalogue
from queries.catalogue.models import Grain
from queries.demo import write_engine
from queries.warehouse import Warehouse
from tests.conftest import CATALOGUE, sign_in

KPI = "sygedagpenge_over_22_uger"


@pytest.fixture
def loaded(tmp_path, frames):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'warehouse.sqlite'}")
    write_engine(frames, engine)
    warehouse = Warehouse(engine, load_catalogue(CATALOGUE, engine=engine))
    app = create_app(warehouse)
    client = app.server.test_client()
    sign_in(client)
    yield engine, app._msb_services, client
    dash.page_registry.clear()


def _load(engine: sa.Engine, frames) -> None:
    """What a nightly load might bring: a new team, a row dated 2031, two rows of no known unit."""
    spell = frames["fact_sygedagpenge"].iloc[0].to_dict()
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO dim_org (org_id, parent_id, org_navn, niveau) "
                "VALUES ('JSY-01-NY', 'JSY-01', 'Nyt team', 3)"
            )
        )
        for forloeb_id, org, end in [
            (900001, "JSY-01-NY", datetime(2026, 10, 3)),
            (900002, "JSY-01-01", datetime(2031, 6, 1)),
            (900003, "", datetime(2026, 10, 4)),
            (900004, "UKENDT", datetime(2026, 10, 5)),
        ]:
            row = {**spell, "forloeb_id": forloeb_id, "org_id": org, "slutdato": end}
            row["startdato"] = datetime(2026, 5, 1)
            connection.execute(
                sa.text(
                    "INSERT INTO fact_sygedagpenge (forloeb_id, borger_id, org_id, startdato, "
                    "slutdato, varighed_uger) VALUES (:forloeb_id, :borger_id, :org_id, "
                    ":startdato, :slutdato, :varighed_uger)"
                ),
                {k: row[k] for k in row if k != "forloeb_id"} | {"forloeb_id": forloeb_id},
            )
        connection.execute(
            sa.text("INSERT INTO load_log (kilde, indlaest_tid, raekker) VALUES (:k, :t, 4)"),
            {"k": "fact_sygedagpenge", "t": datetime(2026, 11, 30, 6, 0)},
        )


def test_a_new_load_brings_its_team_keeps_the_period_and_counts_orphans(loaded, frames):
    engine, services, client = loaded
    before = services.data_version()
    assert "JSY-01-NY" not in services.org
    latest_before = services.latest_period(KPI, Grain.month)
    assert services.orphans() == {}

    _load(engine, frames)
    services._version = (0.0, before)  # as if the minute between version checks had passed
    assert services.data_version() != before
    assert "JSY-01-NY" in services.org  # the tree was read again with the new version
    latest = services.latest_period(KPI, Grain.month)
    assert latest < date(2027, 1, 1) and latest >= latest_before  # not June 2031
    orphans = services.orphans()
    assert orphans.get(KPI) == 2  # an empty and an unknown unit id
    health = client.get("/healthz").get_json()
    assert health["rows_without_unit"][KPI] == 2
    page = client.get("/_dash-layout")
    assert page.status_code == 200
