"""``imgpath programs``: search the catalog, see one program, curate claims."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from imgpath.catalog import (
    CLAIM_FIELDS,
    KINDS,
    REGIONS,
    Applicant,
    SearchQuery,
    applicant_from_file,
    open_catalog,
)
from imgpath.cli.plan import parse_day
from imgpath.cli.render import dump_json, terminal_console
from imgpath.errors import InvalidInputError

__all__ = ["programs_app"]

programs_app = typer.Typer(
    help="The program catalog: every NRMP program (2023 Match list), IMG-relevant claims with "
    "their sources, and fit for one applicant.\n\n"
    "The catalog lives in a database: a SQLite file per user by default, or --db URL / "
    "$IMGPATH_DATABASE_URL (PostgreSQL works too). It is built from the bundled list on first use.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
claims_app = typer.Typer(
    help="Claims about programs (visa sponsorship, cutoffs, IMG share), each with a source, an "
    "as-of date and who entered it. Import and export them as CSV (docs/reference/claims.md).",
    no_args_is_help=True,
)
programs_app.add_typer(claims_app, name="claims")

Db = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        envvar="IMGPATH_DATABASE_URL",
        help="Database URL, e.g. sqlite:///catalog.db or postgresql+psycopg://user@host/db.",
        show_envvar=True,
    ),
]
ForProfile = Annotated[
    str | None,
    typer.Option(
        "--for",
        metavar="PROFILE",
        help="Your profile (as for imgpath plan): adds fit, leaves out programs that exclude you.",
    ),
]
On = Annotated[
    str | None,
    typer.Option("--on", metavar="DATE", help="Evaluate the profile as of this day (YYYY-MM-DD)."),
]


class SearchFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


class Sort(StrEnum):
    fit = "fit"
    name = "name"
    state = "state"
    specialty = "specialty"
    code = "code"


def _applicant(profile: str | None, on: str | None) -> Applicant | None:
    if profile is None:
        if on is not None:
            msg = "--on needs --for PROFILE"
            raise InvalidInputError(msg)
        return None
    return applicant_from_file(profile, on=parse_day(on))


def _visa(view_claims: list[dict[str, object]], field: str) -> str:
    values = {c["value"] for c in view_claims if c["field"] == field}
    if not values:
        return "?"
    if len(values) > 1:
        return "conflict"
    return "yes" if values == {True} else "no"


@programs_app.command("search")
def search_command(
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="[WORDS]", help="Words to find in program, institution and specialty names."
        ),
    ] = None,
    specialty: Annotated[
        list[str] | None,
        typer.Option(
            "--specialty",
            "-s",
            help="A specialty code (140) or part of a name; repeat for several.",
        ),
    ] = None,
    state: Annotated[
        list[str] | None, typer.Option("--state", help="A state code; repeat for several.")
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", help=f"One of {', '.join(REGIONS)}; repeat for several."),
    ] = None,
    track_type: Annotated[
        list[str] | None,
        typer.Option(
            "--type",
            "-t",
            help="C categorical, P preliminary, A advanced, R reserved, M primary care.",
        ),
    ] = None,
    visa: Annotated[
        str | None,
        typer.Option("--visa", help="j1 or h1b: leave out programs reported NOT to sponsor it."),
    ] = None,
    visa_known: Annotated[
        bool,
        typer.Option(
            "--visa-known", help="With --visa: keep only programs reported to sponsor it."
        ),
    ] = False,
    profile: ForProfile = None,
    on: On = None,
    show_excluded: Annotated[
        bool,
        typer.Option("--show-excluded", help="With --for: also list programs that exclude you."),
    ] = False,
    sort: Annotated[
        Sort | None, typer.Option(help="Order (default: fit with --for, else name).")
    ] = None,
    limit: Annotated[int, typer.Option(min=0, help="How many to show; 0 for all.")] = 20,
    offset: Annotated[int, typer.Option(min=0, help="Skip this many first (for paging).")] = 0,
    output_format: Annotated[SearchFormat, typer.Option("--format", "-f")] = SearchFormat.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of the screen.")
    ] = None,
    db: Db = None,
) -> None:
    """Find programs by name, specialty, place, track type and visa, and rank them for you.

    With **--for PROFILE**, each program gets a fit index (0-100) explained term by term, and
    programs that exclude you (a visa they are reported not to sponsor, a strict cutoff you miss)
    are left out; the count says how many. Unknown program facts lower the confidence, not the index.

    Examples:

      imgpath programs search -s "internal medicine" --state NY --limit 10

      imgpath programs search --for me.yaml -s 140 --region northeast -f json

      imgpath programs search mayo --limit 0 -f csv -o mayo.csv
    """
    applicant = _applicant(profile, on)
    query = SearchQuery(
        text=text or "",
        specialties=tuple(specialty or ()),
        states=tuple(s.strip().upper() for s in state or ()),
        regions=tuple(r.strip().lower() for r in region or ()),
        types=tuple(t.strip().upper() for t in track_type or ()),
        visa=visa.strip().lower() if visa else None,
        visa_unknown=visa_known,
        include_excluded=show_excluded,
        sort=(sort.value if sort else ("fit" if applicant else "name")),
        limit=limit,
        offset=offset,
    )
    with open_catalog(db) as catalog:
        result = catalog.search(query, applicant)
    data = result.to_dict()
    if output_format is SearchFormat.json:
        out = dump_json(data)
    elif output_format is SearchFormat.csv:
        out = _search_csv(data["programs"])
    else:
        out = _search_table(data, with_fit=applicant is not None, to_file=output is not None)
    if output is None:
        sys.stdout.write(out)
    else:
        output.write_text(out, encoding="utf-8")


def _search_csv(programs: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    columns = ["code", "name", "specialty", "type", "institution", "state", "state_inferred",
               "j1_sponsor", "h1b_sponsor", "claims", "fit", "confidence", "excluded"]  # fmt: skip
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for p in programs:
        claims = p["claims"]
        assert isinstance(claims, list)
        fit = p.get("fit") or {}
        assert isinstance(fit, dict)
        writer.writerow(
            {
                **p,
                "j1_sponsor": _visa(claims, "j1_sponsor"),
                "h1b_sponsor": _visa(claims, "h1b_sponsor"),
                "claims": len(claims),
                "fit": fit.get("score", ""),
                "confidence": fit.get("confidence", ""),
                "excluded": fit.get("excluded", ""),
            }
        )
    return buffer.getvalue()


def _search_table(data: dict[str, object], *, with_fit: bool, to_file: bool) -> str:
    console = terminal_console(to_file=to_file)
    programs = data["programs"]
    assert isinstance(programs, list)
    first = int(str(data["offset"])) + 1
    shown = f"{first}-{first + len(programs) - 1}" if programs else "none"
    title = f"{data['total']} program(s); showing {shown}"
    if with_fit:
        title += (
            f"; {data['excluded']} left out because they exclude you (--show-excluded lists them)"
        )
    table = Table(title=title, title_justify="left")
    table.add_column("code")
    table.add_column("program")
    table.add_column("type")
    table.add_column("state")
    table.add_column("J-1")
    table.add_column("H-1B")
    if with_fit:
        table.add_column("fit", justify="right")
        table.add_column("confidence")
    for p in programs:
        claims = p["claims"]
        row = [p["code"], p["name"], p["type"], p["state"] + ("*" if p["state_inferred"] else ""),
               _visa(claims, "j1_sponsor"), _visa(claims, "h1b_sponsor")]  # fmt: skip
        if with_fit:
            fit = p["fit"]
            row += [("excluded " if fit["excluded"] else "") + str(fit["score"]), fit["confidence"]]
        table.add_row(*map(str, row))
    console.print(table)
    console.print(
        "* state inferred from the program list's order.  J-1/H-1B: yes/no as claimed, ? unknown.  "
        + (
            "Fit is an index for sorting, not a probability; imgpath programs show CODE --for PROFILE explains it."
            if with_fit
            else ""
        ),
        style="dim",
    )
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


@programs_app.command("show")
def show_command(
    code: Annotated[str, typer.Argument(help="The NRMP program code, e.g. 1903140C0.")],
    profile: ForProfile = None,
    on: On = None,
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    db: Db = None,
) -> None:
    """One program: its facts, every claim with source and date, NRMP's specialty figures, and
    (with --for) your fit, term by term."""
    applicant = _applicant(profile, on)
    with open_catalog(db) as catalog:
        view = catalog.show(code, applicant)
    data = view.to_dict()
    if output_format is ShowFormat.json:
        sys.stdout.write(dump_json(data))
        return
    lines = [f"{data['name']}  [{data['code']}]", f"{data['specialty']}, {_TYPE.get(str(data['type']), data['type'])}, {data['state']}"
             + (" (state inferred)" if data["state_inferred"] else "")]  # fmt: skip
    lines += ["", "Claims (source, as of, kind, entered by):"]
    claims = data["claims"]
    assert isinstance(claims, list)
    if not claims:
        lines.append(
            "  none yet: nothing is known about this program's visas, cutoffs or IMG share"
        )
    for c in claims:
        value = "yes" if c["value"] is True else ("no" if c["value"] is False else c["value"])
        note = f" ({c['note']})" if c.get("note") else ""
        lines.append(
            f"  - {c['field']} = {value}: {c['source']}, {c['as_of']}, {c['kind']}, {c['entered_by']}{note}"
        )
    evidence = data.get("specialty_evidence") or {}
    assert isinstance(evidence, dict)
    lines += ["", "Specialty figures:"]
    pgy1 = evidence.get("nrmp_2025_pgy1")
    if pgy1:
        a, m = pgy1["applicants"], pgy1["matches"]
        lines.append(
            f"  NRMP 2025 PGY-1, {pgy1['specialty']}: matched/ranked US IMG {m['us_img']}/{a['us_img']}, "
            f"non-US IMG {m['non_us_img']}/{a['non_us_img']}, US MD {m['us_md']}/{a['us_md']}, US DO {m['us_do']}/{a['us_do']}; unfilled {pgy1['unfilled']}"
        )
    co = evidence.get("charting_outcomes_2026_non_us_img")
    if co:
        lines.append(
            f"  Charting Outcomes 2026, {co['specialty']}: {co['matched']} of {co['preferred']} non-US IMGs who preferred it matched "
            f"({co['match_rate_pct']}%); Step 2 CK median {co['step2ck_median_matched']} matched vs {co['step2ck_median_unmatched']} unmatched"
        )
    if not pgy1 and not co:
        lines.append("  none for this track")
    fit = data.get("fit")
    if isinstance(fit, dict):
        verdict = "EXCLUDED" if fit["excluded"] else f"fit {fit['score']}"
        lines += [
            "",
            f"For you: {verdict} (confidence {fit['confidence']}; program facts known: {fit['program_facts_known']})",
        ]
        for term in fit["terms"]:
            factor = f" x{term['factor']:.2f}" if "factor" in term else ""
            lines.append(f"  [{term['effect']}{factor}] {term['text']}  ({term['source']})")
        lines.append("  The fit is an index for sorting, not the probability of matching here.")
    sys.stdout.write("\n".join(lines) + "\n")


_TYPE = {
    "C": "categorical",
    "P": "preliminary",
    "A": "advanced",
    "R": "reserved (physician)",
    "M": "primary care",
}


@claims_app.command("import")
def claims_import_command(
    path: Annotated[
        str, typer.Argument(metavar="FILE", help="A claims CSV ('-' for standard input).")
    ],
    entered_by: Annotated[
        str | None,
        typer.Option(
            "--by", metavar="NAME", help="Who is entering the claims (for rows without entered_by)."
        ),
    ] = None,
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    db: Db = None,
) -> None:
    """Add claims from a CSV. Good rows are stored; every bad row is listed with its row number,
    column and reason (and the command exits with status 2); exact duplicates are skipped.

    Columns: program_code, field, value, kind, source, as_of, entered_by, note. Fields and kinds:
    imgpath programs claims fields.
    """
    now = datetime.now(UTC)
    with open_catalog(db) as catalog:
        report = catalog.import_claims(path, entered_by=entered_by or "", today=now.date(), now=now)
    if output_format is ShowFormat.json:
        sys.stdout.write(dump_json(report.to_dict()))
    else:
        lines = [
            f"accepted {report.accepted} claim(s); {len(report.duplicates)} duplicate(s) skipped; {len(report.rejected)} row(s) rejected"
        ]
        lines += [f"  row {r}: {c}: {m}" for r, c, m in report.rejected]
        if report.duplicates:
            lines.append(
                "  duplicates (already stored): rows " + ", ".join(map(str, report.duplicates))
            )
        sys.stdout.write("\n".join(lines) + "\n")
    if report.rejected:
        msg = f"{len(report.rejected)} row(s) rejected (see above); the other rows were stored"
        raise InvalidInputError(msg)


@claims_app.command("export")
def claims_export_command(
    path: Annotated[
        str, typer.Argument(metavar="[FILE]", help="Where to write ('-' or nothing: the screen).")
    ] = "-",
    program: Annotated[
        str | None, typer.Option("--program", metavar="CODE", help="Only this program.")
    ] = None,
    field: Annotated[str | None, typer.Option("--field", help="Only this field.")] = None,
    db: Db = None,
) -> None:
    """Write claims as CSV in the import format, to edit and re-import or to share."""
    if field is not None and field not in CLAIM_FIELDS:
        msg = f"--field {field!r}: use one of {', '.join(CLAIM_FIELDS)}"
        raise InvalidInputError(msg)
    with open_catalog(db) as catalog:
        text = catalog.export_claims(program_code=program, field_name=field)
    if path == "-":
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")


@claims_app.command("fields")
def claims_fields_command(
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
) -> None:
    """The facts a claim can state, the kinds it may have, and an example value."""
    rows = [{"field": name, "meaning": spec.description, "kinds": list(spec.kinds), "example": spec.example}
            for name, spec in CLAIM_FIELDS.items()]  # fmt: skip
    if output_format is ShowFormat.json:
        sys.stdout.write(json.dumps({"fields": rows, "kinds": KINDS}, indent=2) + "\n")
        return
    lines = [
        f"{r['field']}: {r['meaning']} (kinds: {', '.join(r['kinds'])}; e.g. {r['example']})"
        for r in rows
    ]
    lines += ["", "Kinds:"] + [f"  {k}: {v}" for k, v in KINDS.items()]
    lines += [
        "",
        "source is a URL or 'user' (a first-hand report); as_of is YYYY-MM-DD and cannot be in the future.",
    ]
    sys.stdout.write("\n".join(lines) + "\n")
