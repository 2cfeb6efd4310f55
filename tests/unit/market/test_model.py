"""The market model as data: sources, derivations from NRMP's tables, and scenario errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgpath.core.market.model import APPLICANT_TYPES, InvalidModelError, deep_merge, split_sources
from imgpath.market import load_model
from imgpath.services.market_model import base_params, specialty_table


def test_every_figure_of_the_base_file_has_a_source() -> None:
    params, sources = base_params()
    for kind in APPLICANT_TYPES:
        for name in params["applicant_types"][kind]:
            assert f"applicant_types.{kind}.{name}" in sources, (kind, name)
    for name in params["programs"]:
        assert f"programs.{name}" in sources, name
    for name in (
        "couples",
        "max_pairs",
        "reversions",
        "target_fill_rate",
        "step2ck_gap",
        "regions",
    ):
        assert name in sources, name
    assert all(s.strip() for s in sources.values())


def test_specialties_follow_nrmp_2025() -> None:
    table, how = specialty_table()
    im = table["Internal Medicine (Categorical)"]
    # 3,782 + 1,882 + 1,145 + 3,573 matches + 357 unfilled + a share of 1,180 others' matches
    assert 10_739 < im["pgy1_positions"] < 10_739 + 1_180
    assert im["programs"] == 758
    assert table["Radiology-Diagnostic"]["advanced_positions"] > 1_000
    assert table["Surgery-Preliminary (PGY-1 Only)"]["prelim"]
    assert im["target_img_share"] == pytest.approx((1145 + 3573) / (3782 + 1882 + 1145 + 3573))
    total_pgy1 = sum(s["pgy1_positions"] for s in table.values())
    assert abs(total_pgy1 - 40_041) < 50  # NRMP 2025: 40,041 PGY-1 positions
    assert all(key.startswith("specialties.*.") for key in how)


def test_the_calibrated_model_reads_its_targets() -> None:
    model = load_model(year=2025)
    assert model.types["us_md_senior"].target_match_rate == 93.5
    assert model.types["non_us_img"].target_match_rate == 58.0
    assert model.applicants == 47_208
    assert 42_000 < model.positions < 43_500
    current = load_model()  # 2026, the default
    assert current.year == 2026
    assert current.types["non_us_img"].target_match_rate == 56.4
    assert current.applicants == 48_050
    assert current.params["rank_length_scale"] == load_model(year=2025).params["rank_length_scale"]


def test_scenarios_override_any_figure(tmp_path: Path) -> None:
    path = tmp_path / "h1b.yaml"
    path.write_text(
        "programs:\n  h1b_share: {value: 0.11, source: 'what if sponsorship halves'}\n"
        "specialties:\n  Internal Medicine (Categorical): {pgy1_positions: 12991}\n",
        encoding="utf-8",
    )
    model = load_model(path)
    assert model.programs.h1b_share == 0.11
    im = next(s for s in model.specialties if s.name == "Internal Medicine (Categorical)")
    assert im.pgy1_positions == 12991
    assert model.sources["programs.h1b_share"] == "scenario: what if sponsorship halves"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("programs: {h1b_shar: 0.1}\n", "programs.h1b_shar: extra inputs are not permitted"),
        (
            "programs: {h1b_share: 1.5}\n",
            "programs.h1b_share: input should be less than or equal to 1",
        ),
        ("applicant_types: {non_us_img: {count: many}}\n", "applicant_types['non_us_img'].count"),
        ("applicant_types: {martian: {count: 3}}\n", "applicant_types['martian']"),
        (
            "specialties: {Internal Medicne: {pgy1_positions: 10}}\n",
            "specialties['Internal Medicne']: unknown specialty",
        ),
        ("couples: -5\n", "couples: input should be greater than or equal to 0"),
        ("- a list\n", "a scenario is a mapping"),
    ],
)
def test_a_bad_scenario_names_the_key(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidModelError) as caught:
        load_model(path)
    assert words in str(caught.value)
    assert str(path) in str(caught.value)


def test_sources_split_and_merge() -> None:
    values, sources = split_sources({"a": {"value": 3, "source": "s"}, "b": {"c": 1}})
    assert values == {"a": 3, "b": {"c": 1}}
    assert sources == {"a": "s"}
    assert deep_merge({"x": {"y": 1, "z": 2}}, {"x": {"y": 5}}) == {"x": {"y": 5, "z": 2}}
