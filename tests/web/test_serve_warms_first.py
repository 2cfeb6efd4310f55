"""``imgpath serve`` (what ``make run`` starts) prepares the engines before it listens, saying so,
so the first odds run or ``imgpath match`` does not wait on a compile; and starts building the
stored simulated Matches for odds in the background, with progress."""

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

    def markets(*, runs: int, scale: float, progress: Any = None) -> tuple[int, Any]:
        order.append(f"markets {runs} at {scale}")
        progress(1, 2)
        return 2, None

    monkeypatch.setattr(engine_warmup, "warm_engines", warm)
    monkeypatch.setattr(engine_warmup, "warm_odds_markets", markets)
    monkeypatch.setenv("IMGPATH_ODDS_RUNS", "7")
    monkeypatch.setenv("IMGPATH_ODDS_SCALE", "0.5")
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: order.append("listen"))
    monkeypatch.setenv("IMGPATH_PUBLIC_URL", "http://127.0.0.1:8000")  # serve() would set it
    monkeypatch.setenv("IMGPATH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("IMGPATH_DATABASE_URL", f"sqlite:///{tmp_path / 'imgpath.sqlite3'}")
    return order


def test_serve_prepares_the_engines_before_it_listens(calls: list[str]) -> None:
    out = io.StringIO()
    server.serve(host="127.0.0.1", port=8000, demo=False, workers=1, out=out)
    assert calls == ["warm", "markets 7 at 0.5", "listen"]  # the odds runs' own Matches
    text = out.getvalue()
    assert "Preparing the Match engine and the odds simulation" in text
    assert "  Match engine...\n  odds simulation...\n" in text
    assert "Engines ready in 3.0 s" in text
    assert text.index("Engines ready") < text.index("imgpath is running")
    assert "  stored simulated Matches for odds: 1 of 2\n" in text
    assert "Building 2 stored simulated Matches for odds in the background" in text


def test_no_warm_skips_it(calls: list[str]) -> None:
    server.serve(host="127.0.0.1", port=8000, demo=False, workers=1, out=io.StringIO(), warm=False)
    assert calls == ["listen"]
