"""Reading JSON and YAML from people: line and column, duplicate keys, and every hostile kind.

The loader (``imgpath.services.documents``) is the one door for user documents on the command
line and in the web app; these tests pin each limit and each refusal, and compare it with an
obviously-correct reference (``json.loads`` on plain data) on random inputs.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from imgpath.core.text_checks import bad_character
from imgpath.errors import DocumentSyntaxError, InvalidInputError, NotFoundError
from imgpath.services.documents import (
    FILE_LIMITS,
    FORM_LIMITS,
    DocumentLimits,
    decode_text,
    dump_yaml,
    guess_format,
    load_document,
    parse_document,
    read_document,
    read_text,
)


def refused(text: str, fmt: str = "yaml", **kw: Any) -> DocumentSyntaxError:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document(text, source="doc", fmt=fmt, **kw)  # type: ignore[arg-type]
    return info.value


def test_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document('{"programs": {\n  "P": {"quota": 1,}\n}}', source="m.json", fmt="json")
    assert (info.value.line, info.value.column) == (2, 20)
    assert str(info.value).startswith("m.json, line 2, column 20: not valid JSON")


def test_yaml_syntax_error_names_line_and_column() -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document("programs:\n  P: {quota: 1\n", source="m.yaml", fmt="yaml")
    assert info.value.line == 3
    assert "not valid YAML" in str(info.value)


@pytest.mark.parametrize(
    ("text", "fmt", "line"),
    [
        ('{"programs": {"P": {"quota": 1},\n "P": {"quota": 2}}}', "json", 2),
        ("programs:\n  P: {quota: 1}\n  P: {quota: 2}\n", "yaml", 3),
    ],
)
def test_duplicate_keys_are_refused_not_silently_overwritten(
    text: str, fmt: str, line: int
) -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        parse_document(text, source="m", fmt=fmt)  # type: ignore[arg-type]
    assert "the key 'P' appears twice" in str(info.value)
    assert info.value.line == line


def test_format_is_guessed_from_the_name_then_the_text() -> None:
    assert guess_format("a.json", "") == "json"
    assert guess_format("a.yml", "{") == "yaml"
    assert guess_format("<stdin>", '  {"programs": {}}') == "json"
    assert guess_format("<stdin>", "programs: {}") == "yaml"


# ------------------------------------------------------------ YAML 1.2 core schema


def test_norway_stays_no_the_case_from_the_pathway_review() -> None:
    """../shared/cases/pathway/norway-unquoted-no.yaml: YAML 1.1 reads NO as false."""
    text = (
        "id: no-1\n"
        "school: {country: NO, graduation_date: 2024-06-15}\n"
        "citizenships: [NO]\n"
        "targets: {destination: US, match_year: 2027}\n"
    )
    data = parse_document(text, source="norway.yaml", fmt="yaml")
    assert data["school"] == {"country": "NO", "graduation_date": "2024-06-15"}
    assert data["citizenships"] == ["NO"]
    assert data["targets"]["match_year"] == 2027


_NO_BOOLEANS = ("NO", "No", "no", "yes", "Yes", "YES", "y", "Y", "n", "N", "on", "On", "ON", "off", "Off", "OFF")  # fmt: skip
_PLAIN = [
        # YAML 1.1 booleans that are text in YAML 1.2 (and country codes, answers, names)
        *[(word, word) for word in _NO_BOOLEANS],
        # the only booleans
        ("true", True), ("True", True), ("TRUE", True),
        ("false", False), ("False", False), ("FALSE", False),
        # sexagesimal numbers and times are text, not 80 or 4,800
        ("1:20", "1:20"), ("1:20:00", "1:20:00"), ("190:20:30", "190:20:30"),
        # integers: decimal (leading zeros do not make octal), 0o octal, 0x hex
        ("010", 10), ("0o17", 15), ("0x1F", 31), ("-7", -7), ("+7", 7),
        # YAML 1.1 spellings that are text in 1.2
        ("0b101", "0b101"), ("017_0", "017_0"), ("1_000", "1_000"),
        # floats, including exponents without a dot (text in PyYAML's 1.1)
        ("1.5", 1.5), ("1e3", 1000.0), (".5", 0.5), ("-2.5E-1", -0.25),
        # null
        ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None),
        # dates stay text, as in JSON: the field that wants a date checks it
        ("2024-06-15", "2024-06-15"), ("2022-02-30", "2022-02-30"),
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
        # merge keys and value keys are text
        ("<<", "<<"), ("=", "="),
]  # fmt: skip


@pytest.mark.parametrize(("plain", "value"), _PLAIN)
def test_plain_values_follow_the_yaml_1_2_core_schema(plain: str, value: object) -> None:
    assert parse_document(f"v: {plain}\n", source="d", fmt="yaml") == {"v": value}


def test_quoted_values_are_always_text() -> None:
    doc = parse_document("a: 'NO'\nb: \"12\"\nc: !!str 1e3\nd: ! true\n", source="d", fmt="yaml")
    assert doc == {"a": "NO", "b": "12", "c": "1e3", "d": "true"}


def test_explicit_core_tags_are_checked() -> None:
    assert parse_document("a: !!int '12'\nb: !!float '1'\n", source="d", fmt="yaml") == {
        "a": 12,
        "b": 1.0,
    }
    error = refused("a: 1\nb: !!int 'twelve'\n")
    assert (error.line, error.field) == (2, "b")
    assert "'twelve' is not a valid !!int" in error.problem


def test_dump_yaml_quotes_text_either_yaml_version_would_misread() -> None:
    data = {"ids": ["NO", "yes", "1e3", "0o17", "1:20", "010", "2024-01-01", "null", ""]}
    text = dump_yaml(data)
    assert parse_document(text, source="d", fmt="yaml") == data
    assert yaml.safe_load(text) == data


# ------------------------------------------------------------ hostile documents


@pytest.mark.parametrize(
    ("text", "fmt", "where", "words"),
    [
        # recursive aliases (M9: RecursionError)
        ("usce: &a [*a]\n", "yaml", (1, "usce[0]"), "refers to a value that contains it"),
        ("targets: &t {extra: *t}\n", "yaml", (1, "targets.extra"), "a loop"),
        # tags that build bytes, sets and objects (M9: TypeError)
        ("name: !!binary aGVsbG8=\n", "yaml", (1, "name"), "tag !!binary is not accepted"),
        ("x: !!set {a, b}\n", "yaml", (1, "x"), "tag !!set is not accepted"),
        ("x: !!omap [a: 1]\n", "yaml", (1, "x"), "tag !!omap is not accepted"),
        ("x: !!timestamp 2022-02-30\n", "yaml", (1, "x"), "tag !!timestamp"),
        ("x: !!python/object/apply:os.system ['true']\n", "yaml", (1, "x"), "!!python/object"),
        ("x: !custom 1\n", "yaml", (1, "x"), "tag !custom is not accepted"),
        # huge integers (M9, §3: ValueError past 4,300 digits)
        ("n: " + "9" * 5000 + "\n", "yaml", (1, "n"), "has 5,000 digits"),
        ('{"n": ' + "9" * 5000 + "}", "json", (1, ""), "has 5,000 digits"),
        ("n: 0x" + "f" * 40 + "\n", "yaml", (1, "n"), "has 40 digits"),
        # numbers that are not numbers
        ("x: .nan\n", "yaml", (1, "x"), "not a value imgpath can use"),
        ("x: -.inf\n", "yaml", (1, "x"), "not a value imgpath can use"),
        ("x: 1e999\n", "yaml", (1, "x"), "too large"),
        ('{"x": NaN}', "json", (1, ""), "NaN is not a number JSON allows"),
        ('{"x": -Infinity}', "json", (1, ""), "-Infinity is not a number JSON allows"),
        ('{"x": 1e400}', "json", (1, ""), "too large"),
        # NUL and other characters written as escapes
        ('name: "a\\0b"\n', "yaml", (1, "name"), "NUL character"),
        ('name: "a\\x07"\n', "yaml", (1, "name"), "control character U+0007"),
        ('{"name": "a\\u0000"}', "json", (None, "name"), "NUL character"),
        ('{"a": ["x", "\\ud800"]}', "json", (None, "a[1]"), "lone UTF-16 surrogate"),
        ('{"a": {"\\udfff": 1}}', "json", (None, "a"), "the key"),
        ('{"a": "\\b"}', "json", (None, "a"), "control character U+0008"),
        # a lone surrogate escape in YAML is refused by the parser itself
        ('name: "\\ud800"\n', "yaml", (1, ""), "invalid Unicode character escape"),
        # two documents, keys that are collections
        ("a: 1\n---\nb: 2\n", "yaml", (2, ""), "a second document"),
        ("? [a]\n: 1\n", "yaml", (1, ""), "a key must be text or a number"),
        ("*nothing\n", "yaml", (1, ""), "names no anchor"),
    ],
)
def test_hostile_values_are_refused_with_their_place(
    text: str, fmt: str, where: tuple[int | None, str], words: str
) -> None:
    error = refused(text, fmt)
    assert words in error.problem
    assert (error.line, error.field) == where
    assert isinstance(error, InvalidInputError)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
@pytest.mark.parametrize("depth", [65, 3_000, 200_000])
def test_deep_nesting_is_refused_at_the_limit(fmt: str, depth: int) -> None:
    error = refused("[" * depth + "]" * depth, fmt)
    assert "nested more than 64 levels" in error.problem
    parse_document("[" * 64 + "]" * 64, source="d", fmt=fmt)  # the limit itself is fine


def test_deep_block_mappings_are_refused() -> None:
    text = "".join(" " * i + "a:\n" for i in range(3_000)) + " " * 3_000 + "1\n"
    error = refused(text)
    assert error.line == 65
    assert "nested more than 64 levels" in error.problem


def test_nesting_hidden_behind_an_alias_counts() -> None:
    inner = "[" * 40 + "]" * 40
    text = f"a: &deep {inner}\nb: " + "[" * 30 + "*deep" + "]" * 30 + "\n"
    assert "nested more than 64" in refused(text).problem


def test_billion_laughs_is_refused_fast() -> None:
    """H2: a 441-byte alias bomb froze the server for 15 s; now it is refused at once."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    error = refused(text)
    elapsed = time.perf_counter() - started
    assert "expand to more than 10,000 values" in error.problem
    assert elapsed < 5  # a bound against a freeze, not a speed target (no timing claim)


def test_small_aliases_are_fine_in_files_and_refused_in_forms() -> None:
    text = "base: &b [P1, P2]\nana: {rol: *b}\n"
    data = parse_document(text, source="d", fmt="yaml")
    assert data == {"base": ["P1", "P2"], "ana": {"rol": ["P1", "P2"]}}
    data["ana"]["rol"].append("P3")
    assert data["base"] == ["P1", "P2"]  # an alias is a copy, never a shared object
    error = refused(text, limits=FORM_LIMITS)
    assert "aliases (*b) are not accepted" in error.problem
    assert (error.line, error.field) == (2, "ana.rol")


@pytest.mark.parametrize(
    ("text", "line", "column", "what"),
    [
        ("a: 1\nb: x\x00y\n", 2, 5, "NUL character"),
        ("a: 1\r\nb: \x1b[31m\n", 2, 4, "control character U+001B"),
        ('{"a": "\ud800"}', 1, 8, "lone UTF-16 surrogate"),
        ("a: \ufffe\n", 1, 4, "U+FFFE"),
        ("a: \x85\n", 1, 4, "control character U+0085"),
    ],
)
def test_raw_bad_characters_are_refused_with_line_and_column(
    text: str, line: int, column: int, what: str
) -> None:
    for fmt in ("json", "yaml"):
        error = refused(text, fmt)
        assert (error.line, error.column) == (line, column)
        assert what in error.problem


def test_tabs_newlines_and_all_of_unicode_are_fine() -> None:
    text = 'name: "Ana\\tMaría 😀 محمد 中文"\nnote: |\n  two\n  lines\n'
    assert parse_document(text, source="d", fmt="yaml") == {
        "name": "Ana\tMaría 😀 محمد 中文",
        "note": "two\nlines\n",
    }


# ------------------------------------------------------------ sizes, bytes and files


def test_size_limits_apply_before_parsing() -> None:
    small = DocumentLimits(max_bytes=100, max_yaml_bytes=50)
    assert "more than the 100 bytes imgpath reads" in refused("[" + "1," * 60 + "1]", "json", limits=small).problem  # fmt: skip
    assert "more than the 50 bytes imgpath reads" in refused("a: " + "b" * 60, limits=small).problem
    with pytest.raises(DocumentSyntaxError, match="is 293 KB, more than the 256 KB imgpath reads"):
        load_document(b"a: " + b"b" * 300_000, source="profile box")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfa: 1\n", {"a": 1}),
        ("\ufeffa: 1\n".encode("utf-16"), {"a": 1}),
        ("a: ü\n".encode("utf-16-be").join([b"\xfe\xff", b""]), {"a": "ü"}),
        ("\ufeffa: 1\n".encode("utf-32"), {"a": 1}),
    ],
)
def test_byte_order_marks_are_honoured(data: bytes, expected: object) -> None:
    assert load_document(data, source="x.yaml") == expected


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"a: 1\nb: caf\xe9\n", "line 2, column 7: not UTF-8 text (byte 0xE9); this looks like Latin-1"),
        ("a: 1".encode("utf-16-le"), "UTF-16 or UTF-32 text without a byte-order mark"),
        (b"\xff\xfe\x00", "starts like UTF-16 text but is not"),
        (b"\x89PNG\r\n\x1a\n\x00\x00IHDR", "does not look like a text file"),
    ],
)  # fmt: skip
def test_bytes_that_are_not_text_are_refused(data: bytes, words: str) -> None:
    with pytest.raises(DocumentSyntaxError) as info:
        decode_text(data, source="x")
    assert words in str(info.value)


def test_files_missing_folders_and_devices(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        read_text(tmp_path / "nope.yaml")
    with pytest.raises(NotFoundError, match="is a folder, not a file"):
        read_text(tmp_path)
    with pytest.raises(NotFoundError, match="File name too long"):
        read_text(tmp_path / ("x" * 300))
    with pytest.raises(DocumentSyntaxError, match="goes on past, more than the 1 KB imgpath reads"):
        read_text("/dev/zero", limits=DocumentLimits(max_bytes=1024))
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048)
    with pytest.raises(DocumentSyntaxError, match="is 2 KB, more than the 1 KB imgpath reads"):
        read_document(big, limits=DocumentLimits(max_bytes=1024))


def test_file_limits_take_a_national_instance_at_ten_times_the_size() -> None:
    assert FILE_LIMITS.max_bytes >= 256 * 1024 * 1024  # 248 MB measured for --scale 10
    assert FORM_LIMITS.max_alias_nodes == 0


# ------------------------------------------------------------ against a reference


_TEXT = st.text(st.characters(codec="utf-8")).filter(lambda s: bad_character(s) is None)
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**29), max_value=10**29)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT
)
_DOCS = st.recursive(
    _SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=30,
)


@given(_DOCS)
def test_json_agrees_with_json_loads_on_plain_data(doc: object) -> None:
    text = json.dumps(doc, ensure_ascii=False)
    assert parse_document(text, source="d", fmt="json") == json.loads(text)
    text = json.dumps(doc)  # with \\u escapes, surrogate pairs included
    assert parse_document(text, source="d", fmt="json") == json.loads(text)


@given(_DOCS)
def test_yaml_written_by_dump_yaml_reads_back_equal(doc: object) -> None:
    back = parse_document(dump_yaml(doc), source="d", fmt="yaml")
    assert back == doc or (isinstance(doc, float) and math.isclose(back, doc))


@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n", "null\n", "~\n"])
def test_an_empty_file_is_refused_by_read_document(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DocumentSyntaxError, match="the file is empty"):
        read_document(path)
    assert parse_document(content, source="d", fmt="yaml") is None  # a form may be left empty


def test_faults_are_reported_in_file_order() -> None:
    text = '{"a": "\\u0001", "b": ["\\u0002"], "c": {"\\u0003": 1}}'
    assert refused(text, "json").field == "a"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("P001", None),
        ("Ana María", None),
        ("محمد", None),
        ("[/b]", None),
        ("", "is empty"),
        ("  ", "only spaces"),
        (" ana", "starts or ends with a space"),
        ("ana\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("a\u200bb", "U+200B ZERO WIDTH SPACE"),
        ("a\ufeffb", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("a\x00", "NUL"),
        ("a\ud800", "lone UTF-16 surrogate"),
        ("a\u2028b", "U+2028 LINE SEPARATOR"),
        ("x" * 201, "201 characters long"),
    ],
)
def test_identifiers_are_visible_names(value: str, problem: str | None) -> None:
    from imgpath.core.text_checks import identifier_problem

    found = identifier_problem(value)
    assert found is None if problem is None else problem in (found or "")


def test_line_and_column_count_lf_crlf_and_cr() -> None:
    from imgpath.core.text_checks import line_and_column

    text = "a\nb\r\nc\rdX"
    assert line_and_column(text, text.index("X")) == (4, 2)


def test_the_profile_box_path_reads_norway_as_a_country() -> None:
    """The web profile box's call (bytes, FORM_LIMITS) into the profile validator, as the CLI's."""
    from datetime import date

    from imgpath.core.pathway.profile import parse_profile

    box = b"school: {country: NO, graduation_date: 2024-06-15}\ncitizenships: [NO, no]\nin_us: no\n"
    data = load_document(box, source="profile box", fmt="yaml", limits=FORM_LIMITS)
    profile = parse_profile(data, on=date(2026, 1, 10))
    assert profile.school is not None
    assert profile.school.country == "NO"
    assert tuple(profile.citizenships) == ("NO", "NO")
    assert profile.in_us is False  # the field wants a yes/no, so "no" is read as one there
