"""The key that signs session cookies: MSB_SECRET_KEY, or one generated once and kept.

Every gunicorn worker on one machine reads the same file, so a cookie signed by one
worker is accepted by the others; a new key signs everybody out.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path


def secret_key(configured: str | None, keep_in: Path) -> str:
    if configured:
        return configured
    keep_in.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: of workers starting together, exactly one writes the key
        handle = os.open(keep_in, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(keep_in)
    with os.fdopen(handle, "w") as file:
        file.write(secrets.token_urlsafe(48))
    return _read(keep_in)


def _read(path: Path) -> str:
    for _ in range(50):  # another worker may be between creating and writing the file
        text = path.read_text().strip()
        if text:
            return text
        time.sleep(0.02)
    raise RuntimeError(f"{path} er tom; slet den, så laves en ny nøgle")
