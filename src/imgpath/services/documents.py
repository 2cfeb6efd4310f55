"""Read JSON and YAML documents with errors a person can act on.

Two things the standard parsers do not do for us: report *where* a file is broken in words a
non-programmer understands, and refuse duplicate keys (``json.loads`` silently keeps the last
one, which would silently drop a program or an applicant).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Literal

import yaml

from imgpath.errors import DocumentSyntaxError, NotFoundError

__all__ = ["Format", "guess_format", "parse_document", "read_document", "read_text"]

Format = Literal["json", "yaml"]


def guess_format(name: str, text: str) -> Format:
    """JSON for ``.json`` files and for text that starts like JSON; YAML otherwise."""
    lowered = name.lower()
    if lowered.endswith(".json"):
        return "json"
    if lowered.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if text.lstrip()[:1] in {"{", "["} else "yaml"


class DuplicateKeyError(ValueError):
    """A JSON object names the same key twice (``json`` would silently keep the last)."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"the key {key!r} appears twice in the same object; merge the two entries or rename one"
        )


def _no_duplicates(source: str) -> Any:
    del source

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise DuplicateKeyError(key)
            out[key] = value
        return out

    return hook


def _second_occurrence(text: str, key: str) -> tuple[int | None, int | None]:
    """Line and column of the second ``"key":`` in ``text`` (best effort, for the message)."""
    found = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    if len(found) < 2:
        return None, None
    pos = found[1]
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate mapping keys instead of keeping the last."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    keys: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            mark = key_node.start_mark
            raise DocumentSyntaxError(
                loader.name,
                f"the key {key!r} appears twice in the same mapping; merge the entries or rename one",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def parse_document(text: str, *, source: str, fmt: Format) -> Any:
    """Parse ``text`` as JSON or YAML; raise :class:`DocumentSyntaxError` with line and column."""
    if fmt == "json":
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates(source))
        except DuplicateKeyError as exc:
            line, column = _second_occurrence(text, exc.key)
            raise DocumentSyntaxError(source, str(exc), line=line, column=column) from None
        except json.JSONDecodeError as exc:
            raise DocumentSyntaxError(
                source, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
            ) from None
    loader = _UniqueKeyLoader(text)
    loader.name = source
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise DocumentSyntaxError(
            source,
            f"not valid YAML: {what}",
            line=None if mark is None else mark.line + 1,
            column=None if mark is None else mark.column + 1,
        ) from None
    except yaml.YAMLError as exc:
        raise DocumentSyntaxError(
            source, f"not valid YAML: {exc}", line=None, column=None
        ) from None
    finally:
        loader.dispose()


def read_text(path: str | Path) -> tuple[str, str]:
    """The text of ``path`` (``-`` for standard input) and a name to show in messages."""
    if str(path) == "-":
        return sys.stdin.read(), "<stdin>"
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig"), str(p)
    except FileNotFoundError:
        msg = f"{p}: no such file; check the path (use '-' to read standard input)"
        raise NotFoundError(msg) from None
    except IsADirectoryError:
        msg = f"{p}: is a folder, not a file"
        raise NotFoundError(msg) from None
    except UnicodeDecodeError as exc:
        raise DocumentSyntaxError(
            str(p),
            f"not UTF-8 text (byte {exc.start}); save the file as UTF-8",
            line=None,
            column=None,
        ) from None


def read_document(path: str | Path, fmt: Format | None = None) -> tuple[Any, str]:
    """Read and parse a JSON or YAML file; returns the data and its display name."""
    text, source = read_text(path)
    return parse_document(text, source=source, fmt=fmt or guess_format(source, text)), source
