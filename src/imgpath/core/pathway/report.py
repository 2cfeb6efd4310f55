"""``evaluate(profile, on)``: where a person stands on a day, and what comes next.

The JSON form (``Report.to_dict``) is a stable, documented schema with the top-level keys
``as_of``, ``img``, ``steps``, ``deadlines``, ``visa_options``, ``licensure``, ``timeline``,
``costs``, ``next_actions`` and ``questions``, and ``rules``: each cited rule's sources, grade and
dates.  Every sentence in it carries a ``rule_id`` that resolves to one of those rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from imgpath.core.pathway.costs import CostEstimate, estimate_costs
from imgpath.core.pathway.engine import Reason, StepDef, StepResult, evaluate_steps, parse_steps
from imgpath.core.pathway.facts import Facts, derive_facts, questions_for
from imgpath.core.pathway.licensure import StateLicensure, evaluate_licensure
from imgpath.core.pathway.match_calendar import Deadline, deadlines
from imgpath.core.pathway.profile import EXAMS, Profile
from imgpath.core.pathway.rules import Rule, RuleBook
from imgpath.core.pathway.visas import VisaOption, evaluate_visas, parse_visa_options

__all__ = ["PathBook", "Report", "evaluate"]

REPORT_KEYS = (
    "as_of", "img", "steps", "deadlines", "visa_options", "licensure", "timeline", "costs",
    "next_actions", "questions",
)  # fmt: skip

_EXAM_TITLES = {
    "step1": "USMLE Step 1", "step2ck": "USMLE Step 2 CK", "step3": "USMLE Step 3", "step2cs": "USMLE Step 2 CS",
    "plab1": "PLAB 1", "plab2": "PLAB 2", "mccqe1": "MCCQE Part I", "nac": "NAC examination",
    "amc_cat": "AMC CAT", "amc_clinical": "AMC Clinical Examination",
    "amc_wba": "AMC workplace-based assessment",
}  # fmt: skip


@dataclass(frozen=True)
class PathBook:
    """The parsed path definitions: steps per destination and the US visa options."""

    steps: Mapping[str, tuple[StepDef, ...]]
    visas: tuple[tuple[StepDef, str | None], ...]

    @classmethod
    def from_data(cls, paths: Mapping[str, Any]) -> PathBook:
        steps = {
            str(data["destination"]): tuple(
                parse_steps(data["steps"], where=f"paths/{name}.yaml steps")
            )
            for name, data in paths.items()
            if "steps" in data
        }
        visas = tuple(parse_visa_options(paths["visas"])) if "visas" in paths else ()
        return cls(steps, visas)


@dataclass(frozen=True)
class Action:
    text: str
    rule_id: str
    step: str | None = None
    due: date | None = None
    needs_confirmation: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "rule_id": self.rule_id}
        if self.step:
            out["step"] = self.step
        if self.due:
            out["due"] = self.due.isoformat()
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        return out


@dataclass(frozen=True)
class Event:
    date: date
    title: str
    rule_id: str
    kind: str
    """past, scheduled, deadline or estimate."""
    needs_confirmation: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "date": self.date.isoformat(),
            "title": self.title,
            "kind": self.kind,
            "rule_id": self.rule_id,
        }
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        return out


@dataclass(frozen=True)
class Report:
    """Everything ``imgpath plan`` says about one person on one day."""

    as_of: date
    destination: str
    img: dict[str, Any]
    steps: tuple[StepResult, ...]
    deadlines: tuple[Deadline, ...]
    visa_options: tuple[VisaOption, ...]
    licensure: tuple[StateLicensure, ...]
    timeline: tuple[Event, ...]
    costs: CostEstimate
    next_actions: tuple[Action, ...]
    questions: tuple[tuple[str, str], ...]
    facts: Facts = field(repr=False, compare=False, default_factory=lambda: Facts({}))
    rules: Mapping[str, Rule] = field(repr=False, compare=False, default_factory=dict)
    """Every rule the report cites, for its sources section."""

    def to_dict(self) -> dict[str, Any]:
        out = self._body()
        out["rules"] = {rule_id: _rule_dict(self.rules[rule_id]) for rule_id in sorted(self.rules)}
        return out

    def _body(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "destination": self.destination,
            "img": self.img,
            "steps": [s.to_dict() for s in self.steps],
            "deadlines": [d.to_dict() for d in self.deadlines],
            "visa_options": [v.to_dict() for v in self.visa_options],
            "licensure": [s.to_dict() for s in self.licensure],
            "timeline": [e.to_dict() for e in self.timeline],
            "costs": self.costs.to_dict(),
            "next_actions": [a.to_dict() for a in self.next_actions],
            "questions": [{"fact": f, "question": q} for f, q in self.questions],
        }

    def cited_rules(self) -> set[str]:
        """Every rule id the report cites (tests check each resolves to a source)."""
        cited = {r["rule_id"] for r in self.img["reasons"]}
        for step in self.steps:
            cited.update(r.rule_id for r in step.reasons)
        for option in self.visa_options:
            cited.update(r.rule_id for r in (*option.reasons, *option.lacks, *option.unknown))
        for state in self.licensure:
            cited.update(r.rule_id for r in state.reasons)
            for route in state.routes:
                cited.update(r.rule_id for r in (*route.reasons, *route.lacks, *route.unknown))
        cited.update(d.rule_id for d in self.deadlines)
        cited.update(e.rule_id for e in self.timeline)
        cited.update(line.rule_id for line in self.costs.lines)
        cited.update(a.rule_id for a in self.next_actions)
        return cited


def _rule_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {
        "title": rule.title,
        "confidence": rule.confidence,
        "effective_from": str(rule.effective_from) if rule.effective_from else rule.since,
        "as_of": str(rule.as_of),
        "sources": [{"url": s.url, "title": s.title} for s in rule.sources],
    }
    if rule.effective_until:
        out["effective_until"] = str(rule.effective_until)
    if rule.needs_confirmation:
        out["needs_confirmation"] = True
    return out


def _img(facts: Facts, book: RuleBook) -> dict[str, Any]:
    is_img = facts["img.is_img"]
    out: dict[str, Any] = {
        "is_img": is_img,
        "kind": None,
        "needs_visa": facts["person.needs_visa"],
        "reasons": [],
    }
    definition = book.rules["US.IMG.DEF"]
    if is_img is None:
        out["reasons"].append(
            Reason(
                "Tell us where your medical school is to know whether you are an IMG.",
                definition.id,
            ).to_dict()
        )
        return out
    country = facts["school.country"]
    if is_img:
        out["reasons"].append(
            Reason(
                f"Your medical school is outside the US and Canada ({country}), so you are an IMG, whatever your citizenship.",
                definition.id,
            ).to_dict()
        )
        citizen = facts["person.us_citizen"]
        nrmp = book.rules["US.IMG.SUBTYPE.NRMP"]
        if citizen is True:
            out["kind"] = "us_img"
            out["reasons"].append(Reason("As a US citizen you are a US IMG.", nrmp.id).to_dict())
        elif citizen is False:
            out["kind"] = "non_us_img"
            text = "You are not a US citizen, so NRMP counts you as a non-US IMG"
            if facts["person.permanent_resident"]:
                text += " (as a permanent resident you need no visa)"
            out["reasons"].append(Reason(text + ".", nrmp.id).to_dict())
    else:
        territory = book.rules.get("US.IMG.DEF.PUERTO_RICO")
        rid = (
            territory.id
            if territory and country in ("PR", "GU", "VI", "AS", "MP", "UM")
            else definition.id
        )
        out["reasons"].append(
            Reason(f"Your medical school is in {country}, so you are not an IMG.", rid).to_dict()
        )
    return out


def _timeline(
    profile: Profile,
    facts: Facts,
    report_deadlines: tuple[Deadline, ...],
    licensure: tuple[StateLicensure, ...],
    book: RuleBook,
    on: date,
) -> tuple[Event, ...]:
    events: list[Event] = []
    medsci = book.rules.get("US.ECFMG.EXAM.MEDSCI")
    for exam in EXAMS:
        for attempt in getattr(profile.exams, exam):
            rid = medsci.id if medsci else "US.PLAN.ORDER"
            kind = "scheduled" if attempt.date > on else "past"
            events.append(Event(attempt.date, f"{_EXAM_TITLES[exam]}: {attempt.result}", rid, kind))
    events.extend(
        Event(
            d.date,
            d.title + (" (projected)" if d.status == "projected" else ""),
            d.rule_id,
            "deadline",
            d.needs_confirmation,
        )
        for d in report_deadlines
        if d.date is not None
    )
    year = facts["target.match_year"]
    order = book.rules.get("US.PLAN.ORDER")
    if year and order and not facts["progress.residency_started"]:
        start = date(int(year), 7, 1)
        events.append(
            Event(start, "Residency would start (July 1 after the Match)", order.id, "estimate")
        )
        durations = book.version("US.PLAN.DURATIONS", on)
        if durations is not None:
            length = int(durations.params["residency_years"]["default"])
            events.append(
                Event(
                    date(start.year + length, 6, 30),
                    f"A {length}-year residency would end (internal medicine, family medicine, pediatrics)",
                    durations.id,
                    "estimate",
                    durations.needs_confirmation,
                )
            )
        table = book.version("US.LIC.STATE_TABLE", on)
        for state in licensure:
            row = table.params["states"].get(state.state) if table else None
            if row and table:
                when = date(start.year + int(row["pgt_img"]), 7, 1)
                events.append(
                    Event(
                        when,
                        f"Earliest full licence in {state.name} ({row['pgt_img']} year(s) of GME)",
                        table.id,
                        "estimate",
                        table.needs_confirmation,
                    )
                )
    return tuple(sorted(events, key=lambda e: e.date))


def _actions(
    steps: tuple[StepResult, ...],
    report_deadlines: tuple[Deadline, ...],
    on: date,
) -> tuple[Action, ...]:
    actions = [
        Action(
            f"{d.title}: {d.date}{' (projected)' if d.status == 'projected' else ''}",
            d.rule_id,
            due=d.date,
            needs_confirmation=d.needs_confirmation,
        )
        for d in report_deadlines
        if d.date is not None and on <= d.date <= on + timedelta(days=90)
    ]
    for step in steps:
        if step.status in ("done", "not_applicable") or not step.reasons:
            continue
        first = step.reasons[0]
        lead = "resolve first: " if step.status == "blocked" else ""
        actions.append(
            Action(
                f"{step.title}: {lead}{first.text}",
                first.rule_id,
                step.id,
                needs_confirmation=first.needs_confirmation,
            )
        )
        if len(actions) >= 6:
            break
    return tuple(actions)


def _route_open(licensure: tuple[StateLicensure, ...]) -> bool:
    """Whether a route is known to be open in some target state (unknown routes do not count)."""
    return any(route.status == "eligible" for state in licensure for route in state.routes)


def evaluate(profile: Profile, on: date, book: RuleBook, paths: PathBook) -> Report:
    """Evaluate ``profile`` on day ``on`` against the rule book and the path definitions."""
    facts = derive_facts(profile, on, book)
    destination = profile.targets.destination
    licensure: tuple[StateLicensure, ...] = ()
    if destination == "US":
        # Licensure first: the licence step is "ready" only once a target state's route is open.
        licensure = tuple(
            evaluate_licensure(profile.targets.states, profile.job_offers, facts.values, book, on)
        )
        facts = facts.with_values({"license.route_open": _route_open(licensure)})
    definitions = paths.steps.get(destination, ())
    steps = tuple(evaluate_steps(definitions, facts.values, book, on))
    missing: set[str] = set().union(*(s.missing for s in steps)) if steps else set()
    report_deadlines: tuple[Deadline, ...] = ()
    visas: tuple[VisaOption, ...] = ()
    costs = CostEstimate(())
    if destination == "US":
        year = facts["target.match_year"]
        if year:
            report_deadlines = tuple(deadlines(int(year), book))
        else:
            missing.add("target.match_year")
        visas = tuple(evaluate_visas(paths.visas, facts.values, book, on))
        missing |= set().union(*(v.missing for v in visas)) if visas else set()
        for state in licensure:
            for route in state.routes:
                missing |= route.missing
        if not profile.targets.states:
            missing.add("target.states")
        costs = estimate_costs(facts.values, book, on)
    questions = questions_for(sorted(missing))
    timeline = _timeline(profile, facts, report_deadlines, licensure, book, on)
    report = Report(
        as_of=on,
        destination=destination,
        img=_img(facts, book),
        steps=steps,
        deadlines=report_deadlines,
        visa_options=visas,
        licensure=licensure,
        timeline=timeline,
        costs=costs,
        next_actions=_actions(steps, report_deadlines, on),
        questions=tuple(questions.items()),
        facts=facts,
    )
    cited = {rule_id: book.rules[rule_id] for rule_id in report.cited_rules()}
    return replace(report, rules=cited)
