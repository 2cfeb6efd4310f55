"""Costs still ahead, each fee with its amount, its as-of date and the rule it comes from.

Only fees for what is not done yet are counted.  An amount nobody has verified stays ``None``
and is reported as unknown rather than guessed; the total says how many lines it leaves out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = ["CostEstimate", "CostLine", "eras_fee", "estimate_costs", "season_costs"]


@dataclass(frozen=True)
class CostLine:
    item: str
    amount: float | None
    currency: str
    as_of: str
    rule_id: str
    needs_confirmation: bool
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "item": self.item,
            "amount": self.amount,
            "currency": self.currency,
            "as_of": self.as_of,
            "rule_id": self.rule_id,
        }
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class CostEstimate:
    lines: tuple[CostLine, ...]

    @property
    def total(self) -> float:
        return sum(
            line.amount for line in self.lines if line.amount is not None and line.currency == "USD"
        )

    @property
    def unknown(self) -> int:
        return sum(line.amount is None for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": "USD",
            "total_known": self.total,
            "lines_with_unknown_amount": self.unknown,
            "lines": [line.to_dict() for line in self.lines],
        }


def eras_fee(programs: int, specialties: int, tiers: Sequence[Sequence[int | None]]) -> float:
    """ERAS fees for ``programs`` spread over ``specialties`` (the tier count restarts per specialty).

    ``tiers`` is ``[[up_to, fee], ..., [None, fee]]``: e.g. $11 for programs 1-30, then $30.
    """
    specialties = max(1, min(specialties, programs)) if programs else 1
    base, extra = divmod(programs, specialties)
    total = 0.0
    for i in range(specialties):
        n = base + (1 if i < extra else 0)
        counted = 0
        for up_to, fee in tiers:
            assert fee is not None
            take = n - counted if up_to is None else max(0, min(n, up_to) - counted)
            total += take * fee
            counted += take
    return total


def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def _line(rule: Rule, item: str, amount: float | None, note: str = "") -> CostLine:
    return CostLine(item, amount, "USD", str(rule.as_of), rule.id, rule.needs_confirmation, note)


def _nrmp_registration(nrmp: Rule, note: str = "") -> CostLine:
    item = f"NRMP registration (up to {nrmp.params['included']} ranked programs)"
    return _line(nrmp, item, nrmp.params["registration"], note)


def estimate_costs(facts: Mapping[str, Any], book: RuleBook, on: date) -> CostEstimate:
    """What the rest of the US path is likely to cost, from the dated fee rules."""
    lines: list[CostLine] = []

    def rule(name: str) -> Rule | None:
        return book.version(name, on) or book.rules.get(name)

    def is_false(name: str) -> bool:
        return facts.get(name) is False

    if facts.get("img.is_img") is False:
        return CostEstimate(())
    app = rule("US.COST.ECFMG_APP")
    if app and not facts.get("ecfmg.application_submitted"):
        lines.append(_line(app, "Application for ECFMG Certification", app.params["amount"]))
    exams = rule("US.COST.STEP1_2CK")
    if exams:
        for step, label in (("step1", "USMLE Step 1"), ("step2ck", "USMLE Step 2 CK")):
            if not facts.get(f"{step}.passed"):
                lines.append(
                    _line(
                        exams,
                        label,
                        exams.params["amount"],
                        "plus an international test delivery surcharge if you test outside the US and Canada",
                    )
                )
    if not facts.get("ecfmg.clinical_skills_met") and not facts.get("step2cs.passed"):
        pathway = rule("US.COST.PATHWAY")
        if pathway and not facts.get("ecfmg.pathway_applied"):
            lines.append(_line(pathway, "ECFMG Pathway application", pathway.params["amount"]))
        oet = rule("US.COST.OET")
        if oet and not facts.get("oet.passed"):
            lines.append(
                _line(
                    oet,
                    "OET Medicine",
                    oet.params["amount"],
                    "set in Australian dollars; check the current fee",
                )
            )
    programs = facts.get("target.programs")
    if not facts.get("progress.eras_submitted"):
        eras = book.version("US.COST.ERAS", on)
        if eras is not None:
            if programs:
                specialties = facts.get("target.specialties") or 1
                fee = eras_fee(int(programs), int(specialties), eras.params["tiers"])
                lines.append(
                    _line(
                        eras,
                        f"ERAS applications ({_count(programs, 'program')}, {_count(int(specialties), 'specialty')})",
                        fee,
                    )
                )
            else:
                lines.append(
                    _line(
                        eras,
                        "ERAS applications",
                        None,
                        "tell us how many programs you will apply to",
                    )
                )
        token = rule("US.COST.ERAS_TOKEN")
        if token:
            lines.append(_line(token, "ECFMG ERAS token", token.params["amount"]))
        transcript = rule("US.COST.USMLE_TRANSCRIPT")
        if transcript:
            lines.append(_line(transcript, "USMLE transcript to ERAS", transcript.params["amount"]))
    nrmp = rule("US.COST.NRMP")
    if nrmp and not facts.get("progress.nrmp_registered"):
        lines.append(
            _nrmp_registration(nrmp, f"${nrmp.params['per_extra']} for each further ranked program")
        )
    step3 = rule("US.COST.STEP3")
    if step3 and is_false("step3.passed"):
        lines.append(_line(step3, "USMLE Step 3", step3.params["amount"]))
    h1b = rule("US.VISA.H1B.FEE_100K")
    if h1b and facts.get("target.visa") == "h1b" and facts.get("person.in_us") is False:
        item = "H-1B payment for a new petition from abroad (paid by the employer)"
        lines.append(_line(h1b, item, h1b.params["amount"]))
    return CostEstimate(tuple(lines))


def season_costs(
    book: RuleBook,
    on: date,
    *,
    programs: int,
    specialties: int = 1,
    ranks: int | None = None,
    exams: bool = False,
) -> CostEstimate:
    """An application season's fees for ``programs`` programs, from the fee rules in force on ``on``.

    ``ranks`` (default: up to the number covered by the NRMP fee) adds NRMP's extra-rank fees;
    ``exams`` adds the exam and ECFMG fees an IMG pays once.
    """
    lines: list[CostLine] = []

    def rule(name: str) -> Rule | None:
        return book.version(name, on) or book.rules.get(name)

    eras = book.version("US.COST.ERAS", on)
    if eras is not None:
        fee = eras_fee(programs, specialties, eras.params["tiers"])
        note = "the count restarts for each specialty; programs split evenly here"
        lines.append(
            _line(
                eras,
                f"ERAS applications ({_count(programs, 'program')}, {_count(int(specialties), 'specialty')})",
                fee,
                note if specialties > 1 else "",
            )
        )
    else:
        lines.append(
            CostLine(
                "ERAS applications",
                None,
                "USD",
                "unknown",
                "US.COST.ERAS.v2026",
                True,
                "no ERAS fee schedule in force on this date",
            )
        )
    for name, item in (
        ("US.COST.ERAS_TOKEN", "ECFMG ERAS token (IMGs)"),
        ("US.COST.USMLE_TRANSCRIPT", "USMLE transcript to ERAS"),
    ):
        found = rule(name)
        if found:
            lines.append(_line(found, item, found.params["amount"]))
    nrmp = rule("US.COST.NRMP")
    if nrmp is not None:
        p = nrmp.params
        lines.append(_nrmp_registration(nrmp))
        ranked = min(programs, 300) if ranks is None else ranks
        extra = max(0, ranked - int(p["included"]))
        if extra:
            lines.append(
                _line(
                    nrmp,
                    f"NRMP extra ranks ({extra} beyond {p['included']})",
                    extra * p["per_extra"],
                )
            )
    if exams:
        for name, item in (
            ("US.COST.ECFMG_APP", "Application for ECFMG Certification"),
            ("US.COST.STEP1_2CK", "USMLE Step 1"),
            ("US.COST.STEP1_2CK", "USMLE Step 2 CK"),
            ("US.COST.PATHWAY", "ECFMG Pathway application"),
            ("US.COST.OET", "OET Medicine"),
            ("US.COST.STEP3", "USMLE Step 3"),
        ):
            found = rule(name)
            if found:
                lines.append(_line(found, item, found.params.get("amount")))
    return CostEstimate(tuple(lines))
