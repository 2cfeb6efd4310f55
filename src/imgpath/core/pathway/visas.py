"""Visa options (J-1, H-1B, O-1): what blocks each, and what the person still lacks for it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from imgpath.core.pathway.engine import Reason, StepDef, cite, evaluate_steps, parse_steps, resolve
from imgpath.core.pathway.rules import RuleBook

__all__ = ["VisaOption", "evaluate_visas", "parse_visa_options"]


@dataclass(frozen=True)
class VisaOption:
    id: str
    title: str
    status: str
    reasons: tuple[Reason, ...]
    lacks: tuple[Reason, ...]
    """Requirements not met."""
    unknown: tuple[Reason, ...]
    """Requirements the profile does not say enough about."""
    missing: frozenset[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "reasons": [r.to_dict() for r in self.reasons],
            "lacks": [r.to_dict() for r in self.lacks],
            "unknown": [r.to_dict() for r in self.unknown],
        }


def parse_visa_options(data: Mapping[str, Any]) -> list[tuple[StepDef, str | None]]:
    """The options of ``visas.yaml``, each with the rule holding its eligibility list."""
    steps = parse_steps(data["options"], where="visas.options")
    return [(s, raw.get("eligibility")) for s, raw in zip(steps, data["options"], strict=True)]


def evaluate_visas(
    options: Sequence[tuple[StepDef, str | None]],
    facts: Mapping[str, Any],
    book: RuleBook,
    on: date,
) -> list[VisaOption]:
    """Not applicable or blocked as the step engine says; otherwise eligible, not yet or unknown."""
    out = []
    for step, eligibility in options:
        (base,) = evaluate_steps([step], facts, book, on)
        if base.status in ("not_applicable", "blocked"):
            out.append(
                VisaOption(step.id, step.title, base.status, base.reasons, (), (), base.missing)
            )
            continue
        lacks: list[Reason] = []
        unknown: list[Reason] = []
        missing = set(base.missing)
        rule = resolve(book, eligibility, on) if eligibility else None
        if rule is not None:
            for item in rule.eligibility:
                verdict = item.condition.evaluate(facts, rule.params)
                if verdict.false:
                    lacks.append(cite(rule, item.text, on))
                elif verdict.unknown:
                    unknown.append(cite(rule, item.text, on))
                    missing |= verdict.missing
        if lacks:
            status = "not_yet"
        elif unknown or base.status == "unknown" or rule is None or not rule.eligibility:
            status = "unknown"
        else:
            status = "eligible"
        out.append(
            VisaOption(
                step.id,
                step.title,
                status,
                base.reasons,
                tuple(lacks),
                tuple(unknown),
                frozenset(missing),
            )
        )
    return out
