"""The bundled support directory: every entry sourced, dated, graded, reviewable and well-formed."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from importlib import resources
from urllib.parse import urlsplit

import pytest

from imgpath.pathway import load_rulebook
from imgpath.services.documents import parse_document
from imgpath.support import DESTINATIONS, GRADES, KINDS, STAGES, SupportEntry, load_directory


def _raw_entries() -> list[tuple[str, dict[str, object]]]:
    """Every entry as written in the packs, read independently of the loader."""
    folder = resources.files("imgpath").joinpath("data", "support")
    out = []
    for pack in sorted(folder.iterdir(), key=lambda p: p.name):
        if not pack.name.endswith(".yaml"):
            continue
        data = parse_document(pack.read_text(encoding="utf-8"), source=pack.name, fmt="yaml")
        out += [(pack.name, raw) for raw in data["entries"]]
    return out


ENTRIES = list(load_directory())
IDS = [e.id for e in ENTRIES]


def test_the_directory_loads_with_dozens_of_entries_in_every_destination_and_kind() -> None:
    assert len(ENTRIES) >= 40
    assert set(Counter(e.serves.destination for e in ENTRIES)) == set(DESTINATIONS)
    assert set(Counter(e.kind for e in ENTRIES)) == set(KINDS)


def test_ids_are_unique_across_every_pack() -> None:
    written = [str(raw["id"]) for _, raw in _raw_entries()]
    assert len(written) == len(set(written)) == len(ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_entry_has_a_source_a_date_a_grade_and_a_review_day(entry: SupportEntry) -> None:
    assert entry.sources, "every entry cites what was read"
    assert entry.grade in GRADES
    assert entry.review_by > entry.as_of
    # No entry goes more than a year without being read again.
    assert entry.review_by - entry.as_of <= timedelta(days=366)
    if entry.grade in ("L", "U"):
        assert entry.review_note, "say why a weak entry is kept and what to check"


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_every_address_is_a_well_formed_web_address(entry: SupportEntry) -> None:
    for url in [entry.url, *(s.url for s in entry.sources)]:
        parts = urlsplit(url)
        assert parts.scheme in ("http", "https"), url
        assert parts.hostname, url
        assert "." in parts.hostname, url
        assert not any(c.isspace() for c in url), url


@pytest.mark.parametrize("entry", ENTRIES, ids=IDS)
def test_what_is_unknown_is_said_not_filled_in(entry: SupportEntry) -> None:
    if entry.cost.kind == "unknown":
        assert any("fee" in u or "cost" in u for u in entry.unverified)
    assert entry.serves.notes
    assert all(stage in STAGES for stage in entry.serves.stages)


def test_every_rule_an_entry_names_exists_in_the_rule_packs() -> None:
    book = load_rulebook()
    for entry in ENTRIES:
        for rule in entry.rules:
            assert rule in book.rules or rule in book.families, f"{entry.id} names {rule}"


def test_the_address_is_the_organisations_own_page_for_most_entries() -> None:
    """Prefer the organisation's own page: H entries are most of the directory."""
    grades = Counter(e.grade for e in ENTRIES)
    assert grades["H"] > len(ENTRIES) / 2
    assert grades["U"] == 0, "an unverified organisation is not listed"


def test_the_example_in_the_facade_docs_runs() -> None:
    import doctest

    import imgpath.support

    result = doctest.testmod(imgpath.support)
    assert result.attempted
    assert result.failed == 0
