"""Which target a unit is measured against, and how a period is offered."""

from __future__ import annotations


def test_an_average_inherits_the_nearest_override(catalogue):
    kpi = catalogue.kpi("sagsbehandlingstid")  # avg; default 45, BFF 60
    assert kpi.target_for(("BFF-01-02", "BFF-01", "BFF", "MSB")) == 60
    assert kpi.target_for(("JSY-01", "JSY", "MSB")) == 45


def test_a_ratio_inherits_too(catalogue):
    kpi = catalogue.kpi("sygedagpenge_over_22_uger")  # default 0.25, JSY-01 0.22
    assert kpi.target_for(("JSY-01-03", "JSY-01", "JSY", "MSB")) == 0.22
    assert kpi.target_for(("JSY-02", "JSY", "MSB")) == 0.25


def test_a_count_target_belongs_to_its_unit_alone(catalogue):
    kpi = catalogue.kpi("anbragte_boern")  # count_distinct; MSB 360, BFF 350, no default
    assert kpi.target_for(("BFF", "MSB")) == 350
    assert kpi.target_for(("BFF-01", "BFF", "MSB")) is None


def test_a_period_the_data_does_not_cover_to_its_end_says_so():
    from datetime import date

    from components.picker import period_options
    from queries.catalogue.models import Grain

    quarters = period_options((date(2024, 5, 1), date(2026, 10, 1)), Grain.quarter)
    assert quarters[0]["label"] == "4. kvartal 2026 til og med oktober"
    assert quarters[1]["label"] == "3. kvartal 2026"
    assert quarters[-1] == {"label": "2. kvartal 2024", "value": "2024-K2"}
    full_year = period_options((date(2025, 1, 1), date(2025, 12, 1)), Grain.year)
    assert full_year == [{"label": "2025", "value": "2025"}]
