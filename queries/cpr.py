"""CPR numbers masked as DDMMYY-XXXX, whatever type the warehouse stores them as.

Warehouses keep CPR as text with or without a dash, or as a number (BIGINT), in which
case a leading zero is lost (0102031234 becomes 102031234). Anything that cannot be
read as a CPR number is hidden entirely rather than shown.
"""

from __future__ import annotations

import re
from decimal import Decimal

FULLY_HIDDEN = "XXXXXX-XXXX"
CPR_DIGITS = 10


def cpr_digits(cpr: object) -> str | None:
    """The ten digits of a CPR number, or None when `cpr` is not one."""
    if cpr is None or isinstance(cpr, bool):
        return None
    if isinstance(cpr, int | Decimal) or (isinstance(cpr, float) and cpr.is_integer()):
        digits = str(int(cpr))
        # a number cannot keep a leading zero: 9 digits are a CPR born on day 01–09
        return digits.zfill(CPR_DIGITS) if len(digits) in (9, 10) else None
    if isinstance(cpr, str):
        digits = re.sub(r"[\s-]", "", cpr)
        return digits if re.fullmatch(r"\d{10}", digits) else None
    return None


def mask_cpr(cpr: object) -> str | None:
    """DDMMYY-XXXX: the birth date stays readable, the serial number does not."""
    if cpr is None:
        return None
    digits = cpr_digits(cpr)
    return f"{digits[:6]}-XXXX" if digits else FULLY_HIDDEN


def format_cpr(cpr: object) -> str | None:
    """DDMMYY-SSSS, unmasked (for a viewer with the right to see it, and for the audit)."""
    digits = cpr_digits(cpr)
    return f"{digits[:6]}-{digits[6:]}" if digits else None


def masking_note(table: str, column: str, sample: object) -> str:
    """One line for `validate`: how the CPR column (one of its values given) will be shown."""
    numeric = isinstance(sample, int | float | Decimal) and not isinstance(sample, bool)
    note = f"CPR-kolonnen {table}.{column} ({'tal' if numeric else 'tekst'}) vises som DDMMÅÅ-XXXX"
    if numeric:
        note += "; et foranstillet 0, som tallet har mistet, sættes på igen"
    return note + "."
