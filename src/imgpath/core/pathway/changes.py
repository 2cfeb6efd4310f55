"""Policy alerts: the rules that began, ended or changed between two days and touch a person.

A rule *touches* a person when it belongs to their destination and its condition (what the rule
says of a person, in facts) is true or unknown for them on the day asked: a rule that is certainly
about someone else (another Match year, a state they do not target, a visa they do not need) is
left out.  Changes come from a rule's dates (``effective_from``: began; ``effective_until``:
ended) and from its ``history`` (rulings, amendments: changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = ["RuleChange", "changes_between"]


@dataclass(frozen=True)
class RuleChange:
    """One change of one rule: when, what kind (began, ended, changed) and what it says."""

    date: date
    kind: str
    rule_id: str
    text: str
    needs_confirmation: bool

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "rule_id": self.rule_id,
            "text": self.text,
        }
        if self.needs_confirmation:
            out["needs_confirmation"] = True
        return out


def _events(rule: Rule, since: date, on: date) -> list[tuple[date, str, str]]:
    out: list[tuple[date, str, str]] = []
    start = rule.effective_from
    if start is not None and since <= start.first <= on:
        out.append((start.first, "began", f"In force from {start}: {rule.title}."))
    end = rule.effective_until
    if end is not None and since <= end.last + timedelta(days=1) <= on:
        out.append((end.last, "ended", f"In force until {end}: {rule.title}."))
    out.extend(
        (change.date.first, "changed", f"{rule.title}: {change.text}")
        for change in rule.history
        if since <= change.date.first <= on
    )
    return out


def changes_between(
    book: RuleBook,
    facts: Mapping[str, Any],
    destination: str,
    since: date,
    on: date,
    cited: Iterable[str] = (),
) -> list[RuleChange]:
    """Every change in ``[since, on]`` to a rule of ``destination`` that touches the person.

    ``cited``: rules the person's plans cite (on either day), which touch them whatever their
    condition says (a travel-ban rule's condition says who is *not* blocked).
    """
    out: list[RuleChange] = []
    cited = set(cited)
    for rule in book:
        if rule.jurisdiction != destination:
            continue
        events = _events(rule, since, on)
        if not events or (rule.id not in cited and rule.evaluate(facts).false):
            continue
        out.extend(
            RuleChange(when, kind, rule.id, text, rule.unsure(on)) for when, kind, text in events
        )
    return sorted(out, key=lambda c: (c.date, c.rule_id, c.kind))
