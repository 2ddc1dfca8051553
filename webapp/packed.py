"""Answers kept already compressed: made once, sent many times without packing them again.

Flask-Compress packs every JSON answer on its way out (brotli at COMPRESS_BR_LEVEL), a
few milliseconds for the larger ones. An answer that is kept (the callbacks' list, kept
lens answers) is kept packed too, and sent as it is when the client takes brotli first,
as every browser does; Flask-Compress leaves an answer that is already packed alone.
"""

from __future__ import annotations

import brotli
from flask import Response, current_app, request
from flask_compress.flask_compress import _choose_algorithm

JSON = "application/json"


def pack(raw: bytes) -> bytes:
    """`raw` brotli-compressed as Flask-Compress would send it."""
    return brotli.compress(raw, quality=current_app.config.get("COMPRESS_BR_LEVEL", 6))


def takes_brotli() -> bool:
    """Whether this request's client takes brotli first, as Flask-Compress would choose."""
    algorithms = tuple(current_app.config.get("COMPRESS_ALGORITHM") or ())
    return _choose_algorithm(algorithms, request.headers.get("Accept-Encoding", "")) == "br"


def packed_answer(raw: bytes, packed: bytes, content_type: str = JSON) -> Response:
    """`packed` (brotli) for a client that takes brotli first; else `raw`, and
    Flask-Compress packs it as it packs any answer."""
    if not takes_brotli():
        return Response(raw, content_type=content_type)
    answer = Response(packed, content_type=content_type)
    answer.headers["Content-Encoding"] = "br"
    return answer
