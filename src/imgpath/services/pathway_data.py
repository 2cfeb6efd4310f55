"""Read the pathway's rule packs and path definitions (once per process).

They ship inside the package, but rules change faster than releases: set ``IMGPATH_PATHWAY_DATA``
to a folder with ``rules/`` and ``paths/`` (a copy of ``src/imgpath/data/pathway`` with your
updates) and imgpath reads that instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from imgpath.core.pathway.report import PathBook
from imgpath.core.pathway.rules import RuleBook, parse_rules
from imgpath.errors import EngineError, InvalidInputError
from imgpath.settings import library_settings

__all__ = [
    "DATA_ENV",
    "data_root",
    "load_path_book",
    "load_paths",
    "load_rulebook",
    "read_rulebook",
]

DATA_ENV = "IMGPATH_PATHWAY_DATA"


def data_root() -> Traversable:
    """The folder holding ``rules/`` and ``paths/``: the override if set, else the package's."""
    override = library_settings().pathway_data
    if override:
        root = Path(override)
        if not (root / "rules").is_dir() or not (root / "paths").is_dir():
            msg = f"{DATA_ENV}={override}: expected a folder with rules/ and paths/ inside"
            raise InvalidInputError(msg)
        return root
    return resources.files("imgpath").joinpath("data", "pathway")


def _yaml_files(folder: Traversable, label: str) -> list[tuple[str, Any]]:
    entries = sorted(
        (e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name
    )
    out = []
    for entry in entries:
        name = f"{label}/{entry.name}"
        try:
            out.append((name, yaml.safe_load(entry.read_text(encoding="utf-8"))))
        except yaml.YAMLError as exc:
            msg = f"{name}: not valid YAML: {exc}"
            raise ValueError(msg) from None
    return out


def read_rulebook(packs: Iterable[tuple[str, Any]]) -> RuleBook:
    """Parse named rule packs into one book; ValueError names the pack, rule and field."""
    rules = []
    for name, data in packs:
        if not isinstance(data, dict):
            msg = f"{name}: a rule pack is a mapping with jurisdiction, topic and rules"
            raise ValueError(msg)  # noqa: TRY004 - one error type for every malformed pack
        rules.extend(parse_rules(data, where=name))
    return RuleBook(rules)


def _fail(exc: ValueError) -> Exception:
    """A broken bundled pack is a packaging bug; a broken override is the user's file to fix."""
    if library_settings().pathway_data:
        return InvalidInputError(f"{DATA_ENV}: {exc}")
    return EngineError(f"the bundled rule packs are invalid: {exc}")


@cache
def load_rulebook() -> RuleBook:
    """Every rule of every pack."""
    root = data_root()
    try:
        return read_rulebook(_yaml_files(root.joinpath("rules"), "rules"))
    except ValueError as exc:
        raise _fail(exc) from None


@cache
def load_paths() -> dict[str, Any]:
    """The path definitions (steps, visa options) by name, e.g. ``us``, ``uk``, ``ca``."""
    root = data_root()
    try:
        files = _yaml_files(root.joinpath("paths"), "paths")
    except ValueError as exc:
        raise _fail(exc) from None
    return {name.rsplit("/", 1)[1].removesuffix(".yaml"): data for name, data in files}


@cache
def load_path_book() -> PathBook:
    """The parsed path definitions."""
    try:
        return PathBook.from_data(load_paths())
    except (ValueError, KeyError, TypeError) as exc:
        raise _fail(ValueError(f"paths: missing or malformed {exc}")) from None
