"""``imgpath rules``: the rule book the plans rest on, with dates, grades and sources."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from imgpath.cli.dates import parse_day
from imgpath.cli.render import dump_json, terminal_console
from imgpath.errors import NotFoundError
from imgpath.pathway import (
    REVIEW_REASONS,
    ReviewItem,
    load_rulebook,
    review,
    review_markdown,
    rule_dict,
    rule_markdown,
    select_rules,
)

__all__ = ["rules_command"]


class RulesFormat(StrEnum):
    table = "table"
    markdown = "markdown"
    json = "json"


class Grade(StrEnum):
    H = "H"
    M = "M"
    L = "L"
    U = "U"


def rules_command(
    query: Annotated[
        str | None,
        typer.Argument(
            metavar="[RULE_ID or TEXT or review]",
            help="A rule id (shows that rule in full), text to find in ids and titles, or the word "
            "'review': the maintainer's worklist of rules past their review date, read more than 12 "
            "months before --on, or graded L/U, with counts by reason and sources.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="Only rules in force on this day (YYYY-MM-DD); with 'review', the day to review "
            "as of (default today).",
        ),
    ] = None,
    grade: Annotated[
        list[Grade] | None,
        typer.Option(
            "--grade",
            "-g",
            help="Only rules of this grade (repeat for several): H primary source, M secondary, "
            "L weak, U unverified. -g L -g U lists what needs confirmation.",
        ),
    ] = None,
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="table, markdown or json.")
    ] = RulesFormat.table,
) -> None:
    """List the rules behind every plan: what each says, since when, how sure, and the source.

    Examples:

      imgpath rules US.USMLE.ATTEMPTS.v2021

      imgpath rules travel --on 2026-01-01

      imgpath rules -g L -g U -f markdown

      imgpath rules review --on 2026-11-29
    """
    if query == "review":
        _review(parse_day(on), output_format)
        return
    book = load_rulebook()
    if query and query in book:
        rules = [book[query]]
    else:
        day = parse_day(on) if on else None
        rules = select_rules(book, on=day, grades=[g.value for g in grade or []], text=query or "")
        if not rules:
            msg = f"no rule matches {query!r}" if query else "no rule matches these filters"
            raise NotFoundError(msg + "; try imgpath rules with fewer filters")
    if output_format is RulesFormat.json:
        sys.stdout.write(dump_json([rule_dict(r) for r in rules]))
    elif output_format is RulesFormat.markdown or len(rules) == 1:
        sys.stdout.write("\n\n".join(rule_markdown(r) for r in rules) + "\n")
    else:
        console = terminal_console(to_file=False)
        table = Table("rule", "grade", "in force", "title", title=f"{len(rules)} rule(s)")
        for rule in rules:
            start = str(rule.effective_from) if rule.effective_from else rule.since
            end = f" to {rule.effective_until}" if rule.effective_until else ""
            table.add_row(rule.id, rule.confidence, start + end, rule.title)
        console.print(table)
        sys.stdout.write(console.file.getvalue())  # type: ignore[attr-defined]


def _review(day: date, output_format: RulesFormat) -> None:
    """The worklist, with a count per reason first (a rule may have several reasons)."""
    items = review(day)
    counts = {r: sum(r in i.reasons for i in items) for r in REVIEW_REASONS}
    if output_format is RulesFormat.json:
        data = {
            "on": day.isoformat(),
            "total": len(items),
            "counts": counts,
            "rules": [i.to_dict() for i in items],
        }
        sys.stdout.write(dump_json(data))
        return
    if output_format is RulesFormat.markdown:
        sys.stdout.write(review_markdown(items, day))
        return
    console = terminal_console(to_file=False)
    console.print(f"Rules to review as of {day.isoformat()}: {len(items)}")
    for reason, n in counts.items():
        console.print(f"  {n:4d}  {reason}: {REVIEW_REASONS[reason]}")
    table = Table("rule", "reasons", "grade", "as of", "review by", "source", title=None)
    for item in items:
        table.add_row(*_row(item))
    console.print(table)
    sys.stdout.write(console.file.getvalue())  # type: ignore[attr-defined]


def _row(item: ReviewItem) -> tuple[str, ...]:
    rule = item.rule
    review_by = rule.review_by.isoformat() if rule.review_by else ""
    source = rule.sources[0]
    return (
        rule.id,
        ", ".join(item.reasons),
        rule.confidence,
        str(rule.as_of),
        review_by,
        source.url,
    )
