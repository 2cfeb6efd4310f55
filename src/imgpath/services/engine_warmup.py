"""Compile the engines before anyone waits on them.

The Match engine and the market simulation are compiled by numba the first time they run (about
a minute on a laptop, once per install); afterwards every process loads the machine code from
numba's on-disk cache in well under a second (``core.matching.jit``).  ``imgpath serve`` calls
:func:`warm_engines` before it listens, so the first odds run or ``imgpath match`` after
``make run`` does not compile; then :func:`warm_odds_markets` starts building the stored
simulated Matches the odds page reads, in the background, so the first person's odds do not
build them on the request's path.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path

import platformdirs
import yaml

__all__ = ["PARTS", "is_compiled", "mark_compiled", "warm_engines", "warm_odds_markets"]


PARTS = ("match", "odds")
"""``match``: the Match engine (kernel, holders, audit); ``odds``: the market simulation too."""


def _marker(part: str) -> Path:
    from imgpath.core.matching.jit import engine_stamp

    base = os.environ.get("NUMBA_CACHE_DIR") or platformdirs.user_cache_dir(
        "imgpath", appauthor=False
    )
    return Path(base) / f"engine-{engine_stamp()[:16]}-{part}.compiled"


def is_compiled(part: str = "match") -> bool:
    """Whether ``part`` (see :data:`PARTS`) ran to the end on this machine for this version of
    the engines (with this NUMBA_CACHE_DIR): then running it loads machine code instead of
    compiling it."""
    return _marker(part).exists()


def mark_compiled(part: str, note: str = "") -> None:
    """Remember that ``part`` is compiled (a read-only cache folder is not an error)."""
    try:
        marker = _marker(part)
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(note + "\n", encoding="utf-8")
    except OSError:
        pass


def warm_engines(on: date, progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Run a tiny national Match and a tiny odds run, so that every compiled function a page
    or a command uses is compiled and cached (or loaded from the cache).  Returns the seconds
    each part took: ``match`` (generate and solve a 1% national market: draws, kernel, audit)
    and ``odds`` (one simulated season for the demo applicant)."""
    say = progress or (lambda _text: None)
    timings: dict[str, float] = {}
    start = time.perf_counter()
    say("Match engine")
    from imgpath.core.matching.solve import solve
    from imgpath.services.market import national_instance

    instance, _ = national_instance(seed=0, scale=0.01)
    solve(instance)
    timings["match"] = time.perf_counter() - start

    start = time.perf_counter()
    say("odds simulation")
    from imgpath.core.pathway.profile import parse_profile
    from imgpath.services.odds import odds_for_report
    from imgpath.services.pathway import plan

    text = resources.files("imgpath").joinpath("data", "demo", "profile.yaml").read_text("utf-8")
    profile = parse_profile(yaml.safe_load(text), on=on)
    odds_for_report(plan(profile, on), on=on, runs=1, scale=0.01, use_cache=False)
    timings["odds"] = time.perf_counter() - start
    for part in PARTS:
        mark_compiled(part, f"warm_engines: {timings}")
    return timings


def warm_odds_markets(
    *,
    runs: int,
    scale: float = 1.0,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, threading.Thread]:
    """Start building, in a background thread, the stored simulated Matches that web odds runs of
    ``runs`` Matches at ``scale`` read (the current model, seeds from ``seed``: the ones
    ``imgpath.market.odds_answer`` asks for).  Returns how many are missing (0: all stored
    already) and the thread; ``progress(done, total)`` is called as each missing one is stored.
    """
    from imgpath.services.market_model import load_model
    from imgpath.services.simulation import run_seeds
    from imgpath.services.stored_markets import market_key, warm_markets
    from imgpath.storage.market_store import MarketStore

    model = load_model()
    seeds = run_seeds(seed, runs)
    store = MarketStore()
    missing = sum(not store.has(market_key(model, s, scale)) for s in seeds)
    return missing, warm_markets(model, seeds, scale, progress)
