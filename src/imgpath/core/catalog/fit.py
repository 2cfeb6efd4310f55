"""Fit for one applicant: which programs will consider them, and how good the odds look.

The fit keeps two things apart:

* **Hard exclusions** from program-level facts: the applicant needs a visa the program is known
  not to sponsor, or misses a strict cutoff (Step 2 CK minimum, attempts, years since graduation,
  US clinical experience, ECFMG certification by application).  Only when *every* claim of that
  kind agrees does it exclude; conflicting claims are shown, not resolved by guessing.
* A **fit index** from 0 to 100 for the rest: the specialty-level chance that applicants like this
  one match (NRMP's published tables), times factors for what is known about the program (its
  share of IMG residents; preferences the applicant misses).  It is an index for sorting, not the
  probability of matching at this program.

Missing program facts lower the **confidence** shown, never the index.  The factors for
preferences (0.6, 0.8) and the bounds on the IMG-share factor (0.2 to 2) are imgpath's choices,
shown as such in every explanation.

:func:`explain` computes one program's fit term by term in plain Python; :func:`score_all` does the
same for every program at once on arrays.  A test checks they agree on random claims.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from imgpath.core.catalog.claims import ECFMG_STAGES, Claim
from imgpath.core.catalog.evidence import (
    CO_SOURCE,
    PGY1_SOURCE,
    SMOOTHING,
    CohortStats,
    Evidence,
    SpecialtyRow,
    step2_match_probability,
)
from imgpath.core.catalog.programs import Program

__all__ = [
    "PREFERENCE_FACTOR",
    "Applicant",
    "Fit",
    "FitTable",
    "Term",
    "build_table",
    "explain",
    "score_all",
]

PREFERENCE_FACTOR = {
    "step2ck_min": 0.6,
    "max_attempts": 0.6,
    "max_years_since_graduation": 0.6,
    "usce_months": 0.8,
    "ecfmg_certified_by": 0.8,
}
SHARE_BOUNDS = (0.2, 2.0)
IMGPATH = "imgpath's weighting (a judgement, not data)"
_SHARE_FIELD = {"us_img": "us_img_share", "non_us_img": "non_us_img_share"}
_THRESHOLDS = (
    "step2ck_min",
    "max_attempts",
    "max_years_since_graduation",
    "usce_months",
    "ecfmg_certified_by",
)


@dataclass(frozen=True)
class Applicant:
    """What the fit needs to know about one person (derived from a pathway profile)."""

    kind: str | None = None
    """us_img, non_us_img, or None (not an IMG, or unknown)."""
    needs_visa: bool | None = None
    j1_open: bool | None = None
    """False when the J-1 is closed to this person (a travel ban), else True or unknown."""
    h1b_open: bool | None = None
    step2ck: int | None = None
    attempts: int | None = None
    """Most attempts at any USMLE Step."""
    years_since_graduation: float | None = None
    usce_months: float = 0.0
    usce_hands_on_months: float = 0.0
    ecfmg_certified: bool | None = None


@dataclass(frozen=True)
class Term:
    """One line of an explanation."""

    name: str
    effect: str
    """base, factor, excludes, ok, unknown, conflict or note."""
    text: str
    source: str
    factor: float | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "effect": self.effect,
            "text": self.text,
            "source": self.source,
        }
        if self.factor is not None:
            out["factor"] = round(self.factor, 4)
        return out


@dataclass(frozen=True)
class Fit:
    score: int
    excluded: bool
    confidence: str
    known: int
    relevant: int
    terms: tuple[Term, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "excluded": self.excluded,
            "confidence": self.confidence,
            "program_facts_known": f"{self.known} of {self.relevant}",
            "terms": [t.to_dict() for t in self.terms],
        }


def _confidence(known: int, relevant: int, fallback: bool) -> str:
    if fallback:
        return "low"
    share = known / relevant if relevant else 1.0
    return "high" if share >= 2 / 3 else ("medium" if share >= 1 / 3 else "low")


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


# ----------------------------------------------------------------- one program, term by term


def _base(
    applicant: Applicant, row: SpecialtyRow | None, cohort: CohortStats | None, evidence: Evidence
) -> tuple[float, Term, bool]:
    kind = applicant.kind
    if kind == "non_us_img" and cohort is not None:
        prior = evidence.smoothed_outcome(cohort)
        said = (f"{cohort.matched} of {cohort.total} non-US IMGs who preferred {cohort.name} in 2026 "
                f"matched to it ({cohort.match_rate:g}%; {_pct(prior)} after smoothing)")  # fmt: skip
        if applicant.step2ck is not None:
            p = step2_match_probability(applicant.step2ck, cohort, prior)
            if p is not None:
                text = f"{said}; with Step 2 CK {applicant.step2ck} the estimate is {_pct(p)}"
                source = f"{CO_SOURCE}; normal approximation and {SMOOTHING}-applicant smoothing by imgpath"
                return p, Term("specialty", "base", text, source), False
        return prior, Term("specialty", "base", said, f"{CO_SOURCE}; smoothing by imgpath"), False
    label = {"us_img": "US-citizen IMGs", "non_us_img": "non-US IMGs"}.get(
        kind or "", "applicants of all types"
    )
    if row is not None:
        rate = evidence.smoothed_rate(row, kind)
        if rate is not None:
            matched, applicants = row.counts(kind)
            text = (f"In 2025, {matched} of {applicants} {label} who ranked {row.name} matched to it "
                    f"(PGY-1); {_pct(rate)} after smoothing toward the all-specialty rate")  # fmt: skip
            return (
                rate,
                Term("specialty", "base", text, f"{PGY1_SOURCE}; smoothing by imgpath"),
                False,
            )
    rate = evidence.overall.rate(kind)
    if rate is not None:
        text = f"No figures for this track; in 2025, {_pct(rate)} of {label} who ranked any specialty matched (PGY-1)"
        return rate, Term("specialty", "base", text, PGY1_SOURCE), True
    return 0.0, Term("specialty", "unknown", "No specialty figures", PGY1_SOURCE), True


def _views(claims: Sequence[Claim]) -> dict[str, dict[str, list[Any]]]:
    views: dict[str, dict[str, list[Any]]] = {}
    for claim in claims:
        views.setdefault(claim.field, {}).setdefault(claim.kind, []).append(claim.value)
    return views


def _misses(
    name: str, values: list[Any], applicant: Applicant, usce_hands_on: bool
) -> tuple[bool | None, str]:
    """Whether the applicant misses *every* value (the least strict one), and a sentence."""
    if name == "step2ck_min":
        need = min(values)
        if applicant.step2ck is None:
            return None, f"Step 2 CK at least {need} (your score is not known)"
        return applicant.step2ck < need, f"Step 2 CK at least {need}; yours {applicant.step2ck}"
    if name == "max_attempts":
        most = max(values)
        if applicant.attempts is None:
            return None, f"at most {most} attempt(s) at any Step (yours not known)"
        return (
            applicant.attempts > most,
            f"at most {most} attempt(s) at any Step; yours {applicant.attempts}",
        )
    if name == "max_years_since_graduation":
        most = max(values)
        if applicant.years_since_graduation is None:
            return None, f"graduated at most {most} years ago (your graduation date is not known)"
        yog = applicant.years_since_graduation
        return yog > most, f"graduated at most {most} years ago; you graduated {yog:.1f} years ago"
    if name == "usce_months":
        need = min(values)
        have = applicant.usce_hands_on_months if usce_hands_on else applicant.usce_months
        kind = "hands-on " if usce_hands_on else ""
        return have < need, f"{need:g} month(s) of {kind}US clinical experience; you have {have:g}"
    stage = ECFMG_STAGES[max(ECFMG_STAGES.index(v) for v in values)]
    if applicant.ecfmg_certified:
        return False, f"ECFMG certification by {stage.replace('_', ' ')}; you are certified"
    if applicant.ecfmg_certified is None:
        return None, f"ECFMG certification by {stage.replace('_', ' ')}"
    return (
        stage == "application",
        f"ECFMG certification by {stage.replace('_', ' ')}; you are not certified yet",
    )


def explain(
    applicant: Applicant, program: Program, claims: Sequence[Claim], evidence: Evidence
) -> Fit:
    """The fit of one program for one applicant, with every term that went into it."""
    pgy1_name, co_name, _ = evidence.crosswalk.lookup(program.specialty_code, program.track_type)
    row = evidence.pgy1.get(pgy1_name) if pgy1_name else None
    cohort = evidence.outcomes.get(co_name) if co_name else None
    base, base_term, fallback = _base(applicant, row, cohort, evidence)
    terms = [base_term]
    factor = 1.0
    excluded = False
    known = relevant = 0
    views = _views(claims)

    # visa
    if applicant.needs_visa is not False:
        relevant += 1
        state = {}
        for visa in ("j1", "h1b"):
            values = views.get(f"{visa}_sponsor", {}).get("reported", [])
            state[visa] = (
                "conflict"
                if len(set(values)) > 1
                else (
                    "yes"
                    if values == [True] * len(values) and values
                    else ("no" if values else "unknown")
                )
            )
        usable = {"j1": applicant.j1_open is not False, "h1b": applicant.h1b_open is not False}
        if applicant.needs_visa and not any(usable[v] and state[v] != "no" for v in ("j1", "h1b")):
            excluded = True
            known += 1
            closed = [
                v.upper().replace("1B", "-1B").replace("J1", "J-1")
                for v in ("j1", "h1b")
                if not usable[v]
            ]
            why = f" (closed to you: {', '.join(closed)})" if closed else ""
            terms.append(
                Term(
                    "visa",
                    "excludes",
                    f"You need a visa; the program is reported not to sponsor any you can use{why}",
                    "claims",
                )
            )
        elif any(usable[v] and state[v] == "yes" for v in ("j1", "h1b")):
            known += 1
            said = " and ".join(v.upper() for v in ("j1", "h1b") if state[v] == "yes")
            terms.append(Term("visa", "ok", f"Reported to sponsor {said}", "claims"))
        elif applicant.needs_visa is None and any(state[v] in ("yes", "no") for v in ("j1", "h1b")):
            known += 1
            terms.append(
                Term(
                    "visa",
                    "note",
                    "Visa sponsorship is reported; tell us whether you need a visa",
                    "claims",
                )
            )
        else:
            conflict = any(state[v] == "conflict" for v in ("j1", "h1b"))
            text = (
                "Sources disagree on visa sponsorship" if conflict else "Visa sponsorship not known"
            )
            terms.append(Term("visa", "conflict" if conflict else "unknown", text, "claims"))

    # share of residents like the applicant
    kind = applicant.kind
    if kind in _SHARE_FIELD:
        relevant += 1
        values = views.get(_SHARE_FIELD[kind], {}).get("reported", [])
        label = "US-citizen IMGs" if kind == "us_img" else "non-US IMGs"
        if not values:
            terms.append(
                Term(
                    "img_share", "unknown", f"Share of {label} among residents not known", "claims"
                )
            )
        elif len(set(values)) > 1:
            known += 1
            terms.append(
                Term(
                    "img_share",
                    "conflict",
                    f"Sources disagree on the share of {label} ({', '.join(f'{v:g}%' for v in sorted(set(values)))})",
                    "claims",
                )
            )
        else:
            known += 1
            share = values[0] / 100
            spec = (row if row is not None else evidence.overall).share(kind)
            if spec:
                f = min(max(share / spec, SHARE_BOUNDS[0]), SHARE_BOUNDS[1])
                factor *= f
                text = f"{values[0]:g}% of residents are {label}, against {_pct(spec)} of the specialty's 2025 matches"
                terms.append(
                    Term("img_share", "factor", text, f"claims; {PGY1_SOURCE}; {IMGPATH}", f)
                )

    # thresholds
    usce_types = {v for kind_values in views.get("usce_type", {}).values() for v in kind_values}
    hands_on = usce_types == {"hands_on"}
    for name in _THRESHOLDS:
        relevant += 1
        by_kind = views.get(name, {})
        if not by_kind:
            terms.append(Term(name, "unknown", f"No claim on {name.replace('_', ' ')}", "claims"))
            continue
        known += 1
        for kind_name in ("cutoff", "preference", "reported"):
            stated = by_kind.get(kind_name)
            if not stated:
                continue
            miss, text = _misses(name, stated, applicant, hands_on)
            spread = " (sources disagree; the least strict is used)" if len(set(stated)) > 1 else ""
            if kind_name == "cutoff" and miss:
                excluded = True
                terms.append(Term(name, "excludes", f"Strict cutoff: {text}{spread}", "claims"))
            elif kind_name == "preference" and miss:
                f = PREFERENCE_FACTOR[name]
                factor *= f
                terms.append(
                    Term(
                        name,
                        "factor",
                        f"Preference missed: {text}{spread}",
                        f"claims; {IMGPATH}",
                        f,
                    )
                )
            else:
                effect = (
                    "unknown" if miss is None else ("note" if kind_name == "reported" else "ok")
                )
                terms.append(
                    Term(name, effect, f"{kind_name.capitalize()}: {text}{spread}", "claims")
                )

    score = round(100 * min(1.0, max(0.0, base * factor)))
    return Fit(
        score, excluded, _confidence(known, relevant, fallback), known, relevant, tuple(terms)
    )


# ----------------------------------------------------------------- every program at once

_NUMERIC = (
    "step2ck_min",
    "max_attempts",
    "max_years_since_graduation",
    "usce_months",
    "ecfmg_certified_by",
    "us_img_share",
    "non_us_img_share",
)
_KIND_INDEX = {"cutoff": 0, "preference": 1, "reported": 2}


@dataclass
class FitTable:
    """Programs and their claims as arrays, built once per catalog revision."""

    n: int
    pgy1_index: npt.NDArray[np.int32]
    co_index: npt.NDArray[np.int32]
    pgy1_rows: list[SpecialtyRow]
    co_rows: list[CohortStats]
    lo: dict[str, npt.NDArray[np.float64]]
    """(field) -> [3, n] least value per kind (cutoff, preference, reported); NaN when none."""
    hi: dict[str, npt.NDArray[np.float64]]
    yes: dict[str, npt.NDArray[np.int32]]
    no: dict[str, npt.NDArray[np.int32]]
    hands_on: npt.NDArray[np.bool_]
    evidence: Evidence


def build_table(
    programs: Sequence[Program], claims: Sequence[Claim], evidence: Evidence
) -> FitTable:
    n = len(programs)
    index = {p.code: i for i, p in enumerate(programs)}
    pgy1_names = list(evidence.pgy1)
    co_names = list(evidence.outcomes)
    pgy1_index = np.full(n, -1, np.int32)
    co_index = np.full(n, -1, np.int32)
    for i, p in enumerate(programs):
        a, b, _ = evidence.crosswalk.lookup(p.specialty_code, p.track_type)
        if a is not None and a in evidence.pgy1:
            pgy1_index[i] = pgy1_names.index(a)
        if b is not None and b in evidence.outcomes:
            co_index[i] = co_names.index(b)
    lo = {f: np.full((3, n), np.nan) for f in _NUMERIC}
    hi = {f: np.full((3, n), np.nan) for f in _NUMERIC}
    yes = {f: np.zeros(n, np.int32) for f in ("j1_sponsor", "h1b_sponsor")}
    no = {f: np.zeros(n, np.int32) for f in ("j1_sponsor", "h1b_sponsor")}
    types: dict[int, set[str]] = {}
    for claim in claims:
        pos = index.get(claim.program_code)
        if pos is None:
            continue
        if claim.field in yes:
            (yes if claim.value else no)[claim.field][pos] += 1
        elif claim.field == "usce_type":
            types.setdefault(pos, set()).add(claim.value)
        else:
            value = (
                float(ECFMG_STAGES.index(claim.value))
                if claim.field == "ecfmg_certified_by"
                else float(claim.value)
            )
            k = _KIND_INDEX[claim.kind]
            lo[claim.field][k, pos] = np.fmin(lo[claim.field][k, pos], value)
            hi[claim.field][k, pos] = np.fmax(hi[claim.field][k, pos], value)
    hands_on = np.zeros(n, np.bool_)
    for i, seen in types.items():
        hands_on[i] = seen == {"hands_on"}
    return FitTable(n, pgy1_index, co_index, [evidence.pgy1[k] for k in pgy1_names],
                    [evidence.outcomes[k] for k in co_names], lo, hi, yes, no, hands_on, evidence)  # fmt: skip


def _per_row(
    values: Sequence[float | None], index: npt.NDArray[np.int32], default: float
) -> npt.NDArray[np.float64]:
    table = np.array([default if v is None else v for v in values] + [np.nan], dtype=np.float64)
    out: npt.NDArray[np.float64] = table[index]  # index -1 picks the trailing NaN
    return out


def score_all(
    applicant: Applicant, table: FitTable
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.int8]]:
    """Fit index (0-100), exclusion and confidence (0 low, 1 medium, 2 high) of every program."""
    n = table.n
    kind = applicant.kind
    evidence = table.evidence
    overall = evidence.overall.rate(kind)
    base = _per_row(
        [evidence.smoothed_rate(r, kind) for r in table.pgy1_rows], table.pgy1_index, np.nan
    )
    fallback = np.isnan(base)
    base = np.where(fallback, np.nan if overall is None else overall, base)
    if kind == "non_us_img":
        co = table.co_index >= 0
        if applicant.step2ck is not None:
            rates = [evidence.smoothed_outcome(c) for c in table.co_rows]
            est = [
                step2_match_probability(applicant.step2ck, c, r)
                for c, r in zip(table.co_rows, rates, strict=True)
            ]
            co_p = _per_row(
                [e if e is not None else r for e, r in zip(est, rates, strict=True)],
                table.co_index,
                np.nan,
            )
        else:
            co_p = _per_row(
                [evidence.smoothed_outcome(c) for c in table.co_rows], table.co_index, np.nan
            )
        base = np.where(co, co_p, base)
        fallback = fallback & ~co
    base = np.nan_to_num(base, nan=0.0)
    factor = np.ones(n)
    excluded = np.zeros(n, np.bool_)
    known = np.zeros(n, np.int32)
    relevant = 0

    if applicant.needs_visa is not False:
        relevant += 1
        state = {}
        for visa in ("j1", "h1b"):
            y, no = table.yes[f"{visa}_sponsor"], table.no[f"{visa}_sponsor"]
            state[visa] = (
                (y > 0) & (no == 0),
                (no > 0) & (y == 0),
                (y > 0) | (no > 0),
            )  # yes, no, any
        usable = {"j1": applicant.j1_open is not False, "h1b": applicant.h1b_open is not False}
        can_use = np.zeros(n, np.bool_)
        sponsors = np.zeros(n, np.bool_)
        for visa in ("j1", "h1b"):
            if usable[visa]:
                can_use |= ~state[visa][1]
                sponsors |= state[visa][0]
        if applicant.needs_visa:
            excluded |= ~can_use
            known += (~can_use | sponsors).astype(np.int32)
        else:  # unknown need: known when some sponsorship is reported without disagreement
            reported = state["j1"][0] | state["j1"][1] | state["h1b"][0] | state["h1b"][1]
            known += reported.astype(np.int32)

    if kind in _SHARE_FIELD:
        relevant += 1
        name = _SHARE_FIELD[kind]
        lo, hi = table.lo[name][2], table.hi[name][2]
        has = ~np.isnan(lo)
        known += has.astype(np.int32)
        spec = _per_row([r.share(kind) for r in table.pgy1_rows], table.pgy1_index, np.nan)
        overall_share = evidence.overall.share(kind)
        spec = np.where(
            table.pgy1_index < 0, np.nan if overall_share is None else overall_share, spec
        )
        single = has & (lo == hi) & (spec > 0)
        ratio = np.clip(np.divide(lo / 100, spec, out=np.ones(n), where=single), *SHARE_BOUNDS)
        factor *= np.where(single, ratio, 1.0)

    for name in _THRESHOLDS:
        relevant += 1
        has_any = np.zeros(n, np.bool_)
        for k in range(3):
            lo, hi = table.lo[name][k], table.hi[name][k]
            has = ~np.isnan(lo)
            has_any |= has
            miss = _miss_array(name, lo, hi, applicant, table.hands_on) & has
            if k == 0:
                excluded |= miss
            elif k == 1:
                factor *= np.where(miss, PREFERENCE_FACTOR[name], 1.0)
        known += has_any.astype(np.int32)

    scores = np.rint(100 * np.clip(base * factor, 0.0, 1.0)).astype(np.int64)
    share = known / relevant if relevant else np.ones(n)
    confidence = np.where(share >= 2 / 3, 2, np.where(share >= 1 / 3, 1, 0)).astype(np.int8)
    confidence[fallback] = 0
    return scores, excluded, confidence


def _miss_array(
    name: str,
    lo: npt.NDArray[np.float64],
    hi: npt.NDArray[np.float64],
    applicant: Applicant,
    hands_on: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    n = lo.shape[0]
    with np.errstate(invalid="ignore"):
        if name == "step2ck_min":
            if applicant.step2ck is None:
                return np.zeros(n, np.bool_)
            return applicant.step2ck < lo
        if name == "max_attempts":
            return np.zeros(n, np.bool_) if applicant.attempts is None else applicant.attempts > hi
        if name == "max_years_since_graduation":
            yog = applicant.years_since_graduation
            return np.zeros(n, np.bool_) if yog is None else yog > hi
        if name == "usce_months":
            have = np.where(hands_on, applicant.usce_hands_on_months, applicant.usce_months)
            return have < lo
        # ecfmg_certified_by: the least strict stage is the latest one
        if applicant.ecfmg_certified is not False:
            return np.zeros(n, np.bool_)
        return np.asarray(hi == 0.0, dtype=np.bool_)


CONFIDENCE_LABELS = ("low", "medium", "high")


def claims_by_program(claims: Sequence[Claim]) -> Mapping[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for claim in claims:
        out.setdefault(claim.program_code, []).append(claim)
    return out
