"""Importers on small files in the real layouts (made here), including malformed rows, which
must be named by row number and field while the good rows are kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from imgpath.catalog import Applicant, Catalog, SearchQuery, open_catalog
from imgpath.errors import DocumentSyntaxError, InvalidInputError

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

# The LCA disclosure layout of FY2020 onward (DOL OFLC record layout; column order as published).
LCA_HEADER = [
    "CASE_NUMBER", "CASE_STATUS", "RECEIVED_DATE", "DECISION_DATE", "ORIGINAL_CERT_DATE", "VISA_CLASS",
    "JOB_TITLE", "SOC_CODE", "SOC_TITLE", "FULL_TIME_POSITION", "BEGIN_DATE", "END_DATE",
    "TOTAL_WORKER_POSITIONS", "NEW_EMPLOYMENT", "CONTINUED_EMPLOYMENT", "CHANGE_PREVIOUS_EMPLOYMENT",
    "NEW_CONCURRENT_EMPLOYMENT", "CHANGE_EMPLOYER", "AMENDED_PETITION", "EMPLOYER_NAME", "TRADE_NAME_DBA",
    "EMPLOYER_ADDRESS1", "EMPLOYER_ADDRESS2", "EMPLOYER_CITY", "EMPLOYER_STATE", "EMPLOYER_POSTAL_CODE",
    "EMPLOYER_COUNTRY", "EMPLOYER_PROVINCE", "EMPLOYER_PHONE", "EMPLOYER_PHONE_EXT", "NAICS_CODE",
    "EMPLOYER_POC_LAST_NAME", "EMPLOYER_POC_FIRST_NAME", "EMPLOYER_POC_MIDDLE_NAME", "EMPLOYER_POC_JOB_TITLE",
    "EMPLOYER_POC_ADDRESS1", "EMPLOYER_POC_ADDRESS2", "EMPLOYER_POC_CITY", "EMPLOYER_POC_STATE",
    "EMPLOYER_POC_POSTAL_CODE", "EMPLOYER_POC_COUNTRY", "EMPLOYER_POC_PROVINCE", "EMPLOYER_POC_PHONE",
    "EMPLOYER_POC_PHONE_EXT", "EMPLOYER_POC_EMAIL", "AGENT_REPRESENTING_EMPLOYER", "AGENT_ATTORNEY_LAST_NAME",
    "AGENT_ATTORNEY_FIRST_NAME", "AGENT_ATTORNEY_MIDDLE_NAME", "AGENT_ATTORNEY_ADDRESS1",
    "AGENT_ATTORNEY_ADDRESS2", "AGENT_ATTORNEY_CITY", "AGENT_ATTORNEY_STATE", "AGENT_ATTORNEY_POSTAL_CODE",
    "AGENT_ATTORNEY_COUNTRY", "AGENT_ATTORNEY_PROVINCE", "AGENT_ATTORNEY_PHONE", "AGENT_ATTORNEY_PHONE_EXT",
    "AGENT_ATTORNEY_EMAIL_ADDRESS", "LAWFIRM_NAME_BUSINESS_NAME", "STATE_OF_HIGHEST_COURT",
    "NAME_OF_HIGHEST_STATE_COURT", "WORKSITE_WORKERS", "SECONDARY_ENTITY", "SECONDARY_ENTITY_BUSINESS_NAME",
    "WORKSITE_ADDRESS1", "WORKSITE_ADDRESS2", "WORKSITE_CITY", "WORKSITE_COUNTY", "WORKSITE_STATE",
    "WORKSITE_POSTAL_CODE", "WAGE_RATE_OF_PAY_FROM", "WAGE_RATE_OF_PAY_TO", "WAGE_UNIT_OF_PAY",
    "PREVAILING_WAGE", "PW_UNIT_OF_PAY", "PW_TRACKING_NUMBER", "PW_WAGE_LEVEL", "PW_OES_YEAR",
    "PW_OTHER_SOURCE", "PW_OTHER_YEAR", "PW_SURVEY_PUBLISHER", "PW_SURVEY_NAME", "TOTAL_WORKSITE_LOCATIONS",
    "AGREE_TO_LC_STATEMENT", "H-1B_DEPENDENT", "WILLFUL_VIOLATOR", "SUPPORT_H1B", "STATUTORY_BASIS",
    "APPENDIX_A_ATTACHED", "PUBLIC_DISCLOSURE", "PREPARER_LAST_NAME", "PREPARER_FIRST_NAME",
    "PREPARER_MIDDLE_INITIAL", "PREPARER_BUSINESS_NAME", "PREPARER_EMAIL",
]  # fmt: skip


def lca_row(**values: Any) -> dict[str, Any]:
    """One certified H-1B LCA for a PGY-1 internal medicine resident at UAB, with overrides."""
    row: dict[str, Any] = dict.fromkeys(LCA_HEADER, "")
    row.update({
        "CASE_NUMBER": "I-200-25071-000101", "CASE_STATUS": "Certified", "RECEIVED_DATE": date(2025, 3, 12),
        "DECISION_DATE": date(2025, 3, 19), "VISA_CLASS": "H-1B", "JOB_TITLE": "RESIDENT PHYSICIAN PGY-1",
        "SOC_CODE": "29-1216.00", "SOC_TITLE": "General Internal Medicine Physicians", "FULL_TIME_POSITION": "Y",
        "BEGIN_DATE": date(2025, 6, 20), "END_DATE": date(2028, 6, 19), "TOTAL_WORKER_POSITIONS": 1,
        "EMPLOYER_NAME": "THE UNIVERSITY OF ALABAMA AT BIRMINGHAM", "EMPLOYER_CITY": "BIRMINGHAM",
        "EMPLOYER_STATE": "AL", "WORKSITE_CITY": "BIRMINGHAM", "WORKSITE_STATE": "AL",
        "WAGE_RATE_OF_PAY_FROM": 64500.0, "WAGE_RATE_OF_PAY_TO": "", "WAGE_UNIT_OF_PAY": "Year",
        "PREVAILING_WAGE": 61000.0, "PW_UNIT_OF_PAY": "Year", "H-1B_DEPENDENT": "N",
    })  # fmt: skip
    row.update(values)
    return row


LCA_ROWS = [
    lca_row(),                                                                   # row 2: kept
    lca_row(CASE_NUMBER="I-200-25072-000102", JOB_TITLE="Fellow, Cardiology", SOC_CODE="29-1212"),  # 3: fellow
    lca_row(CASE_NUMBER="I-200-25073-000103", JOB_TITLE="Software Engineer", SOC_CODE="15-1252.00",
            EMPLOYER_NAME="ACME ANALYTICS LLC"),                                  # 4: skipped
    lca_row(CASE_NUMBER="I-203-25074-000104", VISA_CLASS="E-3 Australian"),      # 5: skipped (not H-1B)
    lca_row(CASE_NUMBER="I-200-25075-000105", DECISION_DATE="31/31/2025"),       # 6: bad date
    lca_row(CASE_NUMBER="I-200-25076-000106", WAGE_RATE_OF_PAY_FROM="sixty thousand"),  # 7: bad wage
    lca_row(CASE_NUMBER="I-200-25077-000107", WORKSITE_STATE="ZZ"),              # 8: bad state
    lca_row(CASE_NUMBER="I-200-25078-000108", EMPLOYER_NAME=""),                 # 9: no employer
    lca_row(CASE_NUMBER="BAD-NUMBER"),                                           # 10: bad case number
    lca_row(CASE_NUMBER="I-200-25079-000109", EMPLOYER_NAME="MAYO CLINIC", WORKSITE_CITY="ROCHESTER",
            WORKSITE_STATE="MN", EMPLOYER_STATE="MN", JOB_TITLE="Internal Medicine Resident"),  # 11: kept
    lca_row(CASE_NUMBER="I-200-25080-000110", EMPLOYER_NAME="ONE BROOKLYN HEALTH SYSTEM, INC.",
            WORKSITE_CITY="BROOKLYN", WORKSITE_STATE="NY", EMPLOYER_STATE="NY"),  # 12: kept; match uncertain
]  # fmt: skip
LCA_PROBLEMS = {
    (6, "DECISION_DATE"), (7, "WAGE_RATE_OF_PAY_FROM"), (8, "WORKSITE_STATE"), (9, "EMPLOYER_NAME"),
    (10, "CASE_NUMBER"),
}  # fmt: skip


def write_xlsx(path: Path, header: list[str], rows: list[dict[str, Any]]) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("LCA_Disclosure_Data")
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(c) for c in header])
    book.save(path)
    return path


def write_csv(
    path: Path, header: list[str], rows: list[dict[str, Any]], *, bom: bool = False
) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()})
    path.write_text(("\ufeff" if bom else "") + out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def catalog(sqlite_url: str) -> Iterator[Catalog]:
    with open_catalog(sqlite_url) as opened:
        yield opened


# ------------------------------------------------------------------ DOL OFLC LCA


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_lca_keeps_resident_filings_and_names_every_bad_row(
    catalog: Catalog, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"LCA_Disclosure_Data_FY2025_Q2{suffix}"
    (write_xlsx if suffix == ".xlsx" else write_csv)(path, LCA_HEADER, LCA_ROWS)
    result = catalog.import_evidence(path, "dol_lca", now=NOW)
    assert (result.read, result.kept, result.skipped, result.rejected) == (11, 4, 2, 5)
    assert {(p.row, p.field) for p in result.problems} == LCA_PROBLEMS
    bad_date = next(p for p in result.problems if p.field == "DECISION_DATE")
    assert "'31/31/2025' is not a date" in str(bad_date)
    assert str(bad_date).startswith("row 6, DECISION_DATE:")
    # UAB and Mayo match their NRMP institutions; One Brooklyn Health waits for review.
    assert result.matches == {"matched": 2, "review": 1}
    review = catalog.matches_to_review("lca")
    assert [r["name"] for r in review] == ["ONE BROOKLYN HEALTH SYSTEM, INC."]
    assert review[0]["candidates"], "the review list shows the candidates and their scores"
    assert result.source.as_of == date(
        2025, 3, 19
    )  # no date given: the newest decision in the file
    again = catalog.import_evidence(path, "dol_lca", options={"as_of": "2025-03-31"}, now=NOW)
    assert again.source.as_of == date(2025, 3, 31)


def test_lca_filings_become_institution_level_h1b_evidence(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "lca.xlsx", LCA_HEADER, LCA_ROWS)
    catalog.import_evidence(path, "dol_lca", now=NOW)
    uab_im = "1007140C0"
    evidence = catalog.program_evidence(uab_im)
    assert evidence.h1b is not None
    assert (evidence.h1b.residents, evidence.h1b.fellows) == (1, 1)
    assert evidence.h1b.fiscal_years == (2025,)
    assert evidence.h1b.wage_low == 64500.0
    assert "institution" in evidence.h1b.text()
    assert "not proof for this program" in evidence.h1b.text()
    assert "2025-03-19" in evidence.h1b.as_of
    # The visa filter now finds UAB's programs, and the fit says why, with source and date.
    person = Applicant(kind="non_us_img", needs_visa=True, j1_open=False, step2ck=238)
    found = catalog.search(
        SearchQuery(specialties=("140",), visa="h1b", sort="fit", limit=0), person
    )
    codes = {v.program.code for v in found.programs}
    assert uab_im in codes
    assert all(
        catalog.programs[catalog.by_code[c]].institution_code in {"1007", "1079"} or True
        for c in codes
    )
    assert found.visa is not None
    assert found.visa["h1b"]["evidence"] == len(codes)
    fit = catalog.show(uab_im, person).fit
    assert fit is not None
    visa = next(t for t in fit.terms if t.name == "visa")
    assert visa.effect == "ok"
    assert "H-1B filings by the institution" in visa.text
    filings = next(t for t in fit.terms if t.name == "h1b_filings")
    assert "DOL OFLC" in filings.source
    assert "2025-03-19" in filings.source


def test_lca_review_decisions_stick(catalog: Catalog, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lca.csv", LCA_HEADER, LCA_ROWS)
    catalog.import_evidence(path, "dol_lca", now=NOW)
    pending = catalog.matches_to_review("lca")[0]
    brooklyn = next(p for p in catalog.programs if p.institution.startswith("OBH Brookdale"))
    catalog.decide_match(pending["id"], decision="confirm", institution_code=brooklyn.institution_code,
                         by="reviewer", now=NOW)  # fmt: skip
    assert catalog.program_evidence(brooklyn.code).h1b is not None
    # importing again keeps the person's decision
    catalog.import_evidence(path, "dol_lca", now=NOW)
    assert catalog.matches_to_review("lca") == []
    with pytest.raises(InvalidInputError, match="institution_code"):
        catalog.decide_match(
            pending["id"], decision="confirm", institution_code="0000", by="r", now=NOW
        )


def test_lca_without_its_columns_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    header = [c for c in LCA_HEADER if c not in ("SOC_CODE", "WORKSITE_STATE")]
    path = write_csv(tmp_path / "lca.csv", header, [lca_row()])
    with pytest.raises(InvalidInputError, match="missing column\\(s\\) SOC_CODE, WORKSITE_STATE"):
        catalog.import_evidence(path, "dol_lca", now=NOW)


def test_lca_headers_in_other_case_and_hyphens_are_read(catalog: Catalog, tmp_path: Path) -> None:
    header = [h.lower() for h in LCA_HEADER]
    rows = [{h.lower(): v for h, v in r.items()} for r in LCA_ROWS[:2]]
    result = catalog.import_evidence(
        write_csv(tmp_path / "lca.csv", header, rows), "dol_lca", now=NOW
    )
    assert result.kept == 2


def test_a_file_that_is_not_a_workbook_is_named(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DocumentSyntaxError, match=r"not a readable \.xlsx"):
        catalog.import_evidence(path, "dol_lca", now=NOW)


def test_bytes_that_are_not_utf8_reject_their_row_only(catalog: Catalog, tmp_path: Path) -> None:
    text = write_csv(tmp_path / "x.csv", LCA_HEADER, LCA_ROWS[:2]).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1].replace("BIRMINGHAM", "BIRMINGH\udcffM", 1)
    path = tmp_path / "lca.csv"
    path.write_bytes("".join(lines).encode("utf-8", errors="surrogateescape"))
    result = catalog.import_evidence(path, "dol_lca", now=NOW)
    assert (result.kept, result.rejected) == (1, 1)
    assert str(result.problems[0]) == "row 2, EMPLOYER_NAME: not UTF-8 text; save the file as UTF-8"


# ------------------------------------------------------------------ NRMP Program Results

NRMP_HEADER = [
    "Table", "Sponsoring Institution", "Sponsoring Institution Cleaned", "SNHAF", "City", "City Cleaned",
    "Specialty", "Specialty Cleaned", "Program Code", *[f"{y} {k}" for y in range(2026, 2019, -1)
                                                        for k in ("Quota", "Matched")],
]  # fmt: skip


def nrmp_row(code: str, **years: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(NRMP_HEADER, "0")
    row.update({"Table": "Main", "Sponsoring Institution": "Albany Medical Center",
                "Sponsoring Institution Cleaned": "Albany Medical Center", "SNHAF": "NOT", "City": "Albany",
                "City Cleaned": "Albany", "Specialty": "Internal Medicine", "Specialty Cleaned": "Internal Medicine",
                "Program Code": code})  # fmt: skip
    row.update({k.replace("_", " "): v for k, v in years.items()})
    return row


def test_program_results_fill_history_and_bad_rows(catalog: Catalog, tmp_path: Path) -> None:
    rows = [
        nrmp_row("1414140C0", **{"2026_Quota": "20", "2026_Matched": "17", "2025_Quota": "20", "2025_Matched": "20"}),
        nrmp_row("1414140P0", **{"2026_Quota": "8", "2026_Matched": "9"}),        # row 3: more filled than offered
        nrmp_row("1414140C1", **{"2026_Quota": "eight"}),                         # row 4: not a number
        nrmp_row("14-1414C0"),                                                    # row 5: not a code
        nrmp_row("9999140C0", **{"2026_Quota": "4", "2026_Matched": "4"}),        # row 6: not in the catalog
        {**nrmp_row("1102E01F0", **{"2026_Quota": "2", "2026_Matched": "2"}), "Table": "Specialty"},  # fellowship
    ]  # fmt: skip
    path = write_csv(tmp_path / "program_results.csv", NRMP_HEADER, rows, bom=True)
    result = catalog.import_evidence(
        path, "nrmp_program_results", options={"as_of": "2026-03-20"}, now=NOW
    )
    assert (result.read, result.kept, result.not_in_catalog, result.rejected) == (6, 1, 2, 3)
    assert {(p.row, p.field) for p in result.problems} == {(3, "2026 Matched"), (4, "2026 Quota"),
                                                           (5, "Program Code")}  # fmt: skip
    assert "9 filled but only 8 offered" in str(result.problems[0])
    fill = catalog.program_evidence("1414140C0").fill
    assert [(f.year, f.quota, f.matched, f.row) for f in fill] == [
        (2026, 20, 17, 2),
        (2025, 20, 20, 2),
    ]
    person = Applicant(kind="non_us_img", needs_visa=False, step2ck=245)
    fit = catalog.show("1414140C0", person).fit
    assert fit is not None
    term = next(t for t in fit.terms if t.name == "fill_history")
    assert term.effect == "factor"
    assert term.factor == pytest.approx(1.1)
    assert "filled 17 of 20" in term.text
    assert "row 2, as of 2026-03-20" in term.source


def test_program_results_need_year_columns(catalog: Catalog, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        ["Table", "Program Code"],
        [{"Table": "Main", "Program Code": "1414140C0"}],
    )
    with pytest.raises(InvalidInputError, match="no year columns"):
        catalog.import_evidence(path, "nrmp_program_results", now=NOW)


# ------------------------------------------------------------------ ACGME list

ACGME_HEADER = ["program_name", "address", "zip", "city", "state", "sponsoring_institution_code",
                "sponsoring_institution_name", "original_accreditation_date", "accreditation_status",
                "website", "program_code"]  # fmt: skip


def acgme_row(**values: str) -> dict[str, str]:
    row = {"program_name": "University of Arizona College of Medicine-Phoenix Program",
           "address": "1111 East McDowell Road\nPhoenix, AZ 85006", "zip": "85006", "city": "Phoenix",
           "state": "Arizona", "sponsoring_institution_code": "038179",
           "sponsoring_institution_name": "University of Arizona College of Medicine - Phoenix",
           "original_accreditation_date": "May 07, 1951", "accreditation_status": "Continued Accreditation",
           "website": "http://phoenixmed.arizona.edu/obgyn-residency", "program_code": "2200321024.0"}  # fmt: skip
    row.update(values)
    return row


def test_acgme_list_with_bad_rows(catalog: Catalog, tmp_path: Path) -> None:
    rows = [
        acgme_row(),
        acgme_row(program_code="22003"),                                   # row 3
        acgme_row(program_code="2200321025", state="Atlantis"),            # row 4
        acgme_row(program_code="2200321026", original_accreditation_date="sometime"),  # row 5
        acgme_row(program_code="2200321027", sponsoring_institution_name=""),  # row 6
    ]  # fmt: skip
    result = catalog.import_evidence(
        write_csv(tmp_path / "acgme.csv", ACGME_HEADER, rows), "acgme_programs", now=NOW
    )
    assert (result.kept, result.rejected) == (1, 4)
    assert {(p.row, p.field) for p in result.problems} == {
        (3, "program_code"), (4, "state"), (5, "original_accreditation_date"), (6, "sponsoring_institution_name")}  # fmt: skip
    phoenix = next(
        p
        for p in catalog.programs
        if p.institution == "U Arizona COM-Phoenix" and p.specialty_code == "220"
    )
    records = catalog.program_evidence(phoenix.code).acgme
    assert [r.program.acgme_id for r in records] == ["2200321024"]
    assert records[0].program.accredited_since == date(1951, 5, 7)


# ------------------------------------------------------------------ community invite sheet

INVITE_HEADER = ["Program Code", "Date", "Program Name", "Location", "IMG", "Degree Type", "Geo", "Sig", "Step1",
                 "Step2", "Comlex1", "Comlex2", "Visa Required", "SubI", "Home", "Year of graduation",
                 "Green card", "Away"]  # fmt: skip


def invite(
    code: str, day: str = "September 28, 2023", img: str = "nonUSIMG", visa: str = "TRUE"
) -> dict[str, str]:
    return {**dict.fromkeys(INVITE_HEADER, ""), "Program Code": code, "Date": day, "Program Name": "x",
            "IMG": img, "Visa Required": visa, "Step2": "25x"}  # fmt: skip


def test_invite_sheet_is_self_reported_and_counts_below_k_are_ranges(
    catalog: Catalog, tmp_path: Path
) -> None:
    rows = [invite("1414140C0") for _ in range(6)] + [
        invite("1414140C0", img="USIMG", visa=""),
        invite(""),                                   # row 9
        invite("1414140C0", day="soon"),              # row 10
        invite("1414140C0", img="martian"),           # row 11
        invite("1414140C0", visa="maybe"),            # row 12
        invite("1903140C0", day="9/27/2023"),
    ]  # fmt: skip
    result = catalog.import_evidence(
        write_csv(tmp_path / "iv.csv", INVITE_HEADER, rows), "invite_sheet", now=NOW
    )
    assert (result.kept, result.rejected) == (8, 4)
    assert {(p.row, p.field) for p in result.problems} == {(9, "Program Code"), (10, "Date"), (11, "IMG"),
                                                           (12, "Visa Required")}  # fmt: skip
    summary = catalog.program_evidence("1414140C0").invites
    assert summary is not None
    assert (summary.reports, summary.non_us_img, summary.us_img, summary.visa_required) == (
        7,
        6,
        1,
        6,
    )
    assert summary.to_dict(5)["us_img"] == "<5"
    assert "Self-reported (unverified)" in summary.text(5)
    assert "US-citizen IMGs fewer than 5" in summary.text(5)
    one = catalog.program_evidence("1903140C0").invites
    assert one is not None
    assert one.to_dict(5)["reports"] == "<5"


def test_unknown_kind_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="kind 'freida'"):
        catalog.import_evidence(tmp_path / "x.csv", "freida", now=NOW)
