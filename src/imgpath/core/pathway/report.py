"""``evaluate(profile, on)``: where a person stands on a day, and what comes next.

The JSON form (``Report.to_dict``) is a stable, documented schema with the top-level keys
``as_of``, ``img``, ``steps``, ``deadlines``, ``visa_options``, ``licensure``, ``timeline``,
``costs``, ``next_actions``, ``questions`` and ``changes`` (the policy alert of
``--changes-since``), and ``rules``: each cited rule's sources, grade, dates and review status.
Every sentence in it carries a ``rule_id`` that resolves to one of those rules; dates carry
``past`` so that nothing already past is shown as upcoming.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from imgpath.core.pathway.changes import RuleChange, changes_between
from imgpath.core.pathway.costs import CostEstimate, estimate_costs
from imgpath.core.pathway.engine import (
    StepDef,
    StepResult,
    cite,
    evaluate_steps,
    parse_steps,
)
from imgpath.core.pathway.facts import Facts, derive_facts, questions_for
from imgpath.core.pathway.licensure import StateLicensure, evaluate_licensure
from imgpath.core.pathway.match_calendar import Deadline, deadlines
from imgpath.core.pathway.profile import EXAMS, Profile
from imgpath.core.pathway.rules import Rule, RuleBook
from imgpath.core.pathway.visas import VisaOption, evaluate_visas, parse_visa_options

__all__ = ["PathBook", "Report", "evaluate", "rule_summary"]

REPORT_KEYS = (
    "as_of", "img", "steps", "deadlines", "visa_options", "licensure", "timeline", "costs",
    "next_actions", "questions", "changes",
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
    stale: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "rule_id": self.rule_id}
        if self.step:
            out["step"] = self.step
        if self.due:
            out["due"] = self.due.isoformat()
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        if self.stale:
            out["stale"] = True
        return out


@dataclass(frozen=True)
class Event:
    date: date
    title: str
    rule_id: str
    kind: str
    """past, scheduled, deadline or estimate (only past events lie before the day asked)."""
    needs_confirmation: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "date": self.date.isoformat(),
            "title": self.title,
            "kind": self.kind,
            "past": self.kind == "past",
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
    changes: tuple[RuleChange, ...] = ()
    changes_since: date | None = None
    facts: Facts = field(repr=False, compare=False, default_factory=lambda: Facts({}))
    rules: Mapping[str, Rule] = field(repr=False, compare=False, default_factory=dict)
    """Every rule the report cites, for its sources section."""

    def to_dict(self) -> dict[str, Any]:
        out = self._body()
        out["rules"] = {
            rule_id: rule_summary(self.rules[rule_id], self.as_of) for rule_id in sorted(self.rules)
        }
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
            "changes": {
                "since": self.changes_since.isoformat() if self.changes_since else None,
                "items": [c.to_dict() for c in self.changes],
            },
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
        cited.update(c.rule_id for c in self.changes)
        return cited


def rule_summary(rule: Rule, on: date) -> dict[str, Any]:
    """A cited rule for a reader: grade, dates, review status and sources (what a page links to)."""
    out: dict[str, Any] = {
        "title": rule.title,
        "statement": rule.statement,
        "confidence": rule.confidence,
        "effective_from": str(rule.effective_from) if rule.effective_from else rule.since,
        "as_of": str(rule.as_of),
        "sources": [{"url": s.url, "title": s.title} for s in rule.sources],
    }
    if rule.effective_until:
        out["effective_until"] = str(rule.effective_until)
    if rule.review_by:
        out["review_by"] = rule.review_by.isoformat()
        out["stale"] = rule.stale(on)
    if rule.unsure(on):
        out["needs_confirmation"] = True
    return out


_IMG_RULES = {
    "UK": ("uk.img", "UK.IMG.DEF", "the UK, the EEA and Switzerland"),
    "CA": ("ca.img", "CA.IMG.DEF", "Canada and the US"),
    "AU": ("au.img", "AU.IMG.DEF", "Australia and New Zealand"),
}


def _img(facts: Facts, book: RuleBook, on: date, destination: str = "US") -> dict[str, Any]:
    """Whether the person is an IMG *where they are going* (each destination defines it), and
    for the US, NRMP's US IMG / non-US IMG kind."""
    if destination in _IMG_RULES:
        fact, rule_id, home = _IMG_RULES[destination]
        is_dest_img = facts[fact]
        rule = book.rules[rule_id]
        country = facts["school.country"]
        if is_dest_img is None:
            text = "Tell us where your medical school is to know whether you are an IMG."
        elif is_dest_img:
            text = f"Your degree is from outside {home} ({country}), so you are an international medical graduate there."
        else:
            text = f"Your degree is from {country}, within {home}, so you are not an international medical graduate there."
        return {
            "is_img": is_dest_img,
            "kind": None,
            "needs_visa": None,
            "reasons": [cite(rule, text, on).to_dict()],
        }
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
            cite(
                definition,
                "Tell us where your medical school is to know whether you are an IMG.",
                on,
            ).to_dict()
        )
        return out
    country = facts["school.country"]
    if is_img:
        out["reasons"].append(
            cite(
                definition,
                f"Your medical school is outside the US and Canada ({country}), so you are an IMG, whatever your citizenship.",
                on,
            ).to_dict()
        )
        citizen = facts["person.us_citizen"]
        nrmp = book.rules["US.IMG.SUBTYPE.NRMP"]
        if citizen is True:
            out["kind"] = "us_img"
            out["reasons"].append(cite(nrmp, "As a US citizen you are a US IMG.", on).to_dict())
        elif citizen is False:
            out["kind"] = "non_us_img"
            text = "You are not a US citizen, so NRMP counts you as a non-US IMG"
            if facts["person.permanent_resident"]:
                text += " (as a permanent resident you need no visa)"
            out["reasons"].append(cite(nrmp, text + ".", on).to_dict())
    else:
        territory = book.rules.get("US.IMG.DEF.PUERTO_RICO")
        rule = (
            territory
            if territory and country in ("PR", "GU", "VI", "AS", "MP", "UM")
            else definition
        )
        out["reasons"].append(
            cite(rule, f"Your medical school is in {country}, so you are not an IMG.", on).to_dict()
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
            d.title + _projected(d),
            d.rule_id,
            "past" if d.past else "deadline",
            d.needs_confirmation,
        )
        for d in report_deadlines
        if d.date is not None
    )
    year = facts["target.match_year"]
    order = book.rules.get("US.PLAN.ORDER")
    estimates: list[Event] = []
    if year and order and not facts["progress.residency_started"]:
        start = date(int(year), 7, 1)
        estimates.append(
            Event(start, "Residency would start (July 1 after the Match)", order.id, "estimate")
        )
        durations = book.version("US.PLAN.DURATIONS", on)
        if durations is not None:
            length = int(durations.params["residency_years"]["default"])
            estimates.append(
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
                estimates.append(
                    Event(
                        when,
                        f"Earliest full licence in {state.name} ({row['pgt_img']} year(s) of GME)",
                        table.id,
                        "estimate",
                        table.needs_confirmation,
                    )
                )
    # An estimate for a day already past says nothing true (the season it assumed is over).
    events.extend(e for e in estimates if e.date >= on)
    return tuple(sorted(events, key=lambda e: e.date))


def _projected(d: Deadline) -> str:
    if d.status != "projected":
        return ""
    if d.earliest and d.latest and d.earliest != d.latest:
        return (
            f" (projected between {d.earliest.isoformat()} and {d.latest.isoformat()}; {d.basis})"
        )
    return " (projected)"


def _actions(
    steps: tuple[StepResult, ...],
    report_deadlines: tuple[Deadline, ...],
    on: date,
) -> tuple[Action, ...]:
    actions = [
        Action(
            f"{d.title}: {d.date}{_projected(d)}"
            + (" (the earliest day of the range has passed: act now)" if d.date < on else ""),
            d.rule_id,
            due=d.date if d.date >= on else d.latest,
            needs_confirmation=d.needs_confirmation,
            stale=d.stale,
        )
        for d in report_deadlines
        if d.date is not None and not d.past and d.date <= on + timedelta(days=90)
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
                stale=first.stale,
            )
        )
        if len(actions) >= 6:
            break
    return tuple(actions)


def _route_open(licensure: tuple[StateLicensure, ...]) -> bool:
    """Whether a route is known to be open in some target state (unknown routes do not count)."""
    return any(route.status == "eligible" for state in licensure for route in state.routes)


def _changes(
    profile: Profile,
    facts: Facts,
    book: RuleBook,
    paths: PathBook,
    on: date,
    since: date,
    cited_now: set[str],
) -> tuple[RuleChange, ...]:
    """The policy alert: rules that began, ended or changed in ``[since, on]`` and touch the person.

    A rule touches the person if their plan cites it on either day (a travel ban that blocks
    them, whose condition says who is *not* blocked), or if its condition is true or unknown
    for them (a law of a state they target, a fee they will pay).
    """
    cited = set(cited_now)
    if since < on:
        cited |= evaluate(profile, since, book, paths).cited_rules()
    return tuple(changes_between(book, facts.values, profile.targets.destination, since, on, cited))


_SEASON_EVENTS = ("eras_opens", "eras_submit", "programs_review", "rol_deadline", "match_day")
_SEASON_FLAGS = {
    "eras_opens": "season.eras_opened",
    "eras_submit": "season.submissions_open",
    "programs_review": "season.programs_reviewing",
    "rol_deadline": "season.rol_deadline_passed",
    "match_day": "season.over",
}


def _when(d: Deadline) -> str:
    """A season date as a sentence may state it: a projection says so, with its range."""
    assert d.date is not None
    if d.status != "projected":
        return d.date.isoformat()
    if d.earliest and d.latest and d.earliest != d.latest:
        return f"{d.date.isoformat()} (projected range {d.earliest} to {d.latest})"
    return f"{d.date.isoformat()} (projected)"


def _season(report_deadlines: tuple[Deadline, ...], on: date) -> dict[str, Any]:
    """Where the target season stands on ``on``: each event's day, and whether it has come.

    "Has come" is true once the latest day of a projected range has passed, false before its
    earliest day, and unknown in between: a projected date is never treated as certain.
    """
    out: dict[str, Any] = {}
    by_id = {d.id: d for d in report_deadlines}
    for event in _SEASON_EVENTS:
        d = by_id.get(event)
        out[f"season.{event}"] = d.date if d else None
        out[f"season.{event}_when"] = _when(d) if d and d.date else None
        came: bool | None = None
        if d is not None and d.earliest is not None and d.latest is not None:
            passed = on > d.latest if event in ("rol_deadline", "match_day") else on >= d.latest
            before = on <= d.earliest if event in ("rol_deadline", "match_day") else on < d.earliest
            came = True if passed else (False if before else None)
        out[_SEASON_FLAGS[event]] = came
    return out


def evaluate(
    profile: Profile,
    on: date,
    book: RuleBook,
    paths: PathBook,
    *,
    changes_since: date | None = None,
) -> Report:
    """Evaluate ``profile`` on day ``on`` against the rule book and the path definitions.

    ``changes_since`` adds the policy alert: every rule that began, ended or changed between
    that day and ``on`` and touches this person (``Report.changes``).
    """
    facts = derive_facts(profile, on, book)
    destination = profile.targets.destination
    licensure: tuple[StateLicensure, ...] = ()
    report_deadlines: tuple[Deadline, ...] = ()
    if destination == "US" and facts["target.match_year"]:
        report_deadlines = tuple(deadlines(int(facts["target.match_year"]), book, on))
        facts = facts.with_values(_season(report_deadlines, on))
    if destination == "US":
        # Licensure first: the licence step is "ready" only once a target state's route is open.
        licensure = tuple(
            evaluate_licensure(profile.targets.states, profile.job_offers, facts.values, book, on)
        )
        facts = facts.with_values({"license.route_open": _route_open(licensure)})
    definitions = paths.steps.get(destination, ())
    steps = tuple(evaluate_steps(definitions, facts.values, book, on))
    missing: set[str] = set().union(*(s.missing for s in steps)) if steps else set()
    visas: tuple[VisaOption, ...] = ()
    costs = CostEstimate(())
    if destination == "US":
        if not facts["target.match_year"] and not facts["progress.matched"]:
            missing.add("target.match_year")
        visas = tuple(evaluate_visas(paths.visas, facts.values, book, on))
        missing |= set().union(*(v.missing for v in visas)) if visas else set()
        for state in licensure:
            for route in state.routes:
                missing |= route.missing
        if not profile.targets.states:
            missing.add("target.states")
        costs = estimate_costs(facts.values, book, on)
    questions = questions_for(sorted(missing), facts.values)
    timeline = _timeline(profile, facts, report_deadlines, licensure, book, on)
    report = Report(
        as_of=on,
        destination=destination,
        img=_img(facts, book, on, destination),
        steps=steps,
        deadlines=report_deadlines,
        visa_options=visas,
        licensure=licensure,
        timeline=timeline,
        costs=costs,
        next_actions=_actions(steps, report_deadlines, on),
        questions=tuple(questions.items()),
        changes_since=changes_since,
        facts=facts,
    )
    if changes_since is not None:
        alert = _changes(profile, facts, book, paths, on, changes_since, report.cited_rules())
        report = replace(report, changes=alert)
    cited = {rule_id: book.rules[rule_id] for rule_id in report.cited_rules()}
    return replace(report, rules=cited)
