"""One settings table: every IMGPATH_* variable the code or docs name is a field of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imgpath.errors import InvalidInputError
from imgpath.services.catalog import database_url
from imgpath.settings import LibrarySettings, Settings, library_settings, settings_markdown
from imgpath.storage.result_cache import ResultCache

ROOT = Path(__file__).resolve().parents[3]
TEST_ONLY = {"IMGPATH_TEST_POSTGRES", "IMGPATH_SKIP_POSTGRES"}


def test_every_variable_named_anywhere_is_in_the_table() -> None:
    named: set[str] = set()
    for folder in ("src", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".md", ".html"):
                named |= set(re.findall(r"IMGPATH_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    fields = {f"IMGPATH_{name.upper()}" for name in Settings.model_fields}
    assert named - TEST_ONLY <= fields, sorted(named - TEST_ONLY - fields)
    text = settings_markdown()
    assert all(f"`{name}`" in text for name in fields)
    assert set(LibrarySettings.model_fields) < set(Settings.model_fields)


def test_the_library_reads_the_same_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("IMGPATH_DATABASE_URL", raising=False)
    monkeypatch.setenv("IMGPATH_DATA_DIR", str(tmp_path))
    assert database_url() == f"sqlite:///{tmp_path / 'imgpath.sqlite3'}"
    assert database_url("sqlite://") == "sqlite://"
    monkeypatch.setenv("IMGPATH_DATABASE_URL", "sqlite:///elsewhere.db")
    assert database_url() == "sqlite:///elsewhere.db"
    monkeypatch.setenv("IMGPATH_CACHE_DIR", str(tmp_path / "cache"))
    assert ResultCache().folder == tmp_path / "cache" / "simulations"
    monkeypatch.setenv("IMGPATH_CACHE_DIR", "")
    assert library_settings().cache_dir is None
    monkeypatch.setenv("IMGPATH_TRACEBACK", "1")
    assert library_settings().traceback is True
    monkeypatch.setenv("IMGPATH_TRACEBACK", "sometimes")
    with pytest.raises(InvalidInputError, match="IMGPATH_TRACEBACK"):
        library_settings()
