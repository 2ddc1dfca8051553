"""N leaders opening KPI pages against gunicorn with Redis: throughput, latency, errors.

    .venv/bin/python bench/load.py --leaders 50 200 --duration 60 --think 5 10 --max
    .venv/bin/python bench/load.py --setups 2x4 4x2 --leaders 50 --cubes

Starts its own gunicorn (`gunicorn -c gunicorn.conf.py app:server`, header sign-in from
127.0.0.1) and its own Redis (or uses MSB_CACHE_URL), waits for /healthz, and stops both
at the end, also on Ctrl-C or an error. `--cubes` runs `python -m queries cubes build`
first so every lens is cut from a warm cube.

A page view replays what a browser sends for one KPI page (read from Chromium's network
log): GET the page, GET /_dash-layout with the page as Referer (its answer comes with the
page filled: lenses drawn, the pages' Location holding the address, so the router and
the lens callbacks do not fire) and /_dash-dependencies, then POST the callbacks that
fire on load (`ON_LOAD`: the menu's active link, the list's header, the chosen forløb,
the menu's carried links, the list's first rows), each with `?endId=` from the page's
`_dash-config`. Their bodies are built from the server's own /_dash-dependencies and the
values in the filled page (its `kpi-state` among them), so they follow the callbacks and
the page when those change. The browser sends the four first callbacks at once; a leader
sends them one after another. Each leader is a persona from access.yaml (sent as
X-Remote-User) and opens a random KPI of the catalogue at a random unit of the org tree.

Leaders are threads with a requests.Session each: the work is waiting on the server,
threads keep one blocking request per leader as a browser does, and 200 of them cost
little. The client shares the two cores with the server; its CPU time is printed so the
share can be read. A request fails on HTTP status other than 200/204 or after --timeout.

Each run prints the server's CPU time per page view (gunicorn's master and workers, read
from /proc, recycled workers included): on a shared machine it moves far less than the
wall times, so it is the figure to compare versions by. `--warmup` sends load for that
many seconds first, unreported, so each worker's first requests are not measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parent.parent
UPDATE = "/_dash-update-component"
# The callbacks a KPI page fires on load, in the order the browser sends them, each found
# by an output it alone has (a dict id ends in its JSON). The page comes filled in the
# layout answer, so the router and the trend, benchmark and target callbacks wait for a
# change (prevent_initial_call). Read from Chromium's network log of a KPI page load.
ON_LOAD = {
    "menu-active": '"type":"nav-carry"}.active',  # which menu link is the page's
    "list": "list-grid.columnDefs",  # the list's columns, sentence and gate
    "forloeb": "board-form.hidden",  # the Spilleplade's chosen forløb
    "menu-links": '"type":"nav-carry"}.href',  # the menu's links carry the unit and period
    "list-rows": "list-grid.getRowsResponse",  # AG Grid's first rows (none until opened)
}
# The callbacks that answer a later change: the page router (a page asked without a
# Referer, or another page) and the lenses (another unit, period, comparison …); used by
# bench/view_cpu.py, bench/frontend.py and tests, no longer by a page view here.
LENSES = {
    "trend": "trend-graph.figure",
    "benchmark": "benchmark-graph.figure",
    "target": "target-grid.rowData",
    "list": "list-grid.columnDefs",
}
ROUTER = "_pages_content.children"
FIRST_ROWS = {"startRow": 0, "endRow": 25, "sortModel": [], "filterModel": {}, "api": {}}
KEEPALIVE = 5.0  # seconds; gunicorn.conf.py `keepalive`, after which idle connections close
ORDER = ("page", "layout", "dependencies", *ON_LOAD)  # the request types of a view


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def personas() -> list[str]:
    users = yaml.safe_load((ROOT / "access.yaml").read_text(encoding="utf-8"))["users"]
    return [user["id"] for user in users if user.get("persona")]


def kpi_ids() -> list[str]:
    catalogue = yaml.safe_load((ROOT / "kpi_definitions.yaml").read_text(encoding="utf-8"))
    return [kpi["id"] for kpi in catalogue["kpis"]]


# --- the servers -----------------------------------------------------------------------


def stop_group(process: subprocess.Popen, seconds: float = 30.0) -> None:
    """SIGTERM to the process group, SIGKILL after `seconds`: never left running."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)


class Redis:
    """A throwaway redis-server on a free port, nothing saved."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start within 10 s")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        stop_group(self.process, 5)


def environment(work: Path, cache_url: str) -> dict[str, str]:
    keep = (
        "MSB_WAREHOUSE_URL",
        "MSB_DEMO_PATH",
        "MSB_CATALOGUE",
        "MSB_ACCESS_FILE",
        "MSB_DUCKDB_MEMORY_MB",
        "MSB_WARM_CACHE",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MSB_") or k in keep}
    env.update(
        MSB_AUTH_MODE="header",
        MSB_TRUSTED_PROXIES="127.0.0.1",
        MSB_CACHE_URL=cache_url,
        MSB_APP_DB_URL=f"sqlite:///{work / 'app.sqlite'}",
        MSB_SECRET_KEY="bench-load",
    )
    return env


def build_cubes(env: dict[str, str]) -> None:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "queries", "cubes", "build"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
        timeout=1800,
    )
    print(f"cubes built in {time.perf_counter() - started:.1f} s")


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, threads: int, log: Path) -> None:
        self.port = free_port()
        command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "gunicorn.conf.py"]
        command += ["--workers", str(workers), "--threads", str(threads)]
        command += ["--bind", f"127.0.0.1:{self.port}", "app:server"]
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # stop() ends the workers with the master
            )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_healthy(self, seconds: float = 180.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log.read_text()[-4000:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/healthz", timeout=5).status_code == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"no HTTP 200 from /healthz in {seconds:.0f} s")

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers so far, the ended workers included."""
        return server_cpu_seconds(self.process.pid)

    def stop(self) -> None:
        stop_group(self.process)


def _stat_fields(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # the name may hold spaces; fields after it


def server_cpu_seconds(master: int) -> float:
    """User + system CPU of `master`, its children now running, and the children it has
    reaped (cutime/cstime): a worker recycled by max_requests keeps counting."""
    tick = os.sysconf("SC_CLK_TCK")
    fields = _stat_fields(master)  # state, ppid, …; utime is field 14 of the whole line
    total = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError):
            child = _stat_fields(int(entry.name))
            if int(child[1]) == master:
                total += int(child[11]) + int(child[12])
    return total / tick


def worker_memory_mb(master: int) -> list[tuple[int, int, int]]:
    """(resident, anonymous, file-backed) MB of each worker of `master`, largest first.
    The file-backed part is mostly the libraries' code (DuckDB's alone is about 40 MB),
    shared with the other workers though each one's RSS counts it."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError, KeyError):
            if int(_stat_fields(int(entry.name))[1]) != master:
                continue
            status = dict(
                line.split(":", 1) for line in (entry / "status").read_text().splitlines()
            )
            found.append(
                tuple(int(status[k].split()[0]) // 1024 for k in ("VmRSS", "RssAnon", "RssFile"))
            )
    return sorted(found, reverse=True)


def memory_line(label: str, master: int) -> str:
    workers = ", ".join(f"{r} ({a} anon + {f} file)" for r, a, f in worker_memory_mb(master))
    return f"  RSS per worker {label}: {workers or 'none'} MB"


# --- the requests ----------------------------------------------------------------------


def _component_id(text: str) -> str | dict:
    """An id as a callback key writes it: a pattern-matching id is its JSON."""
    return json.loads(text) if text.startswith("{") else text


def _parts(output: str) -> list[tuple[str | dict, str]]:
    """(id, property) of each output in a callback key; several are "..a.b...c.d..".
    A second callback on the same output (allow_duplicate, e.g. a lens redrawn after a
    goal is stored) keeps its "@hash" on the property, as dash-renderer sends it."""
    found = []
    for part in _raw(output):
        component, prop = part.rsplit(".", 1)
        found.append((_component_id(component), prop))
    return found


def _matches(pattern: dict, component: dict) -> bool:
    """Whether a component's dict id matches a wildcard output (ALL, MATCH, ALLSMALLER)."""
    if set(pattern) != set(component):
        return False
    return all(isinstance(v, list) or component[k] == v for k, v in pattern.items())


def _key(component: str | dict) -> str:
    """An id as Dash writes it in an answer's keys: a dict id as sorted, compact JSON."""
    return (
        json.dumps(component, sort_keys=True, separators=(",", ":"))
        if isinstance(component, dict)
        else component
    )


def components(layout: object) -> dict:
    """Every component of a layout answer by its id (a dict id by its JSON): its props."""
    found: dict = {}
    stack: list = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("props")
            if isinstance(props, dict) and "id" in props:
                found[_key(props["id"])] = props
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


class Bodies:
    """The /_dash-update-component bodies of the callbacks a KPI page fires on load,
    built from the server's /_dash-dependencies and the page in /_dash-layout, so they
    follow the callbacks and the page when those change."""

    def __init__(self, dependencies: list[dict]) -> None:
        def find(part: str) -> dict:
            found = [d for d in dependencies if any(p.endswith(part) for p in _raw(d["output"]))]
            if len(found) != 1:
                raise LookupError(f"{len(found)} callbacks with output {part!r}")
            return found[0]

        self.callbacks = {name: find(part) for name, part in ON_LOAD.items()}
        self.router = find(ROUTER)
        self.lenses = {name: find(part) for name, part in LENSES.items()}

    def body(self, name: str, page: dict, browser: dict[tuple[str, str], object]) -> dict:
        """What dash-renderer POSTs for callback `name` of `ON_LOAD`: each input's and
        state's value as the layout answer `page` (from `components`) holds it, unless the
        browser sets it itself (`browser`: the address in dcc.Location, AG Grid's first
        rows request); a wildcard output lists every matching component of the page."""
        return self.made(self.callbacks[name], page, browser)

    def router_body(self, path: str, search: str) -> dict:
        """The router's body for a page at `path` and `search` (a Location that changed)."""
        address = {("_pages_location", "pathname"): path, ("_pages_location", "search"): search}
        return self.made(self.router, {}, address)

    def lens_body(self, name: str, state: dict) -> dict:
        """A lens's body for a changed `kpi-state`."""
        return self.made(self.lenses[name], {}, {("kpi-state", "data"): state})

    @staticmethod
    def made(dependency: dict, page: dict, browser: dict[tuple[str, str], object]) -> dict:

        def value(spec: dict) -> dict:
            key = (spec["id"], spec["property"])
            if key in browser:
                return {**spec, "value": browser[key]}
            props = page.get(_key(spec["id"]), {})
            # a prop the layout leaves unset is sent without a value, as the browser does
            return {**spec, "value": props[spec["property"]]} if spec["property"] in props else spec

        outputs: list = []
        for component, prop in _parts(dependency["output"]):
            if isinstance(component, dict) and any(isinstance(v, list) for v in component.values()):
                outputs.append(
                    [
                        {"id": props["id"], "property": prop}
                        for props in page.values()
                        if isinstance(props["id"], dict) and _matches(component, props["id"])
                    ]
                )
            else:
                outputs.append({"id": component, "property": prop})
        inputs = [value(spec) for spec in dependency["inputs"]]
        # a prop the browser set (address, grid) counts as changed; one from the layout not
        changed = [
            f"{s['id']}.{s['property']}" for s in inputs if (s["id"], s["property"]) in browser
        ]
        body = {
            "output": dependency["output"],
            "outputs": outputs if dependency["output"].startswith("..") else outputs[0],
            "inputs": inputs,
            "changedPropIds": changed,
            "parsedChangedPropsIds": changed,
        }
        if dependency["state"]:
            body["state"] = [value(spec) for spec in dependency["state"]]
        return body


def _raw(output: str) -> list[str]:
    """The outputs of a callback key as written there: "id.property", a dict id as JSON."""
    return output[2:-2].split("...") if output.startswith("..") else [output]


def kpi_state(answer: object) -> dict | None:
    """The data of the `kpi-state` store in a KPI page: in a layout answer asked with the
    page as Referer, or the router's answer."""
    return components(answer).get("kpi-state", {}).get("data")


def unit_ids(answer: object) -> list[str]:
    """The units of a KPI page's unit picker (layout or router answer): the org tree."""
    props = components(answer).get("picker-unit")
    return [option["value"] for option in props["options"]] if props else []


def end_id(html: str) -> str | None:
    """The page load's signed token in `_dash-config`; dash-renderer sends it with every
    callback as `?endId=`."""
    found = re.search(r'"end_id":\s*"([^"]+)"', html)
    return found.group(1) if found else None


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in ORDER})
    errors: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in ORDER})
    views: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


class Leader:
    def __init__(self, url: str, persona: str, bodies: Bodies, kpis, units, timeout) -> None:
        self.url = url
        self.session = requests.Session()
        self.session.headers["X-Remote-User"] = persona
        self.bodies, self.kpis, self.units, self.timeout = bodies, kpis, units, timeout

    def call(self, tally: Tally, kind: str, method: str, path: str, body=None, referer=None):
        started = time.perf_counter()
        error = None
        response = None
        try:
            response = self.session.request(
                method,
                self.url + path,
                json=body,
                headers={"Referer": referer} if referer else None,
                timeout=self.timeout,
            )
            if response.status_code not in (200, 204):
                error = f"HTTP {response.status_code}"
        except requests.Timeout:
            error = "timeout"
        except requests.RequestException as failure:  # the cause, short: refused, reset …
            inner = failure.args[0] if failure.args else None
            cause = getattr(inner, "reason", None) or inner or failure
            error = f"{type(failure).__name__} ({type(cause).__name__})"
        tally.add(kind, time.perf_counter() - started, error)
        return None if error else response

    def visit(self, tally: Tally, rng: random.Random) -> None:
        kpi, unit = rng.choice(self.kpis), rng.choice(self.units)
        path, search = f"/kpi/{kpi}", f"?enhed={unit}"
        referer = self.url + path + search  # dash-renderer asks from the page it shows
        shown = self.call(tally, "page", "GET", path + search)
        laid = self.call(tally, "layout", "GET", "/_dash-layout", referer=referer)
        known = self.call(tally, "dependencies", "GET", "/_dash-dependencies", referer=referer)
        page = components(laid.json()) if laid is not None else {}
        if shown is None or known is None or "kpi-state" not in page:
            return  # without the filled page the browser would have asked the router
        update = UPDATE + (f"?endId={token}" if (token := end_id(shown.text)) else "")
        browser = browser_values(path, search)
        answered = [
            self.call(tally, name, "POST", update, self.bodies.body(name, page, browser), referer)
            for name in ON_LOAD
        ]
        if None not in answered:
            with tally.lock:
                tally.views += 1


def browser_values(path: str, search: str) -> dict[tuple[str, str], object]:
    """The props the browser sets itself on load: the address in the menu's dcc.Location,
    and AG Grid's request for its first rows (the list's infinite row model)."""
    return {
        ("nav", "pathname"): path,
        ("nav", "search"): search,
        ("list-grid", "getRowsRequest"): FIRST_ROWS,
    }


def run_load(
    url: str,
    leaders: int,
    duration: float,
    think: tuple[float, float],
    timeout: float,
    server_cpu: Callable[[], float] = lambda: 0.0,
):
    """`leaders` threads visiting pages for `duration` s; returns (tally, seconds, client
    CPU s, server CPU s)."""
    probe = requests.Session()
    probe.headers["X-Remote-User"] = "demo-analytiker"
    bodies = Bodies(probe.get(url + "/_dash-dependencies", timeout=30).json())
    kpis = kpi_ids()
    first = probe.get(
        url + "/_dash-layout", headers={"Referer": f"{url}/kpi/{kpis[0]}"}, timeout=60
    )
    units = unit_ids(first.json())
    if not units:
        raise RuntimeError("no units in the unit picker of the KPI page")
    who = personas()
    tally = Tally()
    stop_at = time.monotonic() + duration

    def leader(number: int) -> None:
        rng = random.Random(number)
        me = Leader(url, who[number % len(who)], bodies, kpis, units, timeout)
        time.sleep(rng.uniform(0, think[1]))  # arrivals spread, not all at once
        while time.monotonic() < stop_at:
            me.visit(tally, rng)
            pause = rng.uniform(*think)
            if time.monotonic() + pause >= stop_at:
                break
            time.sleep(pause)
            if pause >= KEEPALIVE - 1:  # a second to spare for the race at the edge
                # gunicorn has closed the idle connection by now; the browser retries such a
                # stale connection on a new one, so the leader starts on a new one too
                me.session.close()

    cpu, server = time.process_time(), server_cpu()
    started = time.monotonic()
    threads = [threading.Thread(target=leader, args=(n,), daemon=True) for n in range(leaders)]
    for thread in threads:
        thread.start()
    for thread in threads:  # a visit in flight ends within its timeouts
        thread.join(max(0.0, stop_at - time.monotonic()) + 8 * timeout)
    elapsed = time.monotonic() - started
    return tally, elapsed, time.process_time() - cpu, server_cpu() - server


# --- the report ------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(title: str, tally: Tally, seconds: float, cpu: float, server: float = 0.0) -> list[str]:
    requests_done = sum(len(v) for v in tally.times.values())
    errors = sum(len(v) for v in tally.errors.values())
    per_view = f"{server / tally.views * 1000:.0f} ms" if tally.views else "–"
    lines = [
        f"{title}: {tally.views / seconds:.1f} page views/s, {requests_done / seconds:.1f} "
        f"requests/s, {errors} errors ({seconds:.0f} s, client CPU {cpu / seconds:.0%})",
        # CPU per view is the steady figure on a shared machine: wall time swings with
        # whatever else runs, the work the server does for a view does not
        f"  server CPU {server:.1f} s ({server / seconds:.0%} of one core), "
        f"{per_view} per page view",
        f"  {'request':<13}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}",
    ]
    every: list[float] = []
    for kind in ORDER:
        times = tally.times[kind]
        every += times
        if not times:
            continue
        ms = [percentile(times, q) * 1000 for q in (50, 95, 99)]
        lines.append(
            f"  {kind:<13}{len(times):>6}{ms[0]:>9.0f}{ms[1]:>9.0f}{ms[2]:>9.0f}"
            f"{len(tally.errors[kind]):>8}"
        )
    if every:
        ms = [percentile(every, q) * 1000 for q in (50, 95, 99)]
        lines.append(
            f"  {'all':<13}{len(every):>6}{ms[0]:>9.0f}{ms[1]:>9.0f}{ms[2]:>9.0f}{errors:>8}"
        )
    kinds = sorted({e for v in tally.errors.values() for e in v})
    lines.append("  errors: " + (", ".join(kinds) or "none"))  # always: keeps columns aligned
    return lines


def total_errors(tally: Tally) -> int:
    return sum(len(v) for v in tally.errors.values())


def machine_ms(tries: int = 5) -> float:
    """The median ms this process takes for a fixed piece of Python, just after a run.

    The same tree has needed 1.8 × the CPU per view in one hour of this machine as in
    another; runs whose machine figures differ are not to be compared by their times."""

    def once() -> float:
        started = time.process_time()
        total = 0
        for number in range(300_000):
            total += number * number % 7
        return (time.process_time() - started) * 1000

    return statistics.median(once() for _ in range(tries))


def setup(text: str) -> tuple[int, int]:
    workers, _, threads = text.partition("x")
    return int(workers), int(threads)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leaders", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--think", type=float, nargs=2, default=[5.0, 10.0], metavar=("MIN", "MAX"))
    parser.add_argument("--max", action="store_true", help="also a run with no think time")
    parser.add_argument("--max-leaders", type=int, default=16, help="leaders in the --max run")
    parser.add_argument(
        "--setups", nargs="+", default=["4x4"], help="WORKERSxTHREADS, e.g. 2x4 4x2"
    )
    parser.add_argument("--cubes", action="store_true", help="build the cubes first")
    parser.add_argument(
        "--rss",
        action="store_true",
        help="print each worker's memory at its first answer, after --warmup and after each run",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument(
        "--warmup",
        type=float,
        default=0.0,
        help="seconds of load (4 leaders, no think time) before the runs, not reported: "
        "each worker's first requests and the cache's first misses are not measured",
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="msb-load-"))
    redis = None
    columns: list[list[str]] = []
    errors = 0
    try:
        cache_url = os.environ.get("MSB_CACHE_URL")
        if not cache_url:
            redis = Redis()
            cache_url = redis.url
        env = environment(work, cache_url)
        if args.cubes:
            build_cubes(env)
        runs = [(n, tuple(args.think)) for n in args.leaders]
        if args.max:
            runs.append((args.max_leaders, (0.0, 0.0)))
        for text in args.setups:
            workers, threads = setup(text)
            server = Gunicorn(env, workers, threads, work / f"gunicorn-{text}.log")
            lines = [f"== gunicorn --workers {workers} --threads {threads}"]
            try:
                server.wait_healthy()
                if args.rss:
                    lines.append(memory_line("at the first answer", server.process.pid))
                if args.warmup:
                    run_load(server.url, 4, args.warmup, (0.0, 0.0), args.timeout)
                    if args.rss:
                        lines.append(memory_line("after the warm-up load", server.process.pid))
                for leaders, think in runs:
                    pace = (
                        "no think time"
                        if think == (0.0, 0.0)
                        else f"think {think[0]:g}–{think[1]:g} s"
                    )
                    tally, seconds, cpu, used = run_load(
                        server.url, leaders, args.duration, think, args.timeout, server.cpu_seconds
                    )
                    errors += total_errors(tally)
                    lines += report(f"{leaders} leaders, {pace}", tally, seconds, cpu, used)
                    lines.append(f"  machine: {machine_ms():.0f} ms for a fixed workload")
                    if args.rss:
                        lines.append(memory_line("after the run", server.process.pid))
            finally:
                server.stop()
            print("\n".join(lines), flush=True)
            columns.append(lines)
    finally:
        if redis:
            redis.stop()
        shutil.rmtree(work, ignore_errors=True)
    if len(columns) > 1:  # side by side, one column per setup
        width = max(len(line) for column in columns for line in column) + 2
        print("\nside by side:")
        for row in zip(*columns, strict=False):
            print("".join(line.ljust(width) for line in row).rstrip())
    return 1 if errors else 0


if __name__ == "__main__":
    # SIGTERM unwinds like Ctrl-C, so the finally blocks stop gunicorn and Redis
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
