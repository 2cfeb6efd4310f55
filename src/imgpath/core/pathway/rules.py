"""Rules as data: what a rule is, when it is in force, and the book that holds them all.

A rule is a dated, sourced, graded claim about the world ("USMLE allows 4 attempts per Step for
applications from 2021-07-01"), optionally with parameters (``limit: 4``) and a machine-evaluable
condition.  Rules change, so a rule *family* (``US.USMLE.ATTEMPTS``) has *versions*
(``.v2012``, ``.v2021``) with effective dates, and the engine asks the book for the version in
force on the day that matters: the evaluation day, or the date of the exam, test or application
the rule speaks about (``date_basis``).

Grades: **H** read on the primary source; **M** reputable secondary source; **L** a single weak
source or sources that disagree; **U** unverified.  L and U are always shown as "needs
confirmation", never as fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Literal

from imgpath.core.pathway.conditions import Condition, Verdict, parse_condition

__all__ = [
    "CONFIDENCE",
    "Change",
    "EligibilityItem",
    "PartialDate",
    "Rule",
    "RuleBook",
    "Source",
    "parse_partial_date",
    "parse_rules",
]

CONFIDENCE = {
    "H": "read on the primary source",
    "M": "reputable secondary source",
    "L": "a single weak source, or sources disagree",
    "U": "unverified",
}

Grade = Literal["H", "M", "L", "U"]

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_VERSION = re.compile(r"^(?P<family>.+)\.v(?P<version>[0-9_a-z]+)$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, month or year ("2025-09-21", "2024-03", "2025")."""

    first: date
    last: date
    text: str

    def __str__(self) -> str:
        return self.text


def parse_partial_date(value: Any) -> PartialDate:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD (a YAML date is accepted too)."""
    if isinstance(value, date):
        return PartialDate(value, value, value.isoformat())
    match = _PARTIAL.match(str(value))
    if not match:
        msg = f"{value!r} is not a date: write YYYY-MM-DD, YYYY-MM or YYYY"
        raise ValueError(msg)
    try:
        return _partial(*match.groups(), text=str(value))
    except ValueError as exc:
        msg = f"{value!r} is not a date: {exc}"
        raise ValueError(msg) from None


def _partial(year: str, month: str | None, day: str | None, *, text: str) -> PartialDate:
    y = int(year)
    if month and day:
        d = date(y, int(month), int(day))
        return PartialDate(d, d, text)
    if month:
        m = int(month)
        first = date(y, m, 1)
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return PartialDate(first, date.fromordinal(nxt.toordinal() - 1), text)
    return PartialDate(date(y, 1, 1), date(y, 12, 31), text)


@dataclass(frozen=True)
class Source:
    """Where a rule comes from."""

    url: str
    title: str


@dataclass(frozen=True)
class EligibilityItem:
    """One criterion of a pathway: what it asks, in words, and the condition that checks it."""

    text: str
    condition: Condition


@dataclass(frozen=True)
class Change:
    """A dated change to what a rule says (a ruling, an amendment), from its ``history``."""

    date: PartialDate
    text: str


@dataclass(frozen=True)
class Rule:
    """One dated, sourced, graded rule.

    ``review_by`` is the day after which the rule must not be stated as current fact (a measure
    that can end: a proclamation's term, a law under review, a court case); after it a plan says
    what was last confirmed and when.  ``informational`` says why the rule decides nothing (it is
    only cited); every other rule must be evaluated somewhere (see ``usage``).
    """

    id: str
    title: str
    statement: str
    jurisdiction: str
    topic: str
    effective_from: PartialDate | None
    """None with ``since`` = "long-standing" or "unknown"."""
    effective_until: PartialDate | None
    since: str
    as_of: PartialDate
    confidence: Grade
    sources: tuple[Source, ...]
    date_basis: str = "evaluation"
    params: Mapping[str, Any] = field(default_factory=dict)
    condition: Condition | None = None
    eligibility: tuple[EligibilityItem, ...] = ()
    notes: str = ""
    review_by: date | None = None
    review_note: str = ""
    informational: str = ""
    history: tuple[Change, ...] = ()

    @property
    def needs_confirmation(self) -> bool:
        return self.confidence in ("L", "U")

    def stale(self, day: date) -> bool:
        """Whether ``day`` is past the rule's review date (it may no longer hold)."""
        return self.review_by is not None and day > self.review_by

    def caveat(self, day: date) -> str:
        """What a plan adds to any sentence resting on this rule on ``day``: "" when current."""
        if not self.stale(day):
            return ""
        assert self.review_by is not None
        note = f": {self.review_note}" if self.review_note else ""
        if self.review_by < self.as_of.first:
            # Read after its review date and still not confirmed beyond it (e.g. a season's fees
            # read when the next season's were not yet published).
            when = f"last confirmed only up to {self.review_by.isoformat()}, read on {self.as_of}"
        else:
            when = f"last confirmed as of {self.as_of}; due for review since {self.review_by.isoformat()}"
        return f"{when}{note}. Check that it still holds before relying on it"

    def unsure(self, day: date) -> bool:
        """Needs confirmation on ``day``: a weak grade, or past its review date."""
        return self.needs_confirmation or self.stale(day)

    @cached_property
    def family(self) -> str:
        match = _VERSION.match(self.id)
        return match.group("family") if match else self.id

    def in_force(self, day: date) -> bool:
        """Whether the rule applies on ``day`` (a partial start date counts from its first day)."""
        if self.effective_from is not None and day < self.effective_from.first:
            return False
        return not (self.effective_until is not None and day > self.effective_until.last)

    def evaluate(self, facts: Mapping[str, Any]) -> Verdict:
        """Evaluate the rule's condition; a rule without one is simply true."""
        if self.condition is None:
            from imgpath.core.pathway.conditions import Truth

            return Verdict(Truth.TRUE)
        return self.condition.evaluate(facts, self.params)

    def citation(self) -> str:
        """A short human citation: grade and first source."""
        source = self.sources[0]
        return f"{source.title} <{source.url}> [{self.confidence}]"


def _since(value: Any) -> tuple[PartialDate | None, str]:
    if value in ("long-standing", "unknown", "current"):
        return None, str(value)
    parsed = parse_partial_date(value)
    return parsed, parsed.text


def parse_rules(data: Mapping[str, Any], *, where: str) -> list[Rule]:
    """Parse one rule pack (already read from YAML); raise ValueError naming the bad field."""
    jurisdiction = data.get("jurisdiction")
    topic = data.get("topic")
    if not jurisdiction or not topic or not isinstance(data.get("rules"), list):
        msg = f"{where}: a rule pack needs 'jurisdiction', 'topic' and a list of 'rules'"
        raise ValueError(msg)
    out: list[Rule] = []
    for i, raw in enumerate(data["rules"]):
        loc = f"{where}: rules[{i}] ({raw.get('id', '?')})"
        try:
            out.append(_parse_rule(raw, jurisdiction=jurisdiction, topic=topic, loc=loc))
        except (KeyError, TypeError) as exc:
            msg = f"{loc}: missing or malformed field {exc}"
            raise ValueError(msg) from None
    return out


_RULE_KEYS = {
    "id", "title", "statement", "effective_from", "effective_until", "as_of", "confidence",
    "sources", "date_basis", "params", "condition", "eligibility", "notes", "topic",
    "review_by", "review_note", "informational", "history",
}  # fmt: skip


def _parse_rule(raw: Mapping[str, Any], *, jurisdiction: str, topic: str, loc: str) -> Rule:
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        msg = f"{loc}: unknown field(s) {sorted(unknown)}"
        raise ValueError(msg)
    for required in (
        "id",
        "title",
        "statement",
        "effective_from",
        "as_of",
        "confidence",
        "sources",
    ):
        if raw.get(required) in (None, "", []):
            msg = f"{loc}: '{required}' is required (every rule needs a source, a date and a grade)"
            raise ValueError(msg)
    if raw["confidence"] not in CONFIDENCE:
        msg = f"{loc}: confidence must be one of H, M, L, U"
        raise ValueError(msg)
    sources = tuple(Source(url=str(s["url"]), title=str(s["title"])) for s in raw["sources"])
    for s in sources:
        if not s.url.startswith(("https://", "http://")):
            msg = f"{loc}: source url {s.url!r} must start with https://"
            raise ValueError(msg)
    start, since = _since(raw["effective_from"])
    until = raw.get("effective_until")
    params = dict(raw.get("params") or {})
    condition = None
    if raw.get("condition") is not None:
        condition = parse_condition(raw["condition"], where=f"{loc}.condition")
        missing = condition.params() - set(params)
        if missing:
            msg = f"{loc}: condition uses undefined param(s) {sorted(missing)}"
            raise ValueError(msg)
    eligibility = tuple(
        EligibilityItem(
            str(item["text"]), parse_condition(item["condition"], where=f"{loc}.eligibility[{j}]")
        )
        for j, item in enumerate(raw.get("eligibility") or [])
    )
    review_by = raw.get("review_by")
    if review_by is not None:
        parsed_review = parse_partial_date(review_by)
        review_by = parsed_review.last
    history = tuple(
        Change(parse_partial_date(item["date"]), " ".join(str(item["change"]).split()))
        for item in raw.get("history") or []
    )
    if raw.get("review_note") and review_by is None:
        msg = f"{loc}: 'review_note' needs a 'review_by' date"
        raise ValueError(msg)
    return Rule(
        id=str(raw["id"]),
        title=str(raw["title"]),
        statement=" ".join(str(raw["statement"]).split()),
        jurisdiction=str(jurisdiction),
        topic=str(raw.get("topic", topic)),
        effective_from=start,
        effective_until=None if until in (None, "open") else parse_partial_date(until),
        since=since,
        as_of=parse_partial_date(raw["as_of"]),
        confidence=raw["confidence"],
        sources=sources,
        date_basis=str(raw.get("date_basis", "evaluation")),
        params=params,
        condition=condition,
        eligibility=eligibility,
        notes=" ".join(str(raw.get("notes", "")).split()),
        review_by=review_by,
        review_note=" ".join(str(raw.get("review_note", "")).split()),
        informational=" ".join(str(raw.get("informational", "")).split()),
        history=history,
    )


class RuleBook:
    """All rules, by id and by family; answers "which version was in force on that day?"."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in self.rules:
                msg = f"rule id {rule.id} is defined twice"
                raise ValueError(msg)
            self.rules[rule.id] = rule
        self.families: dict[str, list[Rule]] = {}
        for rule in self.rules.values():
            self.families.setdefault(rule.family, []).append(rule)
        for versions in self.families.values():
            versions.sort(key=lambda r: r.effective_from.first if r.effective_from else date.min)
        self._at: dict[tuple[str, date], Rule | None] = {}

    def __getitem__(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self.rules

    def __iter__(self) -> Any:
        return iter(self.rules.values())

    def __len__(self) -> int:
        return len(self.rules)

    def at(self, name: str, day: date) -> Rule | None:
        """The rule a path names, as it applies on ``day`` (memoized: plans ask thousands of times).

        A rule id judged by the evaluation or application day is returned only while in force; a
        rule judged by another date (a test, a graduation) is returned and its condition decides.
        A family name gives the version in force on ``day``.
        """
        key = (name, day)
        if key not in self._at:
            rule = self.rules.get(name)
            if rule is not None:
                keep = rule.in_force(day) or rule.date_basis not in ("evaluation", "application")
                self._at[key] = rule if keep else None
            else:
                self._at[key] = self.version(name, day)
        return self._at[key]

    def version(self, family: str, day: date) -> Rule | None:
        """The version of ``family`` in force on ``day`` (the latest that started), or None."""
        found = None
        for rule in self.families.get(family, []):
            if rule.in_force(day):
                found = rule
        return found

    def topic(self, topic: str) -> list[Rule]:
        return [r for r in self.rules.values() if r.topic == topic]
