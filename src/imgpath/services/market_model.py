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
from imgpath.errors import InvalidInputError, Problem
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
YEARS = (2025, 2026)
"""Match years with a bundled model: 2025 (NRMP's tables) and 2026 (its changes on top)."""
DEFAULT_YEAR = 2026
"""The current year: the latest Main Match with published results (March 2026)."""
_CO_2026 = "nrmp_charting_outcomes_2026_non_us_img_summary.csv"
CO_NAMES = {
    "Internal Medicine": "Internal Medicine (Categorical)", "Pediatrics": "Pediatrics (Categorical)",
    "Surgery-General": "Surgery (Categorical)", "Obstetrics and Gynecology": "Obstetrics-Gynecology",
    "Pathology-Anatomic and Clinical": "Pathology", "Physical Medicine and Rehabilitation": "Physical Medicine & Rehab",
    "Internal Medicine/Pediatrics": "Medicine-Pediatrics", "Thoracic Surgery (Integrated)": "Thoracic Surgery",
    "Vascular Surgery (Integrated)": "Vascular Surgery",
}  # fmt: skip
"""Charting Outcomes 2026's specialty names where the 2025 tables name them otherwise."""
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


def check_year(year: int) -> int:
    if year not in YEARS:
        msg = f"--year {year}: imgpath has models for {', '.join(map(str, YEARS))}"
        raise InvalidInputError(msg)
    return year


@cache
def base_params(year: int = DEFAULT_YEAR) -> tuple[dict[str, Any], dict[str, str]]:
    """The uncalibrated parameters of ``year`` (plain data) and the source of every figure.

    2025: ``model_2025.yaml`` and the specialty table from NRMP's 2025 tables.  2026: the same
    with ``model_2026.yaml`` on top (counts, results, couples) and the specialty positions scaled
    to 2026 (:func:`positions_2026`).
    """
    raw = yaml.safe_load(_text("market", MODEL_FILE))
    params, sources = split_sources(raw)
    specialties, how = specialty_table()
    params["specialties"] = specialties
    sources.update(how)
    if check_year(year) == 2026:
        delta, found = split_sources(yaml.safe_load(_text("market", "model_2026.yaml")))
        total = int(delta.pop("positions"))
        delta.pop("charting_outcomes_positions")
        params = deep_merge(params, delta)
        params["specialties"], how26 = positions_2026(params["specialties"], total)
        sources.update(found)
        sources.update(how26)
    return params, sources


def positions_2026(
    specialties: dict[str, dict[str, Any]], total: int
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The 2025 specialty table with its positions scaled to 2026: by Charting Outcomes 2026's
    positions where it reports the specialty, and the rest so that the total is ``total``."""
    import copy

    co = {
        CO_NAMES.get(r["specialty"], r["specialty"]): int(r["positions"])
        for r in _rows_in("catalog", _CO_2026)
    }
    out = copy.deepcopy(specialties)
    size = {n: s["pgy1_positions"] + s["advanced_positions"] for n, s in out.items()}
    known = {n: co[n] for n in out if n in co and size[n]}
    rest = sum(v for n, v in size.items() if n not in known)
    factor_rest = (total - sum(known.values())) / rest if rest else 1.0
    for name, spec in out.items():
        factor = known[name] / size[name] if name in known else factor_rest
        spec["pgy1_positions"] = round(spec["pgy1_positions"] * factor)
        spec["advanced_positions"] = round(spec["advanced_positions"] * factor)
    how = {
        "specialties.*.pgy1_positions (2026)": (
            f"[D] 2025 positions x (Charting Outcomes 2026 positions / 2025 positions) for {len(known)} specialties; "
            f"the others x {factor_rest:.3f} so the total is NRMP 2026's {total:,}"
        ),
        "specialties.*.demand (2026)": "[A] 2025's mix of specialties by applicant type (the 2026 mix by type was not found [U])",
    }
    return out, how


def _rows_in(folder: str, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_text(folder, name))))


def calibration_file(year: int) -> str:
    return f"calibration_{check_year(year)}.yaml"


@cache
def calibration(year: int = DEFAULT_YEAR) -> dict[str, Any]:
    """The fitted parameters of ``year`` and how they were fitted (``calibration_<year>.yaml``);
    empty if that year was never calibrated."""
    try:
        found = yaml.safe_load(_text("market", calibration_file(year)))
    except FileNotFoundError:
        return {}
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
    year: int = DEFAULT_YEAR,
    calibrated: bool = True,
    calibration_year: int | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> MarketModel:
    """The model of ``year``: base data, then the calibration (unless ``calibrated=False``; that of
    ``calibration_year``, default ``year``: a backtest predicts one year with another's), then a
    scenario."""
    params, sources = base_params(year)
    if calibrated:
        params = deep_merge(params, calibration(calibration_year or year).get("parameters", {}))
    source = ""
    if scenario is not None:
        data, source = (
            (dict(scenario), "scenario")
            if isinstance(scenario, Mapping)
            else read_scenario(scenario)
        )
        values, found = split_sources(data)
        values, ban_note = resolve_travel_ban(values, source=source or "scenario")
        if ban_note:
            found["policy.visa_blocked_share"] = found["policy.j1_blocked_share"] = (
                f"[D] from {ban_note}"
            )
        params = deep_merge(params, values)
        sources = {**sources, **{k: f"scenario: {v}" for k, v in found.items()}}
    if overrides:
        params = deep_merge(params, overrides)
    return build_model(params, source=source, sources=sources)


def resolve_travel_ban(values: Mapping[str, Any], *, source: str) -> tuple[dict[str, Any], str]:
    """Turn a scenario's ``policy.travel_ban`` into the model's policy shares, by the pathway
    rules' travel bans (``US.VISA.TRAVELBAN``) in force on its day.

    ``policy.travel_ban`` is ``{on: DAY, nationality_shares: {CC: share, ...}, extra: {CC: full
    | j1}}``: the share of non-US IMGs needing a visa who hold each nationality (not published
    by NRMP: the scenario gives it), and countries to add to the ban ("what if it widens").  A
    nationality on the full list can get no visa; on the J list, no J-1 (H-1B stays open).
    Returns the values and a note of the rule applied ("" when there is no travel ban key).
    """
    from datetime import date as _date

    from imgpath.services.pathway_data import load_rulebook

    out = dict(values)
    policy = dict(out.get("policy") or {})
    ban = policy.pop("travel_ban", None)
    if ban is None:
        return out, ""
    where = "policy.travel_ban"
    if not isinstance(ban, Mapping):
        raise InvalidModelError(
            [
                Problem(
                    where, "is not a mapping", "give on, nationality_shares and optionally extra"
                )
            ],
            source=source,
        )
    try:
        day = (
            ban["on"]
            if isinstance(ban.get("on"), _date)
            else _date.fromisoformat(str(ban.get("on")))
        )
    except ValueError:
        raise InvalidModelError(
            [Problem(f"{where}.on", f"{ban.get('on')!r} is not a date", "write it as 2026-02-25")],
            source=source,
        ) from None
    shares = ban.get("nationality_shares") or {}
    extra = ban.get("extra") or {}
    problems = [
        Problem(f"{where}.nationality_shares[{code!r}]", "is not a share from 0 to 1", "e.g. 0.08")
        for code, share in shares.items()
        if not isinstance(share, int | float) or isinstance(share, bool) or not 0 <= share <= 1
    ]
    problems += [
        Problem(f"{where}.extra[{code!r}]", f"{kind!r} is not a kind of ban", "use full or j1")
        for code, kind in extra.items()
        if kind not in ("full", "j1")
    ]
    if not problems and sum(shares.values()) > 1 + 1e-9:
        problems.append(
            Problem(
                f"{where}.nationality_shares",
                "the shares add up to more than 1",
                "give shares of one group",
            )
        )
    if problems:
        raise InvalidModelError(problems, source=source)
    rule = load_rulebook().version("US.VISA.TRAVELBAN", day)
    full = set(rule.params.get("full", [])) if rule else set()
    j_list = set(rule.params.get("j_restricted", [])) if rule else set()
    full |= {c for c, k in extra.items() if k == "full"}
    j_list |= set(extra)
    blocked = sum(v for c, v in shares.items() if c in full)
    j1_only = sum(v for c, v in shares.items() if c in j_list and c not in full)
    policy["visa_blocked_share"] = round(float(blocked), 6)
    policy["j1_blocked_share"] = round(float(j1_only), 6)
    out["policy"] = policy
    note = (
        f"{rule.id} in force on {day.isoformat()}"
        if rule
        else f"no travel ban in force on {day.isoformat()}"
    )
    if extra:
        note += f", with {', '.join(sorted(extra))} added by the scenario"
    return out, note


def calibration_path(year: int = DEFAULT_YEAR) -> Path:
    """Where the bundled calibration of ``year`` lives (in a source checkout: the file to commit)."""
    return Path(str(resources.files("imgpath").joinpath("data", "market", calibration_file(year))))
