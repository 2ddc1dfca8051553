"""Brugerstatistik's figures: views and distinct users per week, KPI, unit and role."""

from __future__ import annotations

from queries.lazy import pandas as pd

UNKNOWN = "(ukendt)"


def _summary(events: pd.DataFrame, by: str, label: str) -> pd.DataFrame:
    """Views and distinct users per value of `by`, most used first."""
    if events.empty:
        return pd.DataFrame(columns=[label, "visninger", "brugere"])
    grouped = events.assign(**{by: events[by].fillna(UNKNOWN)}).groupby(by)
    table = pd.DataFrame(
        {"visninger": grouped.size(), "brugere": grouped["user_id"].nunique()}
    ).reset_index()
    table = table.rename(columns={by: label})
    return table.sort_values(["visninger", label], ascending=[False, True], ignore_index=True)


def per_week(events: pd.DataFrame) -> pd.DataFrame:
    """ISO weeks in order, as "2026-U48", with views and distinct users."""
    if events.empty:
        return pd.DataFrame(columns=["uge", "visninger", "brugere"])
    iso = pd.to_datetime(events["logged_at"]).dt.isocalendar()
    weeks = iso["year"].astype(str) + "-U" + iso["week"].astype(str).str.zfill(2)
    table = _summary(events.assign(uge=weeks), "uge", "uge")
    return table.sort_values("uge", ignore_index=True)


def per_kpi(events: pd.DataFrame) -> pd.DataFrame:
    return _summary(events[events["kpi_id"].notna()], "kpi_id", "nøgletal")


def per_unit(events: pd.DataFrame) -> pd.DataFrame:
    return _summary(events[events["unit"].notna()], "unit", "enhed")


def per_role(events: pd.DataFrame) -> pd.DataFrame:
    return _summary(events, "role", "rolle")
