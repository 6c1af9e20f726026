"""A guard against a reference-counting defect of PySide6 6.12 on Python 3.11.

PySide6 6.12's bindings return ``None`` from void C++ calls (and ``True``/``False``
from some signal emissions) without taking a reference. Since Python 3.12 these
singletons are immortal (PEP 683), so nothing happens there; on 3.11 each such
call takes one reference away, and after a few thousand Qt calls the process
aborts with ``none_dealloc`` / ``bool_dealloc``. Measured: a ten-second demo
session removes about 430,000 references from ``None``.

:func:`immortalize_singletons` gives the three singletons a reference count so
large (2**40) that no session can exhaust it: the same effect as PEP 683. It
runs only on Python < 3.12 with PySide6 >= 6.12, once. The real fix is to use
Python 3.12+ or a PySide6 without the defect; remove this module then.
"""

from __future__ import annotations

import ctypes
import sys

import PySide6

_MARGIN = 1 << 40
_applied = False


def needed() -> bool:
    return sys.version_info < (3, 12) and tuple(PySide6.__version_info__[:2]) >= (6, 12)


def immortalize_singletons() -> bool:
    """Apply the guard if this interpreter and PySide6 need it; True if it is (now) in place."""
    global _applied
    if _applied or not needed():
        return _applied
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _MARGIN
    _applied = True
    return True
