"""Characters that have no place in a user's file, and what makes a good identifier.

Files and form fields come from people and from other programs.  Some characters in them are
never intended and always harmful: NUL (PostgreSQL refuses it in text, C libraries cut strings
at it), the other C0/C1 control characters, lone UTF-16 surrogates (they cannot be encoded, so
a page or an export that shows them fails), and the non-characters U+FFFE/U+FFFF.  Identifiers
(program codes, applicant ids, list names) must also be visible: no invisible format
characters such as the right-to-left override U+202E, which makes ``ana\u202eXX`` print as
another id ("Trojan Source", CVE-2021-42574), and no leading or trailing spaces.

Pure functions: they say what is wrong and where; the callers decide how to report it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_ID_CHARS",
    "bad_character",
    "describe_character",
    "identifier_problem",
    "line_and_column",
    "text_problem",
]

MAX_ID_CHARS = 200
"""Longest identifier accepted (program codes are 9 characters; ids are names, not essays)."""

_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Never wanted in text: C0 controls but tab, LF and CR; DEL; C1 controls; lone surrogates;
the non-characters U+FFFE and U+FFFF."""

_NAMES = {
    "\x00": "a NUL character (U+0000)",
    "\x7f": "the DEL control character (U+007F)",
}


def describe_character(char: str) -> str:
    """A person-readable name for one character, e.g. ``a NUL character (U+0000)``."""
    code = ord(char)
    if char in _NAMES:
        return _NAMES[char]
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone UTF-16 surrogate (U+{code:04X}), which is not a character"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"the control character U+{code:04X}"
    name = unicodedata.name(char, "")
    return f"U+{code:04X} {name}".rstrip() if name else f"U+{code:04X}"


def bad_character(text: str) -> tuple[int, str] | None:
    """The index and character of the first character that has no place in text, if any."""
    found = _BAD.search(text)
    return None if found is None else (found.start(), found.group())


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be accepted as a text value (None when it can)."""
    found = bad_character(text)
    if found is None:
        return None
    return f"contains {describe_character(found[1])}; remove it"


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]`` (lines end at LF, CR LF or a lone CR)."""
    before = text[:index]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    lines = before.count("\n") + before.count("\r") - before.count("\r\n")
    return lines + 1, index - line_start + 1


def identifier_problem(value: str) -> str | None:
    """Why ``value`` cannot be a program code, applicant id or list name (None when it can).

    An identifier must be non-empty, at most :data:`MAX_ID_CHARS` characters, free of leading
    and trailing spaces, and made of visible characters: no control, format (bidirectional
    overrides, zero-width joiners, ...), surrogate, private-use or unassigned code points.
    """
    if not value:
        return "is empty; give it a name such as P001 or ana"
    if not value.strip():
        return "is only spaces; give it a visible name"
    if len(value) > MAX_ID_CHARS:
        return f"is {len(value):,} characters long; ids have at most {MAX_ID_CHARS}"
    if value != value.strip():
        return f"{value!r} starts or ends with a space; remove it"
    for char in value:
        if char != " " and unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}:
            return f"contains {describe_character(char)}, an invisible character; remove it"
    return None
