"""Evaluate a path definition (steps, or visa options) against a person's facts on a day.

A path definition is data (``imgpath/data/pathway/paths/*.yaml``).  Each step says when it is
``not_applicable``, when it is ``done``, what it ``requires`` (rules whose conditions must hold),
when it is ``in_progress``, what to do when it is ``ready``, and which rules to mention as
``info``.  The status is decided in that order:

1. any not-applicable item holds → ``not_applicable``;
2. the done condition holds → ``done``;
3. any requirement is false → ``blocked`` (every failed requirement is a reason);
4. the in-progress condition holds → ``in_progress``;
5. any requirement or the done condition is unknown → ``unknown`` (and the missing facts become
   questions);
6. otherwise → ``ready``, with the first ``ready`` item whose condition holds (a step may say
   different things when ready: "retake PLAB 1, your pass lapsed on ..." or "book PLAB 1").

``info`` items only add sentences; an info item with an ``unknown`` text also speaks, and asks,
when its condition is unknown ("Pathway-based certificates can expire: when does yours?").

Every reason carries the id of a rule, so it resolves to a source; reasons from rules graded L or
U say "needs confirmation", and so do reasons from a rule past its ``review_by`` date, which also
say when the rule was last confirmed (:func:`cite`).  A requirement may name a rule *family*
(``US.USMLE.ATTEMPTS``): the version in force on the evaluation day applies, and none in force
means the requirement does not apply that day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from imgpath.core.pathway.conditions import Condition, Verdict, parse_condition
from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = [
    "DECISIVE",
    "Item",
    "Reason",
    "StepDef",
    "StepResult",
    "cite",
    "evaluate_steps",
    "parse_steps",
    "render",
    "resolve",
]

DECISIVE = ("not_applicable", "done", "requires", "in_progress", "ready")
"""The clauses of a step whose rules decide its status (or, for ``ready``, which sentence it says)."""

_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


@dataclass(frozen=True)
class Reason:
    """A sentence about the person, and the rule it rests on.

    ``stale`` is true when the rule is past its review date on the day asked: the sentence then
    says what was last confirmed and when, and ``needs_confirmation`` is true as well.
    """

    text: str
    rule_id: str
    needs_confirmation: bool = False
    stale: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "rule_id": self.rule_id}
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        if self.stale:
            out["stale"] = True
        return out


def cite(rule: Rule, text: str, on: date) -> Reason:
    """A sentence resting on ``rule``, as it may be said on day ``on``.

    Rules graded L or U add "(needs confirmation)"; a rule past its ``review_by`` date never
    states its measure as current fact: the sentence says when it was last confirmed.
    """
    if rule.stale(on):
        text = f"{text.rstrip('.')} ({rule.caveat(on)})."
    elif rule.needs_confirmation:
        text += " (needs confirmation)"
    return Reason(text, rule.id, rule.unsure(on), rule.stale(on))


@dataclass(frozen=True)
class Item:
    """One clause of a step: a rule (or family), an optional condition, and its sentence."""

    rule: str
    when: Condition | None = None
    text: str = ""
    unknown: str = ""


@dataclass(frozen=True)
class StepDef:
    """A step of a path, as read from a path definition."""

    id: str
    title: str
    not_applicable: tuple[Item, ...] = ()
    done: tuple[Item, ...] = ()
    requires: tuple[Item, ...] = ()
    in_progress: Item | None = None
    ready: tuple[Item, ...] = ()
    info: tuple[Item, ...] = ()

    def clauses(self) -> list[tuple[str, Item]]:
        """Every clause with its kind (``done``, ``requires``, ``info``...), for audits."""
        out: list[tuple[str, Item]] = [("not_applicable", i) for i in self.not_applicable]
        out += [("done", i) for i in self.done]
        out += [("requires", i) for i in self.requires]
        out += [("in_progress", self.in_progress)] if self.in_progress else []
        out += [("ready", i) for i in self.ready]
        out += [("info", i) for i in self.info]
        return out


@dataclass(frozen=True)
class StepResult:
    """A step's status for one person on one day, with reasons and the facts it lacked."""

    id: str
    title: str
    status: str
    reasons: tuple[Reason, ...]
    missing: frozenset[str] = field(default=frozenset())

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "reasons": [r.to_dict() for r in self.reasons],
        }


def _item(raw: Any, *, where: str) -> Item:
    if isinstance(raw, str):
        return Item(rule=raw)
    when = parse_condition(raw["when"], where=f"{where}.when") if "when" in raw else None
    return Item(
        rule=str(raw["rule"]),
        when=when,
        text=str(raw.get("text", "")),
        unknown=str(raw.get("unknown", "")),
    )


def parse_steps(data: Sequence[Mapping[str, Any]], *, where: str) -> list[StepDef]:
    """Parse the ``steps`` (or ``options``) of a path definition."""
    out = []
    for i, raw in enumerate(data):
        loc = f"{where}[{i}] ({raw.get('id', '?')})"

        def one(key: str, raw: Mapping[str, Any] = raw, loc: str = loc) -> Item | None:
            return _item(raw[key], where=f"{loc}.{key}") if key in raw else None

        def many(key: str, raw: Mapping[str, Any] = raw, loc: str = loc) -> tuple[Item, ...]:
            value = raw.get(key, [])
            if isinstance(value, (str, Mapping)):  # one item written without a list
                value = [value]
            return tuple(_item(x, where=f"{loc}.{key}[{j}]") for j, x in enumerate(value))

        out.append(
            StepDef(
                id=str(raw["id"]),
                title=str(raw["title"]),
                not_applicable=many("not_applicable"),
                done=many("done"),
                requires=many("requires"),
                in_progress=one("in_progress"),
                ready=many("ready"),
                info=many("info"),
            )
        )
    return out


def resolve(
    book: RuleBook, name: str, on: date, facts: Mapping[str, Any] | None = None
) -> Rule | None:
    """The rule ``name`` if in force on ``on``; for a family name, its version in force then.

    ``fact:NAME`` takes the rule id from a fact: the rule that decided it (an OET sitting is
    judged by the OET rule in force on its test date, not on the evaluation day).
    """
    if name.startswith("fact:"):
        decided = (facts or {}).get(name.removeprefix("fact:"))
        return book.rules.get(decided) if isinstance(decided, str) else None
    return book.at(name, on)


def _fmt(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return str(value)


def render(template: str, facts: Mapping[str, Any], params: Mapping[str, Any] | None = None) -> str:
    """Fill ``{fact.name}`` and ``{param}`` placeholders; unknown values read "unknown"."""
    if "{" not in template:
        return template
    params = params or {}

    def sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in params:
            return _fmt(params[key])
        return _fmt(facts.get(key))

    return _PLACEHOLDER.sub(sub, template)


def _check(item: Item, rule: Rule, facts: Mapping[str, Any]) -> Verdict:
    if item.when is not None:
        return item.when.evaluate(facts, rule.params)
    return rule.evaluate(facts)


def _reason(
    item: Item, rule: Rule, facts: Mapping[str, Any], on: date, text: str | None = None
) -> Reason:
    sentence = render(text if text is not None else (item.text or rule.title), facts, rule.params)
    return cite(rule, sentence, on)


def evaluate_steps(
    steps: Sequence[StepDef], facts: Mapping[str, Any], book: RuleBook, on: date
) -> list[StepResult]:
    """Evaluate steps in order; each step's outcome is a fact (``steps.<id>.done``) for later ones."""
    facts = dict(facts)
    results: list[StepResult] = []
    for step in steps:
        result = _evaluate(step, facts, book, on)
        facts[f"steps.{step.id}.done"] = result.status in ("done", "not_applicable")
        facts[f"steps.{step.id}.status"] = result.status
        results.append(result)
    return results


def _evaluate(step: StepDef, facts: Mapping[str, Any], book: RuleBook, on: date) -> StepResult:
    missing: set[str] = set()
    info, info_missing = _info(step, facts, book, on)

    for item in step.not_applicable:
        rule = resolve(book, item.rule, on, facts)
        if rule is not None and _check(item, rule, facts).true:
            return StepResult(
                step.id, step.title, "not_applicable", (_reason(item, rule, facts, on), *info)
            )

    done_unknown: list[Reason] = []
    first_unknown: Rule | None = None
    for item in step.done:  # the first clause that holds makes the step done
        rule = resolve(book, item.rule, on, facts)
        if rule is None:
            continue
        verdict = _check(item, rule, facts)
        if verdict.true:
            return StepResult(
                step.id,
                step.title,
                "done",
                (_reason(item, rule, facts, on), *info),
                frozenset(info_missing),
            )
        if verdict.unknown:
            missing |= verdict.missing
            first_unknown = first_unknown or rule
            if item.unknown:
                done_unknown.append(_reason(item, rule, facts, on, item.unknown))
    done_is_unknown = bool(missing)
    missing |= info_missing

    failed: list[Reason] = []
    unknown: list[Reason] = []
    for item in step.requires:
        rule = resolve(book, item.rule, on, facts)
        if rule is None:
            continue
        verdict = _check(item, rule, facts)
        if verdict.false:
            failed.append(_reason(item, rule, facts, on))
        elif verdict.unknown:
            missing |= verdict.missing
            unknown.append(
                _reason(item, rule, facts, on, item.unknown or f"Not known yet: {rule.title}.")
            )
    if failed:
        return StepResult(step.id, step.title, "blocked", (*failed, *info), frozenset(missing))

    if step.in_progress is not None:
        rule = resolve(book, step.in_progress.rule, on, facts)
        if rule is not None and _check(step.in_progress, rule, facts).true:
            return StepResult(
                step.id,
                step.title,
                "in_progress",
                (_reason(step.in_progress, rule, facts, on), *unknown, *info),
                frozenset(missing),
            )

    if unknown or done_is_unknown:
        if not (done_unknown or unknown) and first_unknown is not None:
            done_unknown.append(cite(first_unknown, f"Not known yet: {first_unknown.title}.", on))
        return StepResult(
            step.id, step.title, "unknown", (*done_unknown, *unknown, *info), frozenset(missing)
        )

    reasons: tuple[Reason, ...] = info
    for item in step.ready:
        rule = resolve(book, item.rule, on, facts)
        if rule is not None and (item.when is None or _check(item, rule, facts).true):
            reasons = (_reason(item, rule, facts, on), *info)
            break
    return StepResult(step.id, step.title, "ready", reasons, frozenset(missing))


def _info(
    step: StepDef, facts: Mapping[str, Any], book: RuleBook, on: date
) -> tuple[tuple[Reason, ...], set[str]]:
    out = []
    missing: set[str] = set()
    for item in step.info:
        rule = resolve(book, item.rule, on, facts)
        if rule is None:
            continue
        verdict = _check(item, rule, facts)
        if verdict.true:
            out.append(_reason(item, rule, facts, on))
        elif verdict.unknown and item.unknown:
            out.append(_reason(item, rule, facts, on, item.unknown))
            missing |= verdict.missing
    return tuple(out), missing
