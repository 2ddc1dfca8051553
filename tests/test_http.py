"""The app over HTTP with Flask's test client: pages, health, and forged callback requests.

`/_dash-update-component` is a public endpoint: anyone on the intranet can POST any
kpi-state to it, not only the values the page put in its store. Whatever arrives, the
answer is a Danish message or an empty result — never a traceback, a 500 or more rows
than the cap.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from webapp.validation_layout import unknown_callback_ids

KPI = "sygedagpenge_over_22_uger"
ROW_CAP = 500
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LEAKS = ("Traceback", 'File "', "sqlalchemy", "duckdb", "Exception", "SELECT ")


@pytest.fixture(scope="module")
def client(signed_in_client):
    return signed_in_client


# ---- pages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        f"/kpi/{KPI}",
        f"/kpi/{KPI}?enhed=JSY&interval=kvartal&periode=2026-K3",
        "/omraade/beskaeftigelse",
        "/definitioner",
        "/findes/ikke",
    ],
)
def test_pages_answer_in_danish(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="da">' in response.get_data(as_text=True)


def test_healthz_reports_the_data_version(client, duckdb_warehouse):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["warehouse"] == "ok"
    assert body["data_version"] == duckdb_warehouse.data_version() != ""


def test_every_callback_id_is_in_the_validation_layout(client, dash_app):
    """Dash pages rebuild the validation layout on the first request by calling every page
    layout without arguments; the KPI page must then still hold the lens ids, or the
    browser logs "ID not found in layout" for each of them on every page."""
    client.get("/")
    ids = []
    for entry in dash_app.callback_map.values():
        outputs = entry["output"] if isinstance(entry["output"], list) else [entry["output"]]
        ids += [o.component_id for o in outputs]
        ids += [spec["id"] for spec in entry["inputs"] + entry["state"]]
    plain = {i for i in ids if isinstance(i, str) and not i.startswith("{")}  # not pattern ids
    assert {"kpi-state", "trend-graph", "list-grid", "home-unit"} <= plain
    assert sorted(i for i in plain if i not in dash_app.validation_layout) == []
    assert unknown_callback_ids(dash_app) == []  # the compact layout each page carries


# ---- nothing from outside the intranet -------------------------------------------------------


class Resources(HTMLParser):
    """Every src/href of the page's script, link, img and iframe tags, and the config JSON."""

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []
        self.config_text = ""
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag in ("script", "link", "img", "iframe", "source"):
            self.addresses += [values[k] for k in ("src", "href") if values.get(k)]
        self._in_config = tag == "script" and values.get("id") == "_dash-config"

    def handle_data(self, data):
        if self._in_config:
            self.config_text += data

    def handle_endtag(self, tag):
        self._in_config = False


def external(addresses) -> list[str]:
    found = []
    for address in addresses:
        parts = urlsplit(address.strip())
        if parts.scheme in ("http", "https", "") and parts.netloc:
            if parts.hostname not in LOCAL_HOSTS:
                found.append(address)
        elif parts.scheme not in ("", "data", "http", "https"):
            found.append(address)
    return found


@pytest.fixture(scope="module")
def index(client) -> tuple[str, Resources]:
    html = client.get(f"/kpi/{KPI}").get_data(as_text=True)
    parsed = Resources()
    parsed.feed(html)
    return html, parsed


def test_scripts_and_styles_are_served_locally(index):
    _, parsed = index
    assert parsed.addresses, "the index should load scripts and styles"
    assert external(parsed.addresses) == []
    for address in parsed.addresses:
        assert address.startswith(("/_dash-component-suites/", "/assets/", "/_favicon.ico")), (
            address
        )


def test_the_index_names_no_external_host(index):
    """Dash's config carries the URL of its version check; it is only used by the dev
    tools UI, which is off, so the browser never calls it. Everything else must be local."""
    html, parsed = index
    config = json.loads(parsed.config_text)
    assert config["ui"] is False  # no dev tools, so no version check against plotly.com
    config_text = json.dumps({k: v for k, v in config.items() if k != "dash_version_url"})
    page = html.replace(parsed.config_text, config_text)
    urls = re.findall(r"""https?://[^\s"'<>)\\]+""", page.replace("\\u002f", "/"))
    assert external(urls) == []


def test_stylesheets_fetch_nothing_from_outside(client, index):
    _, parsed = index
    sheets = [a for a in parsed.addresses if a.split("?")[0].endswith(".css")]
    assert sheets
    for sheet in sheets:
        text = client.get(sheet).get_data(as_text=True)
        targets = re.findall(r"""url\(\s*['"]?([^'")]+)""", text)
        targets += re.findall(r"""@import\s+['"]([^'"]+)""", text)
        assert external(targets) == [], sheet
        for target in targets:
            if not target.startswith(("data:", "#")):
                local = "/assets/" + target.split("?")[0].split("#")[0]
                assert client.get(local).status_code == 200, local


# ---- forged callback requests ----------------------------------------------------------------


def callback_key(app, output_id: str, output_property: str, first_input: str | None) -> str:
    for key, entry in app.callback_map.items():
        outputs = entry["output"] if isinstance(entry["output"], list) else [entry["output"]]
        if first_input and entry["inputs"][0]["id"] != first_input:
            continue
        if any(
            o.component_id == output_id and o.component_property.split("@")[0] == output_property
            for o in outputs
        ):
            return key
    raise LookupError(f"{output_id}.{output_property}")


def payload(
    app,
    output_id: str,
    output_property: str,
    inputs: list,
    states: list,
    first_input: str | None = None,
) -> dict:
    """What dash-renderer POSTs: the callback key, its outputs, inputs and states with values."""
    key = callback_key(app, output_id, output_property, first_input)
    entry = app.callback_map[key]
    outputs = [
        {"id": o.component_id, "property": o.component_property}
        for o in (entry["output"] if isinstance(entry["output"], list) else [entry["output"]])
    ]
    return {
        "output": key,
        "outputs": outputs if isinstance(entry["output"], list) else outputs[0],
        "inputs": [
            {**spec, "value": value} for spec, value in zip(entry["inputs"], inputs, strict=True)
        ],
        "state": [
            {**spec, "value": value} for spec, value in zip(entry["state"], states, strict=True)
        ],
        "changedPropIds": [f"{entry['inputs'][0]['id']}.{entry['inputs'][0]['property']}"],
    }


def post(client, body: dict):
    response = client.post("/_dash-update-component", json=body)
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 204), (response.status_code, text[:500])
    for leak in LEAKS:
        assert leak not in text, (leak, text[:500])
    return response


FORGED = {
    "unknown-unit": {"kpi": KPI, "query": "?enhed=XYZ"},
    "sql-injection-unit": {"kpi": KPI, "query": "?enhed=MSB%27%3B%20DROP%20TABLE%20dim_org%3B--"},
    "injection-in-kpi": {"kpi": "x' OR '1'='1", "query": "?enhed=MSB"},
    "unknown-kpi": {"kpi": "findes_ikke", "query": "?enhed=MSB"},
    "bad-period": {"kpi": KPI, "query": "?enhed=MSB&interval=aar&periode=99999"},
    "not-a-dict-query": {"kpi": KPI, "query": ["?enhed=MSB"]},
    "kpi-is-a-list": {"kpi": [KPI], "query": "?enhed=MSB"},
}
LENSES = [  # (output, property, the sentence beside it)
    ("trend-graph", "figure", "trend-sentence"),
    ("benchmark-graph", "figure", "benchmark-sentence"),
    ("target-grid", "rowData", "target-sentence"),
    ("list-grid", "columnDefs", "list-sentence"),
]


@pytest.mark.parametrize("forged", FORGED.values(), ids=FORGED.keys())
@pytest.mark.parametrize(
    ("output_id", "output_property", "sentence_id"), LENSES, ids=[lens[0] for lens in LENSES]
)
def test_a_forged_state_gets_a_message_not_a_traceback(
    client, dash_app, output_id, output_property, sentence_id, forged
):
    key = callback_key(dash_app, output_id, output_property, None)
    others = [None] * (len(dash_app.callback_map[key]["inputs"]) - 1)  # the trend's board version
    body = payload(dash_app, output_id, output_property, [forged, *others], [])
    data = post(client, body).get_json()["response"]
    sentence = json.dumps(data[sentence_id], ensure_ascii=False)
    assert re.search(r"kunne ikke vises|findes ikke|ingen data", sentence, re.IGNORECASE), sentence
    shown = data[output_id][output_property]
    assert (shown.get("data") if output_property == "figure" else shown) in (None, [])


def list_request(app, grid_request: dict, kpi_state, opened: bool = True) -> dict:
    """What the grid POSTs for a page of rows, once "Vis borgerne" has opened the list."""
    return payload(
        app, "list-grid", "getRowsResponse", [grid_request], [kpi_state, opened], "list-grid"
    )


REQUESTS = {
    "huge-page": {"startRow": 0, "endRow": 100_000},
    "negative-start": {"startRow": -50, "endRow": 25},
    "text-bounds": {"startRow": "0; DROP TABLE dim_borger", "endRow": "25"},
    "sort-injection": {
        "startRow": 0,
        "endRow": 25,
        "sortModel": [{"colId": "cpr) --", "sort": "asc"}],
    },
    "sort-direction-injection": {
        "startRow": 0,
        "endRow": 25,
        "sortModel": [{"colId": "citizen_cpr", "sort": "desc; DROP"}],
    },
}


@pytest.mark.parametrize("request_", REQUESTS.values(), ids=REQUESTS.keys())
@pytest.mark.parametrize(
    "kpi_state",
    [
        {"kpi": "fuldtidspersoner", "query": "?enhed=MSB&interval=aar&periode=2026"},
        *FORGED.values(),
    ],
    ids=["real", *FORGED.keys()],
)
def test_a_forged_page_request_never_returns_more_than_the_cap(
    client, dash_app, request_, kpi_state
):
    body = list_request(dash_app, request_, kpi_state)
    answer = post(client, body).get_json()["response"]["list-grid"]["getRowsResponse"]
    assert len(answer["rowData"]) <= ROW_CAP
    assert isinstance(answer["rowCount"], int)


def test_the_cap_holds_for_a_real_kpi_with_many_rows(client, dash_app):
    kpi_state = {"kpi": "fuldtidspersoner", "query": "?enhed=MSB&interval=aar&periode=2026"}
    body = list_request(dash_app, {"startRow": 0, "endRow": 100_000}, kpi_state)
    answer = post(client, body).get_json()["response"]["list-grid"]["getRowsResponse"]
    assert answer["rowCount"] > ROW_CAP
    assert len(answer["rowData"]) == ROW_CAP
    assert all(re.fullmatch(r"\d{6}-XXXX", row["citizen_cpr"]) for row in answer["rowData"])


def click_body(app, unit: str) -> dict:
    click = {"points": [{"customdata": [unit]}]}
    body = payload(
        app,
        "nav",
        "href",
        [None, None, None, None, None, click, None],
        [{"kpi": KPI, "query": "?enhed=MSB"}],
        first_input="picker-unit",
    )
    body["changedPropIds"] = ["benchmark-graph.clickData"]
    return body


def test_a_benchmark_click_navigates(client, dash_app):
    answer = post(client, click_body(dash_app, "JSY")).get_json()["response"]
    assert answer["nav"]["href"] == f"/kpi/{KPI}?enhed=JSY&interval=maaned"


def test_a_forged_benchmark_click_does_not_navigate(client, dash_app):
    response = post(client, click_body(dash_app, "XYZ'; DROP TABLE dim_org; --"))
    assert response.status_code == 204 or response.get_json()["response"] == {}


def test_a_forged_definition_request_does_not_leak(client, dash_app):
    key = next(k for k in dash_app.callback_map if "definition-sql" in k)
    ident = {"type": "definition-sql", "kpi": "findes_ikke"}
    body = {
        "output": key,
        "outputs": {"id": ident, "property": "children"},
        "inputs": [
            {
                "id": {"type": "definition-details", "kpi": "findes_ikke"},
                "property": "open",
                "value": True,
            }
        ],
        "state": [{"id": ident, "property": "id", "value": ident}],
        "changedPropIds": ['{"kpi":"findes_ikke","type":"definition-details"}.open'],
    }
    post(client, body)
