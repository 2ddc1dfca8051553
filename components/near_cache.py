"""The lens cache's recent entries kept in this process too, as pickled bytes.

Every lens asks the shared cache (Redis) several times per view: its result, the KPI's
data range and suppression decision, a cube on a miss. Each ask is a round trip; at a
few dozen page views a second those round trips were a fifth of the server's CPU. The
keys carry the data version, so an entry never changes under its key and a copy kept
here is as good as Redis's. It is kept pickled, and unpickled on every get, so each
caller gets its own object, as from Redis, and may change it.

Bounded by the bytes it holds; the least recently used entries go first.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from typing import Any

MAX_BYTES = 32 * 2**20  # per process; the 1M demo's 48 cubes take 4 MB pickled


class NearCache:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            data = self._entries.get(key)
            if data is None:
                return None
            self._entries.move_to_end(key)
        return pickle.loads(data)

    def put(self, key: str, value: Any) -> None:
        if value is None:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes // 8:
            return  # one entry may not push out most of the others
        with self._lock:
            old = self._entries.pop(key, None)
            self.size += len(data) - (len(old) if old is not None else 0)
            self._entries[key] = data
            while self.size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped)

    def __len__(self) -> int:
        return len(self._entries)
