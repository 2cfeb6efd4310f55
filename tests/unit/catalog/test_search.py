"""Search: every filter, the orders, paging, fit exclusions, and bad filters named."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from imgpath.catalog import Applicant, Catalog, Claim, SearchQuery, open_catalog
from imgpath.core.geography import REGIONS
from imgpath.errors import InvalidInputError, NotFoundError

NOW = datetime(2026, 11, 22, tzinfo=UTC)


@pytest.fixture
def catalog(sqlite_url: str) -> Iterator[Catalog]:
    with open_catalog(sqlite_url) as opened:
        yield opened


def codes(catalog: Catalog, **query: object) -> list[str]:
    return [v.program.code for v in catalog.search(SearchQuery(limit=0, **query)).programs]  # type: ignore[arg-type]


def test_everything_by_default_in_pages(catalog: Catalog) -> None:
    first = catalog.search(SearchQuery())
    assert first.total == 6263
    assert len(first.programs) == 20
    second = catalog.search(SearchQuery(offset=20, limit=20))
    assert {v.program.code for v in first.programs}.isdisjoint(
        v.program.code for v in second.programs
    )
    assert len(codes(catalog)) == 6263
    names = [(v.program.institution.lower(), v.program.track.lower()) for v in first.programs]
    assert names == sorted(names)


def test_specialty_by_code_and_by_name(catalog: Catalog) -> None:
    by_code = set(codes(catalog, specialties=("140",)))
    by_name = set(codes(catalog, specialties=("internal medicine",)))
    assert len(by_code) == 1107
    # A full name means that specialty; the combined ones are named in a note, not mixed in.
    assert by_code == by_name
    assert all(catalog.programs[catalog.by_code[c]].specialty_code == "140" for c in by_code)
    note = catalog.search(SearchQuery(specialties=("internal medicine",))).notes
    assert any("Internal Medicine/Medical Genetics (766)" in n for n in note)
    # Part of a name reaches every specialty that contains it, combined ones too.
    partial = set(codes(catalog, specialties=("internal med",)))
    assert by_code < partial
    assert {catalog.programs[catalog.by_code[c]].specialty_code for c in partial} >= {"700", "766"}


def test_state_region_and_type(catalog: Catalog) -> None:
    ny = codes(catalog, states=("NY",))
    assert len(ny) == 695
    northeast = codes(catalog, regions=("northeast",))
    assert set(ny) < set(northeast)
    assert all(
        catalog.programs[catalog.by_code[c]].state in REGIONS["northeast"] for c in northeast
    )
    prelim_ny = codes(catalog, states=("NY",), types=("P",))
    assert prelim_ny
    assert all(c[7] == "P" for c in prelim_ny)


def test_text_combines_with_filters(catalog: Catalog) -> None:
    found = codes(catalog, text="mayo", specialties=("140",), types=("C",))
    assert {catalog.programs[catalog.by_code[c]].state for c in found} == {"AZ", "FL", "MN"}


def test_the_visa_filter_keeps_evidence_and_counts_the_unknown(catalog: Catalog) -> None:
    said = [
        Claim("1903140C0", "j1_sponsor", True, "reported", "user", date(2026, 1, 1), "t"),
        Claim("1414140C0", "j1_sponsor", False, "reported", "user", date(2026, 1, 1), "t"),
        Claim("1007140C0", "j1_sponsor", True, "reported", "user", date(2026, 1, 1), "t"),
        Claim("1007140C0", "j1_sponsor", False, "reported", "user", date(2026, 2, 1), "t"),
        Claim("1852140C0", "j1_sponsor", True, "reported", "user", date(2026, 1, 1), "t",
              status="pending"),
    ]  # fmt: skip
    catalog.store.add_claims(said, entered_at=NOW)
    im = codes(catalog, specialties=("140",))
    result = catalog.search(SearchQuery(specialties=("140",), visa="j1", limit=0))
    assert [v.program.code for v in result.programs] == ["1903140C0"]
    assert result.visa is not None
    assert result.visa["j1"] == {"evidence": 1, "reported_not": 1, "disputed": 1,
                                 "unknown": len(im) - 3}  # fmt: skip
    assert "1 program(s) with evidence of sponsoring J-1" in result.visa["text"]
    assert f"{len(im) - 3} unknown" in result.visa["text"]
    # A pending claim is not evidence; asking for the unknown lists them after the evidence.
    with_unknown = codes(catalog, specialties=("140",), visa="j1", visa_unknown=True)
    assert "1852140C0" in with_unknown
    assert set(im) - set(with_unknown) == {"1414140C0"}


def test_fit_sorts_and_leaves_out_programs_that_exclude(catalog: Catalog) -> None:
    catalog.store.add_claims(
        [
            Claim("1903140C0", "j1_sponsor", False, "reported", "user", date(2026, 1, 1), "t"),
            Claim("1903140C0", "h1b_sponsor", False, "reported", "user", date(2026, 1, 1), "t"),
            Claim("1414140C0", "non_us_img_share", 80.0, "reported", "user", date(2026, 1, 1), "t"),
        ],
        entered_at=NOW,
    )
    person = Applicant(kind="non_us_img", needs_visa=True, step2ck=240)
    query = SearchQuery(specialties=("140",), types=("C",), sort="fit", limit=0)
    result = catalog.search(query, person)
    kept = [v.program.code for v in result.programs]
    assert "1903140C0" not in kept
    assert result.excluded == 1
    assert kept[0] == "1414140C0"  # 80% non-US IMGs doubles the index
    scores = [v.fit.score for v in result.programs if v.fit]
    assert scores == sorted(scores, reverse=True)
    shown = catalog.search(
        SearchQuery(specialties=("140",), types=("C",), sort="fit", limit=0, include_excluded=True),
        person,
    )
    assert shown.programs[-1].program.code == "1903140C0"
    last = shown.programs[-1].fit
    assert last is not None
    assert last.excluded


@pytest.mark.parametrize(
    ("query", "words"),
    [
        (SearchQuery(states=("ZZ",)), "state: 'ZZ' is not a US state code"),
        (SearchQuery(regions=("middle",)), "region: 'middle' is not a region"),
        (SearchQuery(types=("X",)), "type: 'X' is not a track type"),
        (SearchQuery(visa="o1"), "visa: 'o1'"),
        (SearchQuery(sort="random"), "sort: 'random'"),
        (SearchQuery(specialties=("astrology",)), "specialty: no specialty matches 'astrology'"),
    ],
)
def test_bad_filters_are_named(catalog: Catalog, query: SearchQuery, words: str) -> None:
    with pytest.raises(InvalidInputError, match=words):
        catalog.search(query)


def test_fit_order_without_a_profile_lists_by_name_and_says_why(catalog: Catalog) -> None:
    result = catalog.search(SearchQuery(sort="fit", limit=5))
    assert result.total == 6263
    assert any("fill in your profile" in n for n in result.notes)
    names = [(v.program.institution.lower(), v.program.track.lower()) for v in result.programs]
    assert names == sorted(names)


def test_show_one_program(catalog: Catalog) -> None:
    view = catalog.show("1414140c0")
    data = view.to_dict()
    assert data["code"] == "1414140C0"
    assert data["specialty_evidence"]["nrmp_2025_pgy1"]["matches"]["non_us_img"] == 3573
    with pytest.raises(NotFoundError, match="no program with code"):
        catalog.show("123")
