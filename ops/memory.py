"""A worker's freed memory given back to the system (glibc's malloc on Linux).

glibc serves a block of 128 KB or more from its own mapping and unmaps it when freed, but
after the first such free it raises that bound to the freed block's size (up to 32 MB),
so from then on the large, short-lived blocks of a request (a cube fetched from Redis and
unpickled, a lens answer as JSON, a page of rows) come from the heap, where what is
freed stays in the process among live objects. Fixing the bound keeps large blocks
mapped and returned at once. Measured in the README (*Start and memory per worker*):
187–238 MB per worker after a load on PostgreSQL 10M, 158–169 MB with this (limiting
malloc's arenas as well made no clear difference).
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # mallopt's parameter, from glibc's malloc.h
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, kept fixed


def return_freed_memory() -> bool:
    """Fix malloc's mapping bound for this process; False where there is no glibc
    (another C library or system), which changes nothing else."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
