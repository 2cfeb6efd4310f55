"""Every table is declared in storage (one module, plus two on the same metadata until parallel
work merges), and no table object is imported above ``imgpath.storage``."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from sqlalchemy import Table

from imgpath.storage import tables

ROOT = Path(__file__).resolve().parents[2] / "src" / "imgpath"
SEPARATE = {"imgpath.storage.security_store", "imgpath.storage.evidence_tables"}


def test_every_table_is_in_the_tables_module() -> None:
    declared = {t.name for t in vars(tables).values() if isinstance(t, Table)}
    elsewhere = {t.name for m in SEPARATE for t in vars(importlib.import_module(m)).values()
                 if isinstance(t, Table)}  # fmt: skip
    assert set(tables.metadata.tables) == declared | elsewhere
    assert not declared & elsewhere
    assert {"users", "applications", "rank_lists", "odds_jobs", "programs"} <= declared


def test_no_table_object_above_storage() -> None:
    table_names = set(tables.metadata.tables) | {
        n for n, v in vars(tables).items() if isinstance(v, Table)
    }
    found = []
    for folder in ("services", "web", "cli", "match", "pathway", "catalog", "market", "support"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "imgpath.storage"
                ):
                    found += [f"{path.name}: {a.name}" for a in node.names if a.name in table_names]
    assert not found, found
