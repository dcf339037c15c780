"""Cap the OpenBLAS that numpy loaded at one thread (see `limit_blas_threads`)."""

from __future__ import annotations

import ctypes
from pathlib import Path

# OpenBLAS entry points that set its thread count, by build (numpy's wheels use the scipy_
# prefixed 64-bit-int build).
_BLAS_SET_THREADS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)


def limit_blas_threads(threads: int = 1) -> bool:
    """Cap the OpenBLAS that numpy loaded at `threads` threads; True if one was found.

    Matching multiplies one question vector by every phrasing's (a few thousand rows): small
    products where a second BLAS thread saves nothing, and its workers spin while they wait for
    the next call, taking the core that onnxruntime and the event loop need. On this 2-core
    machine, 3 x 3,300 products took 16 ms at the median with the default threads and 1 ms
    with one. `OPENBLAS_NUM_THREADS` only counts before numpy is imported, so this calls the
    library's own setter.
    """
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # not Linux: OPENBLAS_NUM_THREADS in the environment still works
    libraries = {
        fields[5] for fields in (line.split(None, 5) for line in maps.splitlines())
        if len(fields) == 6 and "openblas" in fields[5].lower() and fields[5].startswith("/")
    }
    found = False
    for path in sorted(libraries):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _BLAS_SET_THREADS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter.argtypes = [ctypes.c_int]
                setter.restype = None
                setter(threads)
                found = True
                break
    return found
