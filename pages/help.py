"""/hjaelp: how a leader reads the dashboard, in short sections of plain Danish.

Static text: it needs neither the warehouse nor a callback, so it stands through an
outage and costs nothing to serve.
"""

from __future__ import annotations

import dash
from dash import Dash, dcc, html

from components.services import Services

HELP_PATH = "/hjaelp"

# (id, heading, paragraphs); a paragraph is a string or a list of Dash children.
SECTIONS: tuple[tuple[str, str, tuple], ...] = (
    (
        "linser",
        "De fire visninger af et nøgletal",
        (
            "Hvert nøgletal har sin egen side med fire visninger for den enhed og periode, "
            "du har valgt øverst.",
            [
                html.Strong("Udvikling over tid"),
                " viser tallet måned for måned (eller kvartal eller år) for din enhed, "
                "sammen med samme periode sidste år, enheden over din og målet. "
                "Klik på et punkt for at se borgerne bag tallet i den periode.",
            ],
            [
                html.Strong("Organisatorisk målestok"),
                " sammenligner enhederne under din enhed i én periode, bedst først. "
                "Vælg “Søskende” for at se din enhed blandt enhederne ved siden af den, "
                "eller “Alle teams” for at se alle teams under enheden på én gang, hvert "
                "med sin afdeling i parentes. Klik på en søjle for at gå ned til den enhed.",
            ],
            [
                html.Strong("Detaljer"),
                " viser de sager eller borgere, der ligger bag tallet (se “Vis borgerne” "
                "nedenfor).",
            ],
            [
                html.Strong("Over/under målet"),
                " viser hver enhed med sit tal, sit mål, afstanden til målet og udviklingen "
                "siden sidste periode.",
            ],
        ),
    ),
    (
        "farver",
        "Farverne: bedre, inden for tolerancen, dårligere",
        (
            "Et nøgletal kan have et mål og en tolerance. Farven fortæller, hvor tallet "
            "ligger i forhold til målet for netop den enhed:",
            html.Ul(
                [
                    html.Li(
                        [
                            html.Strong("Grøn – bedre end målet."),
                            " Tallet er på den gode side af målet.",
                        ]
                    ),
                    html.Li(
                        [
                            html.Strong("Gul – inden for tolerancen."),
                            " Tallet er tæt på målet, men ikke helt der.",
                        ]
                    ),
                    html.Li(
                        [
                            html.Strong("Rød – dårligere end målet."),
                            " Tallet er længere fra målet end tolerancen.",
                        ]
                    ),
                ]
            ),
            "Om højt eller lavt er godt, afhænger af nøgletallet; det står under "
            "“Hvad betyder tallet?” ved siden af titlen.",
        ),
    ),
    (
        "diskretion",
        "Når der står <5: skjulte tal",
        (
            "Står der <5 i stedet for et tal, er der færre end fem borgere bag det. Tallet "
            "skjules, så ingen kan regne ud, hvem det handler om. Der står aldrig 0 for et "
            "skjult tal.",
            "Tallene skjules i sammenhæng: hvis kun ét tal i en gruppe var skjult (for "
            "eksempel ét team i en afdeling, eller én måned i et kvartal), kunne man finde "
            "det ved at trække de viste tal fra totalen. Derfor skjules der altid mindst "
            "to tal i en sådan gruppe, så en subtraktion ikke afslører noget.",
        ),
    ),
    (
        "perioder",
        "Perioder, der ikke er slut endnu",
        (
            "Et kvartal eller et år, der stadig er i gang, viser kun de måneder, der er "
            "data for, for eksempel “4. kvartal 2026 til og med oktober”. Det sammenlignes "
            "med de samme måneder sidste år, så sammenligningen er rimelig.",
            "Når du åbner et nøgletal, vises den seneste hele periode, medmindre du "
            "vælger en anden.",
        ),
    ),
    (
        "borgerne",
        "“Vis borgerne” og formålet",
        (
            "Listen over borgere bag et tal vises først, når du trykker “Vis borgerne”. "
            "Første gang i hver session vælger du et formål. Hver visning og hvert udtræk "
            "til Excel gemmes i en log med, hvem der så hvad, hvornår og hvorfor – det "
            "kræver loven, når man ser oplysninger om borgere.",
            "Du ser kun borgere i de enheder, du har adgang til. CPR-numre vises maskeret.",
        ),
    ),
    (
        "data",
        "Hvor tallene kommer fra",
        (
            "Alle tal hentes fra forvaltningens datavarehus, som indlæses med faste "
            "mellemrum. Øverst på hvert nøgletal står, hvor langt data rækker, og hvornår "
            "de sidst blev indlæst. Er mærket gult, kan data være forældede: enten er der "
            "ikke indlæst nyt i længere tid end normalt, eller datavarehuset svarer ikke "
            "lige nu.",
            [
                "Præcis hvordan hvert tal beregnes, og fra hvilken tabel, står under ",
                dcc.Link("Definitioner", href="/definitioner"),
                ".",
            ],
        ),
    ),
    (
        "spoerg",
        "Hvem kan jeg spørge?",
        (
            "Spørgsmål til et bestemt nøgletal – hvad det tæller, eller om et tal ser "
            "forkert ud – går til den ansvarlige, som står ved nøgletallet under "
            "Definitioner.",
            "Spørgsmål om adgang til enheder eller borgerlister går til din nærmeste leder, "
            "som kan bede om at få din adgang ændret.",
        ),
    ),
)


def section(ident: str, heading: str, paragraphs: tuple) -> html.Section:
    body = [p if isinstance(p, html.Ul) else html.P(p) for p in paragraphs]
    return html.Section(
        [html.H2(heading, className="h4 mt-4", id=ident), *body],
        className="help-section",
        **{"aria-labelledby": ident},
    )


def layout(**_ignored) -> html.Div:
    return html.Div(
        [
            html.H1("Hjælp", className="h2"),
            html.P(
                "Sådan læser du tallene i MSB i tal. Hvert afsnit er kort; spring til det, "
                "du har brug for.",
                className="lead-text",
            ),
            html.Nav(
                html.Ul([html.Li(html.A(h, href=f"#{i}")) for i, h, _ in SECTIONS]),
                **{"aria-label": "Indhold"},
            ),
            *[section(*parts) for parts in SECTIONS],
        ],
        className="help-page lead-text",
    )


def register(app: Dash, services: Services) -> None:
    dash.register_page(
        "help",
        path=HELP_PATH,
        name="Hjælp",
        title="Hjælp – MSB i tal",
        layout=layout,
        order=92,
    )
