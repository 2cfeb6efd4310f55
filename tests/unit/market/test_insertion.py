"""Inserting one person into a stored Match by a rejection chain, against re-solving the Match.

For singles, deferred acceptance gives the same matching whatever the order of proposals
(McVitie and Wilson), so inserting the person into the solved market and letting the rejections
run must give exactly the matching of a full re-run with the person inside: every applicant's
program, not only the person's.  Hypothesis draws the markets; the engine's own solver is the
reference (it is itself checked against brute force and peer libraries).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imgpath.core.market.draws import insert_person
from imgpath.core.market.generate import SimMarket, generate_market
from imgpath.core.market.insertion import LOG, StoredMatch, person_chances, stored_match
from imgpath.core.market.person import Person
from imgpath.core.matching.market import Market
from imgpath.core.matching.solve import solve_market
from imgpath.market import load_model


@dataclasses.dataclass
class Drawn:
    sim: SimMarket
    person_list: list[int]
    person_scores: dict[int, float]


@st.composite
def singles_markets(draw: st.DrawFn) -> Drawn:
    """A random singles market (strict scores, every list acceptable both ways) and a person."""
    n_prog = draw(st.integers(1, 5))
    n_app = draw(st.integers(0, 12))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    quota = rng.integers(1, 4, size=n_prog).astype(np.int32)
    a_lists = [
        rng.permutation(n_prog)[: rng.integers(0, n_prog + 1)].tolist() for _ in range(n_app)
    ]
    # Distinct scores (a program's strict order); a program ranks most who rank it.
    scores = rng.permutation(n_app * n_prog + n_prog + 1).astype(np.float32)
    p_lists: list[list[tuple[float, int]]] = [[] for _ in range(n_prog)]
    for a, rol in enumerate(a_lists):
        for p in rol:
            if rng.random() < 0.85:
                p_lists[p].append((float(scores[a * n_prog + p]), a))
    for rows in p_lists:
        rows.sort(reverse=True)
    p_off = np.zeros(n_prog + 1, np.int64)
    np.cumsum([len(r) for r in p_lists], out=p_off[1:])
    a_off = np.zeros(n_app + 1, np.int64)
    np.cumsum([len(r) for r in a_lists], out=a_off[1:])
    market = Market(
        quota=quota,
        program_rol_offsets=p_off,
        program_rol=np.asarray([a for r in p_lists for _, a in r], np.int32),
        applicant_rol_offsets=a_off,
        applicant_rol=np.asarray([p for r in a_lists for p in r], np.int32),
        applicant_rol_supplemental=np.full(int(a_off[-1]), -1, np.int32),
    )
    sim = SimMarket(
        market=market, applicant_type=np.zeros(n_app, np.int8),
        strength=np.zeros(n_app, np.float32), needs_visa=np.zeros(n_app, np.bool_),
        applicant_specialty=np.zeros(n_app, np.int32), program_specialty=np.zeros(n_prog, np.int32),
        program_appeal=np.zeros(n_prog, np.float32), program_region=np.zeros(n_prog, np.int8),
        program_j1=np.ones(n_prog, np.bool_), program_h1b=np.ones(n_prog, np.bool_),
        program_rol_score=np.asarray([s for r in p_lists for s, _ in r], np.float32),
        specialty_standing=np.array([[0.0, 1.0]]), model=None, seed=seed,  # type: ignore[arg-type]
    )  # fmt: skip
    person_list = rng.permutation(n_prog)[: rng.integers(0, n_prog + 1)].tolist()
    # Scores that fall between the others' (x.5), so the person ties with no one.
    person_scores = {
        p: float(rng.integers(-1, n_app * n_prog + n_prog + 1)) + 0.5
        for p in person_list
        if rng.random() < 0.85
    }
    return Drawn(sim, person_list, person_scores)


def with_person(sim: SimMarket, programs: list[int], scores: dict[int, float]) -> Market:
    """The market plus one applicant ranking ``programs``, placed on the lists of the programs in
    ``scores`` by score: the full re-run the insertion must equal."""
    m = sim.market
    n = m.n_applicants
    offsets = m.program_rol_offsets
    lists = []
    for p in range(m.n_programs):
        rol = m.program_rol[offsets[p] : offsets[p + 1]].tolist()
        if p in scores:
            got = sim.program_rol_score[offsets[p] : offsets[p + 1]]
            rol.insert(int(np.sum(got > scores[p])), n)
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


def insert(
    stored: StoredMatch, programs: list[int], scores: dict[int, float], *, undo: bool
) -> tuple[int, StoredMatch]:
    logs = (
        np.zeros(LOG, np.int64),
        np.zeros(LOG, np.int32),
        np.zeros(LOG, np.float32),
        np.zeros(LOG, np.int32),
    )
    h_app, h_score, h_idx = stored.h_app.copy(), stored.h_score.copy(), stored.h_idx.copy()
    p_score = np.asarray([scores.get(p, -np.inf) for p in programs], np.float32)
    at = insert_person(
        stored.a_off, stored.a_prog, stored.a_score, stored.h_off, h_app, h_score, h_idx, stored.movable,
        np.asarray(programs, np.int32), p_score, *logs, undo,
    )  # fmt: skip
    return at, dataclasses.replace(stored, h_app=h_app, h_score=h_score, h_idx=h_idx)


def holders(stored: StoredMatch, n_app: int) -> list[int]:
    """Each applicant's program (-1: unmatched), the person last."""
    out = [-1] * (n_app + 1)
    for p in range(stored.h_off.shape[0] - 1):
        for slot in range(int(stored.h_off[p]), int(stored.h_off[p + 1])):
            if stored.h_app[slot] >= 0:
                out[int(stored.h_app[slot])] = p
    return out


@settings(max_examples=300, deadline=None)
@given(singles_markets())
def test_insertion_equals_a_full_re_run_for_singles(drawn: Drawn) -> None:
    sim = drawn.sim
    before = solve_market(sim.market, attempts=1)
    stored = stored_match(sim, before)
    at, after = insert(stored, drawn.person_list, drawn.person_scores, undo=False)
    exact = solve_market(with_person(sim, drawn.person_list, drawn.person_scores), attempts=1)
    expected = exact.assignment.prim.tolist()
    assert holders(after, sim.market.n_applicants) == expected
    assert (drawn.person_list[at] if at >= 0 else -1) == expected[-1]


@settings(max_examples=100, deadline=None)
@given(singles_markets())
def test_insertion_leaves_the_stored_match_as_it_was(drawn: Drawn) -> None:
    stored = stored_match(drawn.sim, solve_market(drawn.sim.market, attempts=1))
    _, after = insert(stored, drawn.person_list, drawn.person_scores, undo=True)
    assert np.array_equal(after.h_app, stored.h_app)
    assert np.array_equal(after.h_score, stored.h_score)
    assert np.array_equal(after.h_idx, stored.h_idx)


@pytest.fixture(scope="module")
def national():  # type: ignore[no-untyped-def]
    model = load_model()
    sim = generate_market(model, seed=4, scale=0.2)
    outcome = solve_market(sim.market, seed=4, attempts=1)
    im = next(
        i for i, s in enumerate(model.specialties) if s.name == "Internal Medicine (Categorical)"
    )
    return model, stored_match(sim, outcome), im


@settings(max_examples=25, deadline=None)
@given(
    k=st.integers(1, 25),
    others=st.lists(st.integers(1, 40), max_size=6),
    seed=st.integers(0, 2**31),
    kind=st.sampled_from(["non_us_img", "us_img", "us_md_senior"]),
)
def test_the_chance_for_k_does_not_depend_on_the_other_ks_asked(
    national, k, others, seed, kind
) -> None:  # type: ignore[no-untyped-def]
    model, stored, im = national
    person = Person(kind, z=0.3, needs_visa=kind == "non_us_img")
    alone = person_chances(stored, model, person, im, [k], draws=60, seed=seed)[0]
    asked = sorted({*others, k})
    together = person_chances(stored, model, person, im, asked, draws=60, seed=seed)
    assert together[asked.index(k)] == alone
    reordered = list(reversed(asked))
    assert (
        person_chances(stored, model, person, im, reordered, draws=60, seed=seed)[
            reordered.index(k)
        ]
        == alone
    )


def test_more_programs_help_and_the_type_matters(national) -> None:  # type: ignore[no-untyped-def]
    model, stored, im = national
    curve = person_chances(stored, model, Person("non_us_img"), im, [1, 4, 16], draws=600, seed=1)
    assert all(0 <= p <= 1 for p in curve)
    assert curve[0] < curve[1] < curve[2]

    def at(person: Person) -> float:
        return person_chances(stored, model, person, im, [5], draws=800, seed=2)[0]

    assert at(Person("non_us_img", z=1.5)) > at(Person("non_us_img", z=-1.5))
    assert at(Person("non_us_img", needs_visa=False)) > at(
        Person("non_us_img", needs_visa=True, j1_open=False)
    )
    assert at(Person("us_md_senior")) > at(Person("non_us_img"))


def test_no_sponsor_no_chance(national) -> None:  # type: ignore[no-untyped-def]
    model, stored, im = national
    closed = Person("non_us_img", needs_visa=True, j1_open=False, h1b_open=False)
    assert person_chances(stored, model, closed, im, [1, 10], draws=50, seed=3) == [0.0, 0.0]


def test_the_share_of_programs_that_rank_the_person_moves_the_chance(national) -> None:  # type: ignore[no-untyped-def]
    model, stored, im = national
    person = Person("non_us_img", z=0.0)

    def at(share: float | None) -> float:
        return person_chances(stored, model, person, im, [5], draws=600, seed=5, considered=share)[
            0
        ]

    assert at(0.15) < at(None) < at(1.0)
    assert at(model.types["non_us_img"].considered_share) == at(None)
