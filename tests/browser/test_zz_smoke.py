import time
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait
from dashboard import create_app


def test_smoke(dash_duo, duckdb_warehouse):
    app = create_app(duckdb_warehouse)
    dash_duo.start_server(app)
    d = dash_duo.driver
    d.get(
        dash_duo.server_url + "/kpi/sygedagpenge_over_22_uger?enhed=MSB&interval=aar&periode=2026"
    )
    for target in ["JSY", "JSY-01", "JSY-01-03"]:
        bar = dash_duo.wait_for_element("#benchmark-graph .bars path", timeout=20)
        t0 = time.perf_counter()
        ActionChains(d).move_to_element(bar).click().perform()
        WebDriverWait(d, 10).until(lambda d: f"enhed={target}" in d.current_url)
        print(d.current_url, (time.perf_counter() - t0) * 1000)
        dash_duo.wait_for_text_to_equal(
            "#picker-unit .Select-value-label, #picker-unit", "x", timeout=1
        ) if False else None
    print(d.execute_script("return document.querySelector('#picker-unit').innerText"))
    print(
        d.execute_script("return document.querySelector('#list-grid .ag-paging-panel').innerText")
    )
    print(dash_duo.get_logs())
