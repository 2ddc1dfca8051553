"""A cache that fails soft: Redis down, paused or flushed makes the app slower, never broken.

Every call has a time limit (socket timeouts on the Redis URL); a failing cache is
skipped for a short pause, so a dead Redis costs one timeout per pause, not one per call.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    from queries.settings import Settings

log = logging.getLogger(__name__)
CALL_LIMIT_S = 0.5
PAUSE_S = 10.0


def with_time_limits(redis_url: str, limit_s: float = CALL_LIMIT_S) -> str:
    """The Redis URL with connect and read timeouts, unless the operator set their own."""
    parts = urlsplit(redis_url)
    query = dict(parse_qsl(parts.query))
    query.setdefault("socket_timeout", str(limit_s))
    query.setdefault("socket_connect_timeout", str(limit_s))
    return urlunsplit(parts._replace(query=urlencode(query)))


def cache_config(settings: Settings) -> dict:
    """Flask-Caching's configuration: Redis when `MSB_CACHE_URL` is set (shared by every
    process), else this process's memory."""
    if settings.cache_url:
        return {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": with_time_limits(settings.cache_url),
            "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
            "CACHE_KEY_PREFIX": "msb:",
        }
    return {
        "CACHE_TYPE": "SimpleCache",
        "CACHE_DEFAULT_TIMEOUT": settings.cache_timeout_s,
        "CACHE_THRESHOLD": 5000,
    }


class ResilientCache:
    """get/set/add/has/delete of a Flask-Caching cache; an error is a miss, told once."""

    def __init__(self, cache: Any, pause_s: float = PAUSE_S) -> None:
        self.cache = cache
        self.pause_s = pause_s
        self.down_since: float | None = None
        self._lock = threading.Lock()

    @property
    def is_down(self) -> bool:
        since = self.down_since
        return since is not None and time.monotonic() - since < self.pause_s

    def _call(self, name: str, *args: Any, default: Any = None) -> Any:
        if self.is_down:
            return default
        try:
            result = getattr(self.cache, name)(*args)
        except Exception as error:  # any backend error: the app goes on without the cache
            with self._lock:
                if self.down_since is None:
                    log.warning("cache unavailable (%s); going on without it", type(error).__name__)
                self.down_since = time.monotonic()
            return default
        if self.down_since is not None:
            with self._lock:
                self.down_since = None
            log.warning("cache answers again")
        return result

    def get(self, key: str) -> Any:
        return self._call("get", key)

    def set(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return bool(self._call("set", key, value, timeout, default=False))

    def add(self, key: str, value: Any, timeout: int | None = None) -> bool:
        return bool(self._call("add", key, value, timeout, default=False))

    def has(self, key: str) -> bool:
        return bool(self._call("has", key, default=False))

    def delete(self, key: str) -> bool:
        return bool(self._call("delete", key, default=False))

    def healthy(self) -> bool:
        """Whether the cache answers a write and a read now (for /healthz)."""
        probe = f"health:{time.monotonic()}"
        try:
            self.cache.set(probe, 1, 5)
            return self.cache.get(probe) == 1
        except Exception:
            return False
