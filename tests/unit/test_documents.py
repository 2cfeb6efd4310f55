"""Parsing JSON and YAML: faults reported with line and column; duplicate keys refused."""

from __future__ import annotations

import pytest

from imgpath.errors import DocumentSyntaxError
from imgpath.services.documents import guess_format, parse_document


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
