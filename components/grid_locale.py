"""Danish text and number format for every AG Grid, footer included.

AG Grid formats the numbers of its own texts (pagination: "1 til 25 af 169.000") with
the locale keys `thousandSeparator` and `decimalSeparator`; without them it writes
"169,000", which a Danish reader takes for 169.
"""

from __future__ import annotations

LOCALE_TEXT: dict[str, str] = {
    "thousandSeparator": ".",
    "decimalSeparator": ",",
    "noRowsToShow": "Ingen rækker",
    "loadingOoo": "Henter …",
    "page": "Side",
    "of": "af",
    "ofPage": "af",
    "to": "–",
    "more": "flere",
    "firstPage": "Første side",
    "previousPage": "Forrige side",
    "nextPage": "Næste side",
    "lastPage": "Sidste side",
    "pageLastRowUnknown": "?",
    "ariaSortAscending": "stigende",
    "ariaSortDescending": "faldende",
    "ariaSortNone": "ingen",
}


def locale_text(**overrides: str) -> dict[str, str]:
    """The Danish locale text, with a grid's own words (e.g. `noRowsToShow`)."""
    return {**LOCALE_TEXT, **overrides}
