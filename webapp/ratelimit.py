"""A rate limit on Excel exports (MSB_EXPORT_RATE, e.g. "20 per hour"), per user.

Exports are produced inside a Dash callback, not a Flask view of their own, so the
limit is checked where the file is made, with the `limits` library that Flask-Limiter
is built on. The counts live in Redis when MSB_CACHE_URL is set (shared by every
worker), else in the process.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from webapp.who import rate_key

EXTENSION = "msb_export_limiter"


class ExportLimiter:
    def __init__(self, rate: str, storage_url: str | None = None) -> None:
        self.rate = parse(rate)  # ValueError on a rate limits cannot read
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_url or "memory://"))

    def allow(self, key: str | None = None) -> bool:
        """Count one export for `key` (default: the signed-in user); False when over."""
        return self.limiter.hit(self.rate, "export", key or rate_key())


def export_allowed() -> bool:
    """True when this request's user may make one more export now."""
    limiter = current_app.extensions.get(EXTENSION) if has_app_context() else None
    return True if limiter is None else limiter.allow()
