"""Match institution names from other lists (DOL employers, ACGME sponsors) to NRMP's.

NRMP abbreviates ("U Alabama Med Ctr-Birmingham"), DOL writes employers as registered ("THE
UNIVERSITY OF ALABAMA AT BIRMINGHAM"), ACGME as sponsors and programs ("University of Alabama
Medical Center Program").  Names are normalised (case, punctuation, a trailing state, common
abbreviations, filler words), then compared with rapidfuzz's token measures within one state.

Three outcomes, so that no uncertain match is used silently:

* ``matched``: the best candidate scores at least :data:`ACCEPT` and beats the runner-up by
  :data:`MARGIN` points;
* ``review``: a plausible best candidate (at least :data:`REVIEW`) that is not clear enough: it
  goes on the review list with its runners-up, and a person confirms or rejects it;
* ``none``: nothing plausible in that state.

The thresholds are imgpath's choices, tuned on the bundled ACGME OB/GYN list against the NRMP
program list (docs/reference/importers.md gives the measured precision).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

__all__ = ["ACCEPT", "MARGIN", "REVIEW", "Candidate", "NameMatch", "match_name", "normalise"]

ACCEPT = 88.0
REVIEW = 70.0
MARGIN = 6.0

_ABBREVIATIONS = {
    "u": "university", "univ": "university", "uni": "university", "med": "medical",
    "ctr": "center", "cntr": "center", "ctrs": "centers", "centre": "center", "hosp": "hospital",
    "hosps": "hospitals", "reg": "regional", "rgnl": "regional", "com": "college medicine",
    "sch": "school", "hlth": "health", "hlthcare": "healthcare", "sys": "system", "natl": "national",
    "mem": "memorial", "gen": "general", "comm": "community", "cmty": "community", "mt": "mount",
    "inst": "institute", "sci": "sciences", "coll": "college", "affil": "affiliated",
    "assoc": "associated", "chldn": "children", "childrens": "children", "ft": "fort",
    "hlthsys": "health system", "st": "saint", "ste": "sainte", "sta": "santa", "phys": "physicians",
    "cty": "county", "ctys": "counties", "va": "veterans affairs", "vamc": "veterans affairs medical center",
    "umc": "university medical center", "uh": "university hospitals", "dept": "department",
    "svcs": "services", "svc": "service", "srvs": "services", "fdn": "foundation",
    "som": "school medicine", "hsc": "health science center", "gme": "graduate medical education",
    "grad": "graduate", "nyp": "new york presbyterian", "ismms": "icahn school medicine mount sinai",
    "sw": "scott white", "uc": "university california", "ucla": "university california los angeles",
    "ucsf": "university california san francisco", "educ": "education", "ed": "education", "ccf": "cleveland clinic foundation", "suny": "state university new york",
}  # fmt: skip
_FILLER = frozenset(
    [
        "the",
        "of",
        "and",
        "at",
        "in",
        "for",
        "inc",
        "llc",
        "corp",
        "corporation",
        "program",
        "programs",
        "residency",
        "dba",
        "pc",
        "ltd",
        "lp",
        "plc",
        "a",
        "an",
        "its",
    ]
)
_COMMON = frozenset(
    [
        "university",
        "medical",
        "center",
        "centers",
        "hospital",
        "hospitals",
        "health",
        "healthcare",
        "system",
        "systems",
        "school",
        "medicine",
        "college",
        "regional",
        "community",
        "general",
        "memorial",
        "saint",
        "graduate",
        "education",
        "affiliated",
        "clinic",
        "clinics",
        "sciences",
        "science",
        "institute",
        "county",
        "network",
        "services",
        "service",
        "care",
        "campus",
        "north",
        "south",
        "east",
        "west",
        "new",
        "department",
        "foundation",
        "consortium",
    ]
)
_STATE_SUFFIX = re.compile(r"\s*-\s*[A-Z]{2}\s*$")
_WORD = re.compile(r"[a-z0-9]+")


def normalise(name: str) -> str:
    """Lower case, no punctuation, no trailing state (``-AL``), abbreviations spelt out, no filler."""
    text = _STATE_SUFFIX.sub("", name.strip()).lower().replace("&", " and ")
    words: list[str] = []
    for word in _WORD.findall(text.replace("'", "")):
        words.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(w for w in words if w not in _FILLER)


@dataclass(frozen=True)
class Candidate:
    """One name the query may match (an NRMP institution or program), and its key."""

    key: Hashable
    name: str
    normalised: str = ""

    @classmethod
    def of(cls, key: Hashable, name: str) -> Candidate:
        return cls(key, name, normalise(name))


@dataclass(frozen=True)
class NameMatch:
    """The outcome of matching one name: the chosen key (None unless ``matched``) and why."""

    status: str
    """matched, review or none."""
    key: Hashable | None
    score: float
    best: tuple[Candidate, float] | None
    runners_up: tuple[tuple[Candidate, float], ...] = ()


def _score(a: str, b: str) -> float:
    """Weighted mean of token-sort and token-set ratios: the set ratio forgives extra words (a city, a
    department), the sort ratio stops "university" alone from matching every university."""
    if not a or not b:
        return 0.0
    score = 0.6 * fuzz.token_sort_ratio(a, b) + 0.4 * fuzz.token_set_ratio(a, b)
    left, right = set(a.split()), set(b.split())
    shared = left & right
    if shared - _COMMON and (left <= right or right <= left) and (left ^ right) <= _COMMON:
        # "mayo clinic" and "mayo clinic school graduate medical education": the same name, one
        # with only common words added
        score = max(score, 95.0)
    return score


def _places(name: str) -> list[str]:
    """The place parts of an NRMP-style name: what follows a hyphen ("U Tennessee COM-Chattanooga")."""
    parts = _STATE_SUFFIX.sub("", name.strip()).split("-")[1:]
    return [p for p in (normalise(x) for x in parts) if p]


def _same_place(candidate: Candidate, wanted: Sequence[str], place: str) -> bool:
    """False when the candidate names a place that neither the query nor ``place`` mentions."""
    for part in _places(candidate.name):
        if not any(fuzz.partial_ratio(part, text) >= 80 for text in (*wanted, place) if text):
            return False
    return True


def _words_agree(candidate: Candidate, wanted: Sequence[str]) -> bool:
    """False when the candidate has a distinctive word (not a common one like "medical") that no
    query has: "UC San Diego Med Ctr" is not "Naval Medical Center (San Diego)"."""
    have = {w for q in wanted for w in q.split()}
    for word in candidate.normalised.split():
        if len(word) < 3 or word in _COMMON or word in have:
            continue
        if not any(fuzz.ratio(word, other) >= 85 for other in have):
            return False
    return True


def match_name(
    queries: Sequence[str], candidates: Sequence[Candidate], *, place: str = ""
) -> NameMatch:
    """Best candidate for any of ``queries`` (several spellings of one thing, e.g. a program's
    name and its sponsor's), with the status the thresholds give.  ``place`` (a city) guards
    against a candidate that names another city: such a match is never accepted unreviewed."""
    wanted = [q for q in (normalise(x) for x in queries) if q]
    place = normalise(place)
    scored: dict[Hashable, tuple[Candidate, float]] = {}
    for candidate in candidates:
        score = max((_score(q, candidate.normalised) for q in wanted), default=0.0)
        if candidate.key not in scored or scored[candidate.key][1] < score:
            scored[candidate.key] = (candidate, score)
    ranked = sorted(scored.values(), key=lambda cs: (-cs[1], str(cs[0].key)))
    if not ranked or ranked[0][1] < REVIEW:
        return NameMatch("none", None, ranked[0][1] if ranked else 0.0, ranked[0] if ranked else None,
                         tuple(ranked[1:3]))  # fmt: skip
    best, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    clear = (score >= ACCEPT and score - second >= MARGIN and _same_place(best, wanted, place)
             and _words_agree(best, [*wanted, place]))  # fmt: skip
    return NameMatch(
        "matched" if clear else "review",
        best.key if clear else None,
        round(score, 1),
        ranked[0],
        tuple(ranked[1:3]),
    )
