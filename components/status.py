"""Target status of a value: better, within tolerance, worse, or no target.

Kept free of Plotly and Dash so the target lens, cards and figures share one rule.
"""

from __future__ import annotations

from components.formatting import is_missing

STATUS_LABELS = {
    "better": "Bedre end målet",
    "within": "Inden for tolerancen",
    "worse": "Dårligere end målet",
    "none": "Intet mål",
}
DIRECTIONS = ("higher_is_better", "lower_is_better")

_EPSILON = 1e-9  # float noise: 0.23 - 0.25 must count as 0.02 exactly


def good_side(value: float, target: float, direction: str) -> float:
    """How far `value` is on the good side of `target` (negative: on the bad side)."""
    key = str(getattr(direction, "value", direction))
    if key not in DIRECTIONS:
        raise ValueError(f"Ukendt retning {direction!r}; brug et af {', '.join(DIRECTIONS)}.")
    return value - target if key == "higher_is_better" else target - value


def status_of(
    value: float | None, target: float | None, tolerance: float | None, direction: str
) -> str:
    """ "better" when on or beyond the target in the good direction; "within" when short
    of it by at most `tolerance`; "worse" otherwise; "none" when value or target is missing.
    """
    if is_missing(value) or is_missing(target):
        return "none"
    margin = good_side(float(value), float(target), direction)  # type: ignore[arg-type]
    slack = _EPSILON * max(1.0, abs(float(target)))  # type: ignore[arg-type]
    if margin >= -slack:
        return "better"
    allowed = 0.0 if is_missing(tolerance) else float(tolerance)  # type: ignore[arg-type]
    if -margin <= allowed + slack:
        return "within"
    return "worse"
