"""One plain Danish sentence per chart: "translate data language into human language".

Pure functions from numbers to text. Clauses whose inputs are missing are left out, so
a sentence never says "–" where it could say nothing. Numbers are formatted by
components.formatting, so the sentence matches the chart and the card.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from components.formatting import (
    MINUS,
    format_count,
    format_delta,
    format_period,
    format_value,
    is_missing,
    same_period_last_year,
)
from components.period_text import period_name, same_months_last_year
from components.status import good_side, status_of
from queries.partial import Coverage

# How a target meets a running period (queries.partial decides which applies).
WHOLE, PRO_RATED, NOT_YET = "whole", "pro_rated", "not_yet"

# How a leader says that one figure is above or below another, by what it counts:
# "96 flere borgere", "2,5 dage længere", "1,2 mio. kr. mere", "2,1 procentpoint højere".
_UP_DOWN = {"number": ("flere", "færre"), "days": ("længere", "kortere"), "kr": ("mere", "mindre")}
_DEFAULT_UP_DOWN = ("højere", "lavere")
OWN_GOAL = "enhedens eget mål"


def trend_sentence(
    title: str,
    unit_name: str,
    fmt: str,
    direction: str,
    grain: str,
    period: date,
    value: float | None,
    last_year: float | None = None,
    target: float | None = None,
    suppressed: bool = False,
    *,
    min_n: int = 5,
    decimals: int | None = None,
    part: Coverage | None = None,
    target_rule: str = WHOLE,
    own_goal: float | None = None,
) -> str:
    """Said as a leader would say it: "I oktober 2026 var der 1.667 borgere på
    sygedagpenge i JSY, 96 flere end i oktober 2025." A level (a share, an amount, a
    duration) "lå på" its value: "I oktober 2026 lå sygedagpengeforløb over 22 uger i BFF
    på 23,4 %, 2,1 procentpoint lavere end i oktober 2025 og 1,8 procentpoint bedre end
    målet."

    For a running quarter or year (`part`), the period is named as incomplete and
    `last_year` must be the same months of last year ("… lavere end i januar–oktober
    2025"); `target_rule` says whether the target was pro-rated (PRO_RATED) or cannot
    be compared yet (NOT_YET).
    """
    when = period_name(period, grain, part)
    subject = f"{mid_sentence(title)} i {unit_name}"
    if suppressed:
        return (
            f"I {when} er tallet for {subject} skjult, "
            f"fordi der er færre end {min_n} borgere bag det."
        )
    if is_missing(value):
        return f"I {when} er der ingen tal for {subject}."
    clauses = comparisons(
        value,  # type: ignore[arg-type]
        last_year,
        target,
        fmt,
        direction,
        grain,
        period,
        decimals=decimals,
        part=part,
        target_rule=target_rule,
        own_goal=own_goal,
    )
    shown = format_value(value, fmt, decimals)
    if _unit_of(fmt) == "number":
        text = f"I {when} var der {shown} {mid_sentence(title)} i {unit_name}"
    else:
        text = f"I {when} lå {subject} på {shown}"
    return with_comparisons(text, clauses)


def comparisons(
    value: float,
    last_year: float | None,
    target: float | None,
    fmt: str,
    direction: str,
    grain: str,
    period: date,
    *,
    decimals: int | None = None,
    part: Coverage | None = None,
    target_rule: str = WHOLE,
    own_goal: float | None = None,
) -> list[str]:
    """What a figure is measured against, in words: the same period last year first,
    then the target ("96 flere end i oktober 2025", "1,8 procentpoint bedre end målet"),
    then the unit's own goal (Målkompas) when it has one for the period, pro-rated or
    held back like the target. Missing figures give no clause."""
    clauses = []
    if not is_missing(last_year):
        then = (
            same_months_last_year(part)
            if part is not None
            else format_period(same_period_last_year(period), grain)
        )
        clauses.append(_against(value - last_year, then, fmt, decimals))  # type: ignore[operator]
    if not is_missing(target):
        clause = _against_target(value, target, fmt, direction, decimals)  # type: ignore[arg-type]
        if part is not None and target_rule == PRO_RATED:
            clause += f" (omregnet til {part.months} af {part.grain.months} måneder)"
        clauses.append(clause)
    elif part is not None and target_rule == NOT_YET:
        clauses.append("målet kan ikke sammenlignes endnu, da perioden ikke er slut")
    if not is_missing(own_goal) and not (part is not None and target_rule == NOT_YET):
        clause = _against_target(value, own_goal, fmt, direction, decimals, OWN_GOAL)  # type: ignore[arg-type]
        if part is not None and target_rule == PRO_RATED:
            clause += f" (omregnet til {part.months} af {part.grain.months} måneder)"
        clauses.append(clause)
    return clauses


def with_comparisons(text: str, clauses: Sequence[str]) -> str:
    """The sentence `text` with its comparisons after a comma, ended by one full stop
    (a value that ends in "kr." gets no second one); three comparisons read "a, b og c"."""
    if clauses:
        text += ", " + _join(list(clauses))
    return full_stop(text)


def full_stop(text: str) -> str:
    return text if text.endswith(".") else text + "."


def benchmark_sentence(
    title: str,
    parent_name: str,
    fmt: str,
    direction: str,
    grain: str,
    period: date,
    rows: Sequence[tuple[str, float | None]],
    parent_value: float | None,
    target: float | None = None,
    *,
    decimals: int | None = None,
    part: Coverage | None = None,
    targets: Sequence[float | None] | None = None,
    additive: bool = False,
) -> str:
    """E.g. "I oktober 2026 klarede Team Nord sig bedst af enhederne i BFF med 12,3 %, og
    Team Syd klarede sig dårligst med 31,0 %. BFF lå samlet på 20,1 %. 4 af 7 enheder
    nåede målet."

    `rows` are (unit name, value); suppressed units and units without data have None
    or NaN and are left out of best, weakest and the target count. Each unit is measured
    against its own target when `targets` (one per row) is given, as the bars are
    coloured; else against `target`. An `additive` figure (a count or a sum) grows with
    a unit's size, so the smallest unit is not the best: its sentence names the highest
    and the lowest instead.
    """
    when = period_name(period, grain, part)
    own = list(targets) if targets is not None else [target] * len(rows)
    goals = {name: goal for (name, value), goal in zip(rows, own, strict=True)}
    shown = [(name, float(value)) for name, value in rows if not is_missing(value)]  # type: ignore[arg-type]
    hidden = len(rows) - len(shown)
    if not shown:
        return f"I {when} er der ingen enheder i {parent_name} med tal for {mid_sentence(title)}."
    ranked = sorted(shown, key=lambda row: good_side(row[1], 0.0, direction), reverse=True)
    (best, best_value), (worst, worst_value) = ranked[0], ranked[-1]
    best_text = format_value(best_value, fmt, decimals)
    worst_text = format_value(worst_value, fmt, decimals)
    among = f"af enhederne i {parent_name}"
    if len(shown) == 1:
        text = f"I {when} har kun {best} et tal blandt enhederne i {parent_name}: {best_text}"
    elif best_text == worst_text:
        text = f"I {when} lå alle {len(shown)} enheder i {parent_name} på {best_text}"
    elif additive:
        ranked = sorted(shown, key=lambda row: row[1], reverse=True)
        (top, top_value), (bottom, bottom_value) = ranked[0], ranked[-1]
        text = (
            f"I {when} havde {top} det højeste tal {among} med "
            f"{format_value(top_value, fmt, decimals)}, og {bottom} det laveste med "
            f"{format_value(bottom_value, fmt, decimals)}"
        )
    else:
        text = (
            f"I {when} klarede {best} sig bedst {among} med {best_text}, "
            f"og {worst} klarede sig dårligst med {worst_text}"
        )
    if not is_missing(parent_value):
        text = full_stop(text) + (
            f" {parent_name} lå samlet på {format_value(parent_value, fmt, decimals)}"
        )
    measured = [(value, goals[name]) for name, value in shown if not is_missing(goals[name])]
    if measured:
        reached = sum(
            status_of(value, goal, 0.0, direction) == "better" for value, goal in measured
        )
        text = full_stop(text) + f" {reached} af {_units(len(measured))} nåede målet"
    if hidden:
        text = full_stop(text) + (
            f" {_units(hidden)} har intet tal, fordi der er for få borgere eller ingen data"
        )
    return full_stop(text)


def target_sentence(
    title: str,
    fmt: str,
    grain: str,
    period: date,
    counts: Mapping[str, int],
    part: Coverage | None = None,
    target_rule: str = WHOLE,
) -> str:
    """E.g. "I oktober 2026 var 12 enheder bedre end målet, 3 inden for tolerancen og 5
    dårligere." `counts` has the keys "better", "within", "worse", "none"; zero counts
    are left out. A running period (`part`) is named as such, and says how its target
    was treated (`target_rule`).
    """
    when = period_name(period, grain, part)
    if part is not None and target_rule == NOT_YET:
        return (
            f"{when[0].upper()}{when[1:]} er ikke slut, så {mid_sentence(title)} "
            "kan ikke sammenlignes med målet endnu."
        )
    better, within, worse = (counts.get(key, 0) for key in ("better", "within", "worse"))
    unknown = counts.get("none", 0)
    parts = []
    if better:
        parts.append(("better", better, "bedre end målet"))
    if within:
        parts.append(("within", within, "inden for tolerancen"))
    if worse:
        parts.append(("worse", worse, "dårligere" if better else "dårligere end målet"))
    if not parts:
        if unknown:
            unmeasured = f"{_units(unknown)} uden tal eller mål"
            return f"I {when} kunne ingen enheder måles mod et mål ({unmeasured})."
        return f"I {when} er der ingen enheder med tal for {mid_sentence(title)}."
    phrases = [f"{_units(parts[0][1])} {parts[0][2]}"]
    phrases += [f"{format_count(count)} {phrase}" for _, count, phrase in parts[1:]]
    text = f"I {when} var {_join(phrases)}"
    if part is not None and target_rule == PRO_RATED:
        text += f" (målet omregnet til {part.months} af {part.grain.months} måneder)"
    if unknown:
        text += f"; {_units(unknown)} kan ikke vurderes (intet tal eller intet mål)"
    return text + "."


def list_sentence(
    total: int,
    unit_name: str,
    grain: str,
    period: date,
    numerator_only: bool,
    noun_singular: str = "række",
    noun_plural: str = "rækker",
    *,
    hidden: bool = False,
) -> str:
    """E.g. "Listen viser de 1.234 borgere bag tallet for BFF i oktober 2026."

    With `numerator_only`: "Listen viser kun de 230 forløb, der tæller med i andelen for
    BFF i oktober 2026."
    """
    where = f"for {unit_name} i {format_period(period, grain)}"
    if hidden:  # a suppressed figure: the list must not give its count away either
        return (
            f"Tallet {where} er skjult, fordi der er for få borgere bag det; "
            f"derfor nævnes antallet af {noun_plural} ikke."
        )
    if numerator_only:
        if total == 0:
            return f"Ingen {noun_plural} tæller med i andelen {where}."
        counted = f"1 {noun_singular}" if total == 1 else f"de {format_count(total)} {noun_plural}"
        return f"Listen viser kun {counted}, der tæller med i andelen {where}."
    if total == 0:
        return f"Der er ingen {noun_plural} bag tallet {where}."
    counted = f"1 {noun_singular}" if total == 1 else f"de {format_count(total)} {noun_plural}"
    return f"Listen viser {counted} bag tallet {where}."


def template_sentence(
    template: str,
    unit_name: str,
    fmt: str,
    grain: str,
    period: date,
    value: float | None,
    *,
    suppressed: bool = False,
    min_n: int = 5,
    decimals: int | None = None,
    part: Coverage | None = None,
) -> str:
    """Fill a KPI's own `sentence` from the catalogue: {periode}, {værdi}, {enhed}."""
    shown = f"skjult (færre end {min_n})" if suppressed else format_value(value, fmt, decimals)
    when = period_name(period, grain, part)
    fields = {"periode": when, "værdi": shown, "enhed": unit_name}
    return template.format_map(fields)


def mid_sentence(title: str) -> str:
    """The title as it reads inside a sentence: first letter lower case, unless the
    title opens with an acronym ("BFF-sager", "UJU").
    """
    if len(title) >= 2 and title[0].isupper() and title[1].isupper():
        return title
    return title[:1].lower() + title[1:]


# ---- helpers -------------------------------------------------------------------------


def _against_target(
    value: float, target: float, fmt: str, direction: str, decimals, name: str = "målet"
) -> str:
    margin = good_side(float(value), float(target), direction)
    if _rounds_to_zero(margin, fmt, decimals):
        return f"på niveau med {name}"
    size = format_delta(margin, fmt, decimals, signed=False)
    return f"{size} {'bedre' if margin > 0 else 'dårligere'} end {name}"


def _against(difference: float, then: str, fmt: str, decimals) -> str:
    if _rounds_to_zero(difference, fmt, decimals):
        return f"på samme niveau som i {then}"
    up, down = _UP_DOWN.get(_unit_of(fmt), _DEFAULT_UP_DOWN)
    size = format_delta(difference, fmt, decimals, signed=False)
    return f"{size} {up if difference > 0 else down} end i {then}"


def _unit_of(fmt: str) -> str:
    return str(getattr(fmt, "value", fmt)).rstrip(".")


def _rounds_to_zero(delta: float, fmt: str, decimals) -> bool:
    """Zero at display precision: the signed delta text carries no sign."""
    return not format_delta(delta, fmt, decimals).startswith(("+", MINUS))


def _units(count: int) -> str:
    return f"{format_count(count)} {'enhed' if count == 1 else 'enheder'}"


def _join(phrases: list[str]) -> str:
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " og " + phrases[-1]
