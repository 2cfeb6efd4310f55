"""The Match calendar for a target year: announced dates where known, projections otherwise.

Announced and projected dates live in the rule book (topic ``nrmp``, ids ``US.CAL.<year>.<EVENT>``)
so that each deadline cites a source.  A date nobody has announced is projected by rule
``US.CAL.PROJECTION`` (graded L, so shown as "needs confirmation") from the pattern of several
past years (rule ``US.CAL.HISTORY``), and shown as a *range*: the rank-list deadline was 16 days
before Match Day in 2023-2025 and 23 days in 2026, so the 2027 deadline is projected between
23 and 16 days before Match Day, and ``date`` is the earliest of the range (the safe day to plan
for).  NRMP gives deadlines in US Eastern time.  Every date is marked ``past`` or not relative to
the day asked, so nothing already past is shown as upcoming.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
    """One event of a Match season.

    ``date`` is the day to plan for: for a projected range, its earliest day.  ``earliest`` and
    ``latest`` bound a projection (equal when the pattern gave one day); ``basis`` says how it
    was projected; ``past`` is true when the day asked is after ``latest``.
    """

    id: str
    title: str
    date: date | None
    time_et: str | None
    status: str
    """announced (official), reported (a secondary source only), projected, or unknown."""
    rule_id: str
    needs_confirmation: bool
    earliest: dt.date | None = None
    latest: dt.date | None = None
    basis: str = ""
    past: bool = False
    stale: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "date": None if self.date is None else self.date.isoformat(),
            "status": self.status,
            "rule_id": self.rule_id,
            "past": self.past,
        }
        if self.time_et:
            out["time_et"] = self.time_et
        if self.status == "projected" and self.earliest and self.latest:
            out["range"] = {
                "earliest": self.earliest.isoformat(),
                "latest": self.latest.isoformat(),
            }
        if self.basis:
            out["basis"] = self.basis
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        if self.stale:
            out["stale"] = True
        return out


def third_friday_of_march(year: int) -> date:
    first = date(year, 3, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 14)


def _first_weekday(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _offsets(history: Mapping[Any, Mapping[str, Any]], event: str, before_year: int) -> list[int]:
    """Days from each past year's ``event`` to its Match Day (years before ``before_year``)."""
    return [
        (_as_date(row["match_day"]) - _as_date(row[event])).days
        for year, row in sorted(history.items())
        if int(year) < before_year and row.get(event) and row.get("match_day")
    ]


def deadlines(match_year: int, book: RuleBook, on: date | None = None) -> list[Deadline]:
    """Every calendar event of ``match_year`` with its date, status, source rule and range."""
    on = on or date.min
    announced: dict[str, Rule] = {}
    for rule in book.topic("nrmp"):
        p = rule.params
        if p.get("match_year") == match_year and p.get("event") in EVENTS:
            announced[p["event"]] = rule
    projection = book.rules.get("US.CAL.PROJECTION")
    history_rule = book.rules.get("US.CAL.HISTORY")
    history: Mapping[Any, Mapping[str, Any]] = (
        history_rule.params["seasons"] if history_rule else {}
    )
    eligibility = book.rules.get("US.NRMP.IMG.ELIG")
    out: dict[str, Deadline] = {}

    def put(
        event: str,
        when: date,
        status: str,
        rule: Rule,
        time_et: str | None = None,
        *,
        latest: date | None = None,
        basis: str = "",
    ) -> None:
        last = latest or when
        out[event] = Deadline(
            event, EVENTS[event], when, time_et, status, rule.id, rule.unsure(on),
            earliest=when, latest=last, basis=basis, past=on > last, stale=rule.stale(on),
        )  # fmt: skip

    for event, rule in announced.items():
        p = rule.params
        put(event, _as_date(p["date"]), str(p.get("status", "announced")), rule, p.get("time"))
    past_year = history.get(match_year) or history.get(str(match_year))
    if past_year and history_rule is not None:
        for event in ("rol_deadline", "match_day"):
            if event not in out and past_year.get(event):
                status = str(past_year.get("status", "announced"))
                time = "21:00 ET" if event == "rol_deadline" else None
                put(event, _as_date(past_year[event]), status, history_rule, time)
    if projection is not None:
        _project(match_year, projection, history, out, put)
    if eligibility is not None and "rol_deadline" in out:
        rol = out["rol_deadline"]
        out["ecfmg_confirmation"] = Deadline(
            "ecfmg_confirmation", EVENTS["ecfmg_confirmation"], rol.date, rol.time_et, rol.status,
            eligibility.id, rol.needs_confirmation, rol.earliest, rol.latest, rol.basis, rol.past,
            rol.stale,
        )  # fmt: skip
    order = list(EVENTS)
    return sorted(out.values(), key=lambda d: (d.date or date.max, order.index(d.id)))


def _project(
    match_year: int,
    projection: Rule,
    history: Mapping[Any, Mapping[str, Any]],
    out: dict[str, Deadline],
    put: Any,
) -> None:
    """Fill the events nobody announced from the pattern of past years (rule US.CAL.PROJECTION)."""
    p = projection.params
    match_day = out["match_day"].date if "match_day" in out else third_friday_of_march(match_year)
    assert match_day is not None
    if "match_day" not in out:
        put("match_day", match_day, "projected", projection, basis="third Friday of March")
    if "match_week" not in out:
        put("match_week", match_day - timedelta(days=4), "projected", projection,
            basis="the Monday before Match Day")  # fmt: skip
    if "rol_deadline" not in out:
        offsets = _offsets(history, "rol_deadline", match_year) or [
            int(p["rol_days_before_match_day"])
        ]
        years = sorted(int(y) for y in history if int(y) < match_year)
        span = f"{years[0]}-{years[-1]}" if years else "recent years"
        low, high = min(offsets), max(offsets)
        days = f"{low}" if low == high else f"{low} to {high}"
        put("rol_deadline", match_day - timedelta(days=high), "projected", projection, "21:00 ET",
            latest=match_day - timedelta(days=low),
            basis=f"{days} days before Match Day, as in {span}")  # fmt: skip
    if "eras_opens" not in out:
        put("eras_opens", _first_weekday(match_year - 1, 6, 2), "projected", projection,
            basis="first Wednesday of June")  # fmt: skip
    if "eras_submit" not in out:
        put("eras_submit", _first_weekday(match_year - 1, 9, 2), "projected", projection,
            "09:00 ET", basis="first Wednesday of September")  # fmt: skip
    if "programs_review" not in out:
        submit = out["eras_submit"].date
        assert submit is not None
        put("programs_review", submit + timedelta(days=21), "projected", projection,
            basis="three weeks after submissions open")  # fmt: skip
    if "nrmp_registration" not in out:
        put("nrmp_registration", date(match_year - 1, 9, int(p["nrmp_registration_day"])),
            "projected", projection, basis="mid-September")  # fmt: skip
    if "eras_ends" not in out:
        put("eras_ends", date(match_year, 5, 31), "projected", projection, basis="May 31")
