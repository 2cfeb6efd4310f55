"""Where each rule is applied: the audit behind "a rule that states a condition is applied".

A rule is *evaluated* when something decides with it: a path clause that sets a status
(``not_applicable``, ``done``, ``requires``, ``in_progress``, or a ``ready`` clause with a
condition), a visa option's eligibility list, or engine code listed in :data:`ENGINE_USES` (the
OET sitting judged by the rule of its test date, the calendar, the fees, licensure...).  Every
other rule must say in its pack why it is only cited (``informational``).  Tests check both
ways, and ``docs/reference/pathway-rules.md`` shows the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from imgpath.core.pathway.engine import DECISIVE, StepDef
from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = ["ENGINE_USES", "RuleUse", "rule_uses"]

ENGINE_USES: Mapping[str, str] = {
    "US.IMG.DEF": "report: decides IMG status",
    "US.IMG.DEF.PUERTO_RICO": "report: schools in US territories count as US schools",
    "US.IMG.SUBTYPE.NRMP": "report: decides US IMG or non-US IMG",
    "US.ECFMG.OET": "facts: judges each OET sitting by the scores in force on its test date",
    "US.ECFMG.OET.VALIDITY": "facts: the earliest OET test date accepted for the target season",
    "US.ECFMG.CERT.BASIS": "facts: a certificate issued after the Pathways opened rests on a Pathway",
    "US.ECFMG.CERT.VALIDITY.STANDARD": "facts: Step 2 CS based certificates do not expire",
    "US.ECFMG.EXAM.TIME_WINDOW": "facts: which passes stopped counting for certification",
    "US.USMLE.STEP1.PF": "facts: whether a Step 1 pass is reported pass/fail",
    "US.USMLE.RETAKE_SPACING": "facts: the earliest day of the next attempt",
    "US.CAL.*": "calendar: announced, past and projected dates of the target Match",
    "US.NRMP.IMG.ELIG": "calendar: ECFMG's confirmation deadline is the rank-list deadline",
    "US.NRMP.ROL.LIMIT": "costs: ranks are capped at the limit",
    "US.COST.ECFMG_APP": "costs: fee amount",
    "US.COST.STEP1_2CK": "costs: fee amount",
    "US.COST.STEP3": "costs: fee amount",
    "US.COST.PATHWAY": "costs: fee amount",
    "US.COST.OET": "costs: fee amount (unknown)",
    "US.COST.ERAS": "costs: fee tiers of the season in force",
    "US.COST.ERAS_TOKEN": "costs: fee amount",
    "US.COST.USMLE_TRANSCRIPT": "costs: fee amount",
    "US.COST.NRMP": "costs: registration, extra-rank and list-length fees",
    "US.VISA.H1B.FEE_100K": "costs: the payment for a petition from abroad",
    "US.APP.RESIDENCYCAS": "facts and costs: which application service the specialty uses",
    "US.PLAN.DURATIONS": "timeline: estimated end of residency",
    "US.LIC.STATE_TABLE": "licensure: years of GME, Step 3 attempts and time limits per state",
    "US.LIC.GME.NATIONAL": "licensure: the national minimum where a state is not in the table",
    "US.LIC.USMLE.7YR": "licensure: the usual time limit where the state's is not known",
    "US.USMLE.STEP3.ELIG": "licensure: Step 3 before a full licence",
    "US.ALT.OVERVIEW": "licensure: which states have enacted a pathway",
    "US.ALT.*": "licensure: each state's alternative pathway and its eligibility",
    "UK.PLAB.VALIDITY": "facts: how long a PLAB 1 pass is valid on the day asked",
    "UK.GMC.REGISTRATION_WINDOW": "facts: the day registration should be approved by",
    "UK.TRAINING.PRIORITISATION": "facts: who is in a priority group",
    "CA.MCC.MCCQE1.ATTEMPTS": "facts: the waiting year before a fourth attempt",
    "AU.ENGLISH": "facts: each English sitting judged by the standard of its day",
}
"""Engine code that decides with a rule: id, family, or a prefix ending in ``*`` (tests check
each name appears in the engine's source)."""


@dataclass(frozen=True)
class RuleUse:
    """How one rule is used: evaluated (where) or informational (why)."""

    rule_id: str
    evaluated: bool
    where: tuple[str, ...]
    cited: tuple[str, ...]
    """Path clauses that only cite it (``info``, or ``ready`` without a condition)."""


def _names(rule: Rule) -> set[str]:
    return {rule.id, rule.family}


def _path_uses(
    steps: Mapping[str, Iterable[StepDef]], visas: Iterable[tuple[StepDef, str | None]]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    decisive: dict[str, list[str]] = {}
    cited: dict[str, list[str]] = {}
    everything = [(dest, s) for dest, defs in steps.items() for s in defs]
    everything += [("visa", s) for s, _ in visas]
    for dest, step in everything:
        for kind, item in step.clauses():
            where = f"{dest} {step.id}.{kind}"
            if kind in DECISIVE and (kind != "ready" or item.when is not None):
                decisive.setdefault(item.rule, []).append(where)
            else:
                cited.setdefault(item.rule, []).append(where)
    for step, eligibility in visas:
        if eligibility:
            decisive.setdefault(eligibility, []).append(f"visa {step.id}.eligibility")
    return decisive, cited


def rule_uses(
    book: RuleBook,
    steps: Mapping[str, Iterable[StepDef]],
    visas: Iterable[tuple[StepDef, str | None]],
) -> dict[str, RuleUse]:
    """Every rule's use, from the path definitions and :data:`ENGINE_USES`."""
    decisive, cited = _path_uses(steps, list(visas))
    out: dict[str, RuleUse] = {}
    for rule in book:
        names = _names(rule)
        where = [w for n in sorted(names) for w in decisive.get(n, [])]
        for key, what in ENGINE_USES.items():
            exact = key in names
            prefix = key.endswith("*") and rule.id.startswith(key[:-1])
            if exact or (prefix and not rule.informational):
                where.append(what)
        only_cited = [w for n in sorted(names) for w in cited.get(n, [])]
        out[rule.id] = RuleUse(rule.id, bool(where), tuple(dict.fromkeys(where)), tuple(only_cited))
    return out
