"""The rule book as a reference: one entry per rule with its statement, dates, grade and sources.

Rendered to Markdown for ``docs/reference/pathway-rules.md`` (generated, kept current by a test)
and by ``imgpath rules``; to plain dictionaries for JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from imgpath.core.pathway.rules import CONFIDENCE, Rule, RuleBook
from imgpath.core.pathway.usage import RuleUse

__all__ = [
    "REVIEW_REASONS",
    "ReviewItem",
    "review_markdown",
    "review_rules",
    "rule_dict",
    "rule_markdown",
    "rulebook_markdown",
    "select_rules",
]

REVIEW_REASONS = {
    "past_review_by": "past its review date: it must not be stated as current until confirmed",
    "older_than_12_months": "its source was read more than 12 months ago",
    "graded_L_or_U": "graded L (weak source) or U (unverified)",
}

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
    if rule.review_by:
        out["review_by"] = rule.review_by.isoformat()
    if rule.review_note:
        out["review_note"] = rule.review_note
    if rule.informational:
        out["informational"] = rule.informational
    if rule.history:
        out["history"] = [{"date": str(c.date), "change": c.text} for c in rule.history]
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
    if rule.review_by:
        note = f" ({rule.review_note})" if rule.review_note else ""
        lines.append(
            f"- Review by {rule.review_by.isoformat()}{note}; after it, plans say when it was last confirmed."
        )
    if rule.eligibility:
        lines.append("- Eligibility checked: " + "; ".join(i.text for i in rule.eligibility) + ".")
    if rule.informational:
        lines.append(f"- Informational (only cited): {rule.informational}")
    lines += [f"- {change.date}: {change.text}" for change in rule.history]
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


def _uses_table(
    rules: Sequence[Rule], uses: Mapping[str, RuleUse], coverage: Mapping[str, Sequence[str]]
) -> list[str]:
    evaluated = sum(uses[r.id].evaluated for r in rules)
    lines = [
        "",
        "## How each rule is used",
        "",
        (
            f"{evaluated} rules are *evaluated* (a status, date or amount of a plan depends on them) "
            f"and {len(rules) - evaluated} are *informational* (only cited, with the reason their "
            "pack gives). Tests are the table-driven cases of `tests/unit/pathway/cases.yaml` that "
            "check a result resting on the rule; a test fails if a rule with a checkable condition "
            "is only cited, or if an evaluated rule has no case."
        ),
        "",
        "| rule | use | where it decides (or why it is only cited) | tests |",
        "|---|---|---|---|",
    ]
    for rule in rules:
        use = uses[rule.id]
        kind = "evaluated" if use.evaluated else "informational"
        where = "; ".join(use.where) if use.evaluated else rule.informational
        cases = list(coverage.get(rule.id, ()))
        shown = "; ".join(cases[:3]) + (f"; and {len(cases) - 3} more" if len(cases) > 3 else "")
        cell = where.replace("|", "/")
        lines.append(f"| `{rule.id}` | {kind} | {cell} | {shown.replace('|', '/') or '-'} |")
    return lines


def rulebook_markdown(
    book: RuleBook,
    uses: Mapping[str, RuleUse] | None = None,
    coverage: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """Every rule, grouped by jurisdiction (US first) and topic, in the packs' order.

    With ``uses`` (from :func:`imgpath.core.pathway.usage.rule_uses`) and ``coverage`` (rule id
    to test names), a table first says how each rule is used and which tests cover it.
    """
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
        "Rules graded L or U are always shown as *needs confirmation*; a rule past its review date "
        "is shown with the date it was last confirmed, never as current fact.",
    ]
    if uses is not None:
        parts += _uses_table(rules, uses, coverage or {})
    current: tuple[str, str] | None = None
    for rule in rules:
        group = (rule.jurisdiction, rule.topic)
        if group != current:
            current = group
            place = _JURISDICTIONS.get(rule.jurisdiction, rule.jurisdiction)
            parts += ["", f"## {place}: {_TOPICS.get(rule.topic, rule.topic)}"]
        parts += ["", rule_markdown(rule)]
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class ReviewItem:
    """A rule a maintainer should look at, and why (keys of :data:`REVIEW_REASONS`)."""

    rule: Rule
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**rule_dict(self.rule), "reasons": list(self.reasons)}


def review_rules(book: RuleBook, on: date) -> list[ReviewItem]:
    """Rules past ``review_by``, read more than 12 months before ``on``, or graded L/U.

    The maintainer's worklist: each with its sources, so the packs can be brought up to date in
    an afternoon.  Ordered by reason (past review first), then by id.
    """
    year_ago = on - timedelta(days=365)
    out = []
    for rule in book:
        reasons = []
        if rule.stale(on):
            reasons.append("past_review_by")
        if rule.as_of.last < year_ago:
            reasons.append("older_than_12_months")
        if rule.needs_confirmation:
            reasons.append("graded_L_or_U")
        if reasons:
            out.append(ReviewItem(rule, tuple(reasons)))
    order = list(REVIEW_REASONS)
    return sorted(out, key=lambda i: (order.index(i.reasons[0]), i.rule.id))


def review_markdown(items: Sequence[ReviewItem], on: date) -> str:
    """The worklist as Markdown: counts by reason, then each rule with its sources."""
    counts = {r: sum(r in i.reasons for i in items) for r in REVIEW_REASONS}
    lines = [
        f"# Rules to review as of {on.isoformat()}",
        "",
        f"{len(items)} rule(s) to review:",
        *(f"- {n} {REVIEW_REASONS[r]} (`{r}`)" for r, n in counts.items()),
    ]
    for item in items:
        rule = item.rule
        review = f"; review by {rule.review_by.isoformat()}" if rule.review_by else ""
        lines += [
            "",
            f"## `{rule.id}`: {rule.title}",
            "",
            f"- Why: {', '.join(item.reasons)}; grade {rule.confidence}; as of {rule.as_of}{review}.",
        ]
        if rule.review_note:
            lines.append(f"- To check: {rule.review_note}.")
        lines += [f"- Source: [{s.title}]({s.url})" for s in rule.sources]
    return "\n".join(lines) + "\n"
