"""Claims from people, reviewed (the service API the web app builds on, tested without HTTP):
an advisor adds a claim with a source and date, applicants confirm or dispute, a reviewer
accepts or flags, conflicting claims are all kept, and only accepted claims enter the fit."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from imgpath.catalog import Actor, Applicant, Catalog, export_bundle, import_bundle, open_catalog
from imgpath.errors import InvalidInputError, NotFoundError, PermissionDeniedError

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
ADVISOR = Actor("advisor@example.org", "Dr A. Advisor", "advisor")
ORG = Actor("rotations@example.org", "Rotations Inc", "organisation")
REVIEWER = Actor("reviewer@example.org", "R. Reviewer", "reviewer")
APPLICANTS = [Actor(f"user:{i}", f"Applicant {i}", "applicant") for i in range(3)]
PERSON = Applicant(kind="non_us_img", needs_visa=True, j1_open=False, h1b_open=True, step2ck=240)
CODE = "1414140C0"


@pytest.fixture
def catalog(sqlite_url: str) -> Iterator[Catalog]:
    with open_catalog(sqlite_url) as opened:
        yield opened


def propose(catalog: Catalog, actor: Actor = ADVISOR, **fields: str):  # type: ignore[no-untyped-def]
    values = {"program_code": CODE, "field": "h1b_sponsor", "value": "no", "kind": "reported",
              "source": "phone: 2026-11-20", "as_of": "2026-11-20"} | fields  # fmt: skip
    return catalog.propose_claim(actor, **values, today=TODAY, now=NOW)


def test_an_advisors_claim_waits_then_a_reviewer_accepts_it_into_the_fit(catalog: Catalog) -> None:
    claim = propose(catalog, note="GME office said they stopped sponsoring H-1B")
    assert (claim.status, claim.entered_by) == ("pending", "Dr A. Advisor <advisor@example.org>")
    assert claim.to_dict()["source_kind"] == "phone"
    before = catalog.show(CODE, PERSON).fit
    assert before is not None
    assert not before.excluded
    assert [c.id for c in catalog.claims(status="pending")] == [claim.id]
    accepted = catalog.review_claim(
        REVIEWER, claim.id, "accepted", note="called back, confirmed", now=NOW
    )
    assert (accepted.status, accepted.reviewed_by) == (
        "accepted",
        "R. Reviewer <reviewer@example.org>",
    )
    after = catalog.show(CODE, PERSON).fit
    assert after is not None
    assert after.excluded
    assert any(t.name == "visa" and t.effect == "excludes" for t in after.terms)


def test_applicants_confirm_or_dispute_once_each(catalog: Catalog) -> None:
    claim = propose(catalog)
    catalog.vote_claim(APPLICANTS[0], claim.id, "confirm", now=NOW)
    catalog.vote_claim(
        APPLICANTS[1], claim.id, "dispute", note="they sponsored my H-1B in 2026", now=NOW
    )
    catalog.vote_claim(APPLICANTS[0], claim.id, "confirm", now=NOW)  # again: still one vote
    shown = catalog.claim(claim.id)
    assert (shown.confirmations, shown.disputes) == (1, 1)
    catalog.vote_claim(APPLICANTS[1], claim.id, None, now=NOW)  # withdrawn
    assert catalog.claim(claim.id).disputes == 0
    assert catalog.forget_voter(APPLICANTS[0].id) == 1  # the account is deleted: its votes go
    assert catalog.claim(claim.id).confirmations == 0
    with pytest.raises(InvalidInputError, match="vote: 'maybe'"):
        catalog.vote_claim(APPLICANTS[2], claim.id, "maybe", now=NOW)


def test_conflicting_claims_are_all_kept_and_shown(catalog: Catalog) -> None:
    no = propose(catalog)
    yes = propose(
        catalog, actor=ORG, value="yes", source="https://www.amc.edu/gme/visas", as_of="2026-10-01"
    )
    for claim in (no, yes):
        catalog.review_claim(REVIEWER, claim.id, "accepted", now=NOW)
    view = catalog.show(CODE, PERSON)
    assert {(c.value, c.status) for c in view.claims} == {(False, "accepted"), (True, "accepted")}
    assert view.fit is not None
    assert not view.fit.excluded
    assert any(t.name == "visa" and t.effect == "conflict" for t in view.fit.terms)


def test_roles_and_the_four_eyes_rule(catalog: Catalog) -> None:
    with pytest.raises(PermissionDeniedError, match="may propose claims"):
        propose(catalog, actor=APPLICANTS[0])
    claim = propose(catalog, actor=REVIEWER)
    with pytest.raises(PermissionDeniedError, match="cannot review a claim they entered"):
        catalog.review_claim(REVIEWER, claim.id, "accepted", now=NOW)
    with pytest.raises(PermissionDeniedError, match="may review claims"):
        catalog.review_claim(ADVISOR, claim.id, "accepted", now=NOW)
    with pytest.raises(PermissionDeniedError, match="may vote claims"):
        catalog.vote_claim(ADVISOR, claim.id, "confirm", now=NOW)
    with pytest.raises(InvalidInputError, match="note: say why"):
        catalog.review_claim(
            Actor("r2", "Second reviewer", "reviewer"), claim.id, "flagged", now=NOW
        )
    flagged = catalog.review_claim(Actor("r2", "Second reviewer", "reviewer"), claim.id, "flagged",
                                   note="the program's site says otherwise", now=NOW)  # fmt: skip
    assert flagged.status == "flagged"
    assert flagged.review_note
    with pytest.raises(NotFoundError):
        catalog.review_claim(REVIEWER, 99999, "accepted", now=NOW)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"program_code": "0000000C0"}, "program_code: no program"),
        ({"field": "salary"}, "field: 'salary' is not a claim field"),
        ({"value": "perhaps"}, "value: 'perhaps' for h1b_sponsor"),
        ({"kind": "cutoff"}, "kind: 'cutoff' for h1b_sponsor"),
        ({"source": "my cousin"}, "source: 'my cousin'"),
        ({"source": "phone: 2027-01-01"}, "source: the call on 2027-01-01 is in the future"),
        ({"as_of": "yesterday"}, "as_of: 'yesterday' is not a date"),
        ({"as_of": "2027-01-01"}, "as_of: 2027-01-01 is in the future"),
    ],
)
def test_bad_claims_name_the_field(catalog: Catalog, fields: dict[str, str], where: str) -> None:
    with pytest.raises(InvalidInputError, match=where):
        propose(catalog, **fields)


def test_sources_can_be_a_document_a_call_or_an_address(catalog: Catalog) -> None:
    kinds = []
    for source in ("document: 2026 program brochure, p. 3", "phoned the program on 2026-11-02",
                   "https://example.org/img-faq"):  # fmt: skip
        claim = propose(catalog, source=source, value="yes")
        kinds.append(claim.to_dict()["source_kind"])
    assert kinds == ["document", "phone", "address"]
    with pytest.raises(InvalidInputError, match="already stored"):
        propose(catalog, source="https://example.org/img-faq", value="yes")


def test_the_open_bundle_round_trip(catalog: Catalog, sqlite_url: str, tmp_path: Path) -> None:
    accepted = propose(catalog, value="yes", source="https://example.org/faq")
    catalog.review_claim(REVIEWER, accepted.id, "accepted", now=NOW)
    flagged = propose(catalog, field="j1_sponsor", value="no")
    catalog.review_claim(
        REVIEWER, flagged.id, "flagged", note="contradicted by ECFMG list", now=NOW
    )
    catalog.vote_claim(APPLICANTS[0], accepted.id, "confirm", now=NOW)
    path = tmp_path / "bundle.zip"
    manifest = export_bundle(catalog, path, licence="CC-BY-4.0", publisher="Org A", now=NOW)
    assert manifest["licence"]["id"] == "CC-BY-4.0"
    assert manifest["claims"] == 2
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        data = json.loads(z.read("bundle.json"))
        claims_csv = z.read("claims.csv").decode()
        licence = z.read("LICENCE.txt").decode()
    assert names == {"claims.csv", "outcomes.csv", "bundle.json", "LICENCE.txt"}
    assert "Creative Commons Attribution 4.0" in licence
    assert "Org A" in licence
    assert "advisor@example.org" not in claims_csv
    assert "someone at example.org" in claims_csv
    assert "user:0" not in json.dumps(data)  # voters are never exported
    assert {c["status"] for c in data["claims"]} == {"accepted", "flagged"}
    assert next(c for c in data["claims"] if c["status"] == "accepted")["confirmations"] == 1
    # another organisation imports it: accepted claims arrive pending, flagged ones not at all
    other = tmp_path / "other.sqlite3"
    with open_catalog(f"sqlite:///{other}") as theirs:
        report = import_bundle(theirs, path, actor=Actor("op", "op", "operator"), accept=False,
                               today=TODAY, now=NOW)  # fmt: skip
        assert (report["claims_added"], report["status"]) == (1, "pending")
        [claim] = theirs.claims()
        assert claim.status == "pending"
        assert claim.entered_by.endswith("via Org A")
        again = import_bundle(
            theirs, path, actor=Actor("op", "op", "operator"), accept=False, today=TODAY, now=NOW
        )
        assert (again["claims_added"], again["duplicates"]) == (0, 1)


def test_a_bad_bundle_is_named(catalog: Catalog, tmp_path: Path) -> None:
    op = Actor("op", "op", "operator")
    not_zip = tmp_path / "x.zip"
    not_zip.write_text("hello", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="not a bundle"):
        import_bundle(catalog, not_zip, actor=op, accept=False, today=TODAY, now=NOW)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("bundle.json", json.dumps({"format": "imgpath-open-bundle/1", "publisher": "B"}))
        z.writestr("claims.csv", "program_code,field,value,kind,source,as_of,entered_by,note\n"
                                 "1414140C0,h1b_sponsor,yes,reported,https://b.org,2026-01-01,x,\n"
                                 "1414140C0,h1b_sponsor,maybe,reported,https://b.org,2026-01-01,x,\n")  # fmt: skip
    report = import_bundle(catalog, bad, actor=op, accept=True, today=TODAY, now=NOW)
    assert report["claims_added"] == 1
    assert report["status"] == "accepted"
    assert report["rejected"] == [{"row": 3, "column": "value",
                                   "reason": "'maybe' for h1b_sponsor: write yes or no"}]  # fmt: skip
    with pytest.raises(InvalidInputError, match="only the catalog's operator"):
        import_bundle(catalog, bad, actor=REVIEWER, accept=True, today=TODAY, now=NOW)
    with pytest.raises(InvalidInputError, match="licence 'MIT'"):
        export_bundle(catalog, tmp_path / "o.zip", licence="MIT", publisher="x", now=NOW)
