"""Simulation results kept on disk, keyed by a hash of everything that determines them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import platformdirs

from imgpath.settings import library_settings

__all__ = ["CACHE_ENV", "ResultCache", "cache_key"]

CACHE_ENV = "IMGPATH_CACHE_DIR"


def cache_key(payload: Any) -> str:
    """A stable hash of JSON-able ``payload`` (sorted keys, so dict order does not matter)."""
    text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class ResultCache:
    """JSON files under ``folder`` (default: $IMGPATH_CACHE_DIR, else the user cache folder)."""

    def __init__(self, folder: str | Path | None = None, *, max_entries: int = 500) -> None:
        chosen = (
            folder
            or library_settings().cache_dir
            or platformdirs.user_cache_dir("imgpath", appauthor=False)
        )
        self.folder = Path(chosen) / "simulations"
        self.max_entries = max_entries
        """At most this many results are kept; the least recently written go first."""

    def get(self, key: str) -> Any | None:
        path = self.folder / f"{key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{key}.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(value), encoding="utf-8")
        tmp.replace(path)
        self._prune()

    def _prune(self) -> None:
        """Keep the cache bounded (a person changing a setting run after run cannot fill the disk)."""
        files = list(self.folder.glob("*.json"))
        if len(files) <= self.max_entries:
            return
        files.sort(key=lambda p: p.stat().st_mtime)
        for old in files[: len(files) - self.max_entries]:
            old.unlink(missing_ok=True)
