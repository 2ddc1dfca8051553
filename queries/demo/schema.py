"""The demo warehouse's tables and column types — the contract the KPI catalogue reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Col:
    name: str
    type: str  # DuckDB type name: DATE, TIMESTAMP, VARCHAR, INTEGER, DOUBLE or BIGINT
    length: int | None = None  # VARCHAR length, for databases that want one
    nullable: bool = False


def _id(name: str) -> Col:
    return Col(name, "INTEGER")


def _org() -> Col:
    return Col("org_id", "VARCHAR", 16)


SCHEMA: dict[str, tuple[Col, ...]] = {
    "dim_org": (
        _org(),
        Col("parent_id", "VARCHAR", 16, nullable=True),
        Col("org_navn", "VARCHAR", 100),
        Col("niveau", "INTEGER"),
    ),
    "dim_borger": (
        _id("borger_id"),
        Col("cpr", "VARCHAR", 11),
        Col("navn", "VARCHAR", 100),
        Col("foedselsdato", "DATE"),
        Col("koen", "VARCHAR", 1),
    ),
    "fact_ydelse": (
        Col("maaned", "DATE"),
        _id("borger_id"),
        _org(),
        Col("ydelse", "VARCHAR", 32),
        Col("fuldtid", "DOUBLE"),
        Col("udgift_kr", "DOUBLE"),
        Col("varighed_dage", "INTEGER"),
    ),
    "fact_sygedagpenge": (
        _id("forloeb_id"),
        _id("borger_id"),
        _org(),
        Col("startdato", "DATE"),
        Col("slutdato", "DATE", nullable=True),
        Col("varighed_uger", "INTEGER"),
    ),
    "fact_afgang": (
        _id("afgang_id"),
        _id("borger_id"),
        _org(),
        Col("afgangsdato", "DATE"),
        Col("ydelse", "VARCHAR", 32),
        Col("afgang_til", "VARCHAR", 32),
    ),
    "fact_underretning": (
        _id("underretning_id"),
        _id("borger_id"),
        _org(),
        Col("modtaget_tid", "TIMESTAMP"),
        Col("vurderet_tid", "TIMESTAMP"),
        Col("timer_til_vurdering", "DOUBLE"),
    ),
    "fact_anbringelse": (
        Col("maaned", "DATE"),
        _id("borger_id"),
        _org(),
        Col("anbringelsestype", "VARCHAR", 32),
        Col("udgift_kr", "DOUBLE"),
    ),
    "fact_sag": (
        _id("sag_id"),
        _id("borger_id"),
        _org(),
        Col("sagstype", "VARCHAR", 64),
        Col("modtaget_dato", "DATE"),
        Col("afgjort_dato", "DATE"),
        Col("sagsbehandlingsdage", "INTEGER"),
        Col("frist_dage", "INTEGER"),
        Col("inden_for_frist", "INTEGER"),
    ),
    "fact_fravaer": (
        Col("maaned", "DATE"),
        _org(),
        Col("medarbejdere", "INTEGER"),
        Col("arbejdsdage", "DOUBLE"),
        Col("fravaersdage", "DOUBLE"),
    ),
    "fact_personale": (
        Col("maaned", "DATE"),
        _org(),
        Col("medarbejdere", "INTEGER"),
        Col("fratraadte", "INTEGER"),
        Col("nyansatte", "INTEGER"),
    ),
    "fact_udgift": (
        Col("maaned", "DATE"),
        _org(),
        Col("udgiftsart", "VARCHAR", 32),
        Col("udgift_kr", "DOUBLE"),
        Col("refusion_kr", "DOUBLE"),
    ),
    "fact_socialindsats": (
        Col("maaned", "DATE"),
        _id("borger_id"),
        _org(),
        Col("paragraf", "VARCHAR", 16),
        Col("udgift_kr", "DOUBLE"),
        Col("varighed_dage", "INTEGER"),
    ),
    "fact_pension": (
        _id("pension_id"),
        _id("borger_id"),
        _org(),
        Col("afgoerelsesdato", "DATE"),
        Col("alder", "INTEGER"),
    ),
    "fact_investering": (
        _id("deltager_id"),
        _id("borger_id"),
        _org(),
        Col("model", "VARCHAR", 64),
        Col("startdato", "DATE"),
        Col("opfoelgningsdato", "DATE"),
        Col("selvforsoergende", "INTEGER"),
    ),
    "load_log": (
        Col("kilde", "VARCHAR", 64),
        Col("indlaest_tid", "TIMESTAMP"),
        Col("raekker", "BIGINT"),
    ),
}
