"""The shared cache's recent entries kept in the process (components/near_cache.py)."""

from __future__ import annotations

import pandas as pd
from flask import Flask
from flask_caching import Cache

from components.near_cache import NearCache
from components.services import Services


def test_each_get_is_a_copy_of_its_own():
    near = NearCache()
    near.put("k", pd.DataFrame({"value": [1.0, 2.0]}))
    mine = near.get("k")
    mine.loc[0, "value"] = 99.0  # a caller may change what it got, as from Redis
    assert near.get("k")["value"].tolist() == [1.0, 2.0]
    assert near.get("missing") is None


def test_a_shared_entry_is_the_one_object_and_counts_its_size():
    near = NearCache(max_bytes=8 * 400)
    frozen = frozenset({("month", "JSY", 1)})
    near.put("shared", frozen, shared=True)
    near.put("copied", {"a": 1})
    assert near.get("shared") is frozen
    assert near.get("copied") == {"a": 1} and near.get("copied") is not near.get("copied")
    for key in "abcdefgh":  # a shared entry is bounded and let go like the others
        near.put(key, b"x" * 380, shared=True)
    assert near.size <= near.max_bytes
    assert near.get("shared") is None
    assert near.get("h") == b"x" * 380


def test_the_least_recently_used_go_first_when_full():
    near = NearCache(max_bytes=8 * 300)
    for key in "abcdefgh":
        near.put(key, b"x" * 250)
    assert len(near) == 8
    near.get("a")  # used: kept
    near.put("i", b"x" * 250)
    near.put("j", b"x" * 250)
    assert near.size <= near.max_bytes
    assert near.get("b") is None and near.get("a") is not None and near.get("j") is not None
    near.put("huge", b"x" * 400)  # larger than an eighth of the bound: not kept
    assert near.get("huge") is None


class CountingCache:
    """The shared cache's interface, counting how often it is asked."""

    def __init__(self, cache) -> None:
        self.cache, self.gets = cache, 0

    def get(self, key):
        self.gets += 1
        return self.cache.get(key)

    def set(self, key, value, timeout=None):
        return self.cache.set(key, value, timeout)


def test_a_second_look_does_not_ask_the_shared_cache(duckdb_warehouse):
    server = Flask(__name__)
    shared = CountingCache(Cache(server, config={"CACHE_TYPE": "SimpleCache"}))
    services = Services(duckdb_warehouse, shared)
    first = services.data_range("sygedagpenge_over_22_uger")
    asked = shared.gets
    assert services.data_range("sygedagpenge_over_22_uger") == first
    assert shared.gets == asked
    services._version = (services._version[0], services._version[1] + " (new load)")
    services.data_range("sygedagpenge_over_22_uger")
    assert shared.gets == asked + 1  # a new data version is a new key


def test_every_lens_cuts_from_one_cube_and_leaves_it_as_it_was(duckdb_warehouse):
    """A shared cube is one object per process: the lenses cut copies from it, and none
    of them may change it (the next lens would read the change)."""
    from queries.catalogue.models import Grain

    server = Flask(__name__)
    services = Services(duckdb_warehouse, Cache(server, config={"CACHE_TYPE": "SimpleCache"}))
    kpi, grain = "fuldtidspersoner", Grain.month
    services.cube(kpi, grain)
    cube = services._lens_cube(kpi, grain)
    before = cube.copy(deep=True)
    decision = services.suppression(kpi)
    last = services.latest_period(kpi, grain)
    for unit in ("MSB", "JSY", "JSY-01", "JSY-01-01"):
        services.trend(kpi, unit, grain, last)
        services.benchmark(kpi, unit, grain, last, siblings=True)
        services.benchmark(kpi, unit, grain, last, teams=True)
    services.targets(kpi, grain, last)
    assert services._lens_cube(kpi, grain) is cube
    assert services.suppression(kpi) is decision
    pd.testing.assert_frame_equal(cube, before, check_exact=True)
