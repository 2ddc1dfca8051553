"""What a leader's browser and the operator wait for: page weight, JavaScript, start time.

    .venv/bin/python bench/frontend.py                  # this checkout against main
    .venv/bin/python bench/frontend.py --baseline-ref HEAD~3 --runs 5

Both trees run from the same Python, demo warehouse and settings in the same run: the
baseline is `git archive`d into a temporary folder, so no other checkout is touched.
Prints, beside the baseline and with the ratio:
- the HTML of a KPI page for a signed-in viewer, as sent plain, gzip and brotli;
- the JavaScript a first visit of a KPI page fetches (Chromium, fresh profile; the sum of
  every script's body as sent, compressed), until both charts are drawn;
- seconds from `python app.py`, and from gunicorn with 2 workers, to the first HTTP 200
  of /healthz (median of --runs; "no 200" when none came within 60 s), wall and CPU
  (all processes of the server, so the load of a shared machine shows as the gap), the
  two trees started in turn; `--start-only` measures nothing else; `--first-page` adds
  the seconds from `python app.py` to a signed-in KPI page with its trend drawn;
- with `--lighthouse PATH_TO_CLI` (Lighthouse 12, installed outside the repo:
  `mkdir -p /tmp/lh && cd /tmp/lh && npm install lighthouse@12`, then
  `--lighthouse /tmp/lh/node_modules/.bin/lighthouse`), Lighthouse's desktop preset on
  the KPI page, signed in by the session cookie, after the server's caches are warm:
  the median of --lighthouse-runs of the performance and accessibility scores, LCP,
  TBT, TTI, CLS and the bytes transferred;
- with `--lighthouse-only`, just the Lighthouse figures, the runs alternating between
  the baseline's server and this checkout's (both up at once), so a load that comes and
  goes on a shared machine falls on both alike;
- with `--rss`, the resident memory of each of gunicorn's 2 workers at its first answer
  and after the warm-up has built every cube (three KPI pages opened first; at most
  `--rss-wait` seconds), the largest worker's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
KPI = "sygedagpenge_over_22_uger"
PERSONA = "demo-analytiker"
SCRIPTS_JS = """
return performance.getEntriesByType('resource')
  .filter(e => e.initiatorType === 'script' || /\\.js(\\?|$)/.test(e.name))
  .map(e => [e.name, e.encodedBodySize, e.decodedBodySize]);
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(tree: Path, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSB_")}
    env.update(
        MSB_AUTH_MODE="demo",
        MSB_DEMO_PATH=str(work / "demo.duckdb"),
        MSB_APP_DB_URL=f"sqlite:///{work / (tree.name + '-app.sqlite')}",
        MSB_SECRET_KEY="bench-frontend",
        PYTHONDONTWRITEBYTECODE="",
    )
    return env


def start(tree: Path, work: Path, port: int, gunicorn: bool) -> subprocess.Popen:
    python = sys.executable
    if gunicorn:
        command = [str(Path(python).with_name("gunicorn")), "-c", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{port}", "--workers", "2", "app:server"]
    else:
        command = [python, "app.py", "--port", str(port)]
    return subprocess.Popen(
        command,
        cwd=tree,
        env=environment(tree, work),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # so stop() ends gunicorn's workers with it
    )


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def cpu_seconds(session: int) -> float:
    """CPU time of every process in the session (with its finished children): the
    machine is shared, so the wall time alone says little."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # field 6 of stat: the session id
            ticks += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def first_200(tree: Path, work: Path, gunicorn: bool, limit_s: float = 60) -> tuple[float, float]:
    """(wall seconds, CPU seconds) from start to the first 200 of /healthz; nan when none
    comes within limit_s."""
    port = free_port()
    started = time.perf_counter()
    process = start(tree, work, port, gunicorn)
    try:
        while time.perf_counter() - started < limit_s:
            try:  # a request the server accepted but answers late counts when it answers
                left = max(1.0, limit_s - (time.perf_counter() - started))
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=left).ok:
                    return time.perf_counter() - started, cpu_seconds(process.pid)
            except requests.ConnectionError:
                time.sleep(0.02)
            except requests.Timeout:
                break
        return float("nan"), float("nan")
    finally:
        stop(process)


def signed_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    session.post(
        f"{base}/login",
        data={"csrf": token, "persona": PERSONA, "next": "/"},
        allow_redirects=False,
    ).raise_for_status()
    return session


def page_bytes(base: str) -> dict[str, int]:
    session = signed_in(base)
    sizes = {}
    for name, encoding in (("raw", "identity"), ("gzip", "gzip"), ("br", "br")):
        answer = session.get(
            f"{base}/kpi/{KPI}", headers={"Accept-Encoding": encoding}, stream=True
        )
        assert answer.status_code == 200, answer.status_code
        assert answer.headers.get("Content-Encoding", "identity") == encoding
        sizes[name] = len(answer.raw.read(decode_content=False))
    return sizes


def first_visit_scripts(base: str) -> tuple[int, int, int]:
    """(bytes as sent, bytes unpacked, number of scripts) for a first visit of a KPI page."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.add_argument("--window-size=1400,1000")
    profile = tempfile.mkdtemp(prefix="msb-bench-profile-")
    options.add_argument(f"--user-data-dir={profile}")
    options.binary_location = shutil.which("chromium") or ""
    driver = webdriver.Chrome(options=options)
    try:
        driver.get(f"{base}/login")
        driver.find_element(By.CSS_SELECTOR, f"input[name='persona'][value='{PERSONA}']").click()
        driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type='submit']").click()
        WebDriverWait(driver, 30).until(lambda d: "/login" not in d.current_url)
        driver.get(f"{base}/kpi/{KPI}")
        drawn = "return document.querySelectorAll('.js-plotly-plot .main-svg').length"
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(drawn) >= 2)
        time.sleep(1)  # late async chunks
        entries = driver.execute_script(SCRIPTS_JS)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return sum(e[1] for e in entries), sum(e[2] for e in entries), len(entries)


LIGHTHOUSE_FIGURES = {  # label: (audit or category, field)
    "Lighthouse performance (score)": ("performance", "score"),
    "Lighthouse accessibility (score)": ("accessibility", "score"),
    "Lighthouse LCP (ms)": ("largest-contentful-paint", "numericValue"),
    "Lighthouse TBT (ms)": ("total-blocking-time", "numericValue"),
    "Lighthouse TTI (ms)": ("interactive", "numericValue"),
    "Lighthouse CLS": ("cumulative-layout-shift", "numericValue"),
    "Lighthouse bytes transferred": ("total-byte-weight", "numericValue"),
}


def lighthouse(cli: str, base: str, runs: int) -> dict[str, float]:
    """Lighthouse's desktop preset on the KPI page in a fresh Chromium each run, signed in
    by the session's cookie (sent as a header, as the profile holds none)."""
    reports = [lighthouse_report(cli, base) for _ in range(runs)]
    return lighthouse_medians(reports)


def lighthouse_medians(reports: list[dict]) -> dict[str, float]:
    return {
        label: statistics.median(float(r[key][field]) for r in reports)
        for label, (key, field) in LIGHTHOUSE_FIGURES.items()
    }


def lighthouse_report(cli: str, base: str, tries: int = 3) -> dict:
    """One run's categories and audits; a run Lighthouse gives up on (a page that did not
    answer in time on a busy machine) is run again, up to `tries` times."""
    cookie = "; ".join(f"{c.name}={c.value}" for c in signed_in(base).cookies)
    command = [
        cli,
        f"{base}/kpi/{KPI}",
        "--preset=desktop",
        "--only-categories=performance,accessibility",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
        "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
        "--output=json",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or ""}
    # To a file: node may exit before a large report has gone down a pipe.
    with tempfile.TemporaryDirectory(prefix="msb-lighthouse-") as folder:
        path = Path(folder) / "report.json"
        for _ in range(tries):
            path.unlink(missing_ok=True)
            done = subprocess.run(
                [*command, f"--output-path={path}"], env=env, capture_output=True, timeout=300
            )
            report = json.loads(path.read_text()) if path.exists() else None
            if report is not None and not report.get("runtimeError"):
                return {**report["categories"], **report["audits"]}
            why = report["runtimeError"]["code"] if report else done.stderr[-200:]
            print(f"Lighthouse gave no report ({why}), again", file=sys.stderr)
    raise RuntimeError(f"Lighthouse gave no report in {tries} tries")


def lighthouse_alternating(
    trees: list[Path], work: Path, cli: str, runs: int
) -> list[dict[str, float]]:
    """Lighthouse's figures for each tree, the runs taking turns between their servers."""
    processes, bases = [], []
    try:
        for tree in trees:
            port = free_port()
            processes.append(start(tree, work, port, gunicorn=False))
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            wait_until_healthy(base, tries=600, timeout_s=5)
            page_bytes(base)  # the server's caches warm, as in `measure`
        reports: list[list[dict]] = [[] for _ in trees]
        for turn in range(runs):
            for found, base, tree in zip(reports, bases, trees, strict=True):
                found.append(lighthouse_report(cli, base))
                score = found[-1]["performance"]["score"]
                print(f"{tree.name}: run {turn + 1}, performance {score}", file=sys.stderr)
    finally:
        for process in processes:
            stop(process)
    return [lighthouse_medians(found) for found in reports]


def worker_rss_mb(master: int) -> list[int]:
    """Resident memory (MB) of each child of the gunicorn master."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if fields.get("PPid", "").strip() == str(master):
            sizes.append(int(fields["VmRSS"].split()[0]) // 1024)
    return sorted(sizes)


def wait_until_healthy(base: str, tries: int, timeout_s: float) -> None:
    """Until /healthz answers (a server still starting refuses the connection)."""
    for _ in range(tries):
        try:
            if requests.get(f"{base}/healthz", timeout=timeout_s).ok:
                return
        except requests.ConnectionError:
            time.sleep(0.1)


def rss(tree: Path, work: Path, wait_s: float) -> dict[str, float]:
    port = free_port()
    process = start(tree, work, port, gunicorn=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, tries=1200, timeout_s=30)
        at_start = worker_rss_mb(process.pid)
        session = signed_in(base)
        for kpi in (KPI, "fuldtidspersoner", "udgift_pr_borger"):
            session.get(f"{base}/kpi/{kpi}").raise_for_status()
        until = time.monotonic() + wait_s
        while time.monotonic() < until:  # "cubes": "built/all" on /healthz
            built, _, every = (
                requests.get(f"{base}/healthz", timeout=30).json()["cubes"].partition("/")
            )
            if built == every:
                break
            time.sleep(3)
        warm = worker_rss_mb(process.pid)
    finally:
        stop(process)
    print(f"{tree.name}: worker RSS {at_start} MB at start, {warm} MB warm", file=sys.stderr)
    return {
        "RSS per worker at first answer, largest (MB)": max(at_start),
        "RSS per worker after warm-up, largest (MB)": max(warm),
    }


def measure(
    tree: Path,
    work: Path,
    lighthouse_cli: str | None = None,
    lighthouse_runs: int = 3,
    rss_wait_s: float | None = None,
) -> dict[str, float]:
    figures = page_figures(tree, work, lighthouse_cli, lighthouse_runs)
    if rss_wait_s is not None:
        figures |= rss(tree, work, rss_wait_s)
    return figures


def page_figures(
    tree: Path, work: Path, lighthouse_cli: str | None, lighthouse_runs: int
) -> dict[str, float]:
    port = free_port()
    process = start(tree, work, port, gunicorn=False)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, tries=600, timeout_s=5)
        figures = {f"page GET, {k} (bytes)": v for k, v in page_bytes(base).items()}
        sent, unpacked, count = first_visit_scripts(base)
        figures["JS on a first KPI visit, as sent (bytes)"] = sent
        figures["JS on a first KPI visit, unpacked (bytes)"] = unpacked
        figures["scripts on a first KPI visit"] = count
        if lighthouse_cli:  # the visits above warmed the server's caches
            figures |= lighthouse(lighthouse_cli, base, lighthouse_runs)
    finally:
        stop(process)
    return figures


def first_page(tree: Path, work: Path) -> float:
    """Seconds from `python app.py` to a signed-in KPI page with its trend drawn, as the
    browser asks for it (the warm-up running): the layout answer asked from the page,
    which comes with the page and its lenses; a tree whose layout answer does not (before
    the page came drawn) is asked for the router's and the trend's answers instead."""
    from load import UPDATE, Bodies, components, kpi_state  # bench/load.py, beside this

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = start(tree, work, port, gunicorn=False)
    try:
        wait_until_healthy(base, tries=1200, timeout_s=30)
        session = signed_in(base)
        referer = {"Referer": f"{base}/kpi/{KPI}"}
        laid = session.get(f"{base}/_dash-layout", headers=referer, timeout=60)
        laid.raise_for_status()
        trend = components(laid.json()).get("trend-graph", {}).get("figure") or {}
        if not trend.get("data"):  # the page did not come drawn: router, then trend
            bodies = Bodies(session.get(f"{base}/_dash-dependencies", timeout=60).json())
            page = bodies.router_body(f"/kpi/{KPI}", "")
            routed = session.post(base + UPDATE, json=page, timeout=60)
            routed.raise_for_status()
            body = bodies.lens_body("trend", kpi_state(routed.json()))
            session.post(base + UPDATE, json=body, timeout=60).raise_for_status()
        return time.perf_counter() - started
    finally:
        stop(process)


def first_page_figures(trees: list[Path], work: Path, runs: int) -> list[dict[str, float]]:
    """`first_page` of each tree in turn, the median of `runs`."""
    taken = [[first_page(tree, work) for tree in trees] for _ in range(runs)]
    label = "start to a KPI page with its trend, python app.py (s)"
    return [{label: statistics.median(run[i] for run in taken)} for i in range(len(trees))]


def start_figures(trees: list[Path], work: Path, runs: int) -> list[dict[str, float]]:
    """Seconds to the first 200, each tree started in turn within each run (A, B, A, B …),
    so a change in the machine's load falls on both alike."""
    figures: list[dict[str, float]] = [{} for _ in trees]
    for label, gunicorn in (("python app.py", False), ("gunicorn, 2 workers", True)):
        taken = [[first_200(tree, work, gunicorn) for tree in trees] for _ in range(runs)]
        for i, tree in enumerate(trees):
            walls = [run[i][0] for run in taken]
            print(
                f"{tree.name}: {label}: {', '.join(f'{t:.2f}' for t in walls)} s", file=sys.stderr
            )
            figures[i][f"start to first 200, {label} (s)"] = statistics.median(walls)
            figures[i][f"CPU to first 200, {label} (s)"] = statistics.median(
                run[i][1] for run in taken
            )
    return figures


def export(ref: str, into: Path) -> Path:
    tree = into / "baseline"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def shown(value: float) -> str:
    if isinstance(value, float):
        return "no 200" if value != value else f"{value:,.2f}"
    return f"{value:,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-ref", default="main", help="git ref to compare with")
    parser.add_argument("--runs", type=int, default=3, help="starts per server (median)")
    parser.add_argument("--lighthouse", metavar="PATH_TO_CLI", help="Lighthouse 12's CLI")
    parser.add_argument("--lighthouse-runs", type=int, default=3, help="Lighthouse runs (median)")
    parser.add_argument(
        "--lighthouse-only", action="store_true", help="only Lighthouse, runs alternating"
    )
    parser.add_argument("--rss", action="store_true", help="gunicorn workers' memory")
    parser.add_argument("--rss-wait", type=float, default=240, help="longest warm-up (s)")
    parser.add_argument(
        "--start-only", action="store_true", help="only the seconds to the first 200"
    )
    parser.add_argument(
        "--first-page", action="store_true", help="also the seconds to a KPI page's answers"
    )
    args = parser.parse_args()
    options = (args.lighthouse, args.lighthouse_runs, args.rss_wait if args.rss else None)
    with tempfile.TemporaryDirectory(prefix="msb-bench-frontend-") as folder:
        work = Path(folder)
        subprocess.run(
            [sys.executable, "-m", "queries", "demo", "--out", str(work / "demo.duckdb")],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        trees = [export(args.baseline_ref, work), ROOT]
        if args.lighthouse_only:
            if not args.lighthouse:
                parser.error("--lighthouse-only needs --lighthouse PATH_TO_CLI")
            baseline, current = lighthouse_alternating(
                trees, work, args.lighthouse, args.lighthouse_runs
            )
        else:
            baseline, current = (
                ({}, {}) if args.start_only else (measure(tree, work, *options) for tree in trees)
            )
            starts = start_figures(trees, work, args.runs)
            baseline, current = baseline | starts[0], current | starts[1]
            if args.first_page:
                pages = first_page_figures(trees, work, args.runs)
                baseline, current = baseline | pages[0], current | pages[1]
    print(f"\n| figure | {args.baseline_ref} | this checkout | ratio |")
    print("|---|---|---|---|")
    for name, before in baseline.items():
        after = current[name]
        ratio = after / before if before else float("nan")
        print(f"| {name} | {shown(before)} | {shown(after)} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
