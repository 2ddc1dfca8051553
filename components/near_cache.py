"""The lens cache's recent entries kept in this process too, as pickled bytes.

Every lens asks the shared cache (Redis) several times per view: its result, the KPI's
data range and suppression decision, a cube on a miss. Each ask is a round trip; at a
few dozen page views a second those round trips were a fifth of the server's CPU. The
keys carry the data version, so an entry never changes under its key and a copy kept
here is as good as Redis's. It is kept pickled, and unpickled on every get, so each
caller gets its own object, as from Redis, and may change it; except an entry put as
`shared`, which every caller gets as the one object and none may change (a frozen
suppression decision, a cube that lenses only cut copies from): unpickling those two
took 1.8 ms of a new page view's 47 ms of CPU.

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
        # key: (pickled bytes, or the object itself when shared; its pickled size)
        self._entries: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
        kept, _ = entry
        return pickle.loads(kept) if isinstance(kept, bytes) else kept

    def put(self, key: str, value: Any, *, shared: bool = False) -> None:
        """`shared`: every get returns this object itself, which no caller may change."""
        if value is None:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes // 8:
            return  # one entry may not push out most of the others
        entry = (value if shared and not isinstance(value, bytes) else data, len(data))
        with self._lock:
            old = self._entries.pop(key, None)
            self.size += len(data) - (old[1] if old is not None else 0)
            self._entries[key] = entry
            while self.size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped

    def __len__(self) -> int:
        return len(self._entries)
