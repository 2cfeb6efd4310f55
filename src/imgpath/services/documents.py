"""Read JSON, YAML and CSV documents from people, safely, with errors they can act on.

Every file and form a user gives imgpath goes through here.  Beyond parsing, this module:

* caps the **size** before reading it all (``/dev/zero`` is refused, not read until memory
  runs out), the **nesting depth** (no ``RecursionError`` anywhere downstream) and what YAML
  **aliases** may expand to (a "billion laughs" document is refused in microseconds);
* refuses **duplicate keys** (``json.loads`` and PyYAML silently keep the last one, which would
  silently drop a program or an applicant);
* refuses **characters that have no place in text**: NUL, control characters, lone surrogates
  (:mod:`imgpath.core.text_checks`), raw or written as escapes (``"\\u0000"``, ``"\\ud800"``);
* refuses numbers nobody means: integers of more than ``max_int_digits`` digits (Python
  refuses to convert 4,300 of them and converting fewer is slow), ``NaN`` and infinities;
* reads YAML with the **YAML 1.2 core schema**, not PyYAML's YAML 1.1 one: only
  ``true``/``false`` are booleans (so Norway's ``NO`` stays the text ``"NO"``), no sexagesimal
  numbers (``1:20`` is text, not 80), ``010`` is ten (not eight), ``1_000`` is text, and dates
  stay text exactly as in JSON (the field that wants a date checks it and names itself);
* refuses YAML tags beyond the core ones (``!!binary``, ``!!set``, ``!!timestamp``,
  ``!!python/...``, ``!custom``) with the line that uses them.

Whatever is wrong, the caller gets a :class:`~imgpath.errors.DocumentSyntaxError` (an
:class:`~imgpath.errors.InvalidInputError`): ``source``, ``line`` and ``column`` (1-based, or
None), ``field`` (the value's path such as ``school.country``, or ``""``) and ``problem`` (what is
wrong and how to fix it).  ``RecursionError``, ``ValueError``, ``TypeError`` and
``MemoryError``-by-design never escape.

The API, for the command line and the web app alike::

    load_document(data, source="profile box", limits=FORM_LIMITS)  # bytes or str -> data
    parse_document(text, source=..., fmt="yaml", limits=...)        # str -> data
    read_document(path, limits=FILE_LIMITS) -> (data, source)       # a file or '-' (stdin)
    read_text(path) -> (text, source)                                # checked text, e.g. CSV
    decode_text(data, source=...) -> str                             # bytes -> checked text
    dump_yaml(data) -> str               # YAML that reads back the same here *and* in YAML 1.1
"""

from __future__ import annotations

import copy
import json
import math
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from itertools import chain, compress
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from imgpath.core.text_checks import (
    bad_character,
    describe_character,
    line_and_column,
    text_problem,
)
from imgpath.errors import DocumentSyntaxError, NotFoundError

__all__ = [
    "FILE_LIMITS",
    "FORM_LIMITS",
    "DocumentLimits",
    "Format",
    "decode_text",
    "dump_yaml",
    "guess_format",
    "load_document",
    "parse_document",
    "read_document",
    "read_text",
]

Format = Literal["json", "yaml"]

_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """How much of a document imgpath accepts.

    ``max_bytes``: the size of the file or text (UTF-8 bytes); ``max_yaml_bytes``: the same for
    YAML, which parses about three times slower than JSON; ``max_depth``: how deeply lists and
    mappings may nest (imgpath's own formats need 6); ``max_alias_nodes``: how many values YAML
    aliases (``*name``) may add in all, 0 to refuse aliases; ``max_int_digits``: the longest
    integer literal.
    """

    max_bytes: int = 512 * _MIB
    max_yaml_bytes: int = 512 * _MIB
    max_depth: int = 64
    max_alias_nodes: int = 10_000
    max_int_digits: int = 30


FILE_LIMITS = DocumentLimits()
"""For files named on the command line: a national Match instance at ten times the 2025 size
is about 250 MB of JSON, 310 MB of YAML (``imgpath market generate --national --scale 10``)."""

FORM_LIMITS = DocumentLimits(
    max_bytes=256 * 1024, max_yaml_bytes=256 * 1024, max_depth=32, max_alias_nodes=0
)
"""For text typed or uploaded into the web app (the profile box): 256 KB, no aliases."""


def guess_format(name: str, text: str) -> Format:
    """JSON for ``.json`` files and for text that starts like JSON; YAML otherwise."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if text.lstrip()[:1] in {"{", "["} else "yaml"


def _size(count: int) -> str:
    if count >= _MIB:
        return f"{count / _MIB:,.0f} MB"
    if count >= 1024:
        return f"{count / 1024:,.0f} KB"
    return f"{count:,} bytes"


def _refuse(source: str, problem: str, **where: Any) -> DocumentSyntaxError:
    return DocumentSyntaxError(
        source,
        problem,
        line=where.get("line"),
        column=where.get("column"),
        field=where.get("field", ""),
    )


# ------------------------------------------------------------------------------ text


def decode_text(data: bytes, *, source: str, limits: DocumentLimits = FILE_LIMITS) -> str:
    """``data`` as text: UTF-8 (a BOM is dropped), or UTF-16/UTF-32 when a BOM says so.

    Raises :class:`DocumentSyntaxError` for bytes over ``limits.max_bytes``, bytes that are not
    UTF-8 (with the line and column of the first bad byte), and characters that have no place
    in text (NUL, control characters).
    """
    if len(data) > limits.max_bytes:
        raise _refuse(source, _too_big(len(data), limits.max_bytes))
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                name = codec.split("-")[0].upper() + "-" + codec.split("-")[1]
                raise _refuse(
                    source, f"starts like {name} text but is not; save the file as UTF-8"
                ) from None
            check_text(text, source=source)
            return text
    if data.count(b"\x00") * 3 >= len(data) > 0:
        raise _refuse(
            source,
            "looks like UTF-16 or UTF-32 text without a byte-order mark (or is not text at all); "
            "save the file as UTF-8",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        sample = data[:4096]
        if any(b < 0x20 and b not in {9, 10, 13} for b in sample):
            hint = "this does not look like a text file; check that this is the right file"
        else:
            hint = "this looks like Latin-1 or Windows-1252 text; save the file as UTF-8"
        raise _refuse(
            source,
            f"not UTF-8 text (byte 0x{data[exc.start]:02X}); {hint}",
            line=line,
            column=column,
        ) from None
    check_text(text, source=source)
    return text


def _too_big(size: int, limit: int, *, exact: bool = True) -> str:
    how_big = f"is {_size(size)}" if exact else "goes on past"
    return (
        f"{how_big}, more than the {_size(limit)} imgpath reads; check that this is the right file"
    )


def check_text(text: str, *, source: str) -> None:
    """Raise :class:`DocumentSyntaxError` at the first character that has no place in text."""
    found = bad_character(text)
    if found is not None:
        line, column = line_and_column(text, found[0])
        raise _refuse(
            source,
            f"contains {describe_character(found[1])}; remove it (is this a text file?)",
            line=line,
            column=column,
        )


def _read_bytes(path: str | Path, max_bytes: int) -> tuple[bytes, str]:
    """At most ``max_bytes + 1`` bytes of ``path`` (``-``: standard input) and its display name."""
    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is not None:
            return stream.read(max_bytes + 1), "<stdin>"
        text = sys.stdin.read(max_bytes + 1)  # a text stream (tests, embedding)
        return text.encode("utf-8", "surrogatepass"), "<stdin>"
    name = str(path)
    try:
        info = Path(path).stat()
        if stat.S_ISDIR(info.st_mode):
            msg = f"{name}: is a folder, not a file; name a file inside it"
            raise NotFoundError(msg)
        if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
            raise _refuse(name, _too_big(info.st_size, max_bytes))
        with open(path, "rb") as handle:  # noqa: PTH123 - one call, with its errors below
            return handle.read(max_bytes + 1), name
    except FileNotFoundError:
        msg = f"{name}: no such file; check the path (use '-' to read standard input)"
        raise NotFoundError(msg) from None
    except IsADirectoryError:
        msg = f"{name}: is a folder, not a file; name a file inside it"
        raise NotFoundError(msg) from None
    except PermissionError:
        msg = f"{name}: permission denied; check that you may read this file"
        raise NotFoundError(msg) from None
    except (OSError, ValueError) as exc:  # too long a name, an I/O error, a NUL in the path
        reason = getattr(exc, "strerror", None) or str(exc)
        msg = f"{name}: cannot be read: {reason}"
        raise NotFoundError(msg) from None


def read_text(path: str | Path, *, limits: DocumentLimits = FILE_LIMITS) -> tuple[str, str]:
    """The checked text of ``path`` (``-`` for standard input) and a name to show in messages.

    Raises :class:`~imgpath.errors.NotFoundError` for a missing file, a folder or a file that
    cannot be read, and :class:`DocumentSyntaxError` as :func:`decode_text` does.
    """
    data, source = _read_bytes(path, limits.max_bytes)
    if len(data) > limits.max_bytes:  # read up to one byte more than the limit: no exact size
        raise _refuse(source, _too_big(len(data), limits.max_bytes, exact=False))
    return decode_text(data, source=source, limits=limits), source


def read_document(
    path: str | Path, fmt: Format | None = None, *, limits: DocumentLimits = FILE_LIMITS
) -> tuple[Any, str]:
    """Read and parse a JSON or YAML file; returns the data and its display name.

    An empty file (or one holding only comments or ``null``) is refused: every file imgpath
    reads holds something.
    """
    text, source = read_text(path, limits=limits)
    fmt = fmt or guess_format(source, text)
    data = _parse(text, source=source, fmt=fmt, limits=limits, checked=True)
    if data is None:
        raise _refuse(source, "the file is empty (or holds only comments or null); fill it in")
    return data, source


def load_document(
    data: bytes | str,
    *,
    source: str,
    fmt: Format | None = None,
    limits: DocumentLimits = FORM_LIMITS,
) -> Any:
    """Parse a document a user typed or uploaded (bytes or text) within ``limits``.

    The one call for the web app's profile box and uploads: decoding, the character checks,
    the format (guessed from ``source`` and the text unless given) and every limit.
    """
    checked = isinstance(data, bytes)
    text = decode_text(data, source=source, limits=limits) if isinstance(data, bytes) else data
    fmt = fmt or guess_format(source, text)
    return _parse(text, source=source, fmt=fmt, limits=limits, checked=checked)


def parse_document(
    text: str, *, source: str, fmt: Format, limits: DocumentLimits = FILE_LIMITS
) -> Any:
    """Parse ``text`` as JSON or YAML within ``limits``; see the module's docstring.

    Empty or whitespace-only text is an empty document: None.

    Raises :class:`~imgpath.errors.DocumentSyntaxError` naming the line and column (and the
    value's path when known) of the first fault.
    """
    return _parse(text, source=source, fmt=fmt, limits=limits, checked=False)


def _parse(text: str, *, source: str, fmt: Format, limits: DocumentLimits, checked: bool) -> Any:
    cap = limits.max_yaml_bytes if fmt == "yaml" else limits.max_bytes
    if len(text) * 4 > cap and len(text.encode("utf-8", "surrogatepass")) > cap:
        raise _refuse(source, _too_big(len(text.encode("utf-8", "surrogatepass")), cap))
    if not checked:  # text from decode_text() has been checked already
        check_text(text, source=source)
    if not text.strip():
        return None  # an empty document, in either format (json.loads would call it invalid)
    if fmt == "json":
        return _parse_json(text, source, limits)
    return _parse_yaml(text, source, limits)


# ------------------------------------------------------------------------------ paths


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")


def _short_path(parts: list[Any]) -> str:
    """``parts`` as a path such as ``school.country`` or ``programs.P1.rol[3]`` (middle cut if long)."""
    if len(parts) > 8:
        return (
            _path_text(parts[:3]) + "...(" + f"{len(parts) - 6} levels)..." + _path_text(parts[-3:])
        )
    return _path_text(parts)


def _path_text(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


# ------------------------------------------------------------------------------ JSON


class _Refused(Exception):
    def __init__(self, problem: str, literal: str = "", field: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.literal = literal
        self.field = field


def _locate(text: str, literal: str) -> tuple[int | None, int | None]:
    """Line and column of the first ``literal`` in ``text`` standing alone (best effort)."""
    if not literal:
        return None, None
    pattern = r"(?<![\w.\"])" + re.escape(literal) + r"(?![\w.])"
    found = re.search(pattern, text)
    if found is None:
        return None, None
    return line_and_column(text, found.start())


def _int_problem(literal: str, max_digits: int) -> str | None:
    digits = len(literal.lstrip("+-"))
    if digits <= max_digits:
        return None
    head = literal[:12] + "..." if len(literal) > 15 else literal
    return (
        f"the number {head} has {digits:,} digits, more than the {max_digits} imgpath accepts; "
        "check the value"
    )


def _json_hooks(limits: DocumentLimits) -> dict[str, Callable[..., Any]]:
    def parse_int(literal: str) -> int:
        problem = _int_problem(literal, limits.max_int_digits)
        if problem is not None:
            raise _Refused(problem, literal)
        return int(literal)

    def parse_float(literal: str) -> float:
        value = float(literal)
        if not math.isfinite(value):
            msg = f"the number {literal[:20]} is too large to be a number imgpath can use"
            raise _Refused(msg, literal)
        return value

    def parse_constant(literal: str) -> Any:
        msg = f"{literal} is not a number JSON allows; write a number, or null if it is unknown"
        raise _Refused(
            msg,
            literal,
        )

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    msg = (
                        f"the key {key!r} appears twice in the same object; merge the two "
                        "entries or rename one"
                    )
                    raise _Refused(
                        msg,
                        json.dumps(key, ensure_ascii=False),
                    )
                seen.add(key)
        return out

    return {
        "object_pairs_hook": pairs,
        "parse_int": parse_int,
        "parse_float": parse_float,
        "parse_constant": parse_constant,
    }


_SUSPECT_ESCAPE = re.compile(
    r"\\(?:[bf]|u(?:00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}"
    r"|[fF]{3}[eEfF]))"
)
"""JSON escapes that can produce a character :func:`check_text` would refuse."""


def _parse_json(text: str, source: str, limits: DocumentLimits) -> Any:
    try:
        hooks = _json_hooks(limits)
        data = json.loads(
            text,
            object_pairs_hook=hooks["object_pairs_hook"],
            parse_int=hooks["parse_int"],
            parse_float=hooks["parse_float"],
            parse_constant=hooks["parse_constant"],
        )
    except _Refused as exc:
        if exc.literal.startswith('"'):  # a duplicate key: point at its second occurrence
            found = [m.start() for m in re.finditer(re.escape(exc.literal) + r"\s*:", text)]
            line, column = line_and_column(text, found[1]) if len(found) > 1 else (None, None)
        else:
            line, column = _locate(text, exc.literal)
        raise _refuse(source, exc.problem, line=line, column=column) from None
    except json.JSONDecodeError as exc:
        raise _refuse(
            source, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        line, column = _json_too_deep(text, limits.max_depth)
        raise _refuse(source, _deep(limits.max_depth), line=line, column=column) from None
    _check_tree(data, source, limits, strings=_SUSPECT_ESCAPE.search(text) is not None)
    return data


def _deep(max_depth: int) -> str:
    return (
        f"lists and mappings are nested more than {max_depth} levels deep here; "
        "imgpath's formats need far fewer (is a bracket left open?)"
    )


def _json_too_deep(text: str, max_depth: int) -> tuple[int | None, int | None]:
    depth = 0
    for found in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = found.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                return line_and_column(text, found.start())
        elif token in "]}":
            depth -= 1
    return None, None


_IS_CONTAINER = frozenset({dict, list}).__contains__
_IS_DICT = frozenset({dict}).__contains__
_IS_LIST = frozenset({list}).__contains__


def _check_tree(data: Any, source: str, limits: DocumentLimits, *, strings: bool) -> None:
    """The depth of a parsed document (and, if ``strings``, every string and key in it).

    Level by level, every loop in C: a few percent of the time ``json.loads`` took.
    """
    level = [data] if _IS_CONTAINER(type(data)) else []
    depth = 0
    while level:
        depth += 1
        if depth > limits.max_depth:
            raise _refuse(
                source, _deep(limits.max_depth), field=_deepest_path(data, limits.max_depth)
            )
        types = list(map(type, level))
        dicts = compress(level, map(_IS_DICT, types))
        lists = compress(level, map(_IS_LIST, types))
        values = list(
            chain(chain.from_iterable(map(dict.values, dicts)), chain.from_iterable(lists))
        )
        level = list(compress(values, map(_IS_CONTAINER, map(type, values))))
    if strings or isinstance(data, str):
        _check_strings(data, source)


def _deepest_path(data: Any, max_depth: int) -> str:
    """The path to the first container below the deepest level allowed (the slow, rare path)."""
    path: list[Any] = []
    node = data
    while len(path) < max_depth:
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        deeper = [(k, v) for k, v in items if isinstance(v, (dict, list))]
        if not deeper:
            return _short_path(path)
        best = max(deeper, key=lambda kv: _height(kv[1]))
        path.append(best[0])
        node = best[1]
    return _short_path(path)


def _height(node: Any) -> int:
    height = 0
    level = [node]
    while level:
        height += 1
        level = [
            child
            for n in level
            for child in (n.values() if isinstance(n, dict) else n)
            if isinstance(child, (dict, list))
        ]
    return height


_KEY = object()  # marks a mapping key on the walk's stack


def _check_strings(data: Any, source: str) -> None:
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if path and path[-1] is _KEY:
                _check_string(node, source, path[:-1], key=True)
            else:
                _check_string(node, source, path)
        elif isinstance(node, dict):  # children pushed last-first: faults come in file order
            for key, child in reversed(node.items()):
                stack.append((child, (*path, key)))
                if isinstance(key, str):
                    stack.append((key, (*path, _KEY)))
        elif isinstance(node, list):
            stack.extend((node[i], (*path, i)) for i in range(len(node) - 1, -1, -1))


def _check_string(value: str, source: str, path: tuple[Any, ...], *, key: bool = False) -> None:
    problem = text_problem(value)
    if problem is not None:
        what = "the key " + repr(value) if key else "the value"
        raise _refuse(source, f"{what} {problem}", field=_short_path(list(path)))


# ------------------------------------------------------------------------------ YAML

_YAML_INT = re.compile(r"[-+]?[0-9]+\Z")
_YAML_OCT = re.compile(r"0o[0-7]+\Z")
_YAML_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_YAML_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_YAML_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_YAML_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_YAML_BOOL = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}
_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset({"!", f"{_CORE}str", f"{_CORE}int", f"{_CORE}float", f"{_CORE}bool", f"{_CORE}null"})  # fmt: skip
_SEQ_TAGS = frozenset({"!", f"{_CORE}seq"})
_MAP_TAGS = frozenset({"!", f"{_CORE}map"})

try:  # libyaml's parser: fast, and it builds no nodes (we build the values ourselves)
    from yaml.cyaml import CParser as _FastParser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _FastParser = None  # type: ignore[assignment,misc]


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python event parser, for builds without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    def dispose(self) -> None:
        pass


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_CORE) if tag.startswith(_CORE) else tag


class _Frame:
    __slots__ = ("anchor", "has_key", "height", "key", "key_mark", "nodes", "value")

    def __init__(self, value: Any, anchor: str | None, nodes: int) -> None:
        self.value = value
        self.anchor = anchor
        self.nodes = nodes
        self.height = 1
        self.has_key = False
        self.key: Any = None
        self.key_mark: Any = None


class _Builder:
    """Builds plain Python values from parser events, iteratively, within the limits."""

    def __init__(self, parser: Any, source: str, limits: DocumentLimits) -> None:
        self.parser = parser
        self.source = source
        self.limits = limits
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, nodes, height
        self.open: set[str] = set()
        self.nodes = 0
        self.alias_nodes = 0

    def fail(self, problem: str, mark: Any) -> DocumentSyntaxError:
        path: list[Any] = []
        for frame in self.stack:
            if isinstance(frame.value, list):
                path.append(len(frame.value))
            elif frame.has_key:
                path.append(frame.key)
        return _refuse(
            self.source,
            problem,
            line=None if mark is None else mark.line + 1,
            column=None if mark is None else mark.column + 1,
            field=_short_path(path),
        )

    def build(self) -> Any:
        get = self.parser.get_event
        result: Any = None
        documents = 0
        while True:
            event = get()
            kind = type(event)
            height = 0
            if kind is ScalarEvent:
                value = self.scalar(event)
                self.nodes += 1
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1, 0)
            elif kind is SequenceStartEvent or kind is MappingStartEvent:
                self.start(event, [] if kind is SequenceStartEvent else {})
                continue
            elif kind is SequenceEndEvent or kind is MappingEndEvent:
                frame = self.stack.pop()
                value, height = frame.value, frame.height
                if frame.anchor is not None:
                    self.open.discard(frame.anchor)
                    self.anchors[frame.anchor] = (value, self.nodes - frame.nodes, height)
            elif kind is AliasEvent:
                value, height = self.alias(event)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    msg = "a second document starts here ('---'); give one document per file"
                    raise self.fail(msg, event.start_mark)
                continue
            elif kind is StreamEndEvent:
                return result
            else:  # StreamStartEvent, DocumentEndEvent
                continue
            if not self.stack:
                result = value
                continue
            self.attach(value, height, event.start_mark)

    def start(self, event: Any, value: list[Any] | dict[Any, Any]) -> None:
        allowed = _SEQ_TAGS if isinstance(value, list) else _MAP_TAGS
        if event.tag is not None and event.tag not in allowed:
            raise self.fail(self._tag_problem(event.tag), event.start_mark)
        if len(self.stack) >= self.limits.max_depth:
            raise self.fail(_deep(self.limits.max_depth), event.start_mark)
        self.nodes += 1
        if event.anchor is not None:
            self.open.add(event.anchor)
        self.stack.append(_Frame(value, event.anchor, self.nodes))

    def attach(self, value: Any, height: int, mark: Any) -> None:
        top = self.stack[-1]
        top.height = max(top.height, height + 1)
        container = top.value
        if isinstance(container, list):
            container.append(value)
        elif not top.has_key:
            if isinstance(value, (list, dict)):
                msg = "a key must be text or a number, not a list or a mapping"
                raise self.fail(msg, mark)
            if value in container:
                msg = f"the key {value!r} appears twice in the same mapping; merge the entries or rename one"  # fmt: skip
                raise self.fail(msg, mark)
            top.key, top.key_mark, top.has_key = value, mark, True
        else:
            container[top.key] = value
            top.has_key = False

    def alias(self, event: Any) -> tuple[Any, int]:
        name = event.anchor
        mark = event.start_mark
        if self.limits.max_alias_nodes <= 0:
            msg = f"aliases (*{name}) are not accepted here; write the value out in full"
            raise self.fail(msg, mark)
        if name in self.open:
            msg = f"the alias *{name} refers to a value that contains it (a loop); write the value out"  # fmt: skip
            raise self.fail(msg, mark)
        if name not in self.anchors:
            msg = f"the alias *{name} names no anchor &{name} above it"
            raise self.fail(msg, mark)
        value, nodes, height = self.anchors[name]
        self.alias_nodes += nodes
        if self.alias_nodes > self.limits.max_alias_nodes:
            msg = (
                f"aliases here expand to more than {self.limits.max_alias_nodes:,} values; "
                "write the values out instead of repeating aliases"
            )
            raise self.fail(msg, mark)
        if len(self.stack) + height > self.limits.max_depth:
            raise self.fail(_deep(self.limits.max_depth), mark)
        self.nodes += nodes
        return copy.deepcopy(value), height

    def scalar(self, event: Any) -> Any:
        tag, text, mark = event.tag, event.value, event.start_mark
        problem = text_problem(text)
        if problem is not None:
            msg = f"the value {problem}"
            raise self.fail(msg, mark)
        if tag is None:
            return self.resolve(text, mark) if event.implicit[0] else text
        if tag not in _SCALAR_TAGS:
            raise self.fail(self._tag_problem(tag), mark)
        if tag in ("!", f"{_CORE}str"):
            return text
        value = self.resolve(text, mark)
        wanted = tag.removeprefix(_CORE)
        got = {bool: "bool", int: "int", float: "float", type(None): "null"}.get(type(value))
        if wanted == "float" and got == "int":
            return float(value)
        if got != wanted:
            msg = f"{text!r} is not a valid !!{wanted}; remove the tag or fix the value"
            raise self.fail(msg, mark)
        return value

    def resolve(self, text: str, mark: Any) -> Any:
        """A plain scalar by the YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution)."""
        if text in _YAML_NULL:
            return None
        first = text[0]
        if first in "tTfF" and text in _YAML_BOOL:
            return _YAML_BOOL[text]
        if not (first.isdigit() or first in "+-."):
            return text
        if _YAML_INT.match(text):
            self._check_digits(text, mark)
            return int(text)
        if _YAML_OCT.match(text) or _YAML_HEX.match(text):
            self._check_digits(text[2:], mark)
            return int(text[2:], 8 if text[1] == "o" else 16)
        if _YAML_FLOAT.match(text):
            value = float(text)
            if not math.isfinite(value):
                msg = f"the number {text[:20]} is too large to be a number imgpath can use"
                raise self.fail(msg, mark)  # fmt: skip
            return value
        if _YAML_INF.match(text):
            msg = (
                f"{text} (infinity or not-a-number) is not a value imgpath can use; write a number"
            )
            raise self.fail(msg, mark)
        return text

    def _check_digits(self, digits: str, mark: Any) -> None:
        problem = _int_problem(digits, self.limits.max_int_digits)
        if problem is not None:
            raise self.fail(problem, mark)

    @staticmethod
    def _tag_problem(tag: str) -> str:
        return (
            f"the tag {_show_tag(tag)} is not accepted (only plain values, lists and mappings); "
            "remove it and write the value as text"
        )


def _parse_yaml(text: str, source: str, limits: DocumentLimits) -> Any:
    parser: Any = None
    try:
        parser = _FastParser(text) if _FastParser is not None else _PyParser(text)
        event = parser.get_event()
        if not isinstance(event, StreamStartEvent):  # pragma: no cover - every parser starts so
            raise _refuse(source, "not valid YAML: no stream start")
        return _Builder(parser, source, limits).build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise _refuse(
            source,
            f"not valid YAML: {what}",
            line=None if mark is None else mark.line + 1,
            column=None if mark is None else mark.column + 1,
        ) from None
    except yaml.YAMLError as exc:
        raise _refuse(source, f"not valid YAML: {exc}") from None
    finally:
        if parser is not None:
            parser.dispose()


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, also quoting text that YAML 1.2 would read as something else."""


_Dumper.add_implicit_resolver(f"{_CORE}int", re.compile(r"^0o[0-7]+$"), ["0"])
_Dumper.add_implicit_resolver(
    f"{_CORE}float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+.0123456789"),
)


def dump_yaml(data: Any) -> str:
    """``data`` as block YAML, keys in their order, every text that could be misread quoted.

    PyYAML quotes text that YAML 1.1 would read as another type (``"NO"``, ``"1:20"``) but not
    text that only YAML 1.2 would (``"1e3"``, ``"0o17"``); this quotes both, so the file reads
    back the same with :func:`parse_document` and with any YAML 1.1 or 1.2 reader.
    """
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
