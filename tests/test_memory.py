"""A gunicorn worker gives large freed blocks back to the system (ops/memory.py).

Read from glibc itself, in a fresh interpreter each: a 1 MB block allocated again after
one of that size was freed comes from the heap by default (glibc raised its bound) and
from a mapping of its own once `return_freed_memory` has run (`hblkhd`, the bytes held in
such mappings, counts it).
"""

from __future__ import annotations

import ctypes.util
import platform
import subprocess
import sys

import pytest

from ops.memory import return_freed_memory

PROBE = """
import ctypes, ctypes.util, runpy, sys
sys.path.insert(0, {root!r})
if {tuned}:  # as a gunicorn worker is, right after the fork
    runpy.run_path({root!r} + "/gunicorn.conf.py")["post_fork"](None, None)

class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = (ctypes.c_void_p,)
libc.mallinfo2.restype = Info
size = 1024 * 1024
libc.free(libc.malloc(size))  # the first large block: mapped, and freed
block = libc.malloc(size)     # the same size again
print(libc.mallinfo2().hblkhd >= size)
libc.free(block)
"""

glibc = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="mallopt is glibc's; elsewhere return_freed_memory changes nothing",
)


def mapped_again(tuned: bool) -> bool:
    from tests.test_gunicorn import ROOT

    code = PROBE.format(root=str(ROOT), tuned=tuned)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip() == "True"


@glibc
def test_after_a_workers_fork_a_large_block_freed_and_asked_again_is_mapped():
    assert ctypes.util.find_library("c")
    assert mapped_again(tuned=False) is False  # glibc's default: the block stays in the heap
    assert mapped_again(tuned=True) is True


@glibc
def test_it_is_set_on_glibc():
    assert return_freed_memory() is True
