"""The list's switch to a ratio's numerator: named after what it does, shown only for ratios."""

from __future__ import annotations

from queries.catalogue.describe import numerator_toggle_label
from queries.catalogue.models import MeasureType


def _switch(card):
    """The dbc.Switch inside the list panel."""
    from components.lens_list import NUMERATOR

    stack = [card]
    while stack:
        node = stack.pop()
        if getattr(node, "id", None) == NUMERATOR:
            return node
        children = getattr(node, "children", None)
        stack.extend(children if isinstance(children, list) else [children] if children else [])
    raise AssertionError("no switch in the panel")


def test_only_ratios_get_a_switch_and_it_says_what_it_does(catalogue):
    for kpi in catalogue.kpis:
        label = numerator_toggle_label(kpi)
        if kpi.measure.type is not MeasureType.ratio or kpi.list is None:
            assert label is None, kpi.id
        else:
            assert label and label.startswith("Kun ") and "tæller" not in label, kpi.id
    assert numerator_toggle_label(catalogue.kpi("sygedagpenge_over_22_uger")) == (
        "Kun forløb over 22 uger"
    )


def test_without_an_own_label_the_switch_reads_the_numerator_filters(catalogue):
    kpi = catalogue.kpi("sygedagpenge_over_22_uger")
    plain = kpi.model_copy(update={"list": kpi.list.model_copy(update={"numerator_label": None})})
    assert numerator_toggle_label(plain) == "Kun forløb, hvor varighed_uger er over 22"


def test_the_panel_hides_the_switch_for_a_count_and_names_it_for_a_ratio(catalogue):
    from components.lens_list import panel

    hidden = _switch(panel(True, None))
    assert hidden.className == "d-none" and hidden.value is False
    label = numerator_toggle_label(catalogue.kpi("underretninger_24_timer"))
    shown = _switch(panel(True, label))
    assert shown.label == label and shown.value is True and "d-none" not in shown.className


def test_a_count_asked_for_its_numerator_lists_and_says_the_same_as_without(dash_app):
    from tests.test_callbacks import lens, state, text_of

    columns = lens(dash_app, "components.lens_list", "columns")
    query = "?enhed=MSB&interval=aar&periode=2026"
    _, plain = columns(state(query, kpi="underretninger_antal"))[:2]
    _, asked = columns(state(query + "&kun=taeller", kpi="underretninger_antal"))[:2]
    assert text_of(asked) == text_of(plain)
    assert "andelen" not in text_of(asked) and "bag tallet" in text_of(asked)


def test_the_grid_offers_no_sorting_by_the_masked_cpr_number(dash_app):
    from tests.test_callbacks import lens, state

    columns = lens(dash_app, "components.lens_list", "columns")
    defs, _ = columns(state("?enhed=MSB&interval=aar&periode=2026"))[:2]
    # every column sorts unless it says otherwise (the grid's defaultColDef)
    sortable = {d["field"]: d.get("sortable", True) for d in defs}
    assert sortable.pop("citizen_cpr") is False
    assert sortable and all(sortable.values())
