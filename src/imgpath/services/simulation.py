"""Simulated national Matches: market-wide outcomes, calibration, and one person's odds.

Every run is a task with its own seed (spawned from the user's seed), so results do not depend on
which executor runs them; results are cached on disk by a hash of the model, the seeds, the scale
and the code that computes them.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from imgpath import __version__
from imgpath.core.market.calibrate import Calibration, calibration_step
from imgpath.core.market.generate import generate_market
from imgpath.core.market.insertion import person_chances
from imgpath.core.market.model import APPLICANT_TYPES, TARGET_TYPES, MarketModel
from imgpath.core.market.outcome import RunSummary, aggregate, interval, summarize_run
from imgpath.core.market.person import Person
from imgpath.core.matching.jit import engine_stamp
from imgpath.core.matching.solve import solve_market
from imgpath.errors import FormError, InvalidInputError, Problem
from imgpath.parallel.executors import Executor, SerialExecutor
from imgpath.services.stored_markets import Stored, ensure_markets
from imgpath.storage.result_cache import ResultCache, cache_key

__all__ = [
    "DEFAULT_RANKS",
    "TARGET_TYPES",
    "CalibrationLog",
    "SimTask",
    "calibrate_model",
    "calibration_overrides",
    "code_stamp",
    "odds",
    "run_seeds",
    "run_simulation",
    "simulate",
]

DEFAULT_RANKS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20)
Tick = Callable[[int, int], None]


def code_stamp() -> str:
    """A hash of the code that turns a model and a seed into results (the cache's freshness key)."""
    digest = hashlib.sha256(engine_stamp().encode())
    digest.update(__version__.encode())
    folder = resources.files("imgpath").joinpath("core", "market")
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".py")):
        digest.update(folder.joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


def run_seeds(seed: int, runs: int) -> list[int]:
    """The seed of each run, spawned from the user's ``seed`` (the same for every executor)."""
    return [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(runs)]


@dataclass(frozen=True)
class SimTask:
    model: MarketModel
    seed: int
    scale: float = 1.0


REGENERATE = 3
"""Fresh markets to try when the singles phase of a generated market keeps cycling."""


def solve_generated(
    task_model: MarketModel, seed: int, scale: float
) -> tuple[Any, Any, dict[str, float]]:
    """Generate and match one market.  About one generated market in forty makes the singles
    phase cycle (through supplemental lists); such a market is replaced by a fresh one drawn from
    the same seed, and the replacement is counted, so results stay reproducible."""
    start = time.perf_counter()
    sim = outcome = None
    generated = start
    for attempt in range(REGENERATE + 1):
        draw = (
            seed
            if attempt == 0
            else int(np.random.SeedSequence([seed, attempt]).generate_state(1)[0])
        )
        sim = generate_market(task_model, seed=draw, scale=scale)
        generated = time.perf_counter()
        # One ordering of couples per run: when couples make a stable matching hard to find, the
        # engine leaves the few cycling couples out (counted in couples_left_out) instead of
        # retrying other orders, which costs little over a whole market and saves most of the time.
        # Nor does it run the exact repair (seconds to a minute per market when it runs).
        outcome = solve_market(sim.market, seed=draw % 2**31, attempts=1, exact_time=0.0)
        if outcome.singles_settled:
            break
    seconds = {
        "generate": generated - start,
        "solve": time.perf_counter() - generated,
        "regenerated": float(attempt),
    }
    return sim, outcome, seconds


def run_simulation(task: SimTask) -> dict[str, Any]:
    """One simulated Match, summarised (a top-level function: worker processes import it)."""
    sim, outcome, seconds = solve_generated(task.model, task.seed, task.scale)
    return summarize_run(sim, outcome, seconds).to_dict()


def _cached(
    kind: str, payload: Mapping[str, Any], compute: Callable[[], Any], use_cache: bool
) -> tuple[Any, bool]:
    cache = ResultCache()
    key = cache_key({"kind": kind, "code": code_stamp(), **payload})
    if use_cache:
        found = cache.get(key)
        if found is not None:
            return found, True
    value = compute()
    if use_cache:
        cache.put(key, value)
    return value, False


def simulate(
    model: MarketModel,
    *,
    runs: int,
    seed: int = 0,
    scale: float = 1.0,
    executor: Executor | None = None,
    use_cache: bool = True,
    progress: Tick | None = None,
) -> dict[str, Any]:
    """``runs`` simulated Matches of ``model``: rates by type and specialty with 90% intervals."""
    if runs < 1:
        raise FormError([Problem("runs", "must be at least 1")])
    seeds = run_seeds(seed, runs)
    runner = executor or SerialExecutor()

    def compute() -> list[dict[str, Any]]:
        return runner.map(run_simulation, [SimTask(model, s, scale) for s in seeds], progress)

    payload = {"params": model.params, "seeds": seeds, "scale": scale}
    raw, cached = _cached("simulate", payload, compute, use_cache)
    summaries = [RunSummary.from_dict(r) for r in raw]
    report = aggregate(summaries, [s.name for s in model.specialties])
    report["targets"] = _targets(model)
    report["seed"] = seed
    report["scale"] = scale
    report["cached"] = cached
    report["executor"] = {"name": runner.name, "workers": runner.workers}
    report["seconds_per_run"] = {
        k: float(np.median([r.seconds[k] for r in summaries])) for k in ("generate", "solve")
    }
    return report


def _targets(model: MarketModel) -> dict[str, Any]:
    rates = {t: model.types[t].target_match_rate for t in APPLICANT_TYPES}
    return {
        "match_rate_by_type": {t: r / 100 for t, r in rates.items() if r is not None},
        "fill_rate": None if model.target_fill_rate is None else model.target_fill_rate / 100,
        "img_share_of_matches": {
            s.name: s.target_img_share for s in model.specialties if s.target_img_share is not None
        },
    }


@dataclass
class CalibrationLog:
    iterations: list[dict[str, Any]] = field(default_factory=list)


def calibrate_model(
    model_for: Callable[[Mapping[str, Any]], MarketModel],
    start: Calibration,
    *,
    iterations: int,
    runs_per_iteration: int,
    scale: float,
    seed: int,
    executor: Executor,
    progress: Tick | None = None,
    first_iteration: int = 0,
    fit_scale: bool = True,
) -> tuple[Calibration, CalibrationLog]:
    """Fit offsets and the list-length scale to the model's targets by stochastic approximation.

    ``model_for(overrides)`` builds the model with the current parameters.  Each iteration
    simulates ``runs_per_iteration`` markets at ``scale``, then takes a shrinking step.
    """
    log = CalibrationLog()
    current = start
    seeds = run_seeds(seed, iterations * runs_per_iteration)
    for it in range(iterations):
        model = model_for(calibration_overrides(current))
        chunk = seeds[it * runs_per_iteration : (it + 1) * runs_per_iteration]
        raw = executor.map(run_simulation, [SimTask(model, s, scale) for s in chunk])
        summaries = [RunSummary.from_dict(r) for r in raw]
        rates = {t: float(np.mean([r.rate_by_type[t] for r in summaries])) for t in APPLICANT_TYPES}
        fill = float(np.mean([r.fill_rate for r in summaries]))
        targets = _targets(model)["match_rate_by_type"]
        log.iterations.append(
            {
                "iteration": it,
                "considered": dict(current.considered),
                "backup_shares": dict(current.backup_shares),
                "rank_length_scale": current.rank_length_scale,
                "rates": rates,
                "fill": fill,
            }
        )
        current = calibration_step(
            current,
            rates,
            fill,
            targets,
            (model.target_fill_rate or 94.3) / 100,
            first_iteration + it,
            fit_scale=fit_scale,
        )
        if progress:
            progress(it + 1, iterations)
    return current, log


def calibration_overrides(cal: Calibration) -> dict[str, Any]:
    """The model parameters a calibration sets (what ``calibration_2025.yaml`` stores)."""
    types: dict[str, dict[str, float]] = {
        t: {"considered_share": round(v, 4)} for t, v in cal.considered.items()
    }
    for t, share in cal.backup_shares.items():
        types.setdefault(t, {})["specialties_per_applicant"] = round(1 + share, 4)
    return {"applicant_types": types, "rank_length_scale": round(cal.rank_length_scale, 4)}


def odds(
    model: MarketModel,
    person: Person,
    specialties: Sequence[int],
    *,
    runs: int,
    seed: int = 0,
    ranks: Sequence[int] = DEFAULT_RANKS,
    at_ranks: int = 10,
    draws: int = 200,
    scale: float = 1.0,
    executor: Executor | None = None,
    use_cache: bool = True,
    progress: Tick | None = None,
) -> dict[str, Any]:
    """The person's P(match) by list length (in the first specialty) and by specialty.

    Each of the ``runs`` national Matches is solved once and stored (shared by every person and
    process); the person is inserted into each by a rejection chain.  ``use_cache=False``
    ignores nothing stored (a stored market is an input, not a cached answer) but is kept for
    the callers that pass it.
    """
    del use_cache
    if runs < 1:
        raise FormError([Problem("runs", "must be at least 1")])
    if not specialties:
        msg = "no specialty to compute odds for"
        raise InvalidInputError(msg)
    runner = executor or SerialExecutor()
    markets, built = ensure_markets(
        model, run_seeds(seed, runs), scale, executor=runner, progress=progress
    )
    wanted = tuple(sorted({*ranks, at_ranks}))
    names = [model.specialties[s].name for s in specialties]
    per_market = [
        {s: person_chances(m.match, model, person, s, wanted, draws=draws, seed=m.summary.seed)
         for s in specialties}
        for m in markets
    ]  # fmt: skip
    by_ranks = []
    for k in ranks:
        values = [chances[specialties[0]][wanted.index(k)] for chances in per_market]
        lo, hi = interval(values)
        by_ranks.append({"ranks": k, "p_match": float(np.mean(values)), "interval_90": [lo, hi]})
    by_specialty = []
    for s, name in zip(specialties, names, strict=True):
        values = [chances[s][wanted.index(at_ranks)] for chances in per_market]
        lo, hi = interval(values)
        by_specialty.append(
            {
                "specialty": name,
                "ranks": at_ranks,
                "p_match": float(np.mean(values)),
                "interval_90": [lo, hi],
            }
        )
    return {
        "runs": runs,
        "seed": seed,
        "specialty": names[0],
        "by_ranks": by_ranks,
        "by_specialty": by_specialty,
        "national": _national(markets, person.kind),
        "markets": {"runs": len(markets), "built": built, "scale": scale},
        "executor": {"name": runner.name, "workers": runner.workers},
    }


def _national(markets: Sequence[Stored], kind: str) -> dict[str, Any]:
    """The simulated national match rate of the person's type over the stored markets."""
    values = [m.summary.rate_by_type.get(kind, 0.0) for m in markets]
    lo, hi = interval(values)
    return {"type": kind, "p_match": float(np.mean(values)), "interval_90": [lo, hi]}
