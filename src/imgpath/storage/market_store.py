"""Solved national Matches on disk: one folder of ``.npy`` arrays per model, seed and scale.

The folder sits next to the result cache ($IMGPATH_CACHE_DIR, else the user cache folder), so
the CLI and every process of a server share it.  Arrays are memory-mapped when read: a person's
odds touch a small part of each market.  A folder is written under a temporary name and renamed
into place, so a reader never sees half a market.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from imgpath.storage.result_cache import CACHE_ENV

__all__ = ["MarketStore"]


class MarketStore:
    """Folders of arrays under ``folder`` (default: the cache folder's ``markets``)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        chosen = (
            folder
            or os.environ.get(CACHE_ENV)
            or platformdirs.user_cache_dir("imgpath", appauthor=False)
        )
        self.folder = Path(chosen) / "markets"

    def path(self, key: str) -> Path:
        return self.folder / key

    def has(self, key: str) -> bool:
        return (self.path(key) / "meta.json").is_file()

    def read(
        self, key: str, names: tuple[str, ...]
    ) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
        """The arrays (memory-mapped, read-only) and metadata stored under ``key``, or None."""
        where = self.path(key)
        try:
            meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
            arrays = {n: np.load(where / f"{n}.npy", mmap_mode="r") for n in names}
        except (OSError, ValueError):
            return None
        return arrays, meta

    def write(self, key: str, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{uuid.uuid4().hex}"
        tmp.mkdir()
        try:
            for name, array in arrays.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(array), allow_pickle=False)
            (tmp / "meta.json").write_text(json.dumps(dict(meta)), encoding="utf-8")
            try:
                tmp.rename(self.path(key))
            except OSError:  # another process stored the same market first: theirs is as good
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
