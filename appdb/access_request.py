"""The answer to a citizen's access request: every look at their data, in Danish words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from appdb.audit import AuditLog

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
ACTIONS = {
    "list_view": "så listen",
    "sort": "sorterede listen",
    "toggle": "skiftede visning",
    "export": "hentede Excel",
    "unmask": "viste CPR-nummer",
    "denied": "blev afvist",
    "search": "søgte",
}
GRAINS = {"month": "måned", "quarter": "kvartal", "year": "år"}
COLUMNS = ("Tidspunkt", "Bruger", "Rolle", "Handling", "Nøgletal", "Enhed", "Periode", "Formål")


@dataclass(frozen=True)
class Look:
    at: datetime  # local time
    user: str
    role: str
    action: str
    kpi: str
    unit: str
    period: str
    purpose: str

    def cells(self) -> tuple[str, ...]:
        at = self.at.strftime("%d-%m-%Y %H:%M")
        return (
            at,
            self.user,
            self.role,
            self.action,
            self.kpi,
            self.unit,
            self.period,
            self.purpose,
        )


def local(logged_at: datetime) -> datetime:
    """Stored as naive UTC; shown in Danish time."""
    return logged_at.replace(tzinfo=UTC).astimezone(LOCAL_TIME).replace(tzinfo=None)


def period_text(stored: str | None) -> str:
    """ "month:2026-10-01" → "måned 2026-10" (the grain and the first day of the period)."""
    if not stored:
        return ""
    grain, _, first = stored.partition(":")
    try:
        day = date.fromisoformat(first)
    except ValueError:
        return stored
    shown = {"month": f"{day:%Y-%m}", "quarter": f"{day.year}-K{(day.month - 1) // 3 + 1}"}
    return f"{GRAINS.get(grain, grain)} {shown.get(grain, str(day.year))}"


def looks_at(
    audit: AuditLog,
    citizen_ids: Sequence[str],
    since: datetime | None = None,
    kpi_title: Callable[[str], str] = str,
    unit_name: Callable[[str], str] = str,
) -> list[Look]:
    """Every audit row that showed one of `citizen_ids` (one person may have several),
    oldest first."""
    rows = {row["id"]: row for cid in citizen_ids for row in audit.entries(cid, since=since)}
    return [
        Look(
            at=local(row["logged_at"]),
            user=row["user_id"],
            role=row.get("role") or "",
            action=ACTIONS.get(row["action"], row["action"]),
            kpi=kpi_title(row["kpi_id"]) if row["kpi_id"] else "",
            unit=unit_name(row["unit"]) if row["unit"] else "",
            period=period_text(row["period"]),
            purpose=row["purpose"] or "",
        )
        for _, row in sorted(rows.items())
    ]


def as_table(looks: Sequence[Look]) -> str:
    """A plain text table, columns as wide as their widest cell."""
    lines = [COLUMNS, *(look.cells() for look in looks)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    text = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    ]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in text)
