"""/omraade/<id>: the cards of one area (Beskæftigelsesområdet, Socialområdet, Tværgående)."""

from __future__ import annotations

import dash
from dash import Dash, html

from components.not_found import not_found
from components.services import Services
from pages.home import grouped_cards, unit_picker


def layout_for(services: Services):
    def layout(area_id: str | None = None, enhed: str | None = None, **_ignored) -> html.Div:
        area = next((a for a in services.catalogue.areas if a.id == area_id), None)
        if area is None:
            return not_found(f"Området '{area_id}' findes ikke.")
        unit = enhed or services.org.root
        if unit not in services.org:
            return not_found(f"Enheden '{unit}' findes ikke i organisationen.")
        return html.Div(
            [
                html.H1(area.title, className="h2"),
                # the sections whose cards follow (a section that is a page has none)
                html.P(
                    ", ".join(s.title for s in area.sections if services.catalogue.kpis_in(s.id)),
                    className="lead-text",
                ),
                unit_picker(services, unit),
                *grouped_cards(services, unit, {area.id}, titles=False),
            ]
        )

    return layout


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "area",
        path_template="/omraade/<area_id>",
        title="Område – MSB i tal",
        layout=layout_for(services),
    )
