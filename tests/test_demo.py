"""The synthetic demo warehouse: deterministic, internally consistent, plausible, written right."""

from __future__ import annotations

import re
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

import queries.demo
from queries.demo import SCHEMA, ensure_demo, generate, write_duckdb, write_engine

SMALL = {"citizens": 3000}
FIRST_DAY = pd.Timestamp("2022-01-01")
CUTOFF = pd.Timestamp("2026-10-31")
OMRAADER = {"JSY", "JUS", "BFF", "JVS", "UJU", "VJH"}
# Which driftsområder' teams each fact may name.
FACT_OMRAADER = {
    "fact_ydelse": {"JSY", "JUS", "UJU", "JVS"},
    "fact_sygedagpenge": {"JSY"},
    "fact_afgang": {"UJU", "JSY"},
    "fact_underretning": {"BFF"},
    "fact_anbringelse": {"BFF", "UJU"},
    "fact_sag": OMRAADER,
    "fact_fravaer": OMRAADER,
    "fact_personale": OMRAADER,
    "fact_udgift": OMRAADER,
    "fact_socialindsats": {"JVS", "VJH"},
    "fact_pension": {"JVS"},
    "fact_investering": {"JSY", "JUS", "UJU"},
}
STAFF_AND_MONEY = ("fact_fravaer", "fact_personale", "fact_udgift")  # no citizens in them
# Every date and time in the facts (birth dates and load times lie outside the window).
DATE_COLUMNS = [
    (t, c)
    for t, cols in SCHEMA.items()
    for c in cols
    if c.type in ("DATE", "TIMESTAMP") and t.startswith("fact_")
]


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return generate(**SMALL)


@pytest.fixture(scope="module")
def full() -> dict[str, pd.DataFrame]:
    return generate()


def teams_of(frames: dict[str, pd.DataFrame]) -> pd.Series:
    org = frames["dim_org"]
    return org.loc[org["niveau"] == 3, "org_id"]


# --- determinism and arguments ------------------------------------------------------------


def test_same_arguments_give_identical_frames(small):
    again = generate(**SMALL)
    assert list(again) == list(small)
    for name in small:
        pd.testing.assert_frame_equal(again[name], small[name], obj=name)


def test_another_seed_gives_other_data(small):
    other = generate(seed=7, **SMALL)
    assert not other["fact_ydelse"].equals(small["fact_ydelse"])
    assert not other["dim_borger"]["cpr"].equals(small["dim_borger"]["cpr"])


def test_end_and_months_set_the_window():
    frames = generate(citizens=600, end=date(2024, 3, 1), months=24)
    months = frames["fact_ydelse"]["maaned"]
    assert (months.min(), months.max()) == (pd.Timestamp("2022-04-01"), pd.Timestamp("2024-03-01"))
    assert frames["load_log"]["indlaest_tid"].min() == pd.Timestamp("2024-04-02 06:00")


@pytest.mark.parametrize(
    "arguments",
    [
        {"end": date(2026, 10, 15)},
        {"citizens": 10},
        {"rows": 0},
        {"months": 6},
    ],
)
def test_bad_arguments_are_refused(arguments):
    with pytest.raises(ValueError):
        generate(**arguments)


# --- shape --------------------------------------------------------------------------------


def test_tables_columns_and_dtypes_follow_the_schema(small):
    assert list(small) == list(SCHEMA)
    for table, columns in SCHEMA.items():
        frame = small[table]
        assert list(frame.columns) == [c.name for c in columns], table
        for col in columns:
            dtype = frame[col.name].dtype
            if col.type in ("DATE", "TIMESTAMP"):
                assert dtype == "datetime64[ns]", (table, col.name, dtype)
            elif col.type in ("INTEGER", "BIGINT"):
                assert pd.api.types.is_integer_dtype(dtype), (table, col.name, dtype)
            elif col.type == "DOUBLE":
                assert pd.api.types.is_float_dtype(dtype), (table, col.name, dtype)
            else:
                assert pd.api.types.is_string_dtype(dtype), (table, col.name, dtype)
            if not col.nullable:
                assert frame[col.name].notna().all(), (table, col.name)


def test_org_tree_has_root_six_driftsomraader_and_about_a_hundred_units(small):
    org = small["dim_org"]
    assert org["org_id"].is_unique
    root = org[org["parent_id"].isna()]
    assert root["org_id"].tolist() == ["MSB"] and root["niveau"].tolist() == [0]
    assert set(org.loc[org["niveau"] == 1, "org_id"]) == OMRAADER
    assert set(org.loc[org["niveau"] == 1, "parent_id"]) == {"MSB"}
    assert 90 <= len(org) <= 110
    parent_level = org.set_index("org_id")["niveau"]
    children = org[org["parent_id"].notna()]
    assert (
        children["niveau"].to_numpy() == parent_level[children["parent_id"]].to_numpy() + 1
    ).all()
    per_parent = children.groupby("parent_id").size()
    assert per_parent.drop("MSB").between(2, 4).all()
    assert (children["org_id"].str.slice(0, 3).isin(OMRAADER)).all()


def test_cpr_numbers_are_well_formed_unique_and_never_real(small):
    people = small["dim_borger"]
    cpr = people["cpr"]
    assert cpr.map(lambda c: re.fullmatch(r"\d{6}-\d{4}", c) is not None).all()
    assert cpr.is_unique
    day = cpr.str.slice(0, 2).astype(int)
    assert day.between(61, 91).all()
    born = people["foedselsdato"]
    assert (day - 60 == born.dt.day).all()
    assert (cpr.str.slice(2, 4).astype(int) == born.dt.month).all()
    assert (cpr.str.slice(4, 6).astype(int) == born.dt.year % 100).all()
    odd = cpr.str.slice(-1).astype(int) % 2 == 1
    assert (odd == (people["koen"] == "M")).all()
    assert set(people["koen"]) == {"K", "M"}


# --- integrity ----------------------------------------------------------------------------


@pytest.mark.parametrize("table", list(FACT_OMRAADER))
def test_facts_name_only_teams_of_their_driftsomraader(small, table):
    units = small[table]["org_id"]
    assert units.isin(teams_of(small)).all()
    assert set(units.str.slice(0, 3)) == FACT_OMRAADER[table]


@pytest.mark.parametrize("table", [t for t in FACT_OMRAADER if t not in STAFF_AND_MONEY])
def test_facts_name_only_known_citizens(small, table):
    assert small[table]["borger_id"].isin(small["dim_borger"]["borger_id"]).all()


@pytest.mark.parametrize(
    ("table", "column"), DATE_COLUMNS, ids=[f"{t}.{c.name}" for t, c in DATE_COLUMNS]
)
def test_dates_lie_in_the_window(small, table, column):
    stamps = small[table][column.name].dropna()
    assert stamps.between(FIRST_DAY, CUTOFF + pd.Timedelta(days=1), inclusive="left").all()
    if column.type == "DATE":
        assert (stamps == stamps.dt.normalize()).all()
    else:
        assert (stamps != stamps.dt.normalize()).mean() > 0.9  # real clock times
    if column.name == "maaned":
        assert (stamps.dt.day == 1).all()


def test_staff_absence_has_every_team_every_month(small):
    fravaer = small["fact_fravaer"]
    assert len(fravaer) == len(teams_of(small)) * 58
    assert not fravaer.duplicated(["maaned", "org_id"]).any()
    assert (fravaer["fravaersdage"] <= fravaer["arbejdsdage"]).all()


def test_benefit_months_are_plausible(small):
    ydelse = small["fact_ydelse"]
    assert set(ydelse["ydelse"]) == {
        "kontanthjælp",
        "uddannelseshjælp",
        "dagpenge",
        "sygedagpenge",
        "jobafklaring",
        "ressourceforløb",
        "fleksjob",
        "integrationsydelse",
    }
    assert ydelse["fuldtid"].between(0.1, 1.0).all()
    assert (ydelse["fuldtid"] == 1.0).mean() > 0.6
    assert (ydelse["varighed_dage"] >= 1).all()
    full_time = ydelse[ydelse["fuldtid"] == 1.0]
    assert full_time["udgift_kr"].between(4_000, 25_000).all()
    by_area = ydelse.groupby(ydelse["org_id"].str.slice(0, 3))["ydelse"].agg(lambda s: s.mode()[0])
    assert by_area["UJU"] == "uddannelseshjælp"
    assert set(ydelse.loc[ydelse["org_id"].str.startswith("JSY"), "ydelse"]) == {
        "sygedagpenge",
        "dagpenge",
        "jobafklaring",
    }


def test_a_citizen_keeps_one_team_through_a_spell(small):
    # A row continues the previous month's spell exactly when its duration has grown by
    # the whole month: a new spell cannot have, as it began inside the month.
    ydelse = small["fact_ydelse"].sort_values(["borger_id", "ydelse", "maaned"])
    before = ydelse.shift()
    continued = (
        ydelse["borger_id"].eq(before["borger_id"])
        & ydelse["ydelse"].eq(before["ydelse"])
        & ydelse["maaned"].eq(before["maaned"] + pd.DateOffset(months=1))
        & ydelse["varighed_dage"].eq(before["varighed_dage"] + ydelse["maaned"].dt.days_in_month)
    )
    assert continued.mean() > 0.6
    assert ydelse["org_id"][continued].eq(before["org_id"][continued]).all()


def test_spell_and_case_columns_agree_with_each_other(small):
    syg = small["fact_sygedagpenge"]
    until = syg["slutdato"].fillna(CUTOFF)
    assert ((until - syg["startdato"]).dt.days // 7 == syg["varighed_uger"]).all()
    assert (syg["slutdato"].dropna() >= syg.loc[syg["slutdato"].notna(), "startdato"]).all()
    assert 0 < syg["slutdato"].isna().mean() < 0.2
    sag = small["fact_sag"]
    assert (
        (sag["afgjort_dato"] - sag["modtaget_dato"]).dt.days == sag["sagsbehandlingsdage"]
    ).all()
    assert (sag["inden_for_frist"] == (sag["sagsbehandlingsdage"] <= sag["frist_dage"])).all()
    und = small["fact_underretning"]
    hours = (und["vurderet_tid"] - und["modtaget_tid"]).dt.total_seconds() / 3600
    assert np.allclose(hours, und["timer_til_vurdering"])
    assert set(small["fact_afgang"]["afgang_til"]) == {
        "job",
        "uddannelse",
        "anden ydelse",
        "ukendt",
    }


def test_ages_fit_the_driftsomraader(small):
    born = small["dim_borger"].set_index("borger_id")["foedselsdato"]

    def ages(table: str, column: str) -> pd.Series:
        frame = small[table]
        days = (frame[column] - born[frame["borger_id"]].to_numpy()).dt.days
        return days / 365.25

    assert ages("fact_underretning", "modtaget_tid").between(0, 15).all()
    uju = small["fact_ydelse"]["org_id"].str.startswith("UJU")
    ydelse_ages = ages("fact_ydelse", "maaned")
    assert ydelse_ages[uju].between(15.9, 30).all()
    assert ydelse_ages[~uju].between(29.9, 67).all()
    placed = ages("fact_anbringelse", "maaned")
    assert placed.between(-0.1, 18).all()


def test_placements_last_many_months_and_institutions_cost_most(small):
    anbringelse = small["fact_anbringelse"]
    assert not anbringelse.duplicated(["maaned", "borger_id"]).any()
    assert anbringelse.groupby("borger_id")["maaned"].nunique().median() >= 12
    cost = anbringelse.groupby("anbringelsestype")["udgift_kr"].median()
    assert cost["døgninstitution"] > 2.5 * cost["familiepleje"]


def test_load_log_counts_every_table(small):
    log = small["load_log"].set_index("kilde")
    assert set(log.index) == set(SCHEMA) - {"load_log"}
    for table, count in log["raekker"].items():
        assert count == len(small[table])
    assert log["indlaest_tid"].min() == pd.Timestamp("2026-11-02 06:00")


# --- realism at the default size ------------------------------------------------------------


def test_default_size(full):
    assert 850_000 <= len(full["fact_ydelse"]) <= 1_150_000
    assert len(full["dim_borger"]) == 80_000
    assert 15_000 <= len(full["fact_sygedagpenge"]) <= 28_000
    assert 13_000 <= len(full["fact_underretning"]) <= 17_000
    assert 36_000 <= len(full["fact_sag"]) <= 44_000


def test_money_and_staff_have_aarhus_magnitudes(full):
    """About 11 mia. kr. spent a year, 2,1 mia. of it refunded by the state; about 4.500
    staff, of whom some 13 % leave in a year."""
    udgift = full["fact_udgift"]
    year = udgift[udgift["maaned"].dt.year == 2023]
    assert 10.5e9 <= year["udgift_kr"].sum() <= 12e9
    assert 1.9e9 <= year["refusion_kr"].sum() <= 2.4e9
    # refunds come with transfers, hardly with service
    by_kind = year.groupby("udgiftsart")[["udgift_kr", "refusion_kr"]].sum()
    share = by_kind["refusion_kr"] / by_kind["udgift_kr"]
    assert share["Overførsler"] > 0.2 > 0.05 > share["Service"]
    staff = full["fact_personale"].groupby("maaned")["medarbejdere"].sum()
    assert 4_000 <= staff.mean() <= 5_000
    personale = full["fact_personale"]
    yearly_turnover = 12 * personale["fratraadte"].sum() / personale["medarbejdere"].sum()
    assert 0.10 <= yearly_turnover <= 0.17
    # the two staff facts count the same people
    assert (personale["medarbejdere"] == full["fact_fravaer"]["medarbejdere"]).all()


def test_social_services_pension_and_investment_models_are_plausible(full):
    social = full["fact_socialindsats"]
    october = social[social["maaned"] == "2026-10-01"].groupby("paragraf")["borger_id"].nunique()
    assert 1_000 <= october["§ 85"] <= 2_500
    assert 300 <= october["§ 107"] + october["§ 108"] <= 800
    assert not social.duplicated(["maaned", "borger_id", "paragraf"]).any()
    pension = full["fact_pension"]
    assert pension["borger_id"].is_unique  # a pension is awarded once
    assert 400 <= (pension["afgoerelsesdato"].dt.year == 2023).sum() <= 800
    assert pension["alder"].between(25, 65).all()
    invest = full["fact_investering"]
    assert ((invest["opfoelgningsdato"] - invest["startdato"]).dt.days == 182).all()
    assert 0.35 <= invest["selvforsoergende"].mean() <= 0.6


def _share_by(frame: pd.DataFrame, flag: pd.Series, by: pd.Series) -> pd.Series:
    return flag.groupby(by).mean()


def test_sickness_spells_over_22_weeks_differ_between_teams(full):
    syg = full["fact_sygedagpenge"]
    closed = syg[syg["startdato"] < pd.Timestamp("2026-01-01")]
    over = closed["varighed_uger"] > 22
    assert 0.15 <= over.mean() <= 0.35
    per_team = _share_by(closed, over, closed["org_id"])
    assert per_team.max() - per_team.min() > 0.08
    # Persistent: the teams' ranks in the first and the last two years agree.
    early = closed["startdato"] < pd.Timestamp("2024-01-01")
    first = _share_by(closed[early], over[early], closed.loc[early, "org_id"])
    last = _share_by(closed[~early], over[~early], closed.loc[~early, "org_id"])
    assert first.rank().corr(last.rank()) > 0.5


def test_exits_to_job_or_education_improve_and_differ(full):
    afgang = full["fact_afgang"]
    good = afgang["afgang_til"].isin(["job", "uddannelse"])
    assert 0.4 <= good.mean() <= 0.7
    by_year = _share_by(afgang, good, afgang["afgangsdato"].dt.year)
    assert by_year[2025] > by_year[2022] + 0.03
    per_team = _share_by(afgang, good, afgang["org_id"])
    assert per_team.max() - per_team.min() > 0.15


def test_notifications_assessed_within_24_hours_and_dip_in_july(full):
    und = full["fact_underretning"]
    in_time = und["timer_til_vurdering"] <= 24
    assert 0.85 <= in_time.mean() <= 0.97
    per_team = _share_by(und, in_time, und["org_id"])
    assert per_team.max() - per_team.min() > 0.03
    per_month = und.groupby(und["modtaget_tid"].dt.month).size()
    assert per_month[7] < 0.8 * per_month.drop(7).mean()
    hours = und["modtaget_tid"].dt.hour
    assert hours.between(8, 15).mean() > 0.6


def test_sickness_benefit_and_staff_absence_peak_in_winter(full):
    ydelse = full["fact_ydelse"]
    syg = ydelse[ydelse["ydelse"] == "sygedagpenge"]
    per_month = syg.groupby(syg["maaned"].dt.month).size()
    assert per_month[[1, 2]].mean() > 1.1 * per_month[[8, 9]].mean()
    fravaer = full["fact_fravaer"]
    month = fravaer["maaned"].dt.month
    rate = (
        fravaer.groupby(month)["fravaersdage"].sum() / fravaer.groupby(month)["arbejdsdage"].sum()
    )
    assert rate[1] > rate[7] * 1.2
    assert 0.04 <= fravaer["fravaersdage"].sum() / fravaer["arbejdsdage"].sum() <= 0.08


# --- scaling --------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [20_000, 300_000])
def test_rows_sets_the_size_of_fact_ydelse(rows):
    ydelse = generate(rows=rows, **SMALL)["fact_ydelse"]
    assert abs(len(ydelse) - rows) < 0.02 * rows


# --- writing --------------------------------------------------------------------------------

DUCKDB_TYPES = {
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "VARCHAR": "VARCHAR",
    "INTEGER": "INTEGER",
    "DOUBLE": "DOUBLE",
    "BIGINT": "BIGINT",
}


def test_write_duckdb_round_trip(small, tmp_path):
    path = tmp_path / "demo.duckdb"
    write_duckdb(small, path)
    assert [p.name for p in tmp_path.iterdir()] == ["demo.duckdb"]  # no temporary file left
    with duckdb.connect(str(path), read_only=True) as con:
        for table, columns in SCHEMA.items():
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(small[table])
            described = {row[0]: row[1] for row in con.execute(f"DESCRIBE {table}").fetchall()}
            assert described == {c.name: DUCKDB_TYPES[c.type] for c in columns}, table
        open_spells = con.execute(
            "SELECT count(*) FROM fact_sygedagpenge WHERE slutdato IS NULL"
        ).fetchone()[0]
        assert open_spells == small["fact_sygedagpenge"]["slutdato"].isna().sum() > 0
        assert con.execute("SELECT parent_id FROM dim_org WHERE org_id = 'MSB'").fetchone() == (
            None,
        )
        total = con.execute("SELECT sum(udgift_kr) FROM fact_ydelse").fetchone()[0]
        first = con.execute("SELECT min(maaned) FROM fact_ydelse").fetchone()[0]
    assert total == pytest.approx(small["fact_ydelse"]["udgift_kr"].sum())
    assert first == date(2022, 1, 1)


def test_write_duckdb_replaces_an_existing_file(small, tmp_path):
    path = tmp_path / "demo.duckdb"
    write_duckdb(small, path)
    write_duckdb({"dim_org": small["dim_org"]}, path)
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert tables == {"dim_org"}


def test_write_duckdb_refuses_unknown_tables_and_leaves_no_file(small, tmp_path):
    with pytest.raises(ValueError, match="unknown demo table"):
        write_duckdb(
            {"dim_org": small["dim_org"], "fact_other": small["dim_org"]}, tmp_path / "demo.duckdb"
        )
    assert list(tmp_path.iterdir()) == []


def test_ensure_demo_generates_only_when_missing(small, tmp_path, monkeypatch):
    calls = []

    def small_generate() -> dict[str, pd.DataFrame]:
        calls.append(1)
        return small

    monkeypatch.setattr(queries.demo, "generate", small_generate)
    path = tmp_path / "sub" / "demo.duckdb"
    assert ensure_demo(path) == path and path.exists()
    stamp = path.stat().st_mtime_ns
    assert ensure_demo(str(path)) == path
    assert calls == [1] and path.stat().st_mtime_ns == stamp


def test_a_demo_from_an_older_version_is_made_again(small, tmp_path, monkeypatch):
    """A file without one of today's tables would fail the catalogue's check at start."""
    monkeypatch.setattr(queries.demo, "generate", lambda: small)
    path = tmp_path / "demo.duckdb"
    write_duckdb({"dim_org": small["dim_org"]}, path)
    assert ensure_demo(path) == path
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert tables == set(SCHEMA)


def test_write_engine_round_trip_on_sqlite(small, tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    write_engine(small, engine)
    write_engine(small, engine)  # again: tables are dropped and created, not appended to
    inspector = sa.inspect(engine)
    with engine.connect() as conn:
        for table in SCHEMA:
            count = conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
            assert count == len(small[table]), table
        types = {c["name"]: c["type"] for c in inspector.get_columns("fact_underretning")}
        assert isinstance(types["modtaget_tid"], sa.DateTime)
        assert isinstance(types["org_id"], sa.String) and types["org_id"].length == 16
        syg = sa.Table("fact_sygedagpenge", sa.MetaData(), autoload_with=conn)
        first = conn.execute(sa.select(syg).order_by(syg.c.forloeb_id).limit(1)).one()
        nulls = conn.execute(
            sa.select(sa.func.count()).select_from(syg).where(syg.c.slutdato.is_(None))
        ).scalar()
    expected = small["fact_sygedagpenge"].iloc[0]
    assert first.startdato == expected["startdato"].date()
    assert first.varighed_uger == expected["varighed_uger"]
    assert nulls == small["fact_sygedagpenge"]["slutdato"].isna().sum()
