"""KPI definitions read back as plain Danish, for the Definitioner page."""

from __future__ import annotations

from queries.catalogue.models import Filter, Kpi, MeasureType, Operator

FORMAT_TEXT = {"number": "antal", "percent": "procent", "kr": "kroner", "days": "dage"}
DIRECTION_TEXT = {"higher_is_better": "Højere er bedre", "lower_is_better": "Lavere er bedre"}
GRAIN_TEXT = {"month": "måned", "quarter": "kvartal", "year": "år"}

_OPS = {
    Operator.eq: "er",
    Operator.ne: "er ikke",
    Operator.lt: "er under",
    Operator.le: "er højst",
    Operator.gt: "er over",
    Operator.ge: "er mindst",
    Operator.in_: "er",
    Operator.not_in: "er ikke en af",
}


def _value(value: object) -> str:
    if isinstance(value, list):
        items = [str(v) for v in value]
        return ", ".join(items[:-1]) + f" eller {items[-1]}" if len(items) > 1 else items[0]
    return str(value)


def describe_filter(item: Filter) -> str:
    if item.sql is not None:
        return f"SQL-betingelsen «{item.sql}» er opfyldt"
    if item.op is Operator.is_null:
        return f"{item.column} er tom"
    if item.op is Operator.not_null:
        return f"{item.column} er udfyldt"
    return f"{item.column} {_OPS[item.op]} {_value(item.value)}"


def describe_filters(filters: tuple[Filter, ...]) -> str:
    return " og ".join(describe_filter(f) for f in filters)


def _rows(kpi: Kpi) -> str:
    """What one row of the KPI is called, in the plural: the list's noun, else "rækker"."""
    return kpi.list.noun[1] if kpi.list is not None else "rækker"


def _aggregate(kpi: Kpi, kind: str, column: str | None, filters) -> str:
    """One measure in words: what a row is called (the list's noun) rather than "rows",
    and citizens rather than the citizen id column."""
    rows = _rows(kpi)
    counted = "borgere" if column is not None and column == kpi.citizen else column
    text = {
        "count": f"antal {rows}",
        "count_distinct": f"antal forskellige {counted}",
        "sum": f"summen af {column}",
        "avg": f"gennemsnittet af {column}",
    }[kind]
    return f"{text}, hvor {describe_filters(filters)}" if filters else text


def describe_measure(kpi: Kpi) -> str:
    """E.g. "Antal forløb, hvor varighed_uger er over 22, i procent af antal forløb. Kun
    forløb, hvor slutdato er udfyldt. Dato: slutdato; enhed: org_id." Column names stay,
    so an analyst can find them in the warehouse."""
    m = kpi.measure
    if m.type is MeasureType.ratio:
        top = _aggregate(kpi, m.numerator.type, m.numerator.column, m.numerator.filters)
        bottom = _aggregate(kpi, m.denominator.type, m.denominator.column, m.denominator.filters)
        joined = "i procent af" if kpi.format.value == "percent" else "delt med"
        text = f"{top}, {joined} {bottom}"
    else:
        text = _aggregate(kpi, m.type.value, m.column, m.filters)
        if m.monthly_average:
            text += ", som gennemsnit pr. måned i perioden"
    text = text[0].upper() + text[1:]
    rows = _rows(kpi)
    scope = f" Kun {rows}, hvor {describe_filters(kpi.filters)}." if kpi.filters else ""
    return f"{text}.{scope} Dato: {kpi.time.column}; enhed: {kpi.org}."


def numerator_toggle_label(kpi: Kpi) -> str | None:
    """The Danish label of the list's switch to the numerator's rows, or None when the
    KPI is no ratio (its list already is the rows it counts) or the numerator counts the
    same rows as the denominator.

    E.g. "Kun forløb, hvor varighed_uger er over 22"; `list.numerator_label` overrides.
    """
    measure = kpi.measure
    if measure.type is not MeasureType.ratio or kpi.list is None:
        return None
    if kpi.list.numerator_label:
        return kpi.list.numerator_label
    part = measure.numerator
    plural = kpi.list.noun[1]
    if part.filters:
        return f"Kun {plural}, hvor {describe_filters(part.filters)}"
    if part.type != "count" and part.column is not None:
        return f"Kun {plural}, hvor {part.column} er udfyldt"
    return None


def describe_unit(kpi: Kpi) -> str:
    """E.g. "Procent; lavere er bedre"."""
    return (
        f"{FORMAT_TEXT[kpi.format.value].capitalize()}; "
        f"{DIRECTION_TEXT[kpi.direction.value].lower()}"
    )


def describe_time(kpi: Kpi) -> str:
    """Which date places a row in a period, and the grain the KPI opens at."""
    others = [text for grain, text in GRAIN_TEXT.items() if grain != kpi.time.grain.value]
    return (
        f"{_rows(kpi).capitalize()} tælles med i den periode, som datoen i "
        f"{kpi.time.column} falder i. "
        f"Nøgletallet vises som udgangspunkt pr. {GRAIN_TEXT[kpi.time.grain.value]}; "
        f"du kan også vælge {' eller '.join(others)}."
    )
