"""Simulations: the same seed gives the same results on every executor; caching; calibration
holds at reduced scale; odds for a profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgpath.core.market.calibrate import Calibration, calibration_step
from imgpath.errors import InvalidInputError
from imgpath.market import (
    load_model,
    make_executor,
    odds_for_profile,
    odds_plot,
    run_seeds,
    simulate,
)

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "profile-nigeria.yaml"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMGPATH_CACHE_DIR", str(tmp_path / "cache"))


def test_seeds_are_spawned_reproducibly() -> None:
    assert run_seeds(3, 5) == run_seeds(3, 5)
    assert len(set(run_seeds(3, 50))) == 50
    assert run_seeds(3, 5)[:2] == run_seeds(3, 2)


@pytest.mark.xdist_group("executors")
def test_every_executor_gives_the_same_results() -> None:
    model = load_model()
    results = {}
    for kind in ("serial", "process", "dask"):
        executor = make_executor(kind, workers=2)
        try:
            report = simulate(model, runs=3, seed=9, scale=0.05, executor=executor, use_cache=False)
        finally:
            executor.close()
        results[kind] = (report["match_rate_by_type"], report["fill_rate"], report["by_specialty"])
    assert results["serial"] == results["process"] == results["dask"]


def test_results_are_cached_by_what_determines_them() -> None:
    model = load_model()
    first = simulate(model, runs=2, seed=4, scale=0.05)
    again = simulate(model, runs=2, seed=4, scale=0.05)
    other = simulate(model, runs=2, seed=5, scale=0.05)
    assert (first["cached"], again["cached"], other["cached"]) == (False, True, False)
    assert again["match_rate_by_type"] == first["match_rate_by_type"]
    changed = load_model(overrides={"programs": {"h1b_share": 0.1}})
    assert simulate(changed, runs=2, seed=4, scale=0.05)["cached"] is False


def test_the_calibration_holds_at_reduced_scale() -> None:
    """Keeps the fitted model from drifting: a cheap stand-in for the full-scale check."""
    report = simulate(load_model(), runs=4, seed=2026, scale=0.25, use_cache=False)
    targets = report["targets"]["match_rate_by_type"]
    for kind in ("us_md_senior", "us_do_senior", "us_img", "non_us_img"):
        assert abs(report["match_rate_by_type"][kind]["mean"] - targets[kind]) < 0.04, kind
    assert abs(report["fill_rate"]["mean"] - report["targets"]["fill_rate"]) < 0.03
    low, high = report["match_rate_by_type"]["non_us_img"]["interval_90"]
    assert low <= report["match_rate_by_type"]["non_us_img"]["mean"] <= high


def test_a_calibration_step_moves_toward_the_targets() -> None:
    start = Calibration({"us_img": 0.5}, {"us_md_senior": 0.5}, 1.0)
    step = calibration_step(start, {"us_img": 0.80, "us_md_senior": 0.90}, 0.90,
                            {"us_img": 0.68, "us_md_senior": 0.935}, 0.943, 0)  # fmt: skip
    assert step.considered["us_img"] < 0.5  # matched too often: considered by fewer programs
    assert step.backup_shares["us_md_senior"] > 0.5  # matched too rarely: more backups
    assert step.rank_length_scale > 1.0  # too many positions empty: longer lists


def test_odds_for_a_profile(tmp_path: Path) -> None:
    result = odds_for_profile(EXAMPLE, on=__import__("datetime").date(2026, 11, 22), runs=2, seed=1,
                              ranks=(1, 3, 10), specialties=("internal medicine", "family"), scale=0.2)  # fmt: skip
    assert result["specialty"] == "Internal Medicine (Categorical)"
    chances = [r["p_match"] for r in result["by_ranks"]]
    assert chances == sorted(chances)
    assert [r["specialty"] for r in result["by_specialty"]] == [
        "Internal Medicine (Categorical)",
        "Family Medicine",
    ]
    assert result["person"]["type"] == "non_us_img"
    assert any("travel ban" in note for note in result["person"]["notes"])
    assert result["caveats"]
    odds_plot(result, tmp_path / "odds.svg", title="test")
    assert (tmp_path / "odds.svg").read_text(encoding="utf-8").startswith("<?xml")
    with pytest.raises(InvalidInputError, match=r"png or \.svg"):
        odds_plot(result, tmp_path / "odds.gif", title="test")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"ranks": (0, 5)}, "from 1 to 300"),
        ({"specialties": ("astrology",)}, "no specialty matches 'astrology'"),
        ({"kind": "alien"}, "type: 'alien'"),  # the CLI words it "--type 'alien'" (test_cli_market)
        ({"runs": 0}, "runs: must be at least 1"),
    ],
)
def test_odds_refuse_bad_requests(kwargs: dict[str, object], words: str) -> None:
    args = {"on": __import__("datetime").date(2026, 11, 22), "runs": 1, "scale": 0.05, **kwargs}
    with pytest.raises(InvalidInputError, match=words):
        odds_for_profile(EXAMPLE, **args)  # type: ignore[arg-type]
