"""The catalog on every supported database (SQLite and PostgreSQL): build, search, claims.

PostgreSQL must be reachable (127.0.0.1:5432, database ``test``); when it is not, these tests
fail rather than skip, unless IMGPATH_SKIP_POSTGRES=1 says so on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from imgpath.catalog import Catalog, Claim, SearchQuery, open_catalog
from imgpath.storage.database import connect

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
Opener = Callable[[], Catalog]
TODAY = NOW.date()


@pytest.fixture
def opened(database: str) -> Iterator[Opener]:
    """Open the test database's catalog (as often as a test likes); close them all afterwards."""
    catalogs: list[Catalog] = []

    def open_() -> Catalog:
        catalogs.append(open_catalog(database))
        return catalogs[-1]

    yield open_
    for catalog in catalogs:
        catalog.close()


def test_built_from_the_bundled_list(opened: Opener) -> None:
    catalog = opened()
    assert len(catalog.programs) == 6263
    info = catalog.store.info()
    assert "2023 Main Residency Match" in info["list_source"]
    # The bundled evidence (three files) was installed once, each moving the revision on.
    assert catalog.store.revision() == 3
    assert [s["kind"] for s in catalog.evidence_store.sources()] == [
        "nrmp_program_results", "acgme_programs", "invite_sheet"]  # fmt: skip
    program = catalog.store.program("1903140C0")
    assert program is not None
    assert (program.specialty, program.track_type, program.state) == (
        "Internal Medicine",
        "C",
        "AL",
    )


def test_opening_again_changes_nothing(opened: Opener) -> None:
    first = opened()
    revision = first.store.revision()
    again = opened()
    assert len(again.programs) == 6263
    assert again.store.revision() == revision
    assert len(again.evidence_store.sources()) == 3


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            "mayo internal",
            {
                "Mayo Clinic School of Grad Med Educ-AZ",
                "Mayo Clinic School of Grad Med Educ-FL",
                "Mayo Clinic School of Grad Med Educ-MN",
            },
        ),
        (
            "MAYO Internal",
            {
                "Mayo Clinic School of Grad Med Educ-AZ",
                "Mayo Clinic School of Grad Med Educ-FL",
                "Mayo Clinic School of Grad Med Educ-MN",
            },
        ),
        ("albany pediatr", {"Albany Med Ctr-NY"}),
    ],
)
def test_full_text_search(opened: Opener, words: str, expected: set[str]) -> None:
    catalog = opened()
    codes = catalog.store.search_codes(words)
    assert codes
    assert {catalog.programs[catalog.by_code[c]].institution for c in codes} == expected


def test_search_ignores_punctuation_and_finds_nothing_for_nothing(opened: Opener) -> None:
    store = opened().store
    assert store.search_codes("'; DROP TABLE programs; --") == set()
    assert store.search_codes("   ") == set()
    assert store.search_codes("zzzyzzy") == set()


def _claim(
    code: str, field: str, value: object, kind: str = "reported", as_of: date = date(2026, 1, 5)
) -> Claim:
    return Claim(code, field, value, kind, "https://example.org/page", as_of, "tester")


def test_claims_keep_types_provenance_and_duplicates_out(opened: Opener) -> None:
    catalog = opened()
    store = catalog.store
    first = [
        _claim("1903140C0", "j1_sponsor", True),
        _claim("1903140C0", "step2ck_min", 230, "cutoff"),
    ]
    start = store.revision()
    assert store.add_claims(first, entered_at=NOW) == [True, True]
    assert store.revision() == start + 1
    assert store.add_claims([first[0]], entered_at=NOW) == [False]
    assert store.revision() == start + 1
    conflicting = _claim("1903140C0", "j1_sponsor", False, as_of=date(2026, 3, 1))
    assert store.add_claims([conflicting], entered_at=NOW) == [True]
    stored = store.claims("1903140C0")
    assert [(c.field, c.value, c.kind) for c in stored] == [
        ("j1_sponsor", False, "reported"), ("j1_sponsor", True, "reported"), ("step2ck_min", 230, "cutoff"),
    ]  # fmt: skip
    assert all(
        c.id is not None and c.entered_by == "tester" and c.source.startswith("https://")
        for c in stored
    )
    view = catalog.show("1903140C0")
    assert len(view.claims) == 3


def test_a_claim_needs_an_existing_program(opened: Opener) -> None:
    store = opened().store
    with pytest.raises(IntegrityError):
        store.add_claims([_claim("0000000C0", "j1_sponsor", True)], entered_at=NOW)


def test_import_keeps_good_rows_and_names_bad_ones(opened: Opener, tmp_path: Path) -> None:
    catalog = opened()
    path = tmp_path / "claims.csv"
    path.write_text(
        "program_code,field,value,kind,source,as_of,entered_by,note\n"
        "1903140C0,j1_sponsor,yes,reported,https://example.org/a,2026-05-01,ana,from the website\n"
        "1903140C0,step2ck_min,high,cutoff,https://example.org/a,2026-05-01,ana,\n"
        "9999999C0,j1_sponsor,yes,reported,https://example.org/a,2026-05-01,ana,\n"
        "1414140C0,non_us_img_share,45,reported,user,2026-06-01,,\n"
        "1414140C0,h1b_sponsor,no,reported,https://example.org/b,2027-01-01,ana,\n"
        "1903140C0,j1_sponsor,yes,reported,https://example.org/a,2026-05-01,ana,again\n",
        encoding="utf-8",
    )
    report = catalog.import_claims(path, entered_by="cli-user", today=TODAY, now=NOW)
    assert report.accepted == 2
    assert report.duplicates == [7]
    assert [(r, c) for r, c, _ in report.rejected] == [
        (3, "value"),
        (4, "program_code"),
        (6, "as_of"),
    ]
    assert "whole number" in report.rejected[0][2]
    stored = catalog.store.claims()
    assert {(c.program_code, c.field, c.entered_by) for c in stored} == {
        ("1903140C0", "j1_sponsor", "ana"), ("1414140C0", "non_us_img_share", "cli-user"),
    }  # fmt: skip


def test_export_then_import_is_a_no_op(opened: Opener, tmp_path: Path) -> None:
    catalog = opened()
    catalog.store.add_claims(
        [
            _claim("1903140C0", "usce_type", "hands_on", "cutoff"),
            _claim("1414140C0", "usce_months", 2.5, "preference"),
        ],
        entered_at=NOW,
    )
    exported = catalog.export_claims()
    assert exported.splitlines()[0] == "program_code,field,value,kind,source,as_of,entered_by,note"
    path = tmp_path / "export.csv"
    path.write_text(exported, encoding="utf-8")
    report = catalog.import_claims(path, entered_by="x", today=TODAY, now=NOW)
    assert (report.accepted, len(report.duplicates), report.rejected) == (0, 2, [])


def test_searching_sees_new_claims(opened: Opener) -> None:
    catalog = opened()
    query = SearchQuery(specialties=("140",), states=("AL",), types=("C",), visa="j1", limit=0)
    assert catalog.search(query).total == 0
    catalog.store.add_claims([_claim("1903140C0", "j1_sponsor", True)], entered_at=NOW)
    result = catalog.search(query)
    assert [v.program.code for v in result.programs] == ["1903140C0"]


def test_a_bad_url_is_bad_input() -> None:
    from imgpath.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="cannot be used"):
        connect("notadb://x")
