"""A worker's freed memory given back to the system (glibc's malloc on Linux).

glibc serves a block of 128 KB or more from its own mapping and unmaps it when freed, but
after the first such free it raises that bound to the freed block's size (up to 32 MB),
so from then on the large, short-lived blocks of a request (a cube fetched from Redis and
unpickled, a lens answer as JSON, a page of rows) come from the heap, where what is
freed stays in the process among live objects. Fixing the bound keeps large blocks
mapped and returned at once; two arenas instead of eight per core keep the worker's
threads from each holding their own free memory. Measured in the README (*Memory per
worker*): 196–238 MB per worker after a load on PostgreSQL 10M, 158–168 MB with this.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3  # mallopt parameters, from glibc's malloc.h
M_ARENA_MAX = -8
MMAP_THRESHOLD = 128 * 1024  # glibc's own starting value, kept fixed
ARENA_MAX = 2


def return_freed_memory() -> bool:
    """Set the two malloc parameters for this process; False where there is no glibc
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
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(M_ARENA_MAX, ARENA_MAX))
