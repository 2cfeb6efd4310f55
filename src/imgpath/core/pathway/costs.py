"""Costs still ahead, each fee with its amount, its as-of date and the rule it comes from.

Only fees for what is not done yet are counted.  An amount nobody has verified stays ``None``
and is reported as unknown rather than guessed; the total says how many lines it leaves out.
A fee rule past its review date is shown with the date it was last confirmed (``stale``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = [
    "CostEstimate",
    "CostLine",
    "eras_fee",
    "estimate_costs",
    "length_fee",
    "season_costs",
]


@dataclass(frozen=True)
class CostLine:
    item: str
    amount: float | None
    currency: str
    as_of: str
    rule_id: str
    needs_confirmation: bool
    note: str = ""
    stale: bool = False

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
        if self.stale:
            out["stale"] = True
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


def eras_fee(programs: int, specialties: int, tiers: Sequence[Sequence[Any]]) -> float:
    """ERAS fees for ``programs`` spread over ``specialties`` (the tier count restarts per specialty).

    ``tiers`` is ``[[up_to, fee], ..., [None, fee]]``: e.g. $11 for programs 1-30, then $30.  A
    tier ``[up_to, fee, "flat"]`` costs ``fee`` once for any number of programs in it (the ERAS
    2024 season charged $99 for up to 10 programs).
    """
    specialties = max(1, min(specialties, programs)) if programs else 1
    base, extra = divmod(programs, specialties)
    total = 0.0
    for i in range(specialties):
        n = base + (1 if i < extra else 0)
        counted = 0
        for tier in tiers:
            up_to, fee = tier[0], tier[1]
            flat = len(tier) > 2 and tier[2] == "flat"
            assert fee is not None
            take = n - counted if up_to is None else max(0, min(n, up_to) - counted)
            total += (fee if take else 0) if flat else take * fee
            counted += take
    return total


def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def _line(
    rule: Rule, item: str, amount: float | None, note: str = "", on: date | None = None
) -> CostLine:
    stale = on is not None and rule.stale(on)
    if stale and on is not None:
        note = f"{note}; {rule.caveat(on)}" if note else rule.caveat(on)
    unsure = rule.needs_confirmation or stale
    return CostLine(item, amount, "USD", str(rule.as_of), rule.id, unsure, note, stale)


def _nrmp_registration(nrmp: Rule, note: str = "", on: date | None = None) -> CostLine:
    item = f"NRMP registration (up to {nrmp.params['included']} ranked programs)"
    return _line(nrmp, item, nrmp.params["registration"], note, on)


def length_fee(ranks: int, bands: Sequence[Sequence[int]]) -> int:
    """NRMP's Length of Rank Order List Fee for ``ranks`` ranks: ``bands`` is ``[[from, fee]]``."""
    fee = 0
    for start, amount in bands:
        if ranks >= start:
            fee = amount
    return fee


def estimate_costs(facts: Mapping[str, Any], book: RuleBook, on: date) -> CostEstimate:
    """What the rest of the US path is likely to cost, from the dated fee rules."""
    lines: list[CostLine] = []

    def rule(name: str) -> Rule | None:
        return book.version(name, on) or book.rules.get(name)

    def _at(found: Rule, item: str, amount: float | None, note: str = "") -> CostLine:
        return _line(found, item, amount, note, on)

    def is_false(name: str) -> bool:
        return facts.get(name) is False

    if facts.get("img.is_img") is False:
        return CostEstimate(())
    app = rule("US.COST.ECFMG_APP")
    if app and not facts.get("ecfmg.application_submitted"):
        lines.append(_at(app, "Application for ECFMG Certification", app.params["amount"]))
    exams = rule("US.COST.STEP1_2CK")
    if exams:
        for step, label in (("step1", "USMLE Step 1"), ("step2ck", "USMLE Step 2 CK")):
            if not facts.get(f"{step}.passed"):
                lines.append(
                    _at(
                        exams,
                        label,
                        exams.params["amount"],
                        "plus an international test delivery surcharge if you test outside the US and Canada",
                    )
                )
    if not facts.get("ecfmg.clinical_skills_met") and not facts.get("step2cs.passed"):
        pathway = rule("US.COST.PATHWAY")
        if pathway and not facts.get("ecfmg.pathway_applied"):
            lines.append(_at(pathway, "ECFMG Pathway application", pathway.params["amount"]))
        oet = rule("US.COST.OET")
        if oet and not facts.get("oet.passed"):
            lines.append(
                _at(
                    oet,
                    "OET Medicine",
                    oet.params["amount"],
                    "set in Australian dollars; check the current fee",
                )
            )
    programs = facts.get("target.programs")
    cas = facts.get("application.service") == "residencycas"
    if not facts.get("progress.eras_submitted") and cas:
        service = book.rules.get("US.APP.RESIDENCYCAS")
        if service is not None:
            lines.append(
                _at(service, "ResidencyCAS applications", None, "its fees are not in our sources")
            )
    if not facts.get("progress.eras_submitted") and not cas:
        eras = book.version("US.COST.ERAS", on)
        if eras is not None:
            if programs:
                specialties = facts.get("target.specialties") or 1
                fee = eras_fee(int(programs), int(specialties), eras.params["tiers"])
                lines.append(
                    _at(
                        eras,
                        f"ERAS applications ({_count(programs, 'program')}, {_count(int(specialties), 'specialty')})",
                        fee,
                    )
                )
            else:
                lines.append(
                    _at(
                        eras,
                        "ERAS applications",
                        None,
                        "tell us how many programs you will apply to",
                    )
                )
        token = rule("US.COST.ERAS_TOKEN")
        if token:
            lines.append(_at(token, "ECFMG ERAS token", token.params["amount"]))
        transcript = rule("US.COST.USMLE_TRANSCRIPT")
        if transcript:
            lines.append(_at(transcript, "USMLE transcript to ERAS", transcript.params["amount"]))
    nrmp = rule("US.COST.NRMP")
    if nrmp and not facts.get("progress.nrmp_registered"):
        lines.append(
            _nrmp_registration(
                nrmp, on=on, note=f"${nrmp.params['per_extra']} for each further ranked program"
            )
        )
    step3 = rule("US.COST.STEP3")
    if step3 and is_false("step3.passed"):
        lines.append(_at(step3, "USMLE Step 3", step3.params["amount"]))
    h1b = rule("US.VISA.H1B.FEE_100K")
    if h1b and facts.get("target.visa") == "h1b" and facts.get("person.in_us") is False:
        item = "H-1B payment for a new petition from abroad (paid by the employer)"
        lines.append(_at(h1b, item, h1b.params["amount"]))
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

    def _at(found: Rule, item: str, amount: float | None, note: str = "") -> CostLine:
        return _line(found, item, amount, note, on)

    eras = book.version("US.COST.ERAS", on)
    if eras is not None:
        fee = eras_fee(programs, specialties, eras.params["tiers"])
        note = "the count restarts for each specialty; programs split evenly here"
        lines.append(
            _at(
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
            lines.append(_at(found, item, found.params["amount"]))
    nrmp = rule("US.COST.NRMP")
    if nrmp is not None:
        p = nrmp.params
        lines.append(_nrmp_registration(nrmp, on=on))
        limit = book.rules.get("US.NRMP.ROL.LIMIT")  # the most ranks a list can hold
        most = int(limit.params["max_ranks"]) if limit else programs
        ranked = min(programs, most) if ranks is None else ranks
        extra = max(0, ranked - int(p["included"]))
        length = length_fee(ranked, p.get("length_fees", []))
        if length:
            lines.append(_at(nrmp, f"NRMP Length of Rank Order List Fee ({ranked} ranks)", length))
        if extra:
            lines.append(
                _at(
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
                lines.append(_at(found, item, found.params.get("amount")))
    return CostEstimate(tuple(lines))
