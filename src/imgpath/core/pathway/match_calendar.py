"""The Match calendar for a target year: announced dates where known, projections otherwise.

Announced and projected dates live in the rule book (topic ``nrmp``, ids ``US.CAL.<year>.<EVENT>``)
so that each deadline cites a source.  A date nobody has announced is projected from recent years
by rule ``US.CAL.PROJECTION`` (graded L, so shown as "needs confirmation"); NRMP gives deadlines
in US Eastern time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = ["EVENTS", "Deadline", "deadlines", "third_friday_of_march"]

EVENTS = {
    "eras_opens": "ERAS season opens (tokens from ECFMG)",
    "eras_submit": "ERAS applications can be sent to programs",
    "programs_review": "Programs start reviewing applications",
    "nrmp_registration": "NRMP registration opens",
    "rol_deadline": "Rank order list certification deadline",
    "ecfmg_confirmation": "ECFMG must have confirmed your exams and clinical skills to NRMP",
    "match_week": "Match Week begins (SOAP for unmatched applicants)",
    "match_day": "Match Day",
    "eras_ends": "ERAS season ends",
}


@dataclass(frozen=True)
class Deadline:
    id: str
    title: str
    date: date | None
    time_et: str | None
    status: str
    """announced (official), reported (a secondary source only), projected, or unknown."""
    rule_id: str
    needs_confirmation: bool

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "date": None if self.date is None else self.date.isoformat(),
            "status": self.status,
            "rule_id": self.rule_id,
        }
        if self.time_et:
            out["time_et"] = self.time_et
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        return out


def third_friday_of_march(year: int) -> date:
    first = date(year, 3, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 14)


def _first_weekday(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def deadlines(match_year: int, book: RuleBook) -> list[Deadline]:
    """Every calendar event of ``match_year`` with its date, status and source rule."""
    announced: dict[str, Rule] = {}
    for rule in book.topic("nrmp"):
        p = rule.params
        if p.get("match_year") == match_year and p.get("event") in EVENTS:
            announced[p["event"]] = rule
    projection = book.rules.get("US.CAL.PROJECTION")
    past = book.rules.get("US.CAL.ROL_DEADLINES")
    eligibility = book.rules.get("US.NRMP.IMG.ELIG")
    out: dict[str, Deadline] = {}

    def put(
        event: str, when: date | None, status: str, rule: Rule, time_et: str | None = None
    ) -> None:
        out[event] = Deadline(
            event, EVENTS[event], when, time_et, status, rule.id, rule.needs_confirmation
        )

    for event, rule in announced.items():
        p = rule.params
        put(event, _as_date(p["date"]), str(p.get("status", "announced")), rule, p.get("time"))
    if projection is not None:
        match_day = (
            out["match_day"].date if "match_day" in out else third_friday_of_march(match_year)
        )
        if "match_day" not in out:
            put("match_day", match_day, "projected", projection)
        assert match_day is not None
        if "match_week" not in out:
            put("match_week", match_day - timedelta(days=4), "projected", projection)
        known = (past.params.get("deadlines", {}) if past is not None else {}).get(match_year)
        if known is not None and past is not None:
            put("rol_deadline", _as_date(known), "announced", past, "21:00 ET")
        elif "rol_deadline" not in out:
            days = int(projection.params["rol_days_before_match_day"])
            put(
                "rol_deadline",
                match_day - timedelta(days=days),
                "projected",
                projection,
                "21:00 ET",
            )
        if "eras_opens" not in out:
            put("eras_opens", _first_weekday(match_year - 1, 6, 2), "projected", projection)
        if "eras_submit" not in out:
            put(
                "eras_submit",
                _first_weekday(match_year - 1, 9, 2),
                "projected",
                projection,
                "09:00 ET",
            )
        if "programs_review" not in out:
            submit = out["eras_submit"].date
            assert submit is not None
            put("programs_review", submit + timedelta(days=21), "projected", projection)
        if "nrmp_registration" not in out:
            put(
                "nrmp_registration",
                date(match_year - 1, 9, int(projection.params["nrmp_registration_day"])),
                "projected",
                projection,
            )
        if "eras_ends" not in out:
            put("eras_ends", date(match_year, 5, 31), "projected", projection)
    if eligibility is not None and "rol_deadline" in out:
        rol = out["rol_deadline"]
        out["ecfmg_confirmation"] = Deadline(
            "ecfmg_confirmation", EVENTS["ecfmg_confirmation"], rol.date, rol.time_et, rol.status,
            eligibility.id, rol.needs_confirmation,
        )  # fmt: skip
    order = list(EVENTS)
    return sorted(out.values(), key=lambda d: (d.date or date.max, order.index(d.id)))
