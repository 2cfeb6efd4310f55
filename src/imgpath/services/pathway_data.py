"""Read the pathway's rule packs and path definitions from the package data (once per process)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from imgpath.core.pathway.rules import RuleBook, parse_rules
from imgpath.errors import EngineError

__all__ = ["load_paths", "load_rulebook"]


def _pathway_files(folder: str) -> list[tuple[str, Any]]:
    root = resources.files("imgpath").joinpath("data", "pathway", folder)
    entries = sorted((e for e in root.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)
    return [
        (f"data/pathway/{folder}/{e.name}", yaml.safe_load(e.read_text(encoding="utf-8")))
        for e in entries
    ]


@cache
def load_rulebook() -> RuleBook:
    """Every rule of every pack; a broken pack is a packaging bug, reported as such."""
    rules = []
    try:
        for name, data in _pathway_files("rules"):
            rules.extend(parse_rules(data, where=name))
        return RuleBook(rules)
    except ValueError as exc:
        msg = f"the bundled rule packs are invalid: {exc}"
        raise EngineError(msg) from exc


@cache
def load_paths() -> dict[str, Any]:
    """The path definitions (steps, visa options) by name, e.g. ``us``, ``uk``, ``ca``."""
    return {
        name.rsplit("/", 1)[1].removesuffix(".yaml"): data for name, data in _pathway_files("paths")
    }
