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
6. otherwise → ``ready``.

Every reason carries the id of a rule, so it resolves to a source; reasons from rules graded L or
U say "needs confirmation".  A requirement may name a rule *family* (``US.USMLE.ATTEMPTS``): the
version in force on the evaluation day applies, and none in force means the requirement does not
apply that day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from imgpath.core.pathway.conditions import Condition, Truth, Verdict, parse_condition
from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = [
    "Item",
    "Reason",
    "StepDef",
    "StepResult",
    "evaluate_steps",
    "parse_steps",
    "render",
    "resolve",
]

_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


@dataclass(frozen=True)
class Reason:
    """A sentence about the person, and the rule it rests on."""

    text: str
    rule_id: str
    needs_confirmation: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "rule_id": self.rule_id}
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        return out


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
    done: Item | None = None
    requires: tuple[Item, ...] = ()
    in_progress: Item | None = None
    ready: Item | None = None
    info: tuple[Item, ...] = ()


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
            return tuple(
                _item(x, where=f"{loc}.{key}[{j}]") for j, x in enumerate(raw.get(key, []))
            )

        out.append(
            StepDef(
                id=str(raw["id"]),
                title=str(raw["title"]),
                not_applicable=many("not_applicable"),
                done=one("done"),
                requires=many("requires"),
                in_progress=one("in_progress"),
                ready=one("ready"),
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


def _reason(item: Item, rule: Rule, facts: Mapping[str, Any], text: str | None = None) -> Reason:
    sentence = render(text if text is not None else (item.text or rule.title), facts, rule.params)
    if rule.needs_confirmation:
        sentence += " (needs confirmation)"
    return Reason(sentence, rule.id, rule.needs_confirmation)


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
    info = _info(step, facts, book, on)

    for item in step.not_applicable:
        rule = resolve(book, item.rule, on, facts)
        if rule is not None and _check(item, rule, facts).true:
            return StepResult(
                step.id, step.title, "not_applicable", (_reason(item, rule, facts), *info)
            )

    done_verdict = Verdict(Truth.FALSE)
    if step.done is not None:
        rule = resolve(book, step.done.rule, on, facts)
        if rule is not None:
            done_verdict = _check(step.done, rule, facts)
            if done_verdict.true:
                return StepResult(
                    step.id, step.title, "done", (_reason(step.done, rule, facts), *info)
                )
            missing |= done_verdict.missing

    failed: list[Reason] = []
    unknown: list[Reason] = []
    for item in step.requires:
        rule = resolve(book, item.rule, on, facts)
        if rule is None:
            continue
        verdict = _check(item, rule, facts)
        if verdict.false:
            failed.append(_reason(item, rule, facts))
        elif verdict.unknown:
            missing |= verdict.missing
            unknown.append(
                _reason(item, rule, facts, item.unknown or f"Not known yet: {rule.title}.")
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
                (_reason(step.in_progress, rule, facts), *unknown, *info),
                frozenset(missing),
            )

    if unknown or done_verdict.unknown:
        return StepResult(step.id, step.title, "unknown", (*unknown, *info), frozenset(missing))

    reasons: tuple[Reason, ...] = info
    if step.ready is not None:
        rule = resolve(book, step.ready.rule, on, facts)
        if rule is not None:
            reasons = (_reason(step.ready, rule, facts), *info)
    return StepResult(step.id, step.title, "ready", reasons, frozenset(missing))


def _info(step: StepDef, facts: Mapping[str, Any], book: RuleBook, on: date) -> tuple[Reason, ...]:
    out = []
    for item in step.info:
        rule = resolve(book, item.rule, on, facts)
        if rule is not None and _check(item, rule, facts).true:
            out.append(_reason(item, rule, facts))
    return tuple(out)
