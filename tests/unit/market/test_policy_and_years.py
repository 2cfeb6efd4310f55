"""Policy scenario keys (travel bans by date, from the pathway rules), the 2026 model, the backtest
and the funnel service."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from imgpath.core.market.generate import generate_market
from imgpath.core.market.model import APPLICANT_TYPES, InvalidModelError
from imgpath.errors import InvalidInputError
from imgpath.market import backtest, load_model, odds_answer_for_profile
from imgpath.services.market_model import calibration

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "profile-nigeria.yaml"


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMGPATH_CACHE_DIR", str(tmp_path / "cache"))


def ban(
    on: str, shares: dict[str, float], extra: dict[str, str] | None = None
) -> dict[str, object]:
    return {
        "policy": {"travel_ban": {"on": on, "nationality_shares": shares, "extra": extra or {}}}
    }


def test_travel_ban_shares_follow_the_rules_in_force_on_the_day() -> None:
    shares = {"NG": 0.1, "SY": 0.05, "IN": 0.3}
    # Nigeria's J visas were closed by the ban in force from 2026-01-01; Syria's every visa.
    before = load_model(ban("2025-12-31", shares)).policy
    on = load_model(ban("2026-01-01", shares)).policy
    assert (before.visa_blocked_share, before.j1_blocked_share) == (0.0, 0.0)
    assert (on.visa_blocked_share, on.j1_blocked_share) == (0.05, 0.1)
    wider = load_model(ban("2026-01-01", shares, {"IN": "j1"})).policy
    assert wider.j1_blocked_share == pytest.approx(0.4)
    full = load_model(ban("2026-01-01", shares, {"IN": "full"})).policy
    assert full.visa_blocked_share == pytest.approx(0.35)


@pytest.mark.parametrize(
    ("scenario", "words"),
    [
        (ban("someday", {"NG": 0.1}), "policy.travel_ban.on"),
        (ban("2026-01-01", {"NG": 1.5}), "policy.travel_ban.nationality_shares['NG']"),
        (ban("2026-01-01", {"NG": 0.7, "IN": 0.6}), "add up to more than 1"),
        (ban("2026-01-01", {"NG": 0.1}, {"IN": "some"}), "policy.travel_ban.extra['IN']"),
        ({"policy": {"visa_blocked_share": 2}}, "policy.visa_blocked_share"),
    ],
)
def test_bad_policy_keys_are_named(scenario: dict[str, object], words: str) -> None:
    with pytest.raises(InvalidModelError) as caught:
        load_model(scenario)
    assert words in str(caught.value)


def test_blocked_applicants_are_ranked_by_no_program_and_j1_blocked_only_by_h1b_sponsors() -> None:
    nonus = APPLICANT_TYPES.index("non_us_img")
    base = generate_market(load_model(), seed=3, scale=0.05)
    same = generate_market(load_model({"policy": {"visa_blocked_share": 0.0}}), seed=3, scale=0.05)
    assert np.array_equal(base.market.program_rol, same.market.program_rol)  # zero changes nothing

    def ranked(sim) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
        owners = np.repeat(
            np.arange(sim.market.n_programs), np.diff(sim.market.program_rol_offsets)
        )
        apps = sim.market.program_rol
        needy = sim.needs_visa[apps] & (sim.applicant_type[apps] == nonus)
        return owners[needy], apps[needy]

    blocked = generate_market(
        load_model({"policy": {"visa_blocked_share": 1.0}}), seed=3, scale=0.05
    )
    assert ranked(blocked)[0].shape[0] == 0
    j1 = generate_market(load_model({"policy": {"j1_blocked_share": 1.0}}), seed=3, scale=0.05)
    owners, _ = ranked(j1)
    assert owners.shape[0] > 0
    assert j1.program_h1b[owners].all()
    assert not base.program_h1b[
        ranked(base)[0]
    ].all()  # without the ban, J-1-only sponsors rank them


def test_the_2026_model_has_its_inputs_and_2025_is_kept() -> None:
    m26, m25 = load_model(year=2026), load_model(year=2025)
    assert (m26.year, m25.year) == (2026, 2025)
    assert m26.types["non_us_img"].count == 11944
    assert m26.types["non_us_img"].target_match_rate == 56.4
    assert m25.types["non_us_img"].target_match_rate == 58.0
    assert m26.couples == 1258
    assert abs(m26.positions - 44344) <= 5  # rounding of the scaled specialties
    im = next(s for s in m26.specialties if s.name == "Internal Medicine (Categorical)")
    assert im.pgy1_positions + im.advanced_positions == pytest.approx(11632, abs=2)
    with pytest.raises(InvalidInputError, match="--year 2019"):
        load_model(year=2019)


def test_backtest_uses_the_fit_years_parameters_and_reports_errors() -> None:
    with pytest.raises(InvalidInputError, match="must come after"):
        backtest(fit=2026, predict=2025, runs=1)
    result = backtest(fit=2025, predict=2026, runs=1)
    rows = {r["type"]: r for r in result["rows"]}
    assert rows["non_us_img"]["published"] == pytest.approx(0.564)
    assert rows["non_us_img"]["error_points"] == pytest.approx(
        100 * (rows["non_us_img"]["predicted"] - 0.564)
    )
    assert rows["prior_graduate"]["error_points"] is None  # no published 2026 figure
    assert result["parameters"] == calibration(2025)["parameters"]
    assert result["parameters"] != calibration(2026)["parameters"]


def test_the_funnel_answer_for_a_profile() -> None:
    day = date(2026, 11, 30)
    answer = odds_answer_for_profile(EXAMPLE, on=day, applications=(10, 60, 400), runs=1)
    assert answer.person["type"] == "non_us_img"
    assert answer.person["needs_visa"]
    assert answer.national.published == pytest.approx(0.564)
    assert answer.national.year == 2026
    chances = [r.p_match for r in answer.rows]
    assert chances == sorted(chances)
    # J-1 closed for a Nigerian on that day: only H-1B sponsors count, so 400 applications are capped.
    assert not answer.person["j1_open"]
    assert answer.rows[-1].usable_applications < 400
    assert answer.rows[0].eras_fee_usd == 110.0  # 10 programs at $11 (ERAS 2026 fees)
    assert all(f.grade in "HMLU" and f.source for f in answer.figures)
    assert any("Years since graduation" in line for line in answer.not_modelled)
    data = answer.to_dict()
    assert set(data) >= {
        "rows",
        "by_interviews",
        "national",
        "assumptions",
        "not_modelled",
        "figures",
    }


def test_the_funnel_calibration_table_has_each_link_beside_its_public_figure() -> None:
    from imgpath.services.odds_funnel import funnel_calibration

    rows = funnel_calibration(runs=1, draws=40)
    links = [r["link"] for r in rows]
    assert links[0] == "applications -> interviews (non-US IMG)"
    assert rows[0]["gap"] == pytest.approx(0.0)  # the yield is this ratio, by construction
    assert any("Family Medicine" in link for link in links)  # a per-specialty check
    assert any(r["link"] == "the Match, national (Non-US IMGs)" for r in rows)
    for row in rows:
        assert row["gap"] == pytest.approx(row["model_value"] - row["public_value"])
        assert row["source"]
        assert row["grade"] in "HMLU"
        assert row["unit"] in ("count", "share")
