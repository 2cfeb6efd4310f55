"""Stored national Matches: built once per model, seed and scale, shared through the disk."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from imgpath.core.market.insertion import ARRAYS
from imgpath.market import load_model
from imgpath.services import stored_markets
from imgpath.services.stored_markets import ensure_markets, market_key
from imgpath.storage.market_store import MarketStore


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMGPATH_CACHE_DIR", str(tmp_path / "cache"))


def test_markets_are_built_once_and_read_back_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    model = load_model()
    first, built = ensure_markets(model, [11, 12], 0.05)
    assert built == 2
    again, built_again = ensure_markets(model, [11, 12], 0.05)
    assert built_again == 0
    assert all(a is b for a, b in zip(first, again, strict=True))  # kept in this process's memory
    monkeypatch.setattr(stored_markets, "_MEMORY", type(stored_markets._MEMORY)())  # a new process
    from_disk, built_disk = ensure_markets(model, [12, 11], 0.05)
    assert built_disk == 0
    for a, b in zip(first, reversed(from_disk), strict=True):
        assert a.summary == b.summary
        for name in ARRAYS:
            assert np.array_equal(getattr(a.match, name), getattr(b.match, name)), name
    assert first[0].summary.seed != first[1].summary.seed


def test_the_key_changes_with_the_model_seed_and_scale() -> None:
    model = load_model()
    other = load_model(overrides={"programs": {"h1b_share": 0.1}})
    keys = {
        market_key(model, 1, 1.0),
        market_key(model, 2, 1.0),
        market_key(model, 1, 0.5),
        market_key(other, 1, 1.0),
    }
    assert len(keys) == 4


def test_a_half_written_market_is_never_read(tmp_path: Path) -> None:
    store = MarketStore(tmp_path)
    (store.folder / "k").mkdir(parents=True)
    np.save(store.folder / "k" / "a_off.npy", np.zeros(3))  # no meta.json: not complete
    assert not store.has("k")
    store.write("k2", {"x": np.arange(4)}, {"summary": {}})
    found = store.read("k2", ("x",))
    assert found is not None
    assert found[0]["x"].tolist() == [0, 1, 2, 3]
    assert not list(store.folder.glob(".k2.*"))  # the temporary folder was renamed into place
    store.write("k2", {"x": np.arange(2)}, {"summary": {}})  # a second writer: the first copy stays
    again = store.read("k2", ("x",))
    assert again is not None
    assert again[0]["x"].tolist() == [0, 1, 2, 3]


def test_the_stamp_covers_the_code_a_stored_market_is_made_by() -> None:
    """Every module of core/market that generation or storage imports is in the stamp, so a change
    to it rebuilds the stored markets (person.py only describes who is inserted later)."""
    import ast

    folder = Path(stored_markets.__file__).resolve().parents[1] / "core" / "market"
    seen: set[str] = set()
    todo = ["generate.py", "insertion.py"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        prefix = "imgpath.core.market."
        todo.extend(m.rsplit(".", 1)[1] + ".py" for m in modules if m.startswith(prefix))
    assert seen - {"person.py"} <= set(stored_markets.MARKET_MODULES)
    assert all((folder / name).is_file() for name in stored_markets.MARKET_MODULES)


def test_a_server_can_build_them_in_the_background() -> None:
    model = load_model()
    thread = stored_markets.warm_markets(model, [21, 22], 0.05)
    thread.join(timeout=300)
    assert not thread.is_alive()
    _, built = ensure_markets(model, [21, 22], 0.05)
    assert built == 0


def test_a_market_asked_for_by_two_threads_at_once_is_built_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server's warm-up thread and a first odds run may ask for the same market together: one
    builds it, the other waits and reads it (no second build on 2 shared cores)."""
    import threading
    import time

    from imgpath.services import simulation

    real = simulation.solve_generated
    builds: list[int] = []

    def slow(model: object, seed: int, scale: float) -> object:
        builds.append(seed)
        time.sleep(0.5)  # both threads are inside store_market meanwhile
        return real(model, seed, scale)  # type: ignore[arg-type]

    monkeypatch.setattr(simulation, "solve_generated", slow)
    model = load_model()
    task = stored_markets.StoreTask(model, 31, 0.05)
    threads = [threading.Thread(target=stored_markets.store_market, args=(task,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert builds == [31]
    assert MarketStore().has(market_key(model, 31, 0.05))


def test_the_warm_up_builds_what_odds_runs_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """``warm_odds_markets`` (``imgpath serve``) stores exactly the markets ``odds_answer`` asks for
    at the same runs and scale, with progress; then a run builds none."""
    from imgpath.services.engine_warmup import warm_odds_markets
    from imgpath.services.simulation import run_seeds

    ticks: list[tuple[int, int]] = []
    missing, thread = warm_odds_markets(
        runs=1, scale=0.05, progress=lambda d, t: ticks.append((d, t))
    )
    thread.join(600)
    assert missing == 1
    assert ticks == [(1, 1)]
    _, built = ensure_markets(load_model(), run_seeds(0, 1), 0.05)
    assert built == 0
    again, _thread = warm_odds_markets(runs=1, scale=0.05)
    assert again == 0
