"""Personal odds: the one-solve shortcut against re-solving the Match with the person inside."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from imgpath.core.market.generate import SimMarket, generate_market
from imgpath.core.market.person import Person, person_odds, program_thresholds
from imgpath.core.matching.market import PROGRAM_TYPES, Market
from imgpath.core.matching.solve import solve_market
from imgpath.market import load_model


def with_person(sim: SimMarket, programs: list[int], scores: dict[int, float]) -> Market:
    """The market plus one applicant ranking ``programs``, placed on the lists of the programs in
    ``scores`` by score (the reference the shortcut is checked against)."""
    m = sim.market
    n = m.n_applicants
    offsets = m.program_rol_offsets
    lists = []
    for p in range(m.n_programs):
        rol = m.program_rol[offsets[p] : offsets[p + 1]].tolist()
        if p in scores:
            got = sim.program_rol_score[offsets[p] : offsets[p + 1]]
            at = int(np.sum(got > scores[p]))
            rol.insert(at, n)
        lists.append(rol)
    p_off = np.zeros(m.n_programs + 1, np.int64)
    np.cumsum([len(r) for r in lists], out=p_off[1:])
    return dataclasses.replace(
        m,
        program_rol_offsets=p_off,
        program_rol=np.asarray([a for r in lists for a in r], np.int32),
        applicant_rol_offsets=np.append(
            m.applicant_rol_offsets, m.applicant_rol_offsets[-1] + len(programs)
        ),
        applicant_rol=np.concatenate([m.applicant_rol, np.asarray(programs, np.int32)]),
        applicant_rol_supplemental=np.concatenate(
            [m.applicant_rol_supplemental, np.full(len(programs), -1, np.int32)]
        ),
    )


def test_the_shortcut_agrees_with_re_solving() -> None:
    model = load_model(overrides={"couples": 0})  # couples add their own noise to both sides
    sim = generate_market(model, seed=21, scale=0.08)
    outcome = solve_market(sim.market, seed=1, attempts=1)
    thresholds = program_thresholds(sim, outcome)
    rng = np.random.default_rng(7)
    categorical = np.flatnonzero(sim.market.program_type == PROGRAM_TYPES.index("C"))
    agree = 0
    trials = 60
    for _ in range(trials):
        listed = rng.choice(categorical, size=int(rng.integers(1, 6)), replace=False).tolist()
        scores = {p: float(rng.normal(-0.3, 1.2)) for p in listed if rng.random() < 0.8}
        shortcut = next((p for p in listed if p in scores and scores[p] > thresholds[p]), -1)
        exact = solve_market(with_person(sim, listed, scores), seed=1, attempts=1)
        agree += int(exact.assignment.prim[-1]) == shortcut
    assert agree >= 0.95 * trials, f"{agree} of {trials}"


@pytest.fixture(scope="module")
def solved():  # type: ignore[no-untyped-def]
    model = load_model()
    sim = generate_market(model, seed=4, scale=0.2)
    outcome = solve_market(sim.market, seed=4, attempts=1)
    im = next(
        i for i, s in enumerate(model.specialties) if s.name == "Internal Medicine (Categorical)"
    )
    return sim, program_thresholds(sim, outcome), im


def test_more_programs_never_lower_the_odds(solved) -> None:  # type: ignore[no-untyped-def]
    sim, thresholds, im = solved
    odds = person_odds(
        sim, thresholds, Person("non_us_img"), im, (1, 2, 4, 8, 16), draws=400, seed=1
    )
    assert all(0 <= p <= 1 for p in odds)
    assert odds == sorted(odds)
    assert odds[-1] > odds[0]


def test_a_higher_score_and_no_visa_need_help(solved) -> None:  # type: ignore[no-untyped-def]
    sim, thresholds, im = solved

    def at(person: Person) -> float:
        return person_odds(sim, thresholds, person, im, (5,), draws=800, seed=2)[0]

    assert at(Person("non_us_img", z=1.5)) > at(Person("non_us_img", z=-1.5))
    assert at(Person("non_us_img", needs_visa=False)) > at(
        Person("non_us_img", needs_visa=True, j1_open=False)
    )
    assert at(Person("us_md_senior")) > at(Person("non_us_img"))


def test_no_sponsor_no_chance(solved) -> None:  # type: ignore[no-untyped-def]
    sim, thresholds, im = solved
    closed = Person("non_us_img", needs_visa=True, j1_open=False, h1b_open=False)
    assert person_odds(sim, thresholds, closed, im, (1, 10), draws=50, seed=3) == [0.0, 0.0]
