"""Every section of the old Analyseportalen has a home in the menu, and each one shows
something: a KPI whose trend draws with data, or a link to the page it is."""

from __future__ import annotations

import json

import dash
import pytest

from components.shell import navigation
from queries.catalogue.loader import load_catalogue
from tests.conftest import CATALOGUE, trend_request

# The old portal's menu, area by area (MSB på GIS-kort is left out on purpose: see README).
OLD_PORTAL = {
    "Beskæftigelsesområdet": [
        "BEF Overblik",
        "Dagpenge og kontanthjælp",
        "Investeringsmodeller",
        "Sygedagpenge",
        "Integration og fleksjob",
        "Pension",
        "Statsrefusion",
        "Unge og uddannelse",
        "Ydelser",
    ],
    "Socialområdet": ["Aktivitet", "CSC Social", "Styring"],
    "Tværgående": [
        "Sager",
        "BoSoc",
        "Hjælp",
        "Personale",
        "Definitioner",
        "Ledelsesoverblik",
        "Status-rapporter",
        "Fravær og nærvær",
        "Økonomi",
    ],
}
PAGES = {
    "Hjælp": "/hjaelp",
    "Definitioner": "/definitioner",
    "Ledelsesoverblik": "/",
    "Status-rapporter": "/statusrapport",
}


def menus(dash_app) -> dict[str, list]:
    bar = navigation(dash_app._msb_services)
    found = {}

    def walk(component) -> None:
        if isinstance(component, dash.development.base_component.Component):
            if type(component).__name__ == "DropdownMenu":
                found[component.label] = component.children
            for child in component._traverse():
                if type(child).__name__ == "DropdownMenu":
                    found[child.label] = child.children

    walk(bar)
    return found


def registered(path: str) -> bool:
    return any(page["path"] == path for page in dash.page_registry.values())


@pytest.fixture(scope="module")
def area_menus(dash_app):
    return menus(dash_app)


@pytest.mark.parametrize("area", list(OLD_PORTAL))
def test_every_section_of_the_old_portal_is_in_its_area_menu(area_menus, area):
    items = area_menus[area]
    headers = [i.children for i in items if getattr(i, "header", False)]
    links = {i.children: i.href for i in items if getattr(i, "href", None)}
    for section in OLD_PORTAL[area]:
        if section in PAGES:
            # A page section is a link to that page, once the app has the page.
            if registered(PAGES[section]):
                assert links.get(section) == PAGES[section], section
            else:
                assert section not in links, section
        else:
            assert section in headers, f"{section} is not a heading in {area}"


def test_the_page_sections_this_app_has_are_links(area_menus):
    items = area_menus["Tværgående"]
    links = {i.children: i.href for i in items if getattr(i, "href", None)}
    assert links["Hjælp"] == "/hjaelp"
    assert links["Definitioner"] == "/definitioner"
    assert links["Ledelsesoverblik"] == "/"
    # each page link is set apart from the KPIs above it by a line
    for title in ("Hjælp", "Definitioner", "Ledelsesoverblik"):
        at = next(n for n, i in enumerate(items) if getattr(i, "children", None) == title)
        assert getattr(items[at - 1], "divider", False), title


def first_kpi_of_each_section() -> list[str]:
    catalogue = load_catalogue(CATALOGUE)
    return [
        kpi.id
        for area in catalogue.areas
        for section in area.sections
        for kpi in catalogue.kpis_in(section.id)[:1]
    ]


@pytest.mark.parametrize("kpi_id", first_kpi_of_each_section())
def test_each_sections_kpi_draws_a_trend_with_data(signed_in_client, catalogue, kpi_id):
    signed_in_client.get("/")
    body = trend_request(kpi_id, "?enhed=MSB&interval=maaned")
    response = signed_in_client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    answer = json.loads(response.get_data(as_text=True))["response"]
    figure = answer["trend-graph"]["figure"]
    unit_line = figure["data"][0]
    values = [y for y in unit_line["y"] if y is not None]
    assert len(values) >= 6, f"{kpi_id}: {unit_line['y']}"
    # a share may be 0 in a quiet month, but the line is not flat at nothing
    assert all(v >= 0 for v in values) and any(v > 0 for v in values), f"{kpi_id}: {values}"


def test_every_section_without_a_page_has_a_kpi(catalogue):
    for area in catalogue.areas:
        for section in area.sections:
            if section.page is None:
                assert catalogue.kpis_in(section.id), section.id
