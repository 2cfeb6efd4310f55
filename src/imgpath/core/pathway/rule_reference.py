"""The rule book as a reference: one entry per rule with its statement, dates, grade and sources.

Rendered to Markdown for ``docs/reference/pathway-rules.md`` (generated, kept current by a test)
and by ``imgpath rules``; to plain dictionaries for JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from imgpath.core.pathway.rules import CONFIDENCE, Rule, RuleBook

__all__ = ["rule_dict", "rule_markdown", "rulebook_markdown", "select_rules"]

_JURISDICTIONS = {"US": "United States", "UK": "United Kingdom", "CA": "Canada", "AU": "Australia"}
_TOPICS = {
    "img": "who is an IMG, and Match results",
    "usmle": "USMLE",
    "ecfmg": "ECFMG certification",
    "nrmp": "NRMP, ERAS and the Match calendar",
    "visa": "visas and travel bans",
    "licensure": "state licensure",
    "alt_licensure": "alternative licensure pathways",
    "plan": "costs and durations",
    "uk": "GMC registration",
    "canada": "MCC examinations, CaRMS and practice-ready assessment",
    "australia": "AMC and Medical Board of Australia pathways",
}


def rule_dict(rule: Rule) -> dict[str, Any]:
    """A rule as JSON: what it says, when it holds, how sure we are and where it comes from."""
    out: dict[str, Any] = {
        "id": rule.id,
        "title": rule.title,
        "statement": rule.statement,
        "jurisdiction": rule.jurisdiction,
        "topic": rule.topic,
        "effective_from": str(rule.effective_from) if rule.effective_from else rule.since,
        "effective_until": str(rule.effective_until) if rule.effective_until else None,
        "as_of": str(rule.as_of),
        "confidence": rule.confidence,
        "needs_confirmation": rule.needs_confirmation,
        "sources": [{"url": s.url, "title": s.title} for s in rule.sources],
    }
    if rule.date_basis != "evaluation":
        out["date_basis"] = rule.date_basis
    if rule.params:
        out["params"] = _plain(rule.params)
    if rule.eligibility:
        out["eligibility"] = [item.text for item in rule.eligibility]
    if rule.notes:
        out["notes"] = rule.notes
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def select_rules(
    book: RuleBook,
    *,
    on: date | None = None,
    grades: Iterable[str] = (),
    text: str = "",
) -> list[Rule]:
    """Rules in force on ``on`` (all if None), of the given grades, whose id or title has ``text``."""
    wanted = set(grades)
    needle = text.lower()
    return [
        rule
        for rule in book
        if (on is None or rule.in_force(on))
        and (not wanted or rule.confidence in wanted)
        and (not needle or needle in rule.id.lower() or needle in rule.title.lower())
    ]


def _when(rule: Rule) -> str:
    start = str(rule.effective_from) if rule.effective_from else rule.since
    end = f" until {rule.effective_until}" if rule.effective_until else ""
    basis = "" if rule.date_basis == "evaluation" else f" (judged by the {rule.date_basis} date)"
    return f"from {start}{end}{basis}"


def rule_markdown(rule: Rule) -> str:
    flag = " **(needs confirmation)**" if rule.needs_confirmation else ""
    lines = [
        f"### `{rule.id}`: {rule.title}",
        "",
        rule.statement,
        "",
        (
            f"- In force {_when(rule)}; as of {rule.as_of}; grade {rule.confidence} "
            f"({CONFIDENCE[rule.confidence]}){flag}."
        ),
    ]
    if rule.eligibility:
        lines.append("- Eligibility checked: " + "; ".join(i.text for i in rule.eligibility) + ".")
    if rule.notes:
        lines.append(f"- Note: {rule.notes}")
    lines += [f"- Source: [{s.title}]({s.url})" for s in rule.sources]
    return "\n".join(lines)


def _place(rule: Rule) -> tuple[int, int]:
    places, topics = list(_JURISDICTIONS), list(_TOPICS)
    return (
        places.index(rule.jurisdiction) if rule.jurisdiction in places else len(places),
        topics.index(rule.topic) if rule.topic in topics else len(topics),
    )


def rulebook_markdown(book: RuleBook) -> str:
    """Every rule, grouped by jurisdiction (US first) and topic, in the packs' order."""
    rules = sorted(book, key=_place)
    grades = {g: sum(r.confidence == g for r in rules) for g in CONFIDENCE}
    parts = [
        "# Reference: the pathway rules",
        "",
        "Generated from the rule packs in `src/imgpath/data/pathway/rules/` by `scripts/gen_docs.py`",
        "(`make docs`); a test keeps it current. To change a rule, see",
        "[how to add or update a rule](../how-to/update-a-rule.md).",
        "",
        f"{len(rules)} rules: " + ", ".join(f"{n} graded {g}" for g, n in grades.items()) + ". "
        "Grades: " + "; ".join(f"**{g}** {text}" for g, text in CONFIDENCE.items()) + ". "
        "Rules graded L or U are always shown as *needs confirmation*.",
    ]
    current: tuple[str, str] | None = None
    for rule in rules:
        group = (rule.jurisdiction, rule.topic)
        if group != current:
            current = group
            place = _JURISDICTIONS.get(rule.jurisdiction, rule.jurisdiction)
            parts += ["", f"## {place}: {_TOPICS.get(rule.topic, rule.topic)}"]
        parts += ["", rule_markdown(rule)]
    return "\n".join(parts) + "\n"
