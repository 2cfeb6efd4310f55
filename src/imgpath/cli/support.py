"""``imgpath support``: who can help an IMG (scholarships, state programs, organisations,
observerships, visa help), filtered to their situation; ``imgpath support review`` for maintainers.
"""

from __future__ import annotations

import io
import json
import textwrap
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from imgpath.cli.dates import parse_day
from imgpath.cli.files import write_output
from imgpath.core import csv_safety
from imgpath.errors import InvalidInputError

if TYPE_CHECKING:
    from imgpath.support import ReviewItem, SupportMatch, SupportReport

__all__ = ["SupportFormat", "support_command"]


class SupportFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


class Kind(StrEnum):
    """The kinds of support (``imgpath.support.KINDS``; a test keeps the two lists equal)."""

    funding = "funding"
    state_program = "state_program"
    organisation = "organisation"
    career_support = "career_support"
    clinical_experience = "clinical_experience"
    visa_legal = "visa_legal"


class Destination(StrEnum):
    US = "US"
    UK = "UK"
    CA = "CA"
    AU = "AU"


_WIDTH = 100


def support_command(
    profile: Annotated[
        str | None,
        typer.Argument(
            metavar="[PROFILE or review]",
            help="Your profile in JSON or YAML (as for imgpath plan), or '-' for standard input; "
            "without one, the whole directory is listed. The word 'review' gives the maintainers' "
            "worklist instead: entries past their review day, due within 60 days, read more than "
            "12 months ago, or graded L/U.",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="As of this day (YYYY-MM-DD); default today. Entries past their review day on it "
            "are marked stale.",
        ),
    ] = None,
    kind: Annotated[
        list[Kind] | None,
        typer.Option(
            "--kind",
            "-k",
            help="Only this kind (repeat for several): funding (scholarships, grants, loans), "
            "state_program, organisation, career_support, clinical_experience (observerships, "
            "attachments), visa_legal (J-1 waivers, legal help).",
        ),
    ] = None,
    state: Annotated[
        list[str] | None,
        typer.Option(
            "--state",
            "-s",
            metavar="STATE",
            help="Only entries for this US state (two-letter code; repeat for several) and those "
            "not limited to a state. Replaces the target states of the profile.",
        ),
    ] = None,
    destination: Annotated[
        Destination | None,
        typer.Option(
            "--destination",
            "-d",
            help="Without a PROFILE: only entries for this country (US, UK, CA, AU).",
        ),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option("--all", help="Also list the entries that do not fit, with the reason."),
    ] = False,
    output_format: Annotated[
        SupportFormat,
        typer.Option(
            "--format", "-f", help="text (to read), json (for programs), csv (spreadsheets)."
        ),
    ] = SupportFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
) -> None:
    """Support beyond the steps: scholarships and loans, state IMG programs, professional
    organisations, observerships and clinical experience, J-1 waiver programs and legal help.

    Given your profile, imgpath works out your stage from your plan (exams, certified, applying,
    matched, in residency, practising) and lists what fits you, then what may fit (saying what
    your profile does not tell), each with what it offers, whom it serves, its cost, its address,
    the source imgpath read, the day it was read, its grade, and its review day. Entries graded
    L or U, and entries past their review day (stale), are marked "needs confirmation": check
    them with the organisation before relying on them. Unknown details stay unknown.

    Examples:

      imgpath support me.yaml

      imgpath support me.yaml --kind funding --kind visa_legal --state NY

      imgpath support --destination CA --format csv -o canada.csv

      imgpath support review --on 2027-06-01
    """
    from imgpath import support

    day = parse_day(on)
    kinds, states = support.check_filters(
        [k.value for k in kind or ()], state or (), labels={"kind": "--kind", "state": "--state"}
    )
    if profile == "review":
        _review(support.review(day), day, output_format, output)
        return
    if profile is None:
        report = support.support_listing(
            day, destination=destination.value if destination else None, kinds=kinds, states=states
        )
    else:
        if destination is not None:
            msg = "--destination is for listing without a PROFILE; the profile's targets.destination decides"
            raise InvalidInputError(msg)
        report = support.support_file(
            profile, on=day, kinds=kinds, states=states, include_unfit=True
        )
    hidden = 0
    if not show_all:
        kept = tuple(m for m in report.matches if m.fit.value != "does_not_fit")
        hidden = len(report.matches) - len(kept)
        report = replace(report, matches=kept)
    if output_format is SupportFormat.json:
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif output_format is SupportFormat.csv:
        text = _csv(report.rows(), support.CSV_COLUMNS)
    else:
        text = _text(report, hidden)
    write_output(text, output)


def _csv(rows: list[dict[str, str]], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv_safety.dict_writer(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _wrap(label: str, text: str) -> list[str]:
    return textwrap.wrap(
        f"{label}{text}",
        width=_WIDTH,
        initial_indent="    ",
        subsequent_indent="      ",
        break_long_words=False,  # addresses stay whole, to copy and click
        break_on_hyphens=False,
    )


def _entry(m: SupportMatch) -> list[str]:
    e = m.entry
    flags = [f"grade {e.grade}"]
    if m.stale:
        flags.append("STALE")
    if m.needs_confirmation:
        flags.append("needs confirmation")
    lines = [f"  {e.name}  [{', '.join(flags)}]"]
    lines += _wrap("Offers: ", e.offers)
    where = f" ({e.serves.region})" if e.serves.region else ""
    lines += _wrap("Serves: ", f"{e.serves.notes}{where}")
    lines += _wrap("Cost: ", str(e.cost))
    if m.reasons:
        label = "Does not fit: " if m.fit.value == "does_not_fit" else "Why: "
        lines += _wrap(label, "; ".join(m.reasons))
    if m.unknowns:
        lines += _wrap("Not known from your profile: ", "; ".join(m.unknowns))
    if e.unverified:
        lines += _wrap("Not verified by imgpath: ", "; ".join(e.unverified))
    if m.caveat:
        lines += _wrap("Caution: ", m.caveat)
    lines += _wrap("Address: ", e.url)
    source = e.sources[0]
    address = "this page" if source.url == e.url else source.url
    lines += _wrap(
        "Source: ",
        f"{source.title} ({address}); read {e.as_of.isoformat()}, review by "
        f"{e.review_by.isoformat()}; id {e.id}",
    )
    return lines


def _text(report: SupportReport, hidden: int) -> str:
    from imgpath.support import KINDS, STAGES

    s = report.situation
    lines = [f"Support for IMGs as of {report.as_of.isoformat()}"]
    if s.assessed:
        facts = [
            f"destination {s.destination}",
            f"citizenship {', '.join(s.citizenships) or 'not given'}",
            f"stage: {STAGES[s.stage].split(' (')[0] if s.stage else 'unknown'}"
            + (f" ({s.stage_reason})" if s.stage_reason else ""),
            f"target states {', '.join(s.states) or 'not given'}",
        ]
        lines += textwrap.wrap("For you: " + "; ".join(facts), width=_WIDTH, subsequent_indent="  ")
        fits = sum(m.fit.value == "fits" for m in report.matches)
        may = sum(m.fit.value == "may_fit" for m in report.matches)
        counts = f"{fits} fit, {may} may fit"
        if hidden:
            counts += f"; {hidden} do not fit (add --all to see them and why)"
        lines.append(counts + ".")
    else:
        where = f" for {s.destination}" if s.destination else ""
        lines.append(
            f"The whole directory{where}: {len(report.matches)} entries (give a PROFILE to see "
            "what fits you)."
        )
    if report.kinds or report.states:
        lines.append(
            "Filters: "
            + "; ".join(x for x in (", ".join(report.kinds), ", ".join(report.states)) if x)
        )
    if not report.matches:
        lines += ["", "Nothing in the directory matches; try without --kind or --state, or --all."]
    for fit, title in (
        ("fits", "Fits you"),
        ("may_fit", "May fit you (your profile does not say enough to tell)"),
        ("listed", ""),
        ("does_not_fit", "Does not fit you"),
    ):
        group = [m for m in report.matches if m.fit.value == fit]
        if not group:
            continue
        if title:
            lines += ["", f"== {title}"]
        for kind, heading in KINDS.items():
            of_kind = [m for m in group if m.entry.kind == kind]
            if not of_kind:
                continue
            lines += ["", heading]
            for m in of_kind:
                lines += _entry(m)
    lines += [
        "",
        (
            "Grades: H read on the organisation's own page; M a reputable secondary source; L a "
            "weak or outdated source; U unverified. Check details with the organisation before "
            "you rely on them."
        ),
    ]
    return "\n".join(lines) + "\n"


def _review(items: list[ReviewItem], day: date, fmt: SupportFormat, output: Path | None) -> None:
    from imgpath.support import review_markdown

    if fmt is SupportFormat.json:
        text = (
            json.dumps(
                {"as_of": day.isoformat(), "items": [i.to_dict() for i in items]},
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    elif fmt is SupportFormat.csv:
        rows = [
            {
                "id": i.entry.id,
                "name": i.entry.name,
                "reasons": "; ".join(i.reasons),
                "grade": i.entry.grade,
                "as_of": i.entry.as_of.isoformat(),
                "review_by": i.entry.review_by.isoformat(),
                "url": i.entry.url,
                "source_url": i.entry.sources[0].url,
                "unverified": "; ".join(i.entry.unverified),
            }
            for i in items
        ]
        columns = (
            "id",
            "name",
            "reasons",
            "grade",
            "as_of",
            "review_by",
            "url",
            "source_url",
            "unverified",
        )
        text = _csv(rows, columns)
    else:
        text = review_markdown(items, day)
    write_output(text, output)
