"""Stored national Matches: solved once per model, seed and scale, shared by every user.

Personal odds used to re-run a whole national Match for each person (10-14 s warm).  Now each
simulated Match is solved once, its matching and rank-list state kept on disk
(:class:`~imgpath.storage.market_store.MarketStore`) and in this process's memory, and one
person is inserted into it by a rejection chain (:func:`imgpath.core.market.insertion.person_chances`).
A server builds them in the background (:func:`warm_markets`); the CLI builds what is missing on
first use, with progress.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from imgpath import __version__
from imgpath.core.market.insertion import ARRAYS, StoredMatch, stored_match
from imgpath.core.market.model import MarketModel
from imgpath.core.market.outcome import RunSummary, summarize_run
from imgpath.core.matching.jit import engine_stamp
from imgpath.parallel.executors import Executor, SerialExecutor
from imgpath.storage.market_store import MarketStore
from imgpath.storage.result_cache import cache_key

__all__ = ["StoreTask", "Stored", "ensure_markets", "market_key", "store_market", "warm_markets"]

Tick = Callable[[int, int], None]
_MEMORY: OrderedDict[str, Stored] = OrderedDict()
_KEEP = 48
"""Stored markets kept in this process's memory (memory-mapped: mostly page cache)."""
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Stored:
    """A stored market and the summary of its national outcome."""

    match: StoredMatch
    summary: RunSummary


MARKET_MODULES = ("generate.py", "draws.py", "model.py", "insertion.py", "outcome.py")
"""The modules of ``core/market`` whose code decides what a stored market holds (the funnel's or
the calibration's code does not: changing them keeps the stored markets)."""


@cache
def market_code_stamp() -> str:
    """A hash of the matching engine and of :data:`MARKET_MODULES` (the stored markets' freshness)."""
    digest = hashlib.sha256(engine_stamp().encode())
    digest.update(__version__.encode())
    folder = resources.files("imgpath").joinpath("core", "market")
    for name in MARKET_MODULES:
        digest.update(folder.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def market_key(model: MarketModel, seed: int, scale: float) -> str:
    """The stored market's name: a hash of the model's parameters, the seed, the scale and the code."""
    payload = {
        "kind": "market",
        "code": market_code_stamp(),
        "params": model.params,
        "seed": seed,
        "scale": scale,
    }
    return cache_key(payload)[:32]


@dataclass(frozen=True)
class StoreTask:
    model: MarketModel
    seed: int
    scale: float = 1.0


def store_market(task: StoreTask) -> str:
    """Generate, solve and store one market (a top-level function: worker processes import it)."""
    from imgpath.services.simulation import solve_generated

    store = MarketStore()
    key = market_key(task.model, task.seed, task.scale)
    with _building(key):  # a server's warm-up and a first odds run share the work, not repeat it
        if not store.has(key):
            sim, outcome, seconds = solve_generated(task.model, task.seed, task.scale)
            summary = summarize_run(sim, outcome, seconds)
            store.write(key, stored_match(sim, outcome).as_arrays(), {"summary": summary.to_dict()})
    return key


_BUILDING: dict[str, threading.Lock] = {}


def _building(key: str) -> threading.Lock:
    """The lock held while ``key`` is built in this process (threads wait, then read it)."""
    with _LOCK:
        return _BUILDING.setdefault(key, threading.Lock())


def _load(key: str) -> Stored | None:
    with _LOCK:
        if key in _MEMORY:
            _MEMORY.move_to_end(key)
            return _MEMORY[key]
    found = MarketStore().read(key, ARRAYS)
    if found is None:
        return None
    arrays, meta = found
    stored = Stored(StoredMatch.from_arrays(arrays), RunSummary.from_dict(meta["summary"]))
    with _LOCK:
        _MEMORY[key] = stored
        while len(_MEMORY) > _KEEP:
            _MEMORY.popitem(last=False)
    return stored


def ensure_markets(
    model: MarketModel,
    seeds: Sequence[int],
    scale: float,
    *,
    executor: Executor | None = None,
    progress: Tick | None = None,
) -> tuple[list[Stored], int]:
    """The stored markets of ``seeds``, building (in ``executor``) the ones not stored yet; and
    how many were built."""
    keys = [market_key(model, s, scale) for s in seeds]
    store = MarketStore()
    missing = [
        StoreTask(model, s, scale) for s, k in zip(seeds, keys, strict=True) if not store.has(k)
    ]
    if missing:
        (executor or SerialExecutor()).map(store_market, missing, progress)
    out: list[Stored] = []
    for seed, key in zip(seeds, keys, strict=True):
        found = _load(key)
        if found is None:  # unreadable (removed meanwhile): build it here
            store_market(StoreTask(model, seed, scale))
            found = _load(key)
        assert found is not None
        out.append(found)
    return out, len(missing)


def warm_markets(
    model: MarketModel, seeds: Sequence[int], scale: float = 1.0, progress: Tick | None = None
) -> threading.Thread:
    """Build the stored markets in a background thread (a server calls this when it starts);
    ``progress(done, total)`` is called as each missing one is stored."""

    def build() -> Any:
        ensure_markets(model, seeds, scale, progress=progress)

    thread = threading.Thread(target=build, name="imgpath-markets", daemon=True)
    thread.start()
    return thread
