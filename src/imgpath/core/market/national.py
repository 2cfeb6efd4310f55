"""A synthetic national Match with the 2025 Main Match's shape, built straight into arrays.

The point is *shape*, not prediction: about 47,000 applicants of the main types, 6,600 programs,
43,000 positions (PGY-2 advanced tracks with supplemental lists of preliminary programs), 1,150
couples, and realistic rank-list lengths on both sides.  Programs and applicants are invented;
their counts by specialty and type follow NRMP's published 2025 tables (see
``imgpath/data/PROVENANCE.md``).  ``imgpath.market`` (the simulation) calibrates a real model.

How preferences are drawn, in one paragraph: every program has an appeal and a region, every
applicant a strength (by type) and a region.  An applicant interviews mostly at programs of similar
standing in their chosen specialty (and some in a backup specialty), ranks them by appeal plus
taste, and programs rank the applicants who ranked them by strength plus taste; programs that do
not sponsor visas mostly leave out non-US IMGs.  Couples rank pairs in one region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from imgpath.core.matching.instance import Instance
from imgpath.core.matching.market import PROGRAM_TYPES, Market

__all__ = [
    "APPLICANT_TYPES",
    "NationalExample",
    "NationalShape",
    "SpecialtyShape",
    "generate_national",
]

APPLICANT_TYPES = ("us_md_senior", "us_do_senior", "us_img", "non_us_img", "other")
_ID_PREFIX = {
    "us_md_senior": "MD",
    "us_do_senior": "DO",
    "us_img": "USIMG",
    "non_us_img": "IMG",
    "other": "PG",
}
_STRENGTH = {
    "us_md_senior": 0.6,
    "us_do_senior": 0.3,
    "us_img": -0.4,
    "non_us_img": -0.6,
    "other": -0.8,
}
_REGIONS = 9  # US Census divisions
_COUPLE_OWN = 20  # each partner's programs combined into pairs (in the same region only)
_TYPE = {name: i for i, name in enumerate(PROGRAM_TYPES)}

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class SpecialtyShape:
    """One specialty's size and applicant mix."""

    name: str
    abbrev: str
    programs: int
    positions: int
    advanced_share: float = 0.0
    prelim: bool = False
    demand: dict[str, float] = field(default_factory=dict)
    """Relative number of applicants of each type who rank this specialty."""


@dataclass(frozen=True)
class NationalShape:
    """Everything the generator needs, read from the bundled data by the service layer."""

    specialties: tuple[SpecialtyShape, ...]
    applicants: dict[str, int]
    rank_list_mean: dict[str, float]
    couples: int
    max_pairs: int = 300
    reversions: int = 60
    visa_sponsor_share: float = 0.64
    """Share of programs that rank non-US IMGs needing a visa; JGME 2022;14(6):680-686 found 63.7%
    of internal medicine programs accepting J-1 visas."""
    backup_share: float = 0.2
    scale: float = 1.0


@dataclass(frozen=True, eq=False)
class NationalExample:
    """The generated market and what the generator knows about each party."""

    instance: Instance
    applicant_type: np.ndarray
    """Index into :data:`APPLICANT_TYPES` per applicant."""
    program_specialty: np.ndarray
    """Index into ``shape.specialties`` per program."""
    shape: NationalShape
    seed: int


def _split(total: int, parts: int, rng: np.random.Generator) -> np.ndarray:
    """``parts`` positive integers summing to ``total``, skewed like real program sizes."""
    if parts <= 0:
        return np.zeros(0, dtype=np.int64)
    total = max(total, parts)
    weights = rng.gamma(1.5, size=parts)
    extra = rng.multinomial(total - parts, weights / weights.sum())
    return 1 + extra


def _top_k(keys: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest keys in each row, largest first."""
    k = min(k, keys.shape[1])
    part = np.argpartition(-keys, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(keys, part, axis=1), axis=1)
    return np.take_along_axis(part, order, axis=1)


def generate_national(
    shape: NationalShape, *, seed: int = 0, progress: Progress | None = None
) -> NationalExample:
    """Generate the example market; the same shape and seed always give the same market."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    tell = progress or (lambda _stage, _done: None)
    specs = shape.specialties

    # ---------------------------------------------------------------- programs
    tell("programs", 0.0)
    p_spec: list[int] = []
    p_type: list[int] = []
    p_quota: list[int] = []
    codes: list[str] = []
    for s, spec in enumerate(specs):
        n = max(1, round(spec.programs * shape.scale))
        positions = max(n, round(spec.positions * shape.scale))
        n_adv = round(n * spec.advanced_share)
        pos_adv = round(positions * spec.advanced_share)
        tracks = [
            (n - n_adv, positions - pos_adv, "P" if spec.prelim else "C"),
            (n_adv, pos_adv, "A"),
        ]
        for count, pos, kind in tracks:
            if count <= 0:
                continue
            quotas = _split(pos, count, rng)
            for q in quotas.tolist():
                codes.append(f"{spec.abbrev}{len(codes):04d}{kind}")
                p_spec.append(s)
                p_type.append(_TYPE[kind])
                p_quota.append(q)
    n_prog = len(codes)
    spec_of = np.asarray(p_spec, dtype=np.int32)
    ptype = np.asarray(p_type, dtype=np.int8)
    quota = np.asarray(p_quota, dtype=np.int32)
    appeal = rng.normal(size=n_prog)
    region = np.asarray(rng.integers(0, _REGIONS, size=n_prog))
    sponsors = rng.random(n_prog) < shape.visa_sponsor_share
    prelim_programs = np.flatnonzero(ptype == _TYPE["P"])

    # ---------------------------------------------------------------- applicants
    types: list[int] = []
    for t, name in enumerate(APPLICANT_TYPES):
        types += [t] * max(0, round(shape.applicants.get(name, 0) * shape.scale))
    a_type = np.asarray(types, dtype=np.int32)
    n_app = a_type.shape[0]
    ids = [f"{_ID_PREFIX[APPLICANT_TYPES[t]]}{i:06d}" for i, t in enumerate(types)]
    strength = rng.normal(size=n_app) + np.asarray([_STRENGTH[APPLICANT_TYPES[t]] for t in types])
    a_region = np.asarray(rng.integers(0, _REGIONS, size=n_app))
    demand = np.asarray(
        [[spec.demand.get(name, 0.0) for spec in specs] for name in APPLICANT_TYPES]
    )
    demand = demand / np.maximum(demand.sum(axis=1, keepdims=True), 1e-12)
    choice = np.empty(n_app, dtype=np.int32)
    for t in range(len(APPLICANT_TYPES)):
        who = np.flatnonzero(a_type == t)
        choice[who] = rng.choice(len(specs), size=who.shape[0], p=demand[t])
    means = np.asarray([shape.rank_list_mean.get(name, 6.0) for name in APPLICANT_TYPES])
    length = 1 + rng.poisson(np.maximum(means[a_type] - 1, 0))
    # Couples interview more widely: they need two places in one region.
    n_cpl = min(shape.couples, n_app // 2)
    members = rng.permutation(n_app)[: 2 * n_cpl].reshape(-1, 2)
    length[members.ravel()] = np.maximum(length[members.ravel()] * 3, _COUPLE_OWN)

    # Interviews: Gumbel top-k over programs of the chosen specialty, favouring programs of
    # similar standing; then ranked by appeal, region and personal taste.
    rols: list[list[int]] = [[] for _ in range(n_app)]
    for s in range(len(specs)):
        tell("applicants", s / len(specs))
        progs = np.flatnonzero(spec_of == s)
        if progs.shape[0] == 0:
            continue
        who = np.flatnonzero(choice == s)
        for start in range(0, who.shape[0], 2048):
            chunk = who[start : start + 2048]
            k = int(min(length[chunk].max(), progs.shape[0]))
            fit = -0.5 * (appeal[progs][None, :] - strength[chunk][:, None]) ** 2
            keys = fit + rng.gumbel(size=(chunk.shape[0], progs.shape[0]))
            picked = progs[_top_k(keys, k)]
            taste = (
                appeal[picked]
                + 0.7 * (region[picked] == a_region[chunk][:, None])
                + rng.normal(size=picked.shape)
            )
            order = np.argsort(-taste, axis=1)
            picked = np.take_along_axis(picked, order, axis=1)
            for row, a in enumerate(chunk.tolist()):
                rols[a] = picked[row, : length[a]].tolist()
    # A backup specialty (family medicine, internal medicine or a preliminary year) for some.
    backup_specs = [s for s, spec in enumerate(specs) if spec.abbrev in {"FM", "IM", "PRM", "TY"}]
    backup = np.flatnonzero(rng.random(n_app) < shape.backup_share)
    for a in backup.tolist():
        s = backup_specs[rng.integers(len(backup_specs))]
        progs = np.flatnonzero(spec_of == s)
        extra = rng.choice(progs, size=min(3, progs.shape[0]), replace=False).tolist()
        rols[a] += [p for p in extra if p not in rols[a]]
    tell("applicants", 1.0)

    # ---------------------------------------------------------------- couples
    tell("couples", 0.0)
    couple_pairs: list[list[tuple[int, int]]] = []
    for m1, m2 in members.tolist():
        own1, own2 = rols[m1][:_COUPLE_OWN], rols[m2][:_COUPLE_OWN]
        scored: list[tuple[float, int, int]] = []
        for i, x in enumerate(own1):
            for j, y in enumerate(own2):
                if region[x] == region[y]:
                    scored.append((i + j, x, y))
        scored.sort()
        pairs = [(x, y) for _, x, y in scored[: shape.max_pairs - 2]]
        if own1:
            pairs.append((own1[0], -1))
        if own2:
            pairs.append((-1, own2[0]))
        couple_pairs.append(pairs)
        rols[m1] = []
        rols[m2] = []
    tell("couples", 1.0)

    # ---------------------------------------------------------------- supplemental lists
    a_supp_rows: list[list[int]] = []
    s_lists: list[list[int]] = []
    s_owner: list[int] = []
    for a in range(n_app):
        supp_row = [-1] * len(rols[a])
        needs = any(ptype[p] == _TYPE["A"] for p in rols[a])
        if needs and prelim_programs.shape[0]:
            k = int(min(prelim_programs.shape[0], 2 + rng.poisson(3)))
            near = prelim_programs[
                np.argsort(
                    -(
                        appeal[prelim_programs] * 0.5
                        + (region[prelim_programs] == a_region[a])
                        + rng.normal(size=prelim_programs.shape[0])
                    )
                )[:k]
            ]
            list_id = len(s_lists)
            s_lists.append(near.tolist())
            s_owner.append(a)
            supp_row = [list_id if ptype[p] == _TYPE["A"] else -1 for p in rols[a]]
        a_supp_rows.append(supp_row)

    # ---------------------------------------------------------------- programs rank applicants
    tell("program lists", 0.0)
    rankers: list[list[int]] = [[] for _ in range(n_prog)]
    for a in range(n_app):
        for p in rols[a]:
            rankers[p].append(a)
    for s_id, listed in enumerate(s_lists):
        for p in listed:
            rankers[p].append(s_owner[s_id])
    for c, pairs in enumerate(couple_pairs):
        m1, m2 = members[c].tolist()
        for x, y in pairs:
            if x >= 0:
                rankers[x].append(m1)
            if y >= 0:
                rankers[y].append(m2)
    type_bonus = np.asarray([0.6, 0.4, 0.0, -0.2, -0.4])[a_type]
    p_off = np.zeros(n_prog + 1, dtype=np.int64)
    p_rol: list[np.ndarray] = []
    non_us = APPLICANT_TYPES.index("non_us_img")
    for p in range(n_prog):
        cand = np.unique(np.asarray(rankers[p], dtype=np.int64))
        keep = rng.random(cand.shape[0]) < 0.9
        if not sponsors[p]:
            keep &= (a_type[cand] != non_us) | (rng.random(cand.shape[0]) < 0.2)
        cand = cand[keep]
        score = strength[cand] + type_bonus[cand] + rng.normal(scale=0.7, size=cand.shape[0])
        p_rol.append(cand[np.argsort(-score)].astype(np.int32))
        p_off[p + 1] = p_off[p] + cand.shape[0]
        if p % 500 == 0:
            tell("program lists", p / n_prog)
    tell("program lists", 1.0)

    # ---------------------------------------------------------------- reversions
    rev: list[tuple[int, int, int]] = []
    donors_used: set[int] = set()
    for _ in range(shape.reversions * 4):
        if len(rev) >= shape.reversions:
            break
        d = int(rng.integers(n_prog))
        same = np.flatnonzero(
            (spec_of == spec_of[d]) & (region == region[d]) & (np.arange(n_prog) > d)
        )
        if d in donors_used or same.shape[0] == 0:
            continue
        donors_used.add(d)
        rev.append((d, int(rng.choice(same)), 1))

    # ---------------------------------------------------------------- assemble
    a_off = np.zeros(n_app + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rols], out=a_off[1:])
    c_off = np.zeros(n_cpl + 1, dtype=np.int64)
    np.cumsum([len(pairs) for pairs in couple_pairs], out=c_off[1:])
    s_off = np.zeros(len(s_lists) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in s_lists], out=s_off[1:])
    market = Market(
        quota=quota,
        program_rol_offsets=p_off,
        program_rol=np.concatenate(p_rol) if p_rol else np.zeros(0, dtype=np.int32),
        applicant_rol_offsets=a_off,
        applicant_rol=np.asarray([p for r in rols for p in r], dtype=np.int32),
        applicant_rol_supplemental=np.asarray(
            [s for row in a_supp_rows for s in row], dtype=np.int32
        ),
        supplemental_offsets=s_off,
        supplemental_programs=np.asarray([p for x in s_lists for p in x], dtype=np.int32),
        supplemental_owner=np.asarray(s_owner, dtype=np.int32),
        couple_members=members.astype(np.int32).reshape(-1, 2),
        couple_rol_offsets=c_off,
        couple_rol=np.asarray(
            [pair for pairs in couple_pairs for pair in pairs], dtype=np.int32
        ).reshape(-1, 2),
        couple_rol_supplemental=np.full((int(c_off[-1]), 2), -1, dtype=np.int32),
        reversion_donor=np.asarray([d for d, _, _ in rev], dtype=np.int32),
        reversion_receiver=np.asarray([r for _, r, _ in rev], dtype=np.int32),
        reversion_positions=np.asarray([n for _, _, n in rev], dtype=np.int32),
        program_type=ptype,
    )
    instance = Instance(market, tuple(codes), tuple(ids), tuple("prelims" for _ in s_lists))
    return NationalExample(instance, a_type, spec_of, shape, seed)
