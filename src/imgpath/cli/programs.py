"""``imgpath programs``: search the catalog, see one program, curate claims."""

from __future__ import annotations

import io
import json
import re
import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from imgpath.catalog import (
    CLAIM_FIELDS,
    KINDS,
    LICENCES,
    REGIONS,
    Actor,
    Applicant,
    CanadaQuery,
    Catalog,
    applicant_from_file,
    export_bundle,
    import_bundle,
    open_catalog,
    parse_search,
)
from imgpath.cli.claim_reviewers import reviewers_app
from imgpath.cli.dates import parse_day
from imgpath.cli.files import write_output
from imgpath.cli.progress import DelayedProgress
from imgpath.cli.render import dump_json, terminal_console
from imgpath.core import csv_safety
from imgpath.errors import InvalidInputError

__all__ = ["programs_app"]

programs_app = typer.Typer(
    help="The program catalog: every NRMP program (2023 Match list), program-level evidence "
    "(NRMP fill history, DOL H-1B filings, ACGME records, invite reports), reviewed claims with "
    "their sources, and fit for one applicant. Canada: the CaRMS R-1 streams (--country CA).\n\n"
    "The catalog lives in a database: a SQLite file per user by default, or --db URL / "
    "$IMGPATH_DATABASE_URL (PostgreSQL works too). It is built from the bundled files on first use.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
claims_app = typer.Typer(
    help="Claims about programs (visa sponsorship, cutoffs, IMG share), each with a source, an "
    "as-of date and who entered it. Import and export them as CSV (docs/reference/claims.md).",
    no_args_is_help=True,
)
programs_app.add_typer(claims_app, name="claims")
claims_app.add_typer(reviewers_app, name="reviewers")
bundle_app = typer.Typer(
    help="The open data bundle (a .zip of CSV and JSON under a stated licence): export what this "
    "catalog knows, import what another organisation published (docs/reference/open-bundle.md).",
    no_args_is_help=True,
)
programs_app.add_typer(bundle_app, name="bundle")

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


def _catalog(db: str | None) -> Catalog:
    """The catalog at ``--db``; a URL that cannot be opened is the user's to fix (exit 2)."""
    shown = _hide_password(db or "$IMGPATH_DATABASE_URL")
    shown = shown if len(shown) <= 120 else shown[:100] + "..."
    try:
        return open_catalog(db)
    except InvalidInputError as exc:  # the storage layer's own words, said about --db
        reason = re.sub(r"^database URL .* cannot be used: ", "cannot be used: ", str(exc))
        reason = re.sub(r"^cannot open the database at \S+: ", "cannot open the database: ", reason)
        msg = f"--db {shown}: {_hide_password(reason)}"
        raise InvalidInputError(msg) from None
    except (ImportError, ValueError, OSError, SQLAlchemyError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
        msg = (
            f"--db {shown}: cannot open the database: {_hide_password(reason)}; write e.g. "
            "sqlite:///catalog.db or postgresql+psycopg://user@host/db"
        )
        raise InvalidInputError(msg) from None


def _hide_password(text: str) -> str:
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)


def _applicant(profile: str | None, on: str | None) -> Applicant | None:
    if profile is None:
        if on is not None:
            msg = "--on needs --for PROFILE"
            raise InvalidInputError(msg)
        return None
    return applicant_from_file(profile, on=parse_day(on))


def _visa(view_claims: list[dict[str, object]], field: str) -> str:
    values = {
        c["value"] for c in view_claims if c["field"] == field and c.get("status") == "accepted"
    }
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
        typer.Option(
            "--visa",
            help="j1 or h1b: keep programs with evidence of sponsoring it (reviewed claims; for "
            "H-1B also DOL filings for residents); the count of unknown ones is shown.",
        ),
    ] = None,
    visa_unknown: Annotated[
        bool,
        typer.Option(
            "--visa-unknown",
            help="With --visa: also list the programs whose sponsorship is unknown or disputed.",
        ),
    ] = False,
    all_specialties: Annotated[
        bool,
        typer.Option(
            "--all-specialties",
            help="With --for: do not keep only the profile's target specialty.",
        ),
    ] = False,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            metavar="US|CA",
            help="CA lists the CaRMS R-1 streams open to IMGs (also chosen by a profile whose "
            "destination is CA).",
        ),
    ] = None,
    img_only: Annotated[
        bool, typer.Option("--img-only", help="With --country CA: only the IMG streams.")
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

    With **--for PROFILE**, only your target specialty is listed (unless you name others or add
    --all-specialties), each program gets a fit index (0-100) explained term by term, and programs
    that exclude you (a visa they are reported not to sponsor, a strict cutoff you miss) are left
    out; the count says how many. A specialty figure from fewer than the minimum sample of
    applicants is replaced by its parent specialty's. Programs without program-level evidence
    share their specialty's index: they are tied, and the list says so.

    Examples:

      imgpath programs search -s "internal medicine" --state NY --limit 10

      imgpath programs search --for me.yaml --visa h1b --region northeast -f json

      imgpath programs search mayo --limit 0 -f csv -o mayo.csv

      imgpath programs search --country CA -s "family medicine" --img-only
    """
    applicant = _applicant(profile, on)
    query = parse_search(
        text=text or "",
        specialties=specialty or (),
        states=state or (),
        regions=region or (),
        types=track_type or (),
        visa=visa,
        visa_unknown=visa_unknown,
        all_specialties=all_specialties,
        include_excluded=show_excluded,
        sort=sort.value if sort else None,
        limit=limit,
        offset=offset,
        has_profile=applicant is not None,
    )
    wanted_country = (country or "").strip().upper() or (
        applicant.destination if applicant is not None else "US"
    )
    if wanted_country not in ("US", "CA"):
        said = (
            f"--country {country!r}" if country else f"your profile's destination {wanted_country}"
        )
        msg = f"{said}: imgpath lists programs for US (NRMP) and CA (CaRMS); add --country US or CA"
        raise InvalidInputError(msg)
    if wanted_country == "CA":
        _canada(specialty, img_only, limit, offset, output_format, output, db)
        return
    with _catalog(db) as catalog:
        result = catalog.search(query, applicant)
    data = result.to_dict()
    if output_format is SearchFormat.json:
        out = dump_json(data)
    elif output_format is SearchFormat.csv:
        out = _search_csv(data["programs"])
    else:
        out = _search_table(data, with_fit=applicant is not None, to_file=output is not None)
    write_output(out, output)


def _canada(specialty: list[str] | None, img_only: bool, limit: int, offset: int,
            output_format: SearchFormat, output: Path | None, db: str | None) -> None:  # fmt: skip
    query = CanadaQuery(
        disciplines=tuple(specialty or ()), img_only=img_only, limit=limit, offset=offset
    )
    with open_catalog(db) as catalog:
        data = catalog.canada(query).to_dict()
    if output_format is SearchFormat.json:
        out = dump_json(data)
    elif output_format is SearchFormat.csv:
        columns = [
            "stream_id",
            "discipline",
            "school",
            "site",
            "stream",
            "open_to",
            "img_stream",
            "url",
        ]
        out = _csv_text(columns, data["streams"])
    else:
        console = terminal_console(to_file=output is not None)
        first = offset + 1
        shown = f"{first}-{first + len(data['streams']) - 1}" if data["streams"] else "none"
        table = Table(title=f"Canada (CaRMS 2025 R-1): {data['total']} stream(s) open to IMGs, "
                      f"{data['img_streams']} of them IMG streams; showing {shown}", title_justify="left")  # fmt: skip
        for column in ("stream", "discipline", "school", "site", "open to"):
            table.add_column(column)
        for item in data["streams"]:
            table.add_row(item["stream_id"], item["discipline"], item["school"], item["site"],
                          ("IMG stream" if item["img_stream"] else item["open_to"]))  # fmt: skip
        console.print(table)
        console.print(f"{data['note']}. Source: {data['source']}.", style="dim")
        out = console.file.getvalue()  # type: ignore[attr-defined]
    write_output(out, output)


def _csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv_safety.dict_writer(buffer, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _search_csv(programs: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    columns = ["code", "name", "specialty", "type", "institution", "state", "state_inferred",
               "j1_sponsor", "h1b_sponsor", "claims", "program_evidence", "tied_with", "fit",
               "confidence", "excluded"]  # fmt: skip
    writer = csv_safety.dict_writer(buffer, columns, lineterminator="\n", extrasaction="ignore")
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
                "program_evidence": ";".join(p["program_evidence_kinds"]),  # type: ignore[arg-type]
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
    table.add_column("evidence")
    if with_fit:
        table.add_column("fit", justify="right")
        table.add_column("confidence")
    for p in programs:
        claims = p["claims"]
        kinds = ", ".join(_KIND_SHORT[k] for k in p["program_evidence_kinds"]) or "none"
        row = [p["code"], p["name"], p["type"], p["state"] + ("*" if p["state_inferred"] else ""),
               _visa(claims, "j1_sponsor"), _visa(claims, "h1b_sponsor"), kinds]  # fmt: skip
        if with_fit:
            fit = p["fit"]
            tie = " (tied)" if p["tied_with"] else ""
            row += [
                ("excluded " if fit["excluded"] else "") + str(fit["score"]) + tie,
                fit["confidence"],
            ]
        table.add_row(*map(str, row))
    console.print(table)
    visa = data.get("visa")
    if isinstance(visa, dict) and visa.get("text"):
        hint = "" if visa.get("listing_unknown") else " (--visa-unknown lists them after)"
        console.print(f"Visa: {visa['text']}{hint}.")
    for note in data.get("notes") or []:  # type: ignore[attr-defined]
        console.print(f"Note: {note}.")
    console.print(
        "* state inferred from the program list's order.  J-1/H-1B: yes/no as claimed and reviewed, ? unknown.  "
        + (
            "Fit is an index for sorting, not a probability; programs marked (tied) have no program-level "
            "evidence and share their specialty's index; imgpath programs show CODE --for PROFILE explains it."
            if with_fit
            else ""
        ),
        style="dim",
    )
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


_KIND_SHORT = {"claims": "claims", "fill_history": "fill", "h1b_filings": "H-1B LCAs",
               "acgme": "ACGME", "invites": "invites*", "outcomes": "outcomes"}  # fmt: skip


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
    with _catalog(db) as catalog:
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
        votes = (
            f"; confirmed by {c['confirmations']}, disputed by {c['disputes']}"
            if c["confirmations"] or c["disputes"]
            else ""
        )
        status = (
            "" if c["status"] == "accepted" else f" [{c['status'].upper()}: not used in the fit]"
        )
        lines.append(
            f"  - #{c.get('id', '?')} {c['field']} = {value}: {c['source']}, {c['as_of']}, {c['kind']}, "
            f"entered by {c['entered_by']}{note}{votes}{status}"
        )
    lines += ["", "Program-level evidence (source, date):"]
    lines += _evidence_lines(data.get("program_evidence") or {})
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


def _evidence_lines(evidence: dict[str, object]) -> list[str]:
    lines: list[str] = []
    fill = evidence.get("fill_history") or []
    assert isinstance(fill, list)
    if fill:
        first = fill[0]
        lines.append(f"  Fill history ({first['source']}, as of {first['as_of']}):")
        lines += [f"    {f['year']}: filled {f['matched']} of {f['quota']}" + (f" ({f['unfilled']} unfilled)" if f["unfilled"] else "")
                  + f"  [row {f['row']}]" for f in fill]  # fmt: skip
    h1b = evidence.get("h1b_filings")
    if isinstance(h1b, dict):
        lines.append(f"  H-1B filings: {h1b['text']} ({h1b['source']}, as of {h1b['as_of']})")
    for record in evidence.get("acgme") or []:  # type: ignore[attr-defined]
        lines.append(f"  ACGME: {record['text']} ({record['source']}, as of {record['as_of']})")
    invites = evidence.get("invites")
    if isinstance(invites, dict):
        lines.append(f"  Invites (self-reported, unverified): {invites['reports']} report(s) {invites['first']} to "
                     f"{invites['last']}; non-US IMGs {invites['non_us_img']}, US IMGs {invites['us_img']}, "
                     f"needing a visa {invites['visa_required']} ({invites['source']})")  # fmt: skip
    for cell in evidence.get("outcomes") or []:  # type: ignore[attr-defined]
        stages = ", ".join(f"{k} {v}" for k, v in cell["stages"].items())
        lines.append(f"  imgpath users ({cell['applicant_type']}, needs visa: {cell['needs_visa']}): "
                     f"{cell['people']} applied; {stages} (Match {cell['match_years'][0]}-{cell['match_years'][1]}; "
                     f"cells of {cell['k']} or more)")  # fmt: skip
    return lines or [
        "  none: no fill history, H-1B filings, ACGME record, invite reports or shared outcomes"
    ]


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
    with _catalog(db) as catalog:
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
        msg = f"{path}: {len(report.rejected)} row(s) rejected (see above); the other rows were stored"
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
    with _catalog(db) as catalog:
        text = catalog.export_claims(program_code=program, field_name=field)
    write_output(text, None if path == "-" else Path(path), option="FILE")


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


# ---------------------------------------------------------------------------- evidence


@programs_app.command("evidence")
def evidence_command(
    code: Annotated[
        str | None,
        typer.Argument(help="An NRMP program code; without one, a summary of the whole catalog."),
    ] = None,
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    db: Db = None,
) -> None:
    """Program-level evidence, each fact with its source and date: NRMP fill history, DOL H-1B
    filings of the program's institution, its ACGME record, self-reported invites, outcomes
    imgpath users shared (cells of 5 or more), and reviewed claims.

    Without a CODE: how many programs carry evidence of each kind, and every source imported.
    """
    with open_catalog(db) as catalog:
        if code is None:
            summary = catalog.evidence_summary()
            if output_format is ShowFormat.json:
                sys.stdout.write(dump_json(summary))
                return
            head = f"{summary['with_program_evidence']} of {summary['programs']} programs carry program-level evidence:"
            lines = [head]
            lines += [f"  {n:>5}  {summary['kinds'][k]}" for k, n in summary["by_kind"].items()]
            lines += ["", "Sources (read / kept / rejected rows):"]
            lines += [f"  #{s['id']} {s['title']} ({s['publisher']}; {s['licence']}; as of {s['as_of']}): "
                      f"{s['rows_read']} / {s['rows_kept']} / {s['rows_rejected']}" for s in summary["sources"]]  # fmt: skip
            matches = summary["name_matches"]
            if matches:
                lines += ["", "Name matches to NRMP institutions: " + ", ".join(f"{n} {k}" for k, n in matches.items())
                          + ("  (imgpath programs matches lists those to review)" if matches.get("review") else "")]  # fmt: skip
            sys.stdout.write("\n".join(lines) + "\n")
            return
        view = catalog.show(code)
    data = view.to_dict()
    if output_format is ShowFormat.json:
        sys.stdout.write(dump_json({"code": data["code"], "name": data["name"], "claims": data["claims"],
                                    "program_evidence": data["program_evidence"]}))  # fmt: skip
        return
    lines = [f"{data['name']}  [{data['code']}]", ""]
    lines += _evidence_lines(data["program_evidence"])
    accepted = [c for c in data["claims"] if c["status"] == "accepted"]
    other = len(data["claims"]) - len(accepted)
    lines.append(f"  Claims: {len(accepted)} accepted" + (f", {other} pending or flagged" if other else "")
                 + " (imgpath programs show CODE lists them)")  # fmt: skip
    sys.stdout.write("\n".join(lines) + "\n")


class ImportKind(StrEnum):
    nrmp_results = "nrmp-results"
    lca = "lca"
    acgme = "acgme"
    invites = "invites"


_IMPORT_KIND = {"nrmp-results": "nrmp_program_results", "lca": "dol_lca", "acgme": "acgme_programs",
                "invites": "invite_sheet"}  # fmt: skip


@programs_app.command("import")
def import_command(
    kind: Annotated[
        ImportKind,
        typer.Argument(help="Which public file this is (layouts: docs/reference/importers.md)."),
    ],
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="The file: .csv, or .xlsx for DOL's LCA files.")
    ],
    title: Annotated[
        str | None, typer.Option(help="What the file is, as it should be cited.")
    ] = None,
    publisher: Annotated[str | None, typer.Option(help="Who published it.")] = None,
    url: Annotated[str | None, typer.Option(help="Where it was downloaded.")] = None,
    licence: Annotated[str | None, typer.Option(help="Its licence or terms of use.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", metavar="DATE", help="The date the data speaks for.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Anything else about the file.")] = None,
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    db: Db = None,
) -> None:
    """Import a public file of program-level evidence, row by row with its provenance.

    nrmp-results: NRMP Program Results (positions offered and filled per program and year).
    lca: a DOL OFLC LCA disclosure file (H-1B filings; only resident physician jobs are kept).
    acgme: an ACGME public program list. invites: a community interview-invite sheet.

    Good rows are stored, every bad row is listed by row number and field (exit status 2).
    Employer and ACGME names are matched to NRMP institutions; uncertain matches wait on the
    review list (imgpath programs matches). Full national files stream in bounded memory.

    Example:

      imgpath programs import lca LCA_Disclosure_Data_FY2025_Q4.xlsx --as-of 2025-09-30
    """
    options = {
        "title": title,
        "publisher": publisher,
        "url": url,
        "licence": licence,
        "as_of": as_of,
        "note": note,
    }
    now = datetime.now(UTC)
    with open_catalog(db) as catalog, DelayedProgress() as progress:
        result = catalog.import_evidence(
            path, _IMPORT_KIND[kind.value], options=options, now=now, progress=progress
        )
    data = result.to_dict()
    if output_format is ShowFormat.json:
        sys.stdout.write(dump_json(data))
    else:
        head = (f"{data['source']['title']}: read {result.read} row(s); kept {result.kept}; "
                f"skipped {result.skipped} (not evidence imgpath keeps); not in the catalog {result.not_in_catalog}; "
                f"rejected {result.rejected}")  # fmt: skip
        lines = [head]
        lines += [f"  {p}" for p in result.problems]
        if result.rejected > len(result.problems):
            lines.append(f"  ... and {result.rejected - len(result.problems)} more")
        if result.matches:
            lines.append("Name matches: " + ", ".join(f"{n} {k}" for k, n in sorted(result.matches.items()))
                         + ("; review the uncertain ones with imgpath programs matches" if result.matches.get("review") else ""))  # fmt: skip
        sys.stdout.write("\n".join(lines) + "\n")
    if result.rejected:
        msg = f"{result.rejected} row(s) rejected (see above); the other rows were stored"
        raise InvalidInputError(msg)


@programs_app.command("matches")
def matches_command(
    kind: Annotated[
        str | None, typer.Option(help="lca (DOL employers) or acgme (ACGME programs).")
    ] = None,
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    db: Db = None,
) -> None:
    """The review list: names from imported files whose match to an NRMP institution is not
    certain enough to be used. Decide each with imgpath programs match ID confirm|reject."""
    with open_catalog(db) as catalog:
        rows = catalog.matches_to_review(kind)
    if output_format is ShowFormat.json:
        sys.stdout.write(dump_json({"matches": rows}))
        return
    lines = [f"{len(rows)} name match(es) to review"]
    for r in rows:
        options = "; ".join(
            f"{c['institution_code']} {c['name']} ({c['score']:.0f})" for c in r["candidates"]
        )
        lines.append(
            f"  #{r['id']} {r['kind']} {r['name']} [{r['state']}] -> {options or 'no candidate'}"
        )
    sys.stdout.write("\n".join(lines) + "\n")


class Decision(StrEnum):
    confirm = "confirm"
    reject = "reject"


@programs_app.command("match")
def match_command(
    match_id: Annotated[
        int, typer.Argument(metavar="ID", help="The match's number (imgpath programs matches).")
    ],
    decision: Annotated[
        Decision, typer.Argument(help="confirm (to the best candidate or --institution) or reject.")
    ],
    institution: Annotated[
        str | None, typer.Option(help="Confirm to this NRMP institution code instead.")
    ] = None,
    by: Annotated[str, typer.Option("--by", metavar="NAME", help="Who decides.")] = "operator",
    db: Db = None,
) -> None:
    """Confirm or reject one name match on the review list; the evidence follows the decision."""
    with open_catalog(db) as catalog:
        catalog.decide_match(match_id, decision=decision.value, institution_code=institution, by=by,
                             now=datetime.now(UTC))  # fmt: skip
    sys.stdout.write(f"match #{match_id}: {decision.value}ed\n")


@programs_app.command("unfilled")
def unfilled_command(
    year: Annotated[
        int | None, typer.Option(help="The Match year (default: the newest imported).")
    ] = None,
    specialty: Annotated[
        list[str] | None, typer.Option("--specialty", "-s", help="A specialty code or name.")
    ] = None,
    state: Annotated[
        list[str] | None, typer.Option("--state", help="A state code; repeat for several.")
    ] = None,
    output_format: Annotated[SearchFormat, typer.Option("--format", "-f")] = SearchFormat.table,
    db: Db = None,
) -> None:
    """Prepare for SOAP: programs that left positions unfilled in the Main Match, most unfilled
    first, from imported NRMP Program Results (the default install has Florida's, 2020-2026)."""
    with open_catalog(db) as catalog:
        data = catalog.unfilled(year=year, specialties=tuple(specialty or ()),
                                states=tuple(s.strip().upper() for s in state or ()))  # fmt: skip
    if output_format is SearchFormat.json:
        sys.stdout.write(dump_json(data))
        return
    if output_format is SearchFormat.csv:
        columns = ["code", "name", "specialty", "state", "year", "quota", "matched", "unfilled", "source",
                   "as_of", "row"]  # fmt: skip
        sys.stdout.write(_csv_text(columns, data["unfilled"]))
        return
    head = (f"{len(data['unfilled'])} program(s) left positions unfilled in the {data['year']} Main Match "
            f"(of {data['programs_with_fill_history']} programs with fill history)")  # fmt: skip
    lines = [head]
    lines += [f"  {r['code']} {r['name']} ({r['state']}): {r['unfilled']} of {r['quota']} unfilled  "
              f"[{r['source']}, row {r['row']}, as of {r['as_of']}]" for r in data["unfilled"]]  # fmt: skip
    lines.append(data["note"])
    sys.stdout.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------- claims review


@claims_app.command("pending")
def claims_pending_command(
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    db: Db = None,
) -> None:
    """Claims waiting for a reviewer (entered in the web app or imported from a bundle)."""
    with open_catalog(db) as catalog:
        pending = [
            c.to_dict() | {"program_code": c.program_code} for c in catalog.claims(status="pending")
        ]
    if output_format is ShowFormat.json:
        sys.stdout.write(dump_json({"pending": pending}))
        return
    lines = [f"{len(pending)} claim(s) waiting for review"]
    lines += [f"  #{c['id']} {c['program_code']} {c['field']} = {c['value']} ({c['kind']}; {c['source']}, "
              f"{c['as_of']}; entered by {c['entered_by']}; confirmed {c['confirmations']}, disputed {c['disputes']})"
              for c in pending]  # fmt: skip
    sys.stdout.write("\n".join(lines) + "\n")


@claims_app.command("review")
def claims_review_command(
    claim_id: Annotated[
        int, typer.Argument(metavar="ID", help="The claim's number (claims pending).")
    ],
    decision: Annotated[
        str,
        typer.Argument(metavar="accept|flag", help="accept (used in the fit) or flag (doubtful)."),
    ],
    note: Annotated[str, typer.Option(help="Why (required to flag).")] = "",
    by: Annotated[str, typer.Option("--by", metavar="NAME", help="Who reviews.")] = "operator",
    db: Db = None,
) -> None:
    """Accept a claim (it enters the fit) or flag it (shown as doubtful, not used), as the
    catalog's operator. Claims from the web app and from bundles wait as pending until then."""
    decisions = {"accept": "accepted", "flag": "flagged"}
    if decision not in decisions:
        msg = f"{decision!r}: write accept or flag"
        raise InvalidInputError(msg)
    with open_catalog(db) as catalog:
        claim = catalog.review_claim(Actor(by, by, "operator"), claim_id, decisions[decision], note=note,
                                     now=datetime.now(UTC))  # fmt: skip
    sys.stdout.write(f"claim #{claim_id} ({claim.program_code} {claim.field}): {claim.status}\n")


# ---------------------------------------------------------------------------- outcomes


@programs_app.command("outcomes")
def outcomes_command(
    code: Annotated[str | None, typer.Argument(help="Only this program.")] = None,
    output_format: Annotated[ShowFormat, typer.Option("--format", "-f")] = ShowFormat.text,
    db: Db = None,
) -> None:
    """What imgpath users who opted in shared about their season, per program: only cells of
    5 or more people, and within them counts below 5 shown as ranges. Applicants opt in and out
    in the web app; opting out removes every figure they were part of."""
    with open_catalog(db) as catalog:
        cells = [
            c
            for c in catalog.outcomes.cells()
            if code is None or c.program_code == code.strip().upper()
        ]
        names = {c.program_code: catalog.show(c.program_code).program.name for c in cells}
    if output_format is ShowFormat.json:
        sys.stdout.write(
            dump_json(
                {"k": 5, "cells": [c.to_dict() | {"program_code": c.program_code} for c in cells]}
            )
        )
        return
    lines = [f"{len(cells)} cell(s) of 5 or more people"]
    for cell in cells:
        lines.append(f"  {cell.program_code} {names[cell.program_code]}:")
        lines += [f"    {s}" for s in cell.sentences()]
    sys.stdout.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------- open bundle


@bundle_app.command("export")
def bundle_export_command(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="The .zip to write.")],
    licence: Annotated[str, typer.Option(help=f"One of {', '.join(LICENCES)}.")] = "CC-BY-4.0",
    publisher: Annotated[str, typer.Option(help="Who publishes the bundle.")] = "",
    db: Db = None,
) -> None:
    """Write claims (with status and vote counts; no voter, e-mail addresses cut to their domain),
    outcome cells of 5 or more people, and the evidence sources, under the licence you state."""
    with open_catalog(db) as catalog:
        manifest = export_bundle(
            catalog, path, licence=licence, publisher=publisher, now=datetime.now(UTC)
        )
    sys.stdout.write(f"wrote {path}: {manifest['claims']} claim(s), {manifest['outcomes']} outcome cell(s), "
                     f"licence {manifest['licence']['id']}\n")  # fmt: skip


@bundle_app.command("import")
def bundle_import_command(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A bundle .zip.")],
    accept: Annotated[
        bool, typer.Option(help="Accept its claims now instead of leaving them for review.")
    ] = False,
    by: Annotated[str, typer.Option("--by", metavar="NAME", help="Who imports.")] = "operator",
    db: Db = None,
) -> None:
    """Add another organisation's claims (pending review unless --accept); outcome cells are not
    merged (people could be counted twice)."""
    now = datetime.now(UTC)
    with open_catalog(db) as catalog:
        report = import_bundle(
            catalog, path, actor=Actor(by, by, "operator"), accept=accept, today=now.date(), now=now
        )
    head = (f"from {report['publisher']}: added {report['claims_added']} claim(s) ({report['status']}); "
            f"{report['duplicates']} duplicate(s); {len(report['rejected'])} row(s) rejected")  # fmt: skip
    lines = [head]
    lines += [
        f"  claims.csv row {r['row']}, {r['column']}: {r['reason']}" for r in report["rejected"]
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    if report["rejected"]:
        msg = f"{len(report['rejected'])} row(s) rejected (see above); the other rows were stored"
        raise InvalidInputError(msg)
