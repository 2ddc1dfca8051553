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
