"""The frame around every page: navigation generated from the catalogue, and the footer."""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from components import dialog
from components.carry import carry_id
from components.formatting import format_datetime
from components.services import Services
from components.user_menu import user_menu
from queries.catalogue.models import Section

# Pages of the leadership method and for finding the way, by page module; a page shows
# in the "Ledelse" menu once its module is registered.
METHOD_PAGES = (
    ("start", "/start"),
    ("spilleplade", "/spilleplade"),
    ("maalkompas", "/maalkompas"),
    ("statusrapport", "/statusrapport"),
    ("dialog", "/dialog"),
    ("datalandskab", "/datalandskab"),
)
# Slots from here up tell section links to a page apart from the page's other links.
SECTION_PAGE_SLOT = 10


def _method_menu(pages: dict) -> list:
    items = [
        dbc.DropdownMenuItem(pages[module]["name"], href=href, id=carry_id(href, 0))
        for module, href in METHOD_PAGES
        if module in pages
    ]
    if not items:
        return []
    return [dbc.DropdownMenu(items, label="Ledelse", nav=True, in_navbar=True)]


def _page_paths() -> set[str]:
    """The addresses of the registered pages (a section's page must be one of them)."""
    return {page["path"] for page in dash.page_registry.values()}


def _section_items(services: Services, section: Section, pages: set[str], slot: int) -> list:
    """A section's menu entries: a header and its KPIs, or one link to its page.

    A section with neither (no KPI yet, or a page this app does not have) is left out."""
    if section.page is not None:
        if section.page not in pages:
            return []
        # Set apart from the KPIs above it: a line, and in bold like a section's heading.
        return [
            dbc.DropdownMenuItem(divider=True),
            dbc.DropdownMenuItem(
                section.title,
                href=section.page,
                id=carry_id(section.page, slot),
                className="fw-semibold",
            ),
        ]
    kpis = services.catalogue.kpis_in(section.id)
    if not kpis:
        return []
    return [
        dbc.DropdownMenuItem(section.title, header=True),
        *(
            dbc.DropdownMenuItem(k.title, href=f"/kpi/{k.id}", id=carry_id(f"/kpi/{k.id}", 0))
            for k in kpis
        ),
    ]


def navigation(services: Services, menu: Any = None) -> dbc.Navbar:
    """The menu; every link keeps the chosen unit (components/carry.py rewrites them).
    `menu` stands in for the viewer's own menu (webapp/shared_answers.py)."""
    menus = []
    paths = _page_paths()
    slot = SECTION_PAGE_SLOT
    for area in services.catalogue.areas:
        home = f"/omraade/{area.id}"
        items = [dbc.DropdownMenuItem("Hele området", href=home, id=carry_id(home, 0))]
        for section in area.sections:
            items += _section_items(services, section, paths, slot)
            slot += 1
        menus.append(dbc.DropdownMenu(items, label=area.title, nav=True, in_navbar=True))
    pages = {page["module"]: page for page in dash.page_registry.values()}
    links = [
        dbc.NavItem(dbc.NavLink(pages["home"]["name"], href="/", id=carry_id("/", 0))),
        *menus,
        *_method_menu(pages),
        dbc.NavItem(
            dbc.NavLink(
                pages["definitions"]["name"],
                href="/definitioner",
                id=carry_id("/definitioner", 0),
            )
        ),
        dbc.NavItem(dbc.NavLink(pages["help"]["name"], href="/hjaelp")),
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(
                    [
                        html.I(className="bi bi-bar-chart-line me-2", **{"aria-hidden": "true"}),
                        "MSB i tal",
                    ],
                    href="/",
                    id=carry_id("/", 1),
                ),
                dbc.NavbarToggler(id="nav-toggle"),
                dbc.Collapse(
                    [
                        dbc.Nav(links, navbar=True, className="ms-auto"),
                        dialog.button("frame", color="light", className="ms-lg-3 mt-2 mt-lg-0"),
                        user_menu() if menu is None else menu,
                    ],
                    id="nav-collapse",
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="primary",
        dark=True,
        className="app-navbar",
        expand="lg",
    )


def footer(services: Services) -> html.Footer:
    try:
        loaded = services.warehouse.load_times()
        newest = max(loaded.values()) if loaded else None
        freshness = f"Data senest indlæst {format_datetime(newest)}." if newest else ""
    except Exception:
        freshness = "Datavarehuset svarer ikke lige nu."
    demo = " Demodata: syntetiske borgere, ingen rigtige personer." if services.demo else ""
    return html.Footer(
        dbc.Container(
            f"MSB i tal · Sociale Forhold og Beskæftigelse, Aarhus Kommune. {freshness}{demo}",
            fluid=True,
        ),
        className="app-footer",
    )


def outage_banner(services: Services) -> html.Div | None:
    """Said once at the top, so a leader knows why figures are missing or may be old."""
    try:
        services.data_version()
    except Exception:
        text = "Datavarehuset svarer ikke lige nu, så tallene kan ikke hentes. Prøv igen om lidt."
    else:
        if not services.stale:
            return None
        text = (
            "Datavarehuset svarer ikke lige nu. Du ser de senest hentede tal, "
            "som kan være forældede."
        )
    return html.Div(dbc.Container(text, fluid=True), className="outage-banner", role="status")


def shell(services: Services, menu: Any = None) -> html.Div:
    return html.Div(
        [
            dcc.Location(id="nav", refresh="callback-nav"),
            html.A("Spring til indhold", href="#main", className="visually-hidden-focusable"),
            navigation(services, menu),
            outage_banner(services),
            html.Main(
                dbc.Container(dash.page_container, fluid=True, className="page-body"), id="main"
            ),
            footer(services),
            dialog.modal(),  # Start dialog, opened from any page's button
        ]
    )
