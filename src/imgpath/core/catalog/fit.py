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

Program-level **evidence** (``program_evidence``) enters too: fill history (a program that left
positions unfilled in its latest Match), H-1B filings by its institution (visa evidence), outcomes
imgpath users shared (cells of at least k people), community invite reports, the ACGME record;
every term names its source and date, and a last term says what is not known.  Only claims a
reviewer accepted count; pending and flagged claims are shown, not used.

Missing program facts lower the **confidence** shown, never the index.  The factors for
preferences (0.6, 0.8), the bounds on the IMG-share factor (0.2 to 2), the unfilled-positions
factor (1.1) and the bounds on the outcomes factor (0.5 to 2) are imgpath's choices, shown as
such in every explanation.

:func:`explain` computes one program's fit term by term in plain Python; :func:`score_all` does the
same for every program at once on arrays.  A test checks they agree on random claims.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from imgpath.core.catalog.claims import ECFMG_STAGES, Claim
from imgpath.core.catalog.evidence import MIN_SAMPLE, PGY1_SOURCE, Evidence, Key
from imgpath.core.catalog.outcomes import K
from imgpath.core.catalog.program_evidence import NO_EVIDENCE, ProgramEvidence
from imgpath.core.catalog.programs import Program

__all__ = [
    "FILL_FACTOR",
    "OUTCOME_BOUNDS",
    "PREFERENCE_FACTOR",
    "Applicant",
    "Fit",
    "FitTable",
    "Term",
    "build_table",
    "explain",
    "score_all",
    "thin_samples",
]

PREFERENCE_FACTOR = {
    "step2ck_min": 0.6,
    "max_attempts": 0.6,
    "max_years_since_graduation": 0.6,
    "usce_months": 0.8,
    "ecfmg_certified_by": 0.8,
}
SHARE_BOUNDS = (0.2, 2.0)
FILL_FACTOR = 1.1
"""For a program that left positions unfilled in its latest Match (imgpath's judgement: unfilled
positions go to SOAP, where IMGs take many; a mild push, never a claim of odds)."""
OUTCOME_BOUNDS = (0.5, 2.0)
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
    target_specialty: str | None = None
    """The specialty the profile aims at ("internal medicine"): searches filter to it by default."""
    target_states: tuple[str, ...] = ()
    destination: str = "US"


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
    evidence: tuple[str, ...] = ()
    """Kinds of program-level evidence behind this fit (empty: none, the specialty figure only)."""
    thin: bool = False
    """The specialty's own figure rests on fewer than MIN_SAMPLE applicants like this one: the
    index borrows a parent's figure, and searches list the program after those with enough data."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "excluded": self.excluded,
            "confidence": self.confidence,
            "program_facts_known": f"{self.known} of {self.relevant}",
            "program_evidence": list(self.evidence),
            "thin_specialty_sample": self.thin,
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


def _visa_state(values: Sequence[bool], lca: bool) -> str:
    """yes, no, conflict or unknown, from accepted claims and (for H-1B) LCA evidence."""
    said = set(values)
    if len(said) > 1 or (said == {False} and lca):
        return "conflict"
    if said == {True} or (not said and lca):
        return "yes"
    return "no" if said == {False} else "unknown"


def _visa_terms(
    applicant: Applicant, views: Mapping[str, Mapping[str, list[Any]]], pe: ProgramEvidence
) -> tuple[bool, bool, list[Term]]:
    """(excluded, known, terms) for the visa the applicant needs."""
    state = {v: _visa_state(views.get(f"{v}_sponsor", {}).get("reported", []),
                            v == "h1b" and pe.h1b is not None and pe.h1b.residents > 0)
             for v in ("j1", "h1b")}  # fmt: skip
    usable = {"j1": applicant.j1_open is not False, "h1b": applicant.h1b_open is not False}
    lca = [Term("h1b_filings", "note", pe.h1b.text(), pe.h1b.source)] if pe.h1b else []
    if applicant.needs_visa and not any(usable[v] and state[v] not in ("no",) for v in state):
        closed = [_VISA_NAME[v] for v in ("j1", "h1b") if not usable[v]]
        why = f" (closed to you: {', '.join(closed)})" if closed else ""
        text = f"You need a visa; the program is reported not to sponsor any you can use{why}"
        return True, True, [Term("visa", "excludes", text, "claims")]
    yes = [v for v in ("j1", "h1b") if usable[v] and state[v] == "yes"]
    if applicant.needs_visa is None and any(state[v] != "unknown" for v in state):
        text = "Visa sponsorship is known for this program; tell us whether you need a visa"
        return False, True, [Term("visa", "note", text, "claims"), *lca]
    if yes:
        parts = []
        for v in yes:
            claimed = bool(views.get(f"{v}_sponsor"))
            parts.append(
                f"{_VISA_NAME[v]} ({'reported' if claimed else 'H-1B filings by the institution'})"
            )
        source = (
            "claims"
            if any(views.get(f"{v}_sponsor") for v in yes)
            else (pe.h1b.source if pe.h1b else "claims")
        )
        return (
            False,
            True,
            [Term("visa", "ok", f"Evidence of sponsoring {' and '.join(parts)}", source), *lca],
        )
    if any(state[v] == "conflict" for v in state):
        return (
            False,
            True,
            [Term("visa", "conflict", "Sources disagree on visa sponsorship", "claims"), *lca],
        )
    return False, False, [Term("visa", "unknown", "Visa sponsorship not known", "claims"), *lca]


def _fill_terms(pe: ProgramEvidence) -> tuple[float, list[Term]]:
    if not pe.fill:
        return 1.0, []
    latest = pe.fill[0]
    years = sorted(f.year for f in pe.fill)
    unfilled = sorted(f.year for f in pe.fill if f.unfilled > 0)
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    if not unfilled:
        history = f"; it filled every position offered in {span}"
    elif len(unfilled) == len(years):
        history = f"; it left positions unfilled in every Match of {span}"
    else:
        history = (f"; it left positions unfilled in {len(unfilled)} of {len(years)} Matches "
                   f"({', '.join(map(str, unfilled))})")  # fmt: skip
    text = f"In the {latest.year} Match the program filled {latest.matched} of {latest.quota} position(s){history}"
    source = f"{latest.source} (row {latest.row}, as of {latest.as_of})"
    if latest.unfilled > 0:
        text += "; positions unfilled in the Match are offered in SOAP, where IMGs take many"
        return FILL_FACTOR, [
            Term("fill_history", "factor", text, f"{source}; {IMGPATH}", FILL_FACTOR)
        ]
    return 1.0, [Term("fill_history", "note", text, source)]


def _outcome_factor(applicant: Applicant, pe: ProgramEvidence) -> tuple[float, list[Term]]:
    terms: list[Term] = []
    factor = 1.0
    for cell in pe.outcomes:
        mine = (
            cell.kind == (applicant.kind or "unknown") and cell.needs_visa == applicant.needs_visa
        )
        source = f"imgpath users who opted in ({cell.years}; cells of {K} or more)"
        if mine:
            rate = cell.rate("invited")
            baseline = pe.outcome_baseline.get((cell.kind, cell.needs_visa))
            if rate is not None and baseline:
                invited = cell.stages.get("invited", 0)
                shrunk = (invited + MIN_SAMPLE * baseline) / (cell.people + MIN_SAMPLE)
                factor = min(max(shrunk / baseline, OUTCOME_BOUNDS[0]), OUTCOME_BOUNDS[1])
                text = (f"{cell.sentences()[0]}, against {_pct(baseline)} across programs; shrunk with "
                        f"{MIN_SAMPLE} pseudo-applicants")  # fmt: skip
                terms.append(Term("outcomes", "factor", text, f"{source}; {IMGPATH}", factor))
                continue
        terms.append(Term("outcomes", "note", "; ".join(cell.sentences()[:2]), source))
    return factor, terms


def _evidence_notes(pe: ProgramEvidence) -> list[Term]:
    terms = [Term("acgme", "note", a.text(), f"{a.source} (as of {a.as_of})") for a in pe.acgme]
    if pe.invites is not None:
        terms.append(
            Term(
                "invites",
                "note",
                pe.invites.text(K),
                f"{pe.invites.source} (as of {pe.invites.as_of}); self-reported",
            )
        )
    return terms


def explain(
    applicant: Applicant,
    program: Program,
    claims: Sequence[Claim],
    evidence: Evidence,
    program_evidence: ProgramEvidence = NO_EVIDENCE,
) -> Fit:
    """The fit of one program for one applicant, with every term that went into it."""
    pe = program_evidence
    estimate = evidence.estimate(
        program.specialty_code, program.track_type, applicant.kind, applicant.step2ck
    )
    terms = [Term("specialty", "unknown" if estimate.text == "No specialty figures" else "base",
                  estimate.text, estimate.source)]  # fmt: skip
    base, fallback = estimate.rate, estimate.fallback
    factor = 1.0
    excluded = False
    known = relevant = 0
    used = [c for c in claims if c.status == "accepted"]
    waiting = len(claims) - len(used)
    views = _views(used)
    unknown: list[str] = []

    # visa
    if applicant.needs_visa is not False:
        relevant += 1
        out, is_known, visa_terms = _visa_terms(applicant, views, pe)
        excluded |= out
        known += is_known
        terms += visa_terms
        if not is_known:
            unknown.append("visa sponsorship")

    # share of residents like the applicant
    kind = applicant.kind
    if kind in _SHARE_FIELD:
        relevant += 1
        values = views.get(_SHARE_FIELD[kind], {}).get("reported", [])
        label = "US-citizen IMGs" if kind == "us_img" else "non-US IMGs"
        if not values:
            unknown.append(f"share of {label} among residents")
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
            spec = _specialty_share(evidence, program, kind)
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
            unknown.append(name.replace("_", " "))
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

    # program-level evidence
    fill_factor, fill_terms = _fill_terms(pe)
    outcome_factor, outcome_terms = _outcome_factor(applicant, pe)
    factor *= fill_factor * outcome_factor
    terms += fill_terms + outcome_terms + _evidence_notes(pe)
    if waiting:
        terms.append(Term("claims", "note", f"{waiting} claim(s) await review or were flagged: "
                          "shown with the program, not used in the fit", "claims"))  # fmt: skip
    if not pe.fill:
        unknown.append("fill history")
    if not pe.outcomes:
        unknown.append("outcomes of imgpath users")
    kinds = (["claims"] if used else []) + pe.kinds
    if not kinds:
        terms.append(Term("evidence", "unknown", "No program-level evidence: the index is the specialty "
                          "figure alone, so this program ties with every other program like it", "imgpath"))  # fmt: skip
    if unknown:
        terms.append(
            Term(
                "unknown", "unknown", f"Not known for this program: {', '.join(unknown)}", "imgpath"
            )
        )

    thin = estimate.sample < MIN_SAMPLE
    if thin:
        terms.insert(1, Term("specialty_sample", "note", f"Fewer than {MIN_SAMPLE} applicants like you in "
                             "NRMP's figures for this specialty: searches list it after the programs whose "
                             "specialty figures rest on enough people", f"imgpath's minimum sample ({MIN_SAMPLE})"))  # fmt: skip
    score = round(100 * min(1.0, max(0.0, base * factor)))
    return Fit(
        score,
        excluded,
        _confidence(known, relevant, fallback),
        known,
        relevant,
        tuple(_cited(t, used) for t in terms),
        tuple(kinds),
        thin,
    )


_TERM_FIELDS = {"visa": ("j1_sponsor", "h1b_sponsor"), "img_share": tuple(_SHARE_FIELD.values())}


def _cited(term: Term, used: Sequence[Claim]) -> Term:
    """The term with "claims" in its source replaced by the reviewed claims it rests on, each
    with its source and date (so the fit says where a program fact came from, and when)."""
    if "claims" not in term.source.split("; "):
        return term
    fields = _TERM_FIELDS.get(term.name, (term.name,))
    cites = sorted({f"{c.source}, as of {c.as_of.isoformat()}" for c in used if c.field in fields})
    if not cites:
        return term
    named = f"reviewed claims: {' | '.join(cites)}"
    source = "; ".join(named if part == "claims" else part for part in term.source.split("; "))
    return dataclasses.replace(term, source=source)


def thin_samples(applicant: Applicant, table: FitTable) -> npt.NDArray[np.bool_]:
    """For every program, whether its specialty figure rests on fewer than MIN_SAMPLE applicants
    of the applicant's kind (so that searches list it after the others)."""
    evidence = table.evidence
    thin = [evidence.estimate(code, track, applicant.kind, applicant.step2ck).sample < MIN_SAMPLE
            for code, track in table.keys]  # fmt: skip
    out: npt.NDArray[np.bool_] = np.array([*thin, True], dtype=np.bool_)[table.key_index]
    return out


def _specialty_share(evidence: Evidence, program: Program, kind: str) -> float | None:
    pgy1_name, _, _ = evidence.crosswalk.lookup(program.specialty_code, program.track_type)
    row = evidence.pgy1.get(pgy1_name) if pgy1_name else None
    return (row if row is not None else evidence.overall).share(kind)


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
_VISA_NAME = {"j1": "J-1", "h1b": "H-1B"}


@dataclass
class FitTable:
    """Programs, accepted claims and program evidence as arrays, built once per catalog revision."""

    n: int
    key_index: npt.NDArray[np.int32]
    """Index into ``keys`` of each program's (specialty code, track type); -1 for none."""
    keys: list[tuple[str, str]]
    key_of: list[Key | None]
    lo: dict[str, npt.NDArray[np.float64]]
    """(field) -> [3, n] least value per kind (cutoff, preference, reported); NaN when none."""
    hi: dict[str, npt.NDArray[np.float64]]
    yes: dict[str, npt.NDArray[np.int32]]
    no: dict[str, npt.NDArray[np.int32]]
    hands_on: npt.NDArray[np.bool_]
    lca: npt.NDArray[np.bool_]
    """The program's institution has certified H-1B LCAs for residents."""
    fill_factor: npt.NDArray[np.float64]
    has_fill: npt.NDArray[np.bool_]
    has_outcomes: npt.NDArray[np.bool_]
    evidence_any: npt.NDArray[np.bool_]
    """Any program-level evidence at all (accepted claims or evidence of any kind)."""
    program_evidence: Mapping[str, ProgramEvidence]
    codes: list[str]
    evidence: Evidence


def build_table(
    programs: Sequence[Program],
    claims: Sequence[Claim],
    evidence: Evidence,
    program_evidence: Mapping[str, ProgramEvidence] | None = None,
) -> FitTable:
    n = len(programs)
    index = {p.code: i for i, p in enumerate(programs)}
    keys: list[tuple[str, str]] = []
    key_index = np.full(n, -1, np.int32)
    for i, p in enumerate(programs):
        pair = (p.specialty_code, p.track_type)
        if pair not in keys:
            keys.append(pair)
        key_index[i] = keys.index(pair)
    lo = {f: np.full((3, n), np.nan) for f in _NUMERIC}
    hi = {f: np.full((3, n), np.nan) for f in _NUMERIC}
    yes = {f: np.zeros(n, np.int32) for f in ("j1_sponsor", "h1b_sponsor")}
    no = {f: np.zeros(n, np.int32) for f in ("j1_sponsor", "h1b_sponsor")}
    types: dict[int, set[str]] = {}
    evidence_any = np.zeros(n, np.bool_)
    for claim in claims:
        pos = index.get(claim.program_code)
        if pos is None or claim.status != "accepted":
            continue
        evidence_any[pos] = True
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
    lca = np.zeros(n, np.bool_)
    fill_factor = np.ones(n)
    has_fill = np.zeros(n, np.bool_)
    has_outcomes = np.zeros(n, np.bool_)
    found = program_evidence or {}
    for code, pe in found.items():
        pos = index.get(code)
        if pos is None:
            continue
        lca[pos] = pe.h1b is not None and pe.h1b.residents > 0
        fill_factor[pos] = _fill_terms(pe)[0]
        has_fill[pos] = bool(pe.fill)
        has_outcomes[pos] = bool(pe.outcomes)
        evidence_any[pos] |= bool(pe.kinds)
    return FitTable(n, key_index, keys, [evidence.crosswalk.key(*k) for k in keys], lo, hi, yes, no,
                    hands_on, lca, fill_factor, has_fill, has_outcomes, evidence_any, found,
                    [p.code for p in programs], evidence)  # fmt: skip


def score_all(
    applicant: Applicant, table: FitTable
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.int8]]:
    """Fit index (0-100), exclusion and confidence (0 low, 1 medium, 2 high) of every program."""
    n = table.n
    kind = applicant.kind
    evidence = table.evidence
    estimates = [
        evidence.estimate(code, track, kind, applicant.step2ck) for code, track in table.keys
    ]
    rates = np.array([e.rate for e in estimates] + [0.0])
    fallbacks = np.array([e.fallback for e in estimates] + [True])
    base = rates[table.key_index]
    fallback = fallbacks[table.key_index]
    factor = np.ones(n)
    excluded = np.zeros(n, np.bool_)
    known = np.zeros(n, np.int32)
    relevant = 0

    if applicant.needs_visa is not False:
        relevant += 1
        state = {}
        for visa in ("j1", "h1b"):
            y, no = table.yes[f"{visa}_sponsor"], table.no[f"{visa}_sponsor"]
            lca = table.lca if visa == "h1b" else np.zeros(n, np.bool_)
            conflict = ((y > 0) & (no > 0)) | ((no > 0) & lca)
            is_yes = ~conflict & ((y > 0) | lca)
            is_no = ~conflict & (no > 0) & (y == 0) & ~lca
            state[visa] = (is_yes, is_no, conflict)
        usable = {"j1": applicant.j1_open is not False, "h1b": applicant.h1b_open is not False}
        open_any = np.zeros(n, np.bool_)
        sponsors = np.zeros(n, np.bool_)
        for visa in ("j1", "h1b"):
            if usable[visa]:
                open_any |= ~state[visa][1]
                sponsors |= state[visa][0]
        anything = np.zeros(n, np.bool_)
        for visa in ("j1", "h1b"):
            anything |= state[visa][0] | state[visa][1] | state[visa][2]
        if applicant.needs_visa:
            excluded |= ~open_any
            conflict_any = np.zeros(n, np.bool_)
            for visa in ("j1", "h1b"):
                conflict_any |= state[visa][2]
            known += (~open_any | sponsors | conflict_any).astype(np.int32)
        else:  # unknown need: known when anything about sponsorship is known
            known += anything.astype(np.int32)

    if kind in _SHARE_FIELD:
        relevant += 1
        name = _SHARE_FIELD[kind]
        lo, hi = table.lo[name][2], table.hi[name][2]
        has = ~np.isnan(lo)
        known += has.astype(np.int32)
        overall_share = evidence.overall.share(kind)
        shares = []
        for code, track in table.keys:
            pgy1_name, _, _ = evidence.crosswalk.lookup(code, track)
            row = evidence.pgy1.get(pgy1_name) if pgy1_name else None
            shares.append(row.share(kind) if row is not None else overall_share)
        spec = np.array([np.nan if s is None else s for s in shares] + [np.nan])[table.key_index]
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

    factor *= table.fill_factor
    for pos in np.flatnonzero(table.has_outcomes):
        factor[pos] *= _outcome_factor(applicant, table.program_evidence[table.codes[pos]])[0]

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
