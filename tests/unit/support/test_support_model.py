"""A broken support pack is refused with the file, the entry and the field, and how to fix it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from imgpath.errors import EngineError, InvalidInputError
from imgpath.services import support as service
from imgpath.services.documents import dump_yaml
from imgpath.support import InvalidSupportDataError, SupportEntry, read_directory

GOOD: dict[str, Any] = {
    "id": "us.example_program",
    "name": "Example program",
    "kind": "funding",
    "offers": "Money for exam fees.",
    "serves": {"destination": "US", "states": ["NY"], "notes": "IMGs in New York."},
    "cost": {"kind": "free"},
    "url": "https://example.org/program",
    "sources": [{"url": "https://example.org/program", "title": "Example, program page"}],
    "as_of": "2026-11-30",
    "grade": "H",
    "review_by": "2027-05-31",
}


def _bad(path: str, value: Any) -> dict[str, Any]:
    entry = copy.deepcopy(GOOD)
    node = entry
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if key.isdigit() else node[key]
    last = keys[-1]
    if value is ...:
        del node[last]
    else:
        node[int(last) if last.isdigit() else last] = value
    return entry


def _problems(*entries: dict[str, Any], name: str = "support/test.yaml") -> str:
    with pytest.raises(InvalidSupportDataError) as info:
        read_directory([(name, {"entries": list(entries)})])
    return str(info.value)


def test_a_good_entry_reads() -> None:
    directory = read_directory([("support/test.yaml", {"entries": [GOOD]})])
    entry = directory["us.example_program"]
    assert entry.as_of == date(2026, 11, 30)
    assert entry.serves.states == ("NY",)


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        ("serves.states", ["XX"], "serves.states[0]", "unknown US state code 'XX'"),
        ("serves.states", ["ny"], "serves.states[0]", "capitals"),
        ("url", "example.org/program", "url", "starting with https://"),
        ("url", "https://exa mple.org", "url", "not a web address"),
        ("sources.0.url", "ftp://example.org", "sources[0].url", "not a web address"),
        ("sources", [], "sources", "at least 1"),
        ("sources", ..., "sources", "field required"),
        ("as_of", ..., "as_of", "field required"),
        ("as_of", "30/11/2026", "as_of", "YYYY-MM-DD"),
        ("grade", "A", "grade", "'H', 'M', 'L' or 'U'"),
        ("review_by", ..., "review_by", "field required"),
        ("review_by", "2026-11-30", "", "review_by 2026-11-30 is not after as_of"),
        ("kind", "grant", "kind", "'funding'"),
        ("serves.stages", ["residency"], "serves.stages[0]", "'in_residency'"),
        ("serves.destination", "DE", "serves.destination", "'US'"),
        ("serves.citizenships", ["NG", "NG"], "serves.citizenships", "twice"),
        ("serves.notes", "   ", "serves.notes", "is empty"),
        ("serves.region", 3, "serves.region", "string"),
        ("cost.kind", "unknown", "", "cost is unknown: say so in unverified"),
        ("id", "US.Example", "", "write the destination in lower case"),
        ("id", "uk.example", "", "starts with 'uk' but serves.destination is US"),
        ("rules", ["visa"], "", "is not a rule id"),
        ("sources.0.date", "May 2024", "sources[0].date", "YYYY-MM-DD, YYYY-MM or YYYY"),
        ("colour", "red", "colour", "remove it"),
    ],
)
def test_each_fault_names_the_entry_and_the_field(
    path: str, value: Any, field: str, words: str
) -> None:
    text = _problems(_bad(path, value))
    head = "support/test.yaml entries[0]"
    assert head in text
    if field:
        assert f".{field}:" in text, text
    assert words in text, text


def test_states_belong_to_the_us_only() -> None:
    entry = _bad("serves.destination", "UK")
    entry["id"] = "uk.example_program"
    assert "use them only with destination US" in _problems(entry)


def test_a_year_alone_is_a_date_as_the_page_shows_it() -> None:
    entry = _bad("sources.0.date", 2019)
    directory = read_directory([("support/test.yaml", {"entries": [entry]})])
    assert directory["us.example_program"].sources[0].date == "2019"


def test_every_problem_of_every_pack_is_listed_at_once() -> None:
    other = copy.deepcopy(GOOD) | {"id": "us.other", "grade": "Z"}
    with pytest.raises(InvalidSupportDataError) as info:
        read_directory(
            [
                ("support/a.yaml", {"entries": [_bad("url", "nope")]}),
                ("support/b.yaml", {"entries": [other]}),
            ]
        )
    assert len(info.value.problems) == 2
    assert "support/a.yaml entries[0] (us.example_program).url" in str(info.value)
    assert "support/b.yaml entries[0] (us.other).grade" in str(info.value)


def test_an_id_used_twice_is_refused() -> None:
    text = _problems(GOOD, GOOD)
    assert "us.example_program: is defined twice" in text


@pytest.mark.parametrize("data", [None, [], {"entry": []}, {"entries": {}}])
def test_a_pack_must_hold_a_list_of_entries(data: Any) -> None:
    with pytest.raises(InvalidSupportDataError, match="a mapping with a list under entries"):
        read_directory([("support/test.yaml", data)])


def test_an_unknown_pack_field_is_named() -> None:
    with pytest.raises(InvalidSupportDataError, match=r"support/test\.yaml colour: is not a field"):
        read_directory([("support/test.yaml", {"entries": [GOOD], "colour": "red"})])


@pytest.fixture
def override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(service.DATA_ENV, str(tmp_path))
    service.load_directory.cache_clear()
    yield tmp_path
    monkeypatch.delenv(service.DATA_ENV)
    service.load_directory.cache_clear()


def test_an_override_folder_replaces_the_bundled_directory(override: Path) -> None:
    (override / "mine.yaml").write_text(dump_yaml({"entries": [GOOD]}), encoding="utf-8")
    assert [e.id for e in service.load_directory()] == ["us.example_program"]


def test_a_broken_override_is_the_users_to_fix(override: Path) -> None:
    (override / "mine.yaml").write_text(
        dump_yaml({"entries": [_bad("grade", "A")]}), encoding="utf-8"
    )
    with pytest.raises(
        InvalidInputError,
        match=r"(?s)IMGPATH_SUPPORT_DATA: .*mine.yaml entries\[0\] \(us.example_program\).grade",
    ):
        service.load_directory()


def test_an_override_that_is_not_a_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(service.DATA_ENV, str(tmp_path / "missing"))
    service.load_directory.cache_clear()
    try:
        with pytest.raises(InvalidInputError, match="expected a folder of support packs"):
            service.load_directory()
    finally:
        monkeypatch.delenv(service.DATA_ENV)
        service.load_directory.cache_clear()


def test_a_broken_bundled_pack_is_an_engine_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_root: object) -> list[tuple[str, Any]]:
        return [("support/us.yaml", {"entries": [_bad("grade", "A")]})]

    monkeypatch.setattr(service, "_packs", broken)
    service.load_directory.cache_clear()
    try:
        with pytest.raises(EngineError, match="bundled support directory is invalid"):
            service.load_directory()
    finally:
        monkeypatch.undo()
        service.load_directory.cache_clear()


def test_an_entry_is_immutable() -> None:
    entry = SupportEntry.model_validate(GOOD)
    with pytest.raises(Exception, match="frozen"):
        entry.name = "changed"  # type: ignore[misc]
