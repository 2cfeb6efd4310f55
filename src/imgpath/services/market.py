"""Market use cases: build the national example market from the bundled 2025 data, summarise it."""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from imgpath.core.market.national import (
    APPLICANT_TYPES,
    NationalExample,
    NationalShape,
    Progress,
    SpecialtyShape,
    generate_national,
)
from imgpath.core.matching.solve import Result, solve

__all__ = ["DemoReport", "generate_example", "national_shape", "run_demo", "summarize"]

_PGY1_TYPES = {
    "us_md_senior": "Applicants_US_MD",
    "us_do_senior": "Applicants_US_DO",
    "us_img": "Applicants_US_IMG",
    "non_us_img": "Applicants_NonUS_IMG",
}


def _data(*parts: str) -> str:
    return resources.files("imgpath").joinpath("data", *parts).read_text(encoding="utf-8")


def national_shape(*, scale: float = 1.0, couples: int | None = None) -> NationalShape:
    """The 2025 Main Match's shape, from the bundled NRMP tables and ``national_2025.yaml``."""
    conf: dict[str, Any] = yaml.safe_load(_data("market", "national_2025.yaml"))
    table = list(
        csv.DictReader(
            _data("nrmp", "nrmp_2025_specialty_programs_positions_applicants.csv").splitlines()
        )
    )
    pgy1 = {
        r["Specialty"]: r
        for r in csv.DictReader(
            _data("nrmp", "nrmp_2025_pgy1_by_specialty_and_applicant_type.csv").splitlines()
        )
    }
    counts = {name: int(v["count"]) for name, v in conf["applicant_types"].items()}
    overall = {t: sum(int(r[col]) for r in pgy1.values()) for t, col in _PGY1_TYPES.items()}
    abbrev: dict[str, str] = conf["abbreviations"]
    prelims = set(conf["prelim_specialties"])
    min_share = float(conf["advanced"]["min_share"])
    specs: list[SpecialtyShape] = []
    for row in table:
        name = row["Program"]
        positions = int(row["n_positions"])
        applicants = int(row["n_applicants"])
        mix_row = pgy1.get(name)
        mix = (
            {t: float(mix_row[col]) for t, col in _PGY1_TYPES.items()} if mix_row else dict(overall)
        )
        total = sum(mix.values()) or 1.0
        share = applicants * (conf["prelim_primary_share"] if name in prelims else 1.0)
        demand = {t: share * v / total for t, v in mix.items()}
        demand["other"] = demand["us_md_senior"] * 0.5 + demand["non_us_img"] * 0.5
        advanced = 0.0
        if mix_row and name not in prelims:
            pgy1_filled = sum(
                int(mix_row[c])
                for c in (
                    "Matches_US_MD",
                    "Matches_US_DO",
                    "Matches_US_IMG",
                    "Matches_NonUS_IMG",
                    "Unfilled",
                )
            )
            advanced = max(0.0, 1.0 - pgy1_filled / positions)
            advanced = advanced if advanced >= min_share else 0.0
        specs.append(
            SpecialtyShape(
                name,
                abbrev[name],
                int(row["n_programs"]),
                positions,
                advanced,
                name in prelims,
                demand,
            )
        )
    other = conf["other_programs"]
    specs.append(
        SpecialtyShape(
            "Other combined programs", abbrev["Other combined programs"], int(other["programs"]["value"]),
            int(other["positions"]["value"]), 0.0, False,
            {t: float(other["positions"]["value"]) * overall.get(t, overall["us_md_senior"] * 0.1) / sum(overall.values()) for t in APPLICANT_TYPES},
        )
    )  # fmt: skip
    return NationalShape(
        specialties=tuple(specs),
        applicants=counts,
        rank_list_mean={
            name: float(v["rank_list_mean"]) for name, v in conf["applicant_types"].items()
        },
        couples=int(conf["couples"]["count"]) if couples is None else couples,
        max_pairs=int(conf["couples"]["max_pairs"]),
        reversions=int(conf["reversions"]["count"]),
        scale=scale,
    )


def summarize(example: NationalExample, result: Result) -> dict[str, Any]:
    """Match rates by applicant type and by specialty, plus the engine's own statistics."""
    a = result.outcome.assignment
    matched = a.prim >= 0
    by_type = {}
    for t, name in enumerate(APPLICANT_TYPES):
        who = example.applicant_type == t
        n = int(who.sum())
        if n:
            by_type[name] = {
                "applicants": n,
                "matched": int(matched[who].sum()),
                "rate": float(matched[who].mean()),
            }
    report = result.outcome.report
    by_specialty = {}
    for s, spec in enumerate(example.shape.specialties):
        progs = example.program_specialty == s
        positions = int(report.capacity[progs].sum())
        filled = int(report.count[progs].sum())
        by_specialty[spec.name] = {
            "programs": int(progs.sum()),
            "positions": positions,
            "filled": filled,
        }
    return {"by_type": by_type, "by_specialty": by_specialty, "stats": result.stats}


@dataclass(frozen=True)
class DemoReport:
    """What ``imgpath demo`` (``make run``) shows."""

    example: NationalExample
    result: Result
    summary: dict[str, Any]
    timings: dict[str, float]


def run_demo(*, seed: int = 0, scale: float = 1.0, progress: Progress | None = None) -> DemoReport:
    """Generate the national example market, match it, and summarise."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    example = generate_national(national_shape(scale=scale), seed=seed, progress=progress)
    timings["generate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    _ = example.instance.market.prepared
    timings["prepare"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = solve(example.instance, seed=seed)
    timings["solve"] = time.perf_counter() - t0
    return DemoReport(example, result, summarize(example, result), timings)


def generate_example(
    *, seed: int = 0, scale: float = 1.0, fmt: str = "json", progress: Progress | None = None
) -> str:
    """The national example market as JSON or YAML text in the interchange format."""
    from imgpath.services.matching import dump_instance

    example = generate_national(national_shape(scale=scale), seed=seed, progress=progress)
    return dump_instance(example.instance, fmt="yaml" if fmt == "yaml" else "json")
