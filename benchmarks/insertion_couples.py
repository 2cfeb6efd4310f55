"""How far the rejection-chain insertion is from a full re-run on markets *with* couples.

For singles the two are equal (tests/unit/market/test_insertion.py proves it on random markets).
With couples, a couple member rejected by the chain is left unmatched instead of the couple
re-proposing, and a full re-run may also settle couples differently.  This measures, on national
markets at reduced scale with couples, supplemental lists and reversions, how often the person's
own outcome (matched or not) differs:

    python benchmarks/insertion_couples.py [--persons 60] [--scale 0.1] [--seeds 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from imgpath.core.market.draws import insert_person
from imgpath.core.market.generate import generate_market
from imgpath.core.market.insertion import LOG, stored_match
from imgpath.core.matching.market import PROGRAM_TYPES
from imgpath.core.matching.solve import solve_market
from imgpath.services.market_model import load_model


def with_person(sim, programs: list[int], scores: dict[int, float]):  # type: ignore[no-untyped-def]
    m = sim.market
    n = m.n_applicants
    offsets = m.program_rol_offsets
    lists, new_scores = [], []
    for p in range(m.n_programs):
        rol = m.program_rol[offsets[p] : offsets[p + 1]].tolist()
        got = sim.program_rol_score[offsets[p] : offsets[p + 1]].tolist()
        if p in scores:
            at = int(np.sum(np.asarray(got) > scores[p]))
            rol.insert(at, n)
            got.insert(at, scores[p])
        lists.append(rol)
        new_scores.append(got)
    p_off = np.zeros(m.n_programs + 1, np.int64)
    np.cumsum([len(r) for r in lists], out=p_off[1:])
    return dataclasses.replace(
        m,
        program_rol_offsets=p_off,
        program_rol=np.asarray([a for r in lists for a in r], np.int32),
        applicant_rol_offsets=np.append(m.applicant_rol_offsets, m.applicant_rol_offsets[-1] + len(programs)),
        applicant_rol=np.concatenate([m.applicant_rol, np.asarray(programs, np.int32)]),
        applicant_rol_supplemental=np.concatenate([m.applicant_rol_supplemental, np.full(len(programs), -1, np.int32)]),
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=60)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    model = load_model()
    same = total = matched_chain = matched_full = 0
    for seed in range(1, args.seeds + 1):
        sim = generate_market(model, seed=seed, scale=args.scale)
        outcome = solve_market(sim.market, seed=seed, attempts=1)
        stored = stored_match(sim, outcome)
        rng = np.random.default_rng(seed)
        categorical = np.flatnonzero(sim.market.program_type == PROGRAM_TYPES.index("C"))
        logs = (
            np.zeros(LOG, np.int64),
            np.zeros(LOG, np.int32),
            np.zeros(LOG, np.float32),
            np.zeros(LOG, np.int32),
        )
        for _ in range(args.persons):
            listed = rng.choice(categorical, size=int(rng.integers(1, 8)), replace=False).tolist()
            scores = {p: float(rng.normal(0.0, 1.2)) for p in listed if rng.random() < 0.7}
            p_score = np.asarray([scores.get(p, -np.inf) for p in listed], np.float32)
            at = insert_person(stored.a_off, stored.a_prog, stored.a_score, stored.h_off, stored.h_app.copy(),
                               stored.h_score.copy(), stored.h_idx.copy(), stored.movable,
                               np.asarray(listed, np.int32), p_score, *logs, True)  # fmt: skip
            chain = listed[at] if at >= 0 else -1
            full = int(
                solve_market(
                    with_person(sim, listed, scores), seed=seed, attempts=1
                ).assignment.prim[-1]
            )
            same += chain == full
            matched_chain += chain >= 0
            matched_full += full >= 0
            total += 1
    print(
        f"markets with couples: {args.seeds} seeds at scale {args.scale}, {total} persons inserted"
    )
    print(f"same program as a full re-run: {same} of {total} ({same / total:.1%})")
    print(f"matched: chain {matched_chain / total:.1%}, full re-run {matched_full / total:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
