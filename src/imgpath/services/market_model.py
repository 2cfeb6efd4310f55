"""Load the national market model: base data, NRMP tables, calibration, and a scenario file."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from imgpath.core.market.model import (
    APPLICANT_TYPES,
    InvalidModelError,
    MarketModel,
    build_model,
    deep_merge,
    split_sources,
)
from imgpath.errors import Problem
from imgpath.services.documents import read_document

__all__ = [
    "CALIBRATION_FILE",
    "MODEL_FILE",
    "base_params",
    "calibration",
    "load_model",
    "read_scenario",
]

MODEL_FILE = "model_2025.yaml"
CALIBRATION_FILE = "calibration_2025.yaml"
_PGY1 = "nrmp_2025_pgy1_by_specialty_and_applicant_type.csv"
_POSITIONS = "nrmp_2025_specialty_programs_positions_applicants.csv"
_COLUMNS = {
    "us_md_senior": "US_MD",
    "us_do_senior": "US_DO",
    "us_img": "US_IMG",
    "non_us_img": "NonUS_IMG",
}
PGY1_MATCHED = 37667
"""NRMP 2025: PGY-1 positions filled (fiercehealthcare and AMA [S×2]); the four types matched
36,487 of them in the PGY-1 table, leaving 1,180 for prior graduates and others."""


def _text(*parts: str) -> str:
    return resources.files("imgpath").joinpath("data", *parts).read_text(encoding="utf-8-sig")


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text("nrmp", name))))


def specialty_table() -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Specialty parameters derived from NRMP's 2025 tables, and how each was derived."""
    pgy1 = {r["Specialty"]: r for r in _rows(_PGY1)}
    positions = {r["Program"]: r for r in _rows(_POSITIONS)}
    four = {n: sum(int(r[f"Matches_{c}"]) for c in _COLUMNS.values()) for n, r in pgy1.items()}
    others = PGY1_MATCHED - sum(four.values())
    us = {n: int(r["Matches_US_MD"]) + int(r["Matches_US_DO"]) for n, r in pgy1.items()}
    out: dict[str, dict[str, Any]] = {}
    for name, row in pgy1.items():
        share = round(others * us[name] / sum(us.values()))
        pgy1_positions = four[name] + int(row["Unfilled"]) + share
        demand = {t: float(row[f"Applicants_{c}"]) for t, c in _COLUMNS.items()}
        table = positions.get(name)
        advanced = max(0, int(table["n_positions"]) - pgy1_positions) if table else 0
        if table:  # all applicants to the specialty (advanced tracks too), in the PGY-1 mix
            total = sum(demand.values()) or 1.0
            demand = {t: int(table["n_applicants"]) * v / total for t, v in demand.items()}
        demand["prior_graduate"] = demand["us_md_senior"] + demand["us_do_senior"]
        programs = int(table["n_programs"]) if table else max(1, round(pgy1_positions / 4.5))
        img = int(row["Matches_US_IMG"]) + int(row["Matches_NonUS_IMG"])
        out[name] = {
            "programs": programs,
            "pgy1_positions": pgy1_positions,
            "advanced_positions": advanced,
            "prelim": "Preliminary" in name or "Transitional" in name,
            "demand": demand,
            "target_img_share": img / four[name] if four[name] else None,
        }
    totals = {t: sum(s["demand"][t] for s in out.values()) for t in APPLICANT_TYPES}
    all_demand = sum(totals.values())
    for name, row in positions.items():
        if name in out:
            continue
        n = int(row["n_positions"])
        out[name] = {
            "programs": int(row["n_programs"]),
            "pgy1_positions": 0,
            "advanced_positions": n,
            "prelim": False,
            "demand": {t: n * totals[t] / all_demand for t in APPLICANT_TYPES},
            "target_img_share": None,
        }
    how = {
        "specialties.*.pgy1_positions": f"[D] NRMP 2025 PGY-1 table: matches of the four types + unfilled + a share of the {others:,} PGY-1 matches by others, in proportion to US seniors' matches",
        "specialties.*.advanced_positions": "[D] NRMP 2025 positions per specialty (Results and Data) minus the PGY-1 positions; 0 where no figure",
        "specialties.*.programs": "NRMP 2025 programs per specialty (Results and Data); [D] positions / 4.5 where no figure",
        "specialties.*.demand": "NRMP 2025 applicants per specialty (Results and Data, all tracks) split in the mix of the PGY-1 table's applicants by type [D]; the PGY-1 table's counts where no total is given; prior graduates as US MD + DO [A]",
        "specialties.*.target_img_share": "NRMP 2025 PGY-1 table: (US IMG + non-US IMG matches) / matches of the four types",
    }
    return out, how


@cache
def base_params() -> tuple[dict[str, Any], dict[str, str]]:
    """The uncalibrated 2025 parameters (plain data) and the source of every figure."""
    raw = yaml.safe_load(_text("market", MODEL_FILE))
    params, sources = split_sources(raw)
    specialties, how = specialty_table()
    params["specialties"] = specialties
    sources.update(how)
    return params, sources


@cache
def calibration() -> dict[str, Any]:
    """The fitted parameters and how they were fitted (``calibration_2025.yaml``)."""
    found = yaml.safe_load(_text("market", CALIBRATION_FILE))
    return found if isinstance(found, dict) else {}


def read_scenario(path: str | Path) -> tuple[dict[str, Any], str]:
    """A scenario file (YAML or JSON): a mapping of overrides; ``{value, source}`` figures allowed."""
    data, source = read_document(path)
    if not isinstance(data, Mapping):
        raise InvalidModelError(
            [Problem("", "a scenario is a mapping of the keys to change")], source=source
        )
    return dict(data), source


def load_model(
    scenario: str | Path | Mapping[str, Any] | None = None,
    *,
    calibrated: bool = True,
    overrides: Mapping[str, Any] | None = None,
) -> MarketModel:
    """The model: base data, then the calibration (unless ``calibrated=False``), then a scenario."""
    params, sources = base_params()
    if calibrated:
        params = deep_merge(params, calibration().get("parameters", {}))
    source = ""
    if scenario is not None:
        data, source = (
            (dict(scenario), "scenario")
            if isinstance(scenario, Mapping)
            else read_scenario(scenario)
        )
        values, found = split_sources(data)
        params = deep_merge(params, values)
        sources = {**sources, **{k: f"scenario: {v}" for k, v in found.items()}}
    if overrides:
        params = deep_merge(params, overrides)
    return build_model(params, source=source, sources=sources)


def calibration_path() -> Path:
    """Where the bundled calibration lives (in a source checkout: the file to commit)."""
    return Path(str(resources.files("imgpath").joinpath("data", "market", CALIBRATION_FILE)))
