"""The open data bundle: what one organisation's imgpath knows about programs, shared with others.

A bundle is one ``.zip`` file holding

* ``claims.csv``: every claim in the claims import format plus ``status``, ``confirmations``
  and ``disputes`` (who voted is never exported; an e-mail address in ``entered_by`` is cut to
  its domain: ``someone at example.org``);
* ``outcomes.csv``: outcome cells of imgpath users with at least k = 5 people each, the counts
  as they may be shown ("fewer than 5"), never a smaller cell;
* ``bundle.json``: the same, plus the format, the licence, the publisher, the date and the
  evidence sources of the exporting catalog.

The licence is chosen at export from :data:`LICENCES` and stated in ``bundle.json`` and in a
``LICENCE.txt``.  Importing a bundle adds its claims as *pending* (a local reviewer accepts or
flags them); the operator may accept them at once.  Outcome cells are not merged: people may be
in both organisations' figures, so adding cells would count them twice.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from imgpath.core import csv_safety
from imgpath.core.catalog.claims import CLAIM_COLUMNS, ClaimRowError, claim_from_row, claim_to_row
from imgpath.core.catalog.outcomes import STAGES, K
from imgpath.errors import DocumentSyntaxError, InvalidInputError, NotFoundError
from imgpath.services.catalog import Actor, Catalog

__all__ = ["BUNDLE_FORMAT", "LICENCES", "export_bundle", "import_bundle"]

BUNDLE_FORMAT = "imgpath-open-bundle/1"
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0 International",
                  "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero 1.0 Universal (public domain dedication)",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
}  # fmt: skip
MAX_BYTES = 50_000_000
"""Largest uncompressed bundle accepted (a guard against zip bombs)."""
_EMAIL = re.compile(r"[^\s<>@]+@([^\s<>@]+\.[^\s<>@]+)")
_CLAIM_EXTRA = ("status", "confirmations", "disputes")
_OUTCOME_COLUMNS = ("program_code", "applicant_type", "needs_visa", "people", *STAGES[1:],
                    "first_match_year", "last_match_year")  # fmt: skip


def _public(entered_by: str) -> str:
    """Attribution without an e-mail address: ``Dr A <a@b.org>`` -> ``Dr A (someone at b.org)``."""
    return (
        _EMAIL.sub(lambda m: f"someone at {m.group(1)}", entered_by)
        .replace("<", "(")
        .replace(">", ")")
    )


def export_bundle(
    catalog: Catalog, path: str | Path, *, licence: str, publisher: str, now: datetime
) -> dict[str, Any]:
    """Write the bundle to ``path`` (a .zip); returns its manifest."""
    if licence not in LICENCES:
        msg = f"licence {licence!r}: choose one of {', '.join(LICENCES)}"
        raise InvalidInputError(msg)
    if not publisher.strip():
        msg = "publisher: say who publishes the bundle (an organisation's name)"
        raise InvalidInputError(msg)
    claims = []
    for claim in catalog.claims():
        row = claim_to_row(claim)
        row["entered_by"] = _public(row["entered_by"])
        claims.append({**row, "status": claim.status, "confirmations": claim.confirmations,
                       "disputes": claim.disputes})  # fmt: skip
    cells = []
    for cell in catalog.outcomes.cells():  # k or more people each, by construction
        shown = cell.to_dict()
        cells.append({"program_code": cell.program_code, "applicant_type": cell.kind,
                      "needs_visa": "" if cell.needs_visa is None else ("yes" if cell.needs_visa else "no"),
                      "people": cell.people, **shown["stages"], "first_match_year": cell.first_year,
                      "last_match_year": cell.last_year})  # fmt: skip
    name, url = LICENCES[licence]
    manifest = {
        "format": BUNDLE_FORMAT,
        "publisher": publisher.strip(),
        "created": now.isoformat(),
        "licence": {"id": licence, "name": name, "url": url},
        "k": K,
        "claims": claims,
        "outcomes": cells,
        "evidence_sources": catalog.evidence_store.sources(),
        "notes": "claims.csv uses the claims import format (docs/reference/claims.md); outcome cells hold "
                 f"at least {K} people and show smaller counts as ranges",
    }  # fmt: skip
    target = Path(path)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("claims.csv", _csv((*CLAIM_COLUMNS, *_CLAIM_EXTRA), claims))
        bundle.writestr("outcomes.csv", _csv(_OUTCOME_COLUMNS, cells))
        bundle.writestr("bundle.json", json.dumps(manifest, indent=2, default=str) + "\n")
        bundle.writestr("LICENCE.txt", f"This data bundle is published by {publisher.strip()} under the "
                                       f"{name} ({licence}): {url}\n")  # fmt: skip
    return {k: v for k, v in manifest.items() if k not in ("claims", "outcomes")} | {
        "claims": len(claims), "outcomes": len(cells), "path": str(target)}  # fmt: skip


def _csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv_safety.dict_writer(out, columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _read(bundle: zipfile.ZipFile, name: str, source: str) -> str:
    try:
        info = bundle.getinfo(name)
    except KeyError:
        msg = (
            f"{source}: no {name} in the bundle; export bundles with imgpath programs bundle export"
        )
        raise InvalidInputError(msg) from None
    if info.file_size > MAX_BYTES:
        msg = f"{source}: {name} is larger than {MAX_BYTES:,} bytes uncompressed"
        raise InvalidInputError(msg)
    try:
        return bundle.read(name).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = f"{source}:{name}"
        raise DocumentSyntaxError(
            where, f"not UTF-8 (byte {exc.start})", line=None, column=None
        ) from None


def import_bundle(
    catalog: Catalog, path: str | Path, *, actor: Actor, accept: bool, today: date, now: datetime
) -> dict[str, Any]:
    """Add a bundle's claims (pending, or accepted when ``accept`` and the actor is the
    operator); every bad row is listed as ``claims.csv row N, COLUMN: reason``."""
    source = str(path)
    if accept and actor.role != "operator":
        msg = "only the catalog's operator may accept a bundle's claims without review"
        raise InvalidInputError(msg)
    try:
        bundle = zipfile.ZipFile(path)
    except FileNotFoundError:
        msg = f"{source}: no such file"
        raise NotFoundError(msg) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise DocumentSyntaxError(
            source, f"not a bundle (.zip) ({exc})", line=None, column=None
        ) from None
    with bundle:
        try:
            manifest = json.loads(_read(bundle, "bundle.json", source))
        except json.JSONDecodeError as exc:
            where = f"{source}:bundle.json"
            raise DocumentSyntaxError(where, exc.msg, line=exc.lineno, column=exc.colno) from None
        if not isinstance(manifest, dict) or manifest.get("format") != BUNDLE_FORMAT:
            msg = f"{source}: bundle.json does not say format {BUNDLE_FORMAT!r}"
            raise InvalidInputError(msg)
        text = _read(bundle, "claims.csv", source)
    publisher = str(manifest.get("publisher") or "another organisation")[:120]
    licence = manifest.get("licence") if isinstance(manifest.get("licence"), dict) else {}
    accepted, duplicates, problems = [], 0, []
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        cells = {k: csv_safety.restore_cell(v) if isinstance(v, str) else v
                 for k, v in row.items() if k in CLAIM_COLUMNS}  # fmt: skip
        cells["entered_by"] = (
            f"{(cells.get('entered_by') or '').strip() or 'unknown'} via {publisher}"[:200]
        )
        try:
            claim = claim_from_row(cells, today=today, programs=catalog.by_code)
        except ClaimRowError as exc:
            problems.append(
                {"row": number, "column": exc.column, "reason": str(exc).split(": ", 1)[1]}
            )
            continue
        if (row.get("status") or "") == "flagged":
            continue  # the other organisation's reviewer doubted it: not imported
        accepted.append(replace(claim, status="accepted" if accept else "pending",
                                reviewed_by=actor.label if accept else ""))  # fmt: skip
    added = catalog.store.add_claims(accepted, entered_at=now) if accepted else []
    duplicates = sum(not a for a in added)
    return {"publisher": publisher, "licence": licence, "claims_added": sum(added), "duplicates": duplicates,
            "rejected": problems, "status": "accepted" if accept else "pending",
            "outcomes": "not merged (people may be counted in both organisations' figures)"}  # fmt: skip
