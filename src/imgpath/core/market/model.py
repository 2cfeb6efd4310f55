"""The national market model as data: every figure with its source, every figure overridable.

A model is built in three layers, each a plain mapping that is deep-merged onto the one before:

1. the base parameters (``data/market/model_2025.yaml``, each figure ``{value, source}``) plus the
   specialty table derived from NRMP's 2025 tables (positions, programs, demand by applicant type);
2. the calibration (``data/market/calibration_2025.yaml``): the free parameters fitted by
   ``imgpath market calibrate`` so the simulated 2025 Match reproduces NRMP's results;
3. a scenario file, for other years and "what if" questions.

Validation names the key at fault (``scenario.yaml: specialties['Internal Medicne']: ...``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from imgpath.core.validation import problems_from
from imgpath.errors import InvalidInputError, Problem

__all__ = [
    "APPLICANT_TYPES",
    "TARGET_TYPES",
    "TYPE_LABELS",
    "TYPE_NAMES",
    "InvalidModelError",
    "MarketModel",
    "PolicyParams",
    "ProgramParams",
    "Specialty",
    "TypeParams",
    "build_model",
    "deep_merge",
    "split_sources",
]

APPLICANT_TYPES = ("us_md_senior", "us_do_senior", "us_img", "non_us_img", "prior_graduate")
"""Applicant types of the model; the first four are NRMP's headline groups."""
TARGET_TYPES = APPLICANT_TYPES[:4]
TYPE_LABELS = {"us_md_senior": "US MD seniors", "us_do_senior": "US DO seniors", "us_img": "US-citizen IMGs",
               "non_us_img": "Non-US IMGs", "prior_graduate": "Prior graduates and others"}  # fmt: skip
"""Plural names for tables, as NRMP's reports word them."""
TYPE_NAMES = {"us_md_senior": "US MD senior", "us_do_senior": "US DO senior", "us_img": "US-citizen IMG",
              "non_us_img": "non-US IMG", "prior_graduate": "prior graduate"}  # fmt: skip
"""Singular names for sentences about one person."""


class InvalidModelError(InvalidInputError):
    """A model or scenario that cannot be used; lists every problem with its key."""

    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = tuple(problems)
        head = f"{source}: " if source else ""
        lines = [
            f"{head}{len(problems)} problem(s) in the market model:",
            *(f"  - {p}" for p in problems),
        ]
        super().__init__("\n".join(lines))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TypeParams(_Strict):
    """One applicant type."""

    count: int = Field(ge=0)
    target_match_rate: float | None = Field(default=None, ge=0, le=100)
    rank_list_mean: float = Field(gt=0, le=100)
    rank_list_dispersion: float = Field(gt=0, le=100)
    specialties_per_applicant: float = Field(ge=1, le=3)
    visa_need_share: float = Field(ge=0, le=1)
    strength_offset: float = Field(ge=-10, le=10)
    couple_share: float = Field(ge=0, le=1)
    considered_share: float = Field(gt=0, le=1)
    step2ck_mean: float | None = Field(default=None, ge=1, le=300)
    step2ck_sd: float | None = Field(default=None, gt=0, le=100)


class ProgramParams(_Strict):
    """How programs are and how they rank."""

    j1_share: float = Field(ge=0, le=1)
    h1b_share: float = Field(ge=0, le=1)
    noise_sd: float = Field(ge=0, le=10)
    interview_spread: float = Field(gt=0, le=10)
    region_taste: float = Field(ge=0, le=10)
    size_shape: float = Field(gt=0, le=100)


class PolicyParams(_Strict):
    """Visa policy on the rank-list day, as shares of the non-US IMGs who need a visa.

    Scenario keys (``policy.visa_blocked_share: 0.1`` is "what if a tenth could get no visa").
    The service can also derive them from the pathway rules' travel bans on a day and a mix of
    nationalities (``policy.travel_ban``; see docs/reference/market-model.md).
    """

    visa_blocked_share: float = Field(default=0.0, ge=0, le=1)
    """Share who can get no training visa at all (a full travel ban): no program ranks them."""
    j1_blocked_share: float = Field(default=0.0, ge=0, le=1)
    """Share whose J-1 is blocked but not H-1B (a partial ban): only H-1B sponsors rank them."""


class SpecialtyParams(_Strict):
    """One specialty; in a scenario, any field may be given alone."""

    programs: int | None = Field(default=None, ge=0)
    pgy1_positions: int | None = Field(default=None, ge=0)
    advanced_positions: int | None = Field(default=None, ge=0)
    prelim: bool | None = None
    demand: dict[str, float] | None = None
    demand_scale: float | None = Field(default=None, ge=0, le=100)
    target_img_share: float | None = Field(default=None, ge=0, le=1)


class ModelParams(_Strict):
    year: int = Field(ge=2000, le=2100)
    applicant_types: dict[str, TypeParams]
    programs: ProgramParams
    couples: int = Field(ge=0)
    max_pairs: int = Field(ge=2, le=300)
    reversions: int = Field(ge=0)
    rank_length_scale: float = Field(gt=0, le=10)
    backup_share_of_list: float = Field(ge=0, le=1)
    supplemental_mean: float = Field(ge=0, le=50)
    prelim_demand_share: float = Field(ge=0, le=1)
    regions: int = Field(ge=1, le=50)
    target_fill_rate: float | None = Field(default=None, ge=0, le=100)
    step2ck_gap: float = Field(ge=0, le=5)
    step2ck_weight: float = Field(ge=0, le=1)
    specialties: dict[str, SpecialtyParams]
    policy: PolicyParams = PolicyParams()


@dataclass(frozen=True)
class Specialty:
    name: str
    abbrev: str
    programs: int
    pgy1_positions: int
    advanced_positions: int
    prelim: bool
    demand: Mapping[str, float]
    """Relative demand by applicant type (NRMP 2025: applicants of the type who ranked it)."""
    target_img_share: float | None = None


@dataclass(frozen=True)
class MarketModel:
    """A validated model, ready to generate markets from."""

    year: int
    types: Mapping[str, TypeParams]
    programs: ProgramParams
    specialties: tuple[Specialty, ...]
    couples: int
    max_pairs: int
    reversions: int
    rank_length_scale: float
    backup_share_of_list: float
    supplemental_mean: float
    prelim_demand_share: float
    regions: int
    target_fill_rate: float | None
    step2ck_gap: float
    """Matched minus unmatched mean Step 2 CK of non-US IMGs, in SDs (NRMP's published gap)."""
    step2ck_weight: float
    """How much of programs' judgement Step 2 CK carries (calibrated from that gap)."""
    policy: PolicyParams = field(default_factory=PolicyParams)
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The merged parameters (plain data): what a cache key or a report is computed from."""

    @property
    def positions(self) -> int:
        return sum(s.pgy1_positions + s.advanced_positions for s in self.specialties)

    @property
    def applicants(self) -> int:
        return sum(t.count for t in self.types.values())


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def split_sources(data: Any, path: str = "") -> tuple[Any, dict[str, str]]:
    """Replace every ``{value: v, source: s}`` by ``v``, collecting ``{path: s}``."""
    sources: dict[str, str] = {}
    if isinstance(data, Mapping):
        if set(data) == {"value", "source"} or set(data) == {"value", "source", "grade"}:
            sources[path] = str(data["source"])
            return data["value"], sources
        out = {}
        for key, value in data.items():
            inner, found = split_sources(value, f"{path}.{key}" if path else str(key))
            out[key] = inner
            sources.update(found)
        return out, sources
    return data, sources


def build_model(
    params: Mapping[str, Any], *, source: str = "", sources: Mapping[str, str] | None = None
) -> MarketModel:
    """Validate merged parameters into a model; every problem is reported with its key."""
    try:
        parsed = ModelParams.model_validate(params)
    except ValidationError as exc:
        raise InvalidModelError(
            problems_from(exc, keyed=frozenset({"applicant_types", "specialties", "demand"})),
            source=source,
        ) from None
    problems = [
        Problem(
            f"applicant_types[{name!r}]",
            "unknown applicant type",
            f"use one of {', '.join(APPLICANT_TYPES)}",
        )
        for name in parsed.applicant_types
        if name not in APPLICANT_TYPES
    ]
    problems += [
        Problem(f"applicant_types[{name!r}]", "missing")
        for name in APPLICANT_TYPES
        if name not in parsed.applicant_types
    ]
    specialties: list[Specialty] = []
    for name, spec in parsed.specialties.items():
        where = f"specialties[{name!r}]"
        missing = [
            k
            for k in ("programs", "pgy1_positions", "advanced_positions", "demand")
            if getattr(spec, k) is None
        ]
        if missing:
            problems.append(
                Problem(
                    where,
                    f"unknown specialty (no {', '.join(missing)})",
                    "check the name against imgpath market specialties, or give programs, pgy1_positions, advanced_positions and demand for a new one",
                )
            )
            continue
        assert spec.demand is not None
        assert spec.programs is not None
        bad = [k for k in spec.demand if k not in APPLICANT_TYPES]
        if bad:
            problems.append(
                Problem(
                    f"{where}.demand",
                    f"unknown applicant type(s) {bad}",
                    f"use {', '.join(APPLICANT_TYPES)}",
                )
            )
            continue
        positions = (spec.pgy1_positions or 0) + (spec.advanced_positions or 0)
        if positions and not spec.programs:
            problems.append(
                Problem(f"{where}.programs", "0 programs for positions", "give at least 1 program")
            )
            continue
        scale = 1.0 if spec.demand_scale is None else spec.demand_scale
        specialties.append(
            Specialty(
                name=name,
                abbrev=_abbrev(name, {s.abbrev for s in specialties}),
                programs=spec.programs if positions else 0,
                pgy1_positions=spec.pgy1_positions or 0,
                advanced_positions=spec.advanced_positions or 0,
                prelim=bool(spec.prelim),
                demand={k: v * scale for k, v in spec.demand.items()},
                target_img_share=spec.target_img_share,
            )
        )
    if problems:
        raise InvalidModelError(problems, source=source)
    return MarketModel(
        year=parsed.year,
        types={name: parsed.applicant_types[name] for name in APPLICANT_TYPES},
        programs=parsed.programs,
        specialties=tuple(specialties),
        couples=parsed.couples,
        max_pairs=parsed.max_pairs,
        reversions=parsed.reversions,
        rank_length_scale=parsed.rank_length_scale,
        backup_share_of_list=parsed.backup_share_of_list,
        supplemental_mean=parsed.supplemental_mean,
        prelim_demand_share=parsed.prelim_demand_share,
        regions=parsed.regions,
        target_fill_rate=parsed.target_fill_rate,
        step2ck_gap=parsed.step2ck_gap,
        step2ck_weight=parsed.step2ck_weight,
        policy=parsed.policy,
        sources=dict(sources or {}),
        params=copy.deepcopy(dict(params)),
    )


def _abbrev(name: str, taken: set[str]) -> str:
    letters = (
        "".join(
            w[0] for w in name.replace("-", " ").replace("/", " ").split() if w[0].isalpha()
        ).upper()[:4]
        or "SP"
    )
    code, i = letters, 1
    while code in taken:
        code, i = f"{letters}{i}", i + 1
    return code
