"""Market use cases: the national example Match (``make run``), as an instance or summarised."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from imgpath.core.market.generate import SimMarket, generate_market
from imgpath.core.market.model import APPLICANT_TYPES, MarketModel
from imgpath.core.market.outcome import RunSummary, summarize_run
from imgpath.core.matching.instance import Instance
from imgpath.core.matching.market import PROGRAM_TYPES
from imgpath.core.matching.solve import Result, solve
from imgpath.services.market_model import load_model

__all__ = ["DemoReport", "generate_example", "national_instance", "run_demo"]

_PREFIX = {
    "us_md_senior": "MD",
    "us_do_senior": "DO",
    "us_img": "USIMG",
    "non_us_img": "IMG",
    "prior_graduate": "PG",
}


def national_instance(
    *, seed: int = 0, scale: float = 1.0, model: MarketModel | None = None
) -> tuple[Instance, SimMarket]:
    """A simulated national Match with invented labels (program codes carry the specialty)."""
    chosen = model or load_model()
    sim = generate_market(chosen, seed=seed, scale=scale)
    market = sim.market
    ptype = market.program_type
    codes = tuple(
        f"{chosen.specialties[s].abbrev}{i:05d}{PROGRAM_TYPES[int(ptype[i])] if ptype is not None else 'C'}"
        for i, s in enumerate(sim.program_specialty.tolist())
    )
    ids = tuple(
        f"{_PREFIX[APPLICANT_TYPES[t]]}{i:06d}" for i, t in enumerate(sim.applicant_type.tolist())
    )
    lists = tuple("prelims" for _ in range(market.supplemental_owner.shape[0]))
    return Instance(market, codes, ids, lists), sim


@dataclass(frozen=True)
class DemoReport:
    """What ``imgpath demo`` (``make run``) shows."""

    instance: Instance
    sim: SimMarket
    result: Result
    summary: RunSummary
    timings: dict[str, float]

    def targets(self) -> dict[str, float | None]:
        rates = {t: self.sim.model.types[t].target_match_rate for t in APPLICANT_TYPES}
        return {t: None if r is None else r / 100 for t, r in rates.items()}

    def largest_specialties(self, n: int = 8) -> list[dict[str, Any]]:
        s = self.summary
        names = [spec.name for spec in self.sim.model.specialties]
        order = sorted(range(len(names)), key=lambda i: -s.specialty_positions[i])[:n]
        return [
            {"specialty": names[i], "positions": s.specialty_positions[i], "filled": s.specialty_filled[i],
             "img_share": s.specialty_matched_img[i] / s.specialty_matched_four[i] if s.specialty_matched_four[i] else None,
             "target_img_share": self.sim.model.specialties[i].target_img_share}
            for i in order
        ]  # fmt: skip


def run_demo(*, seed: int = 0, scale: float = 1.0) -> DemoReport:
    """Simulate one national Match with the calibrated 2025 model, match it, and summarise."""
    start = time.perf_counter()
    instance, sim = national_instance(seed=seed, scale=scale)
    generated = time.perf_counter()
    result = solve(instance, seed=seed)
    solved = time.perf_counter()
    timings = {"generate": generated - start, "solve": solved - generated}
    summary = summarize_run(sim, result.outcome, timings)
    return DemoReport(instance, sim, result, summary, timings)


def generate_example(*, seed: int = 0, scale: float = 1.0, fmt: str = "json") -> str:
    """A simulated national Match as JSON or YAML text in the interchange format."""
    from imgpath.services.matching import dump_instance

    instance, _ = national_instance(seed=seed, scale=scale)
    return dump_instance(instance, fmt="yaml" if fmt == "yaml" else "json")
