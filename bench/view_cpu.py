"""Server CPU per page view and per request type, in one process, without a network.

    .venv/bin/python bench/view_cpu.py --views 100
    .venv/bin/python bench/view_cpu.py --views 100 --repeat --profile /tmp/view.prof

Creates the app in this process (header sign-in, the cache in MSB_CACHE_URL or in
process) and sends the 8 requests of a KPI page view that bench/load.py sends (the page,
`/_dash-layout` with the page as Referer, so it comes filled, `/_dash-dependencies` and
the five callbacks that fire on load), through Flask's test client, for random personas,
KPIs and units, accepting compressed answers as a browser does. CPU time (not wall time) is
summed per request type, so a busy machine changes the figures little; it is the
figure to compare two versions by, and `--profile` writes a cProfile (by CPU time) for
`python -m pstats` to show where it goes.

`--repeat` measures the same views as the warm-up (every lens answered from the cache,
the page's lenses kept); without it the measured views are new ones (lens results mostly
cut from the cubes; build them first with `python -m queries cubes build` and the same
MSB_CACHE_URL).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import load  # noqa: E402  (the request bodies and page-view order of the load bench)

ACCEPT = "gzip, deflate, br, zstd"  # what Chromium sends


def app_client():
    work = Path(tempfile.mkdtemp(prefix="msb-view-cpu-"))
    os.environ.update(
        MSB_AUTH_MODE="header",
        MSB_TRUSTED_PROXIES="127.0.0.1",
        MSB_APP_DB_URL=f"sqlite:///{work / 'app.sqlite'}",
        MSB_SECRET_KEY="bench-view-cpu",
        MSB_WARM_CACHE="0",  # the cubes come from `cubes build`, not from this process
    )
    from dashboard import create_app
    from queries.bootstrap import open_warehouse
    from queries.settings import load_settings

    settings = load_settings()
    return create_app(open_warehouse(settings), settings).server.test_client()


def unpacked_text(answer) -> str:
    """An answer's text, compressed or not (the test client does not unpack it)."""
    data = answer.get_data()
    packing = answer.headers.get("Content-Encoding", "")
    if packing == "br":
        import brotli

        data = brotli.decompress(data)
    elif packing == "gzip":
        data = gzip.decompress(data)
    return data.decode()


def unpacked(answer) -> object:
    return json.loads(unpacked_text(answer))


class Views:
    def __init__(self, client) -> None:
        self.client = client
        headers = {"X-Remote-User": "demo-analytiker"}
        self.bodies = load.Bodies(client.get("/_dash-dependencies", headers=headers).get_json())
        self.kpis = load.kpi_ids()
        referer = {**headers, "Referer": f"http://localhost/kpi/{self.kpis[0]}"}
        self.units = load.unit_ids(unpacked(client.get("/_dash-layout", headers=referer)))
        self.personas = load.personas()
        self.cpu = dict.fromkeys(load.ORDER, 0.0)

    def _timed(self, kind: str, send):
        started = time.process_time()
        answer = send()
        self.cpu[kind] += time.process_time() - started
        if answer.status_code not in (200, 204):
            raise RuntimeError(f"{kind}: HTTP {answer.status_code}")
        return answer

    def visit(self, rng: random.Random) -> None:
        """One page view as bench/load.py's leaders make it (`Leader.visit`)."""
        # compressed as for a browser, which asks for brotli or gzip
        headers = {"X-Remote-User": rng.choice(self.personas), "Accept-Encoding": ACCEPT}
        kpi, unit = rng.choice(self.kpis), rng.choice(self.units)
        path, search = f"/kpi/{kpi}", f"?enhed={unit}"
        from_page = {**headers, "Referer": f"http://localhost{path}{search}"}
        client, bodies = self.client, self.bodies
        shown = self._timed("page", lambda: client.get(path + search, headers=headers))
        laid = self._timed("layout", lambda: client.get("/_dash-layout", headers=from_page))
        self._timed("dependencies", lambda: client.get("/_dash-dependencies", headers=from_page))
        page = load.components(unpacked(laid))
        if "kpi-state" not in page:
            raise RuntimeError("the layout answer did not come with the KPI page")
        html = unpacked_text(shown)
        update = load.UPDATE + (f"?endId={token}" if (token := load.end_id(html)) else "")
        browser = load.browser_values(path, search)
        for name in load.ON_LOAD:
            body = bodies.body(name, page, browser)
            self._timed(name, lambda body=body: client.post(update, json=body, headers=from_page))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--views", type=int, default=100, help="page views measured")
    parser.add_argument("--warmup", type=int, default=30, help="page views first, not measured")
    parser.add_argument("--repeat", action="store_true", help="measure the warm-up's views")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="write a cProfile (CPU time) here")
    args = parser.parse_args(argv)

    views = Views(app_client())
    rng = random.Random(args.seed)
    for _ in range(args.warmup):
        views.visit(rng)
    views.cpu = dict.fromkeys(load.ORDER, 0.0)
    rng = random.Random(args.seed if args.repeat else args.seed + 1)
    profile = cProfile.Profile(time.process_time) if args.profile else None
    if profile:
        profile.enable()
    for _ in range(args.views):
        views.visit(rng)
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    total = sum(views.cpu.values())
    print(f"{args.views} page views: {total / args.views * 1000:.1f} ms server CPU per view")
    for kind, seconds in views.cpu.items():
        print(f"  {kind:<13}{seconds / args.views * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
