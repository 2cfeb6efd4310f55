"""``imgpath serve`` (what ``make run`` starts) prepares the engines before it listens, saying so,
so the first odds run or ``imgpath match`` does not wait on a compile."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from imgpath.web import server


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    import uvicorn

    from imgpath.services import engine_warmup

    order: list[str] = []

    def warm(on: date, progress: Any = None) -> dict[str, float]:
        for part in ("Match engine", "odds simulation"):
            progress(part)
        order.append("warm")
        return {"match": 1.0, "odds": 2.0}

    monkeypatch.setattr(engine_warmup, "warm_engines", warm)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: order.append("listen"))
    monkeypatch.setenv("IMGPATH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("IMGPATH_DATABASE_URL", f"sqlite:///{tmp_path / 'imgpath.sqlite3'}")
    return order


def test_serve_prepares_the_engines_before_it_listens(calls: list[str]) -> None:
    out = io.StringIO()
    server.serve(host="127.0.0.1", port=8000, demo=False, workers=1, out=out)
    assert calls == ["warm", "listen"]
    text = out.getvalue()
    assert "Preparing the Match engine and the odds simulation" in text
    assert "  Match engine...\n  odds simulation...\n" in text
    assert "Engines ready in 3.0 s" in text
    assert text.index("Engines ready") < text.index("imgpath is running")


def test_no_warm_skips_it(calls: list[str]) -> None:
    server.serve(host="127.0.0.1", port=8000, demo=False, workers=1, out=io.StringIO(), warm=False)
    assert calls == ["listen"]
