"""Match use cases that touch files: load an instance, import and export CSV rank lists."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from imgpath.core.matching.explain import Explanation, explain
from imgpath.core.matching.instance import Instance, Limits
from imgpath.core.matching.rank_lists import (
    format_rank_list,
    get_rank_list,
    parse_rank_list,
    set_rank_list,
)
from imgpath.core.matching.solve import DEFAULT_ATTEMPTS, Result, solve
from imgpath.errors import FormError, Problem
from imgpath.services.documents import (
    Format,
    dump_yaml,
    guess_format,
    parse_document,
    read_document,
    read_text,
)

__all__ = [
    "MatchRun",
    "dump_instance",
    "export_rank_list",
    "import_rank_list",
    "load",
    "loads",
    "match_file",
    "save",
]


def load(path: str | Path, *, fmt: Format | None = None, limits: Limits | None = None) -> Instance:
    """Read, parse and validate a Match instance from a JSON or YAML file (``-`` for stdin)."""
    data, source = read_document(path, fmt)
    return Instance.from_dict(data, source=source, limits=limits)


def loads(text: str, *, fmt: Format | None = None, source: str = "<text>") -> Instance:
    """Parse and validate a Match instance from JSON or YAML text."""
    data = parse_document(text, source=source, fmt=fmt or guess_format(source, text))
    return Instance.from_dict(data, source=source)


def dump_instance(instance: Instance | dict[str, Any], *, fmt: Format = "json") -> str:
    """The instance as JSON or YAML text in the interchange format."""
    doc = instance.to_dict() if isinstance(instance, Instance) else instance
    if fmt == "yaml":
        return dump_yaml(doc)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"


def save(instance: Instance, path: str | Path) -> None:
    """Write ``instance`` to ``path``, as YAML for ``.yaml``/``.yml`` files and JSON otherwise."""
    fmt: Format = "yaml" if str(path).lower().endswith((".yaml", ".yml")) else "json"
    Path(path).write_text(dump_instance(instance, fmt=fmt), encoding="utf-8")


def export_rank_list(instance: Instance, who: str, *, supplemental: str | None = None) -> str:
    """The rank list of ``who`` (program, applicant, or a couple member's couple) as CSV."""
    entries, header = get_rank_list(instance.to_dict(), who, supplemental=supplemental)
    return format_rank_list(entries, header=header)


def import_rank_list(
    instance: Instance,
    who: str,
    csv_path: str | Path,
    *,
    supplemental: str | None = None,
    allow_empty: bool = False,
) -> Instance:
    """``instance`` with ``who``'s rank list replaced by the CSV file, validated.

    A file with no entries is refused unless ``allow_empty`` (see :func:`parse_rank_list`).
    """
    text, source = read_text(csv_path)
    entries = parse_rank_list(text, source=source, columns=None, allow_empty=allow_empty)
    doc = set_rank_list(instance.to_dict(), who, entries, supplemental=supplemental, source=source)
    return Instance.from_dict(doc, source=source)


@dataclass(frozen=True, eq=False)
class MatchRun:
    """An instance, its result, and (if asked) one applicant's explanation."""

    instance: Instance
    result: Result
    explanation: Explanation | None


def match_file(
    path: str | Path,
    *,
    seed: int = 0,
    attempts: int = DEFAULT_ATTEMPTS,
    limits: Limits | None = None,
    explain_applicant: str | None = None,
) -> MatchRun:
    """Load an instance file, run the Match, and optionally explain one applicant's result."""
    instance = load(path, limits=limits)
    if explain_applicant is not None and explain_applicant not in instance.applicant_index:
        raise FormError(
            [
                Problem(
                    "explain",
                    f"{explain_applicant}: no applicant with that id in {path}",
                    "check the id",
                )
            ]
        )
    result = solve(instance, seed=seed, attempts=attempts)
    story = explain(instance, result, explain_applicant) if explain_applicant is not None else None
    return MatchRun(instance, result, story)
