"""How the engine's hot loops are compiled: numba, no reference counting, a safe on-disk cache.

Two choices here matter for speed and for correctness:

* **No NRT.**  The kernel passes its market and state as tuples of arrays.  With numba's runtime
  (NRT) on, every ``state.field[i]`` inside a loop increments and decrements the array's reference
  count atomically; that made a national singles Match 18x slower (0.18 s instead of 0.01 s).
  Compiled functions therefore never allocate: every array is created in Python and passed in.

* **An engine-wide cache stamp.**  numba's own cache checks only the file a function is defined
  in, so changing ``holders.py`` would leave a stale compiled ``kernel.py`` in ``__pycache__``
  (after an upgrade, too).  Our cache entries are stamped with a hash of *all* the compiled
  modules (:data:`COMPILED_MODULES`), so any change to one recompiles them all.  Compiling takes about a minute once; later
  processes load the machine code in a fraction of a second (``make bench`` reports both).
  Set ``NUMBA_CACHE_DIR`` to keep the cache elsewhere (a read-only install, a benchmark).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

import numba

__all__ = ["COMPILED_MODULES", "engine_stamp", "jit", "jit_inline"]

F = TypeVar("F", bound=Callable[..., object])

_CORE_DIR = Path(__file__).resolve().parent.parent

COMPILED_MODULES = (
    "matching/jit.py", "matching/holders.py", "matching/kernel.py", "matching/audit.py",
    "market/draws.py",
)  # fmt: skip
"""Every module under ``imgpath/core`` that defines compiled functions (a test keeps this
list complete)."""


@cache
def engine_stamp() -> str:
    """A hash of the compiled modules and the compiler's version: the cache's freshness key."""
    digest = hashlib.sha256(numba.__version__.encode())
    for name in COMPILED_MODULES:
        digest.update(name.encode())
        digest.update((_CORE_DIR / name).read_bytes())
    return digest.hexdigest()


def _engine_cache_class() -> Any:
    """A numba FunctionCache whose freshness stamp is :func:`engine_stamp` (None if unavailable)."""
    try:
        from numba.core.caching import (
            CompileResultCacheImpl,
            FunctionCache,
            InTreeCacheLocator,
            UserProvidedCacheLocator,
            UserWideCacheLocator,
        )
    except ImportError:  # pragma: no cover - numba moved its private API; fall back to its cache
        return None

    class _UserProvided(UserProvidedCacheLocator):  # NUMBA_CACHE_DIR, when set
        def get_source_stamp(self) -> str:
            return engine_stamp()

    class _InTree(InTreeCacheLocator):
        def get_source_stamp(self) -> str:
            return engine_stamp()

    class _UserWide(UserWideCacheLocator):
        def get_source_stamp(self) -> str:
            return engine_stamp()

    class _Impl(CompileResultCacheImpl):
        _locator_classes = [_UserProvided, _InTree, _UserWide]  # noqa: RUF012

    class _Cache(FunctionCache):
        _impl_class = _Impl

    return _Cache


_CACHE = _engine_cache_class()


def _compile(fn: F, **options: Any) -> F:
    njit: Any = numba.njit  # ``_nrt`` is a real numba option that its type stubs do not list
    if _CACHE is None:  # pragma: no cover
        return cast("F", njit(cache=True, nogil=True, _nrt=False, **options)(fn))
    dispatcher = njit(nogil=True, _nrt=False, **options)(fn)
    dispatcher._cache = _CACHE(fn)
    return cast("F", dispatcher)


def jit(fn: F) -> F:
    """Compile ``fn`` in nopython mode, without reference counting, with the engine cache."""
    return _compile(fn)


def jit_inline(fn: F) -> F:
    """Like :func:`jit`, and inline it into its callers (for tiny helpers on the hottest path)."""
    return _compile(fn, inline="always")
