"""Generated markets: valid for the engine, reproducible, shaped like the model says."""

from __future__ import annotations

import numpy as np
import pytest

from imgpath.core.market.generate import generate_market
from imgpath.core.market.model import APPLICANT_TYPES
from imgpath.core.matching.instance import Instance
from imgpath.market import load_model, national_instance


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return load_model()


def test_same_seed_same_market(model) -> None:  # type: ignore[no-untyped-def]
    a = generate_market(model, seed=5, scale=0.05)
    b = generate_market(model, seed=5, scale=0.05)
    c = generate_market(model, seed=6, scale=0.05)
    assert np.array_equal(a.market.applicant_rol, b.market.applicant_rol)
    assert np.array_equal(a.market.program_rol, b.market.program_rol)
    assert np.array_equal(a.program_rol_score, b.program_rol_score)
    assert not np.array_equal(a.market.applicant_rol, c.market.applicant_rol)


def test_a_generated_market_passes_the_instance_validation(model) -> None:  # type: ignore[no-untyped-def]
    instance, sim = national_instance(seed=3, scale=0.05, model=model)
    again = Instance.from_dict(instance.to_dict())  # every rule of the interchange format
    assert again.market.n_applicants == sim.market.n_applicants
    assert again.market.n_couples == sim.market.n_couples


def test_counts_follow_the_model(model) -> None:  # type: ignore[no-untyped-def]
    sim = generate_market(model, seed=1, scale=0.1)
    counts = np.bincount(sim.applicant_type, minlength=len(APPLICANT_TYPES))
    for i, kind in enumerate(APPLICANT_TYPES):
        assert counts[i] == round(model.types[kind].count * 0.1)
    assert abs(int(sim.market.quota.sum()) - model.positions * 0.1) < 0.02 * model.positions * 0.1
    assert sim.market.n_couples == round(model.couples * 0.1)
    # applicants who need a visa interview only at programs that sponsor one
    offsets = sim.market.applicant_rol_offsets
    sponsors = sim.program_j1 | sim.program_h1b
    for a in np.flatnonzero(sim.needs_visa)[:200]:
        listed = sim.market.applicant_rol[offsets[a] : offsets[a + 1]]
        assert sponsors[listed].all()
    # programs rank by their scores, best first
    p_off = sim.market.program_rol_offsets
    for p in range(0, sim.market.n_programs, 97):
        scores = sim.program_rol_score[p_off[p] : p_off[p + 1]]
        assert np.all(scores[:-1] >= scores[1:])


def test_no_program_ranks_an_applicant_twice(model) -> None:  # type: ignore[no-untyped-def]
    sim = generate_market(model, seed=2, scale=0.1)
    m = sim.market
    owners = np.repeat(np.arange(m.n_programs), np.diff(m.program_rol_offsets))
    keys = owners.astype(np.int64) * m.n_applicants + m.program_rol
    assert np.unique(keys).shape[0] == keys.shape[0]


def test_couples_rank_tens_of_pairs_in_one_or_two_regions(model) -> None:  # type: ignore[no-untyped-def]
    """Couples rank pairs of programs in one area (issue 18): every two-program pair lies in
    one region, a list spans at most two regions, lists hold tens of pairs (never NRMP's 300),
    and the programs of a partner's pairs consider that partner (as often as for anyone)."""
    from imgpath.core.market.generate import COUPLE_PAIRS_MEAN, COUPLE_PAIRS_MIN

    sim = generate_market(model, seed=2, scale=0.2)
    m = sim.market
    region = sim.program_region
    lengths = []
    considered = listed = 0
    p_off = m.program_rol_offsets
    for c in range(m.n_couples):
        rows = m.couple_rol[m.couple_rol_offsets[c] : m.couple_rol_offsets[c + 1]]
        lengths.append(rows.shape[0])
        two = rows[(rows[:, 0] >= 0) & (rows[:, 1] >= 0)]
        assert (region[two[:, 0]] == region[two[:, 1]]).all()
        assert len(set(region[rows[rows >= 0]].tolist())) <= 2
        for side in range(2):
            member = int(m.couple_members[c, side])
            for p in set(rows[:, side][rows[:, side] >= 0].tolist()):
                listed += 1
                considered += int(member in m.program_rol[p_off[p] : p_off[p + 1]])
    assert max(lengths) < 300
    assert COUPLE_PAIRS_MIN / 2 <= np.median(lengths) <= 2 * COUPLE_PAIRS_MEAN
    assert considered / listed > 0.7
