"""Licensure in each target state: the traditional route and every alternative pathway.

For the traditional route the state table (graded L: needs confirmation) gives the years of US
or Canadian GME an IMG needs, the Step 3 attempt limit and the USMLE time limit; states not in
the table fall back to the national minimum of one year, flagged as unknown.  Each alternative
pathway's eligibility items are checked against the person and their job offer in that state, so
the plan can say exactly what is still lacking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from imgpath.core.geography import us_state_name
from imgpath.core.pathway.conditions import Condition, parse_condition
from imgpath.core.pathway.engine import Reason, cite
from imgpath.core.pathway.profile import JobOffer
from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = ["Route", "StateLicensure", "evaluate_licensure", "offer_facts"]


@dataclass(frozen=True)
class Route:
    """One way to a full licence in one state, and where the person stands on it."""

    id: str
    title: str
    status: str
    """eligible, not_yet, unknown, or not_available."""
    reasons: tuple[Reason, ...]
    lacks: tuple[Reason, ...] = ()
    unknown: tuple[Reason, ...] = ()
    missing: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        return {
            "route": self.id,
            "title": self.title,
            "status": self.status,
            "reasons": [r.to_dict() for r in self.reasons],
            "lacks": [r.to_dict() for r in self.lacks],
            "unknown": [r.to_dict() for r in self.unknown],
        }


@dataclass(frozen=True)
class StateLicensure:
    state: str
    name: str
    reasons: tuple[Reason, ...]
    routes: tuple[Route, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "name": self.name,
            "reasons": [r.to_dict() for r in self.reasons],
            "routes": [r.to_dict() for r in self.routes],
        }


def offer_facts(offers: Sequence[JobOffer], state: str) -> dict[str, Any]:
    """The ``offer.*`` facts for ``state``: whether any offer there has each property."""
    here = [o for o in offers if o.state == state]

    def any_of(attr: str) -> bool | None:
        values = [getattr(o, attr) for o in here]
        if any(v is True for v in values):
            return True
        return None if any(v is None for v in values) else False  # no offer: no such offer

    return {
        "offer.exists": bool(here),
        "offer.full_time": any_of("full_time"),
        "offer.hospital": any_of("hospital"),
        "offer.academic": any_of("academic"),
        "offer.underserved": any_of("underserved"),
        "offer.rural": any_of("rural"),
        "offer.group_practice": any_of("group_practice"),
    }


def _reason(text: str, rule: Rule, on: date) -> Reason:
    return cite(rule, text, on)


@dataclass
class _Checks:
    """Requirements of one route as they are checked: met, lacking or unknown."""

    on: date
    lacks: list[Reason]
    unknown: list[Reason]
    missing: set[str]

    @classmethod
    def new(cls, on: date) -> _Checks:
        return cls(on, [], [], set())

    def add(self, text: str, condition: Condition, rule: Rule, facts: Mapping[str, Any]) -> None:
        verdict = condition.evaluate(facts, rule.params)
        if verdict.false:
            self.lacks.append(_reason(text, rule, self.on))
        elif verdict.unknown:
            self.unknown.append(_reason(text, rule, self.on))
            self.missing |= verdict.missing

    def status(self, *, certain: bool = True) -> str:
        if self.lacks:
            return "not_yet"
        return "unknown" if self.unknown or not certain else "eligible"


def _cond(data: dict[str, Any]) -> Condition:
    return parse_condition(data, where="licensure")


def _traditional(state: str, facts: Mapping[str, Any], book: RuleBook, on: date) -> Route:
    table = book.version("US.LIC.STATE_TABLE", on)
    national = book.version("US.LIC.GME.NATIONAL", on)
    step3 = book.version("US.USMLE.STEP3.ELIG", on)
    seven = book.version("US.LIC.USMLE.7YR", on)
    row = table.params["states"].get(state) if table is not None else None
    checks = _Checks.new(on)
    reasons: list[Reason] = []

    if row is not None and table is not None:
        years = row["pgt_img"]
        checks.add(f"{years} year(s) of accredited US or Canadian GME (the state's requirement for IMGs)",
                   _cond({"fact": "training.us_gme_years", "gte": years}), table, facts)  # fmt: skip
        if row.get("step3_attempts"):
            checks.add(f"Step 3 passed within the state's limit of {row['step3_attempts']} attempts",
                       _cond({"all": [{"fact": "step3.passed", "is": True}, {"fact": "step3.failures", "lt": row["step3_attempts"]}]}),
                       table, facts)  # fmt: skip
        limit = row.get("usmle_years")
        if isinstance(limit, int):
            checks.add(f"all USMLE Steps passed within {limit} years",
                       _cond({"fact": "usmle.all_steps_years", "lte": limit}), table, facts)  # fmt: skip
        elif limit != "none" and seven is not None:
            _usual_time_limit(checks, seven, facts)
        elif limit != "none":  # the table does not say: the route cannot be called eligible
            checks.unknown.append(
                _reason("the state's USMLE time limit (not in our table)", table, on)
            )
        reasons.append(
            _reason(
                f"{us_state_name(state)}: {years} year(s) of GME for IMGs (US graduates: {row['pgt_us']})"
                + (f"; {row['note']}." if row.get("note") else "."),
                table,
                on,
            )
        )
    elif national is not None:
        checks.add("at least 1 year of accredited US or Canadian GME (the national minimum)",
                   _cond({"fact": "training.us_gme_years", "gte": national.params["min_years"]}), national, facts)  # fmt: skip
        if seven is not None:
            _usual_time_limit(checks, seven, facts)
        reasons.append(
            cite(
                national,
                f"{us_state_name(state)}'s exact requirement is not in our table; every state needs at least 1 year, "
                "12 states 2 and 25 states 3: ask the board.",
                on,
            )
        )
    if step3 is not None and (row is None or not row.get("step3_attempts")):
        checks.add("USMLE Step 1, Step 2 CK and Step 3 passed",
                   _cond({"all": [{"fact": "step1.passed", "is": True}, {"fact": "step2ck.passed", "is": True}, {"fact": "step3.passed", "is": True}]}),
                   step3, facts)  # fmt: skip
    credit = book.version("US.LIC.GME.CREDIT", on)
    if credit is not None and credit.evaluate(facts).true:
        reasons.append(
            _reason(
                "Some states credit training or licensure abroad toward this requirement; ask the board.",
                credit,
                on,
            )
        )
    status = checks.status(certain=row is not None)
    return Route("traditional", "Full licence after US residency", status, tuple(reasons),
                 tuple(checks.lacks), tuple(checks.unknown), frozenset(checks.missing))  # fmt: skip


def _usual_time_limit(checks: _Checks, seven: Rule, facts: Mapping[str, Any]) -> None:
    """Where the state's own limit is unknown, most boards' 7 years decides nothing for certain:
    a span within it passes, a longer one is an open question for the board (not a refusal)."""
    span = facts.get("usmle.all_steps_years")
    years = seven.params["years"]
    if span is not None and span > years:
        text = (f"the state's USMLE time limit: your Steps span {span:.1f} years, more than most boards' "
                f"{years} ({seven.params['md_phd_years']} for MD-PhD); ask the board about exceptions")  # fmt: skip
        checks.unknown.append(_reason(text, seven, checks.on))


_UNAVAILABLE = {
    "pending": "a bill, not law",
    "not_enacted": "not enacted",
}
_UNCERTAIN = {
    "contingent": "enacted with a contingent effective date; whether it is in force was not verified",
}


def _alternatives(state: str, facts: Mapping[str, Any], book: RuleBook, on: date) -> list[Route]:
    out = []
    for family, versions in book.families.items():
        if not family.startswith("US.ALT.") or family in _GENERAL:
            continue
        rule = book.version(family, on) if len(versions) > 1 else versions[0]
        if rule is None:
            continue
        states = rule.params.get("states") or [rule.params.get("state")]
        if state not in states:
            continue
        status_of_law = rule.params.get("status", "enacted")
        if status_of_law in _UNAVAILABLE or not rule.in_force(on):
            why = _UNAVAILABLE.get(status_of_law, "not in force on this date")
            out.append(
                Route(
                    rule.id,
                    rule.title,
                    "not_available",
                    (_reason(f"{rule.title}: {why}.", rule, on),),
                )
            )
            continue
        if not rule.eligibility or status_of_law in _UNCERTAIN:
            lead = (
                f"{rule.title}: {_UNCERTAIN[status_of_law]}. "
                if status_of_law in _UNCERTAIN
                else ""
            )
            out.append(
                Route(rule.id, rule.title, "unknown", (_reason(lead + rule.statement, rule, on),))
            )
            continue
        checks = _Checks.new(on)
        for item in rule.eligibility:
            checks.add(item.text, item.condition, rule, facts)
        reasons = [_reason(rule.title + ".", rule, on)]
        if status_of_law == "enacted":
            reasons.append(
                _reason(
                    "The law is enacted; that the board is already accepting applications was not verified.",
                    rule,
                    on,
                )
            )
        out.append(
            Route(
                rule.id,
                rule.title,
                checks.status(),
                tuple(reasons),
                tuple(checks.lacks),
                tuple(checks.unknown),
                frozenset(checks.missing),
            )
        )
    return out


_OVERVIEW = "US.ALT.OVERVIEW"
_GENERAL = ("US.ALT.OVERVIEW", "US.ALT.ADVISORY")


def _state_reasons(
    state: str, facts: Mapping[str, Any], book: RuleBook, on: date
) -> tuple[Reason, ...]:
    overview = book.version(_OVERVIEW, on)
    advisory = book.version("US.ALT.ADVISORY", on)
    out = []
    if overview is not None:
        enacted = overview.params["enacted"]
        listed = state in enacted
        counted = overview.params.get("counted_by", "our sources")
        name = us_state_name(state)
        text = (f"{name} is one of the {len(enacted)} states with an enacted licensure pathway for physicians "
                f"trained abroad without US residency ({counted})." if listed else
                f"{name} was not among the {len(enacted)} states with such a pathway ({counted}).")  # fmt: skip
        out.append(_reason(text, overview, on))
        if listed and advisory is not None and facts.get("img.is_img"):
            out.append(
                _reason(
                    "FSMB, Intealth and ACGME published 9 recommendations on who should qualify for these pathways (2025-02-04).",
                    advisory,
                    on,
                )
            )
    return tuple(out)


def evaluate_licensure(
    states: Sequence[str],
    offers: Sequence[JobOffer],
    facts: Mapping[str, Any],
    book: RuleBook,
    on: date,
) -> list[StateLicensure]:
    """Every route to a full licence in each of ``states``."""
    out = []
    for state in states:
        local = {**facts, **offer_facts(offers, state)}
        routes = [_traditional(state, local, book, on), *_alternatives(state, local, book, on)]
        out.append(
            StateLicensure(
                state, us_state_name(state), _state_reasons(state, local, book, on), tuple(routes)
            )
        )
    return out
