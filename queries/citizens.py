"""From a CPR number to the warehouse's citizen id, for an access request."""

from __future__ import annotations

import sqlalchemy as sa

from queries.compiler.relations import named_table
from queries.cpr import cpr_digits, masking_note
from queries.warehouse import Warehouse


def citizen_ids(warehouse: Warehouse, cpr: str) -> list[str]:
    """Every citizen id whose CPR is `cpr`, however the warehouse stores it (text with or
    without a dash, or a number that lost its leading zero). Empty when none matches."""
    digits = cpr_digits(cpr)
    citizen = warehouse.catalogue.warehouse.citizen
    if digits is None:
        raise ValueError(f"'{cpr}' er ikke et CPR-nummer (10 cifre, med eller uden bindestreg)")
    if citizen is None or citizen.cpr is None:
        raise ValueError("Kataloget har ingen borgerdimension med CPR (warehouse: citizen: cpr:)")
    table = named_table(citizen.table, citizen.id, citizen.cpr)
    column = table.c[citizen.cpr]
    as_text = sa.cast(column, sa.String(20))
    # Bound values only; comparing the column's text form works for text and numbers alike.
    wanted = [f"{digits[:6]}-{digits[6:]}", digits, str(int(digits))]
    query = sa.select(table.c[citizen.id]).where(as_text.in_(wanted))
    with warehouse.engine.connect() as connection:
        return [str(found) for found in connection.execute(query).scalars()]


def cpr_masking_line(warehouse_engine: sa.Engine, catalogue) -> str | None:
    """How `validate` says the CPR column will be shown, from what the column holds.

    One stored value is read, not the declared type: every driver agrees on whether it
    hands back a number or a text, while type reflection differs between dialects.
    """
    citizen = catalogue.warehouse.citizen
    if citizen is None or citizen.cpr is None:
        return None
    column = named_table(citizen.table, citizen.cpr).c[citizen.cpr]
    query = sa.select(column).where(column.is_not(None)).limit(1)
    with warehouse_engine.connect() as connection:
        sample = connection.execute(query).scalar()
    return masking_note(citizen.table, citizen.cpr, sample)
