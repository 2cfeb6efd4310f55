"""Generate a national Match from a :class:`MarketModel`: arrays in, arrays out, fast.

One paragraph of model: programs of each specialty split its positions (gamma-distributed sizes)
and have an appeal, a region and visa sponsorship (J-1, H-1B).  Applicants of each type have a
strength (standard normal plus the type's calibrated offset), a region, a visa need, one or two
specialties drawn from NRMP's 2025 demand by type, and a rank-list length (negative binomial).
They interview mostly at programs of their own standing (Gumbel top-k on closeness of appeal and
strength; applicants who need a visa only at sponsors) and rank them by appeal, region and taste.
Programs rank most of the applicants who ranked them (a share set per applicant type), by strength plus their own noise; programs
that sponsor no visa do not rank applicants who need one.  Couples combine their own lists into
pairs in one region; applicants ranking advanced programs get a supplemental list of preliminary
ones.  The same model and seed always give the same market.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from imgpath.core.market.draws import interview
from imgpath.core.market.model import APPLICANT_TYPES, MarketModel, ProgramParams
from imgpath.core.matching.market import PROGRAM_TYPES, Market

__all__ = [
    "COUPLE_LIST_FACTOR",
    "COUPLE_OWN",
    "COUPLE_PAIRS_MEAN",
    "COUPLE_PAIRS_MIN",
    "COUPLE_SECOND_REGION",
    "SimMarket",
    "generate_market",
]

COUPLE_OWN = 40
"""The shortest own list a couple member draws nationwide; only programs in the couple's one or
two regions are kept (about a quarter), then paired."""
COUPLE_LIST_FACTOR = 4
"""A couple member draws this many times a single's list nationwide before keeping their
regions: couples apply and interview more widely (advising pages speak of lists 1.5-2.5 times
longer; grade L) and rank only the programs of their area.  Not calibrated yet: simulated couples'
partners match less often than NRMP's 93.2% (2025); see docs/explanation/match-engine.md."""
COUPLE_PAIRS_MEAN = 40
"""Mean number of program pairs on a couple's list (negative binomial, at least
``COUPLE_PAIRS_MIN``, at most NRMP's 300).  Grade L, needs confirmation: NRMP publishes no
distribution of couples' list lengths; advising pages describe lists of tens of pairs in one
area (e.g. an AMA guide, 2025, and school advising pages), and the exact audit of 2026-11-29
(issue 18) used 17-100 pairs."""
COUPLE_PAIRS_MIN = 10
COUPLE_SECOND_REGION = 0.35
"""Share of couples ranking pairs in a second region besides their home one.  Grade L, needs
confirmation: NRMP and school advising pages say couples rank programs "in the same geographic
location or within a reasonable distance" (Indiana University School of Medicine, Couples in
the Match); no share of one- versus two-region lists is published."""
_COUPLE_STREAM = 18
"""Couples' lists draw from their own random stream (so other parts of a market keep theirs)."""
_T = {name: i for i, name in enumerate(PROGRAM_TYPES)}

F32 = npt.NDArray[np.float32]
I32 = npt.NDArray[np.int32]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class SimMarket:
    """A generated market and what the generator knows about its parties."""

    market: Market
    applicant_type: npt.NDArray[np.int8]
    strength: F32
    needs_visa: B
    applicant_specialty: I32
    """Main specialty (index into ``model.specialties``)."""
    program_specialty: I32
    program_appeal: F32
    program_region: npt.NDArray[np.int8]
    program_j1: B
    program_h1b: B
    program_rol_score: F32
    """The score each program gave each applicant on its list (aligned with ``program_rol``)."""
    specialty_standing: npt.NDArray[np.float64]
    """Per specialty, the mean and SD of its applicants' strength: an applicant aims at programs of
    standing (strength - mean) / SD."""
    model: MarketModel
    seed: int


def _sizes(total: int, parts: int, shape: float, rng: np.random.Generator) -> npt.NDArray[np.int64]:
    if parts <= 0:
        return np.zeros(0, dtype=np.int64)
    total = max(total, parts)
    weights = rng.gamma(shape, size=parts)
    return 1 + rng.multinomial(total - parts, weights / weights.sum())


def _programs(
    model: MarketModel, scale: float, rng: np.random.Generator
) -> tuple[I32, npt.NDArray[np.int8], npt.NDArray[np.int32]]:
    spec_of: list[npt.NDArray[np.int32]] = []
    kind_of: list[npt.NDArray[np.int8]] = []
    quotas: list[npt.NDArray[np.int64]] = []
    for s, spec in enumerate(model.specialties):
        positions = spec.pgy1_positions + spec.advanced_positions
        if positions <= 0 or spec.programs <= 0:
            continue
        n = max(1, round(spec.programs * scale))
        if not spec.pgy1_positions:
            n_adv = n
        elif not spec.advanced_positions or n == 1:
            n_adv = 0
        else:
            n_adv = min(n - 1, max(1, round(n * spec.advanced_positions / positions)))
        main_kind = _T["P"] if spec.prelim else _T["C"]
        for count, pos, kind in (
            (n - n_adv, spec.pgy1_positions, main_kind),
            (n_adv, spec.advanced_positions, _T["A"]),
        ):
            if count <= 0:
                continue
            q = _sizes(max(count, round(pos * scale)), count, model.programs.size_shape, rng)
            quotas.append(q)
            spec_of.append(np.full(count, s, np.int32))
            kind_of.append(np.full(count, kind, np.int8))
    return np.concatenate(spec_of), np.concatenate(kind_of), np.concatenate(quotas).astype(np.int32)


def _draw(
    pool: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    standing: F32,
    home: npt.NDArray[np.int8],
    want: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    programs: tuple[F32, npt.NDArray[np.int8], npt.NDArray[np.int32]],
    prm: ProgramParams,
    rng: np.random.Generator,
    buffers: tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], F32],
) -> None:
    """Interview ``rows`` at the programs of ``pool``: row ``r`` (an applicant of standing
    ``standing[i]`` from region ``home[i]``) writes its ranked programs to ``out[starts[r]:]``
    and their number to ``got[r]``."""
    appeal, region, quota = programs
    out, got, scratch = buffers
    order = np.argsort(appeal[pool], kind="stable")
    seats = np.cumsum(quota[pool][order], dtype=np.float64)
    row_got = np.zeros(rows.shape[0], np.int64)
    interview(
        seats / seats[-1], np.ascontiguousarray(pool[order], dtype=np.int32),
        appeal, region, np.ascontiguousarray(standing, dtype=np.float32), np.ascontiguousarray(home),
        np.ascontiguousarray(want[rows]), np.ascontiguousarray(starts[rows]), prm.interview_spread,
        prm.region_taste, rng.integers(2**63, size=1, dtype=np.uint64), out, row_got, scratch,
    )  # fmt: skip
    got[rows] = row_got


def _policy_allows(
    model: MarketModel,
    seed: int,
    a_type: npt.NDArray[np.int8],
    needs_visa: B,
    h1b: B,
    ra: npt.NDArray[np.int64],
    rp: npt.NDArray[np.int64],
) -> B:
    """Which (program, applicant) rankings the visa policy allows: a non-US IMG who needs a visa
    and can get none (``policy.visa_blocked_share``) is ranked by no program; one whose J-1 is
    blocked (``policy.j1_blocked_share``) only by H-1B sponsors.  Drawn from a stream of its own,
    so a policy of zero changes no other draw of the market."""
    policy = model.policy
    allowed = np.ones(ra.shape[0], np.bool_)
    if not policy.visa_blocked_share and not policy.j1_blocked_share:
        return allowed
    u = np.random.default_rng(np.random.SeedSequence([seed, 0x5A7])).random(a_type.shape[0])
    affected = needs_visa & (a_type == APPLICANT_TYPES.index("non_us_img"))
    none = affected & (u < policy.visa_blocked_share)
    j1_only = affected & ~none & (u < policy.visa_blocked_share + policy.j1_blocked_share)
    allowed &= ~none[ra]
    allowed &= ~(j1_only[ra] & ~h1b[rp])
    return allowed


def _zscore(values: F32) -> F32:
    spread = float(values.std()) or 1.0
    out: F32 = ((values - float(values.mean())) / spread).astype(np.float32)
    return out


def generate_market(model: MarketModel, *, seed: int = 0, scale: float = 1.0) -> SimMarket:
    """A national market from ``model``; ``scale`` shrinks every count (0.25 = a quarter)."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    prm = model.programs
    n_spec = len(model.specialties)

    # ---------------------------------------------------------------- programs
    spec_of, ptype, quota = _programs(model, scale, rng)
    n_prog = int(quota.shape[0])
    appeal = rng.normal(size=n_prog).astype(np.float32)
    region = rng.integers(0, model.regions, size=n_prog).astype(np.int8)
    j1 = rng.random(n_prog) < prm.j1_share
    draw = rng.random(n_prog)
    if prm.h1b_share <= prm.j1_share:  # as in the study: H-1B sponsors are among the J-1 ones
        h1b = j1 & (draw < prm.h1b_share / max(prm.j1_share, 1e-12))
    else:
        h1b = draw < prm.h1b_share
    sponsors = j1 | h1b
    programs_of = [np.flatnonzero(spec_of == s) for s in range(n_spec)]

    # ---------------------------------------------------------------- applicants
    counts = [max(0, round(model.types[t].count * scale)) for t in APPLICANT_TYPES]
    a_type = np.repeat(np.arange(len(APPLICANT_TYPES), dtype=np.int8), counts)
    n_app = int(a_type.shape[0])
    types = [model.types[t] for t in APPLICANT_TYPES]
    offset = np.array([t.strength_offset for t in types], np.float32)
    strength = (rng.normal(size=n_app).astype(np.float32) + offset[a_type]).astype(np.float32)
    a_region = rng.integers(0, model.regions, size=n_app).astype(np.int8)
    needs_visa = rng.random(n_app) < np.array([t.visa_need_share for t in types])[a_type]
    demand = np.array(
        [[spec.demand.get(t, 0.0) for spec in model.specialties] for t in APPLICANT_TYPES],
        np.float64,
    )
    offered = np.array([bool(programs_of[s].shape[0]) for s in range(n_spec)])
    prelim = np.array([spec.prelim for spec in model.specialties])
    demand *= offered[None, :] * np.where(prelim, model.prelim_demand_share, 1.0)[None, :]
    # Backups go where there is room: the type's demand weighted by positions per applicant.
    positions = np.array(
        [spec.pgy1_positions + spec.advanced_positions for spec in model.specialties], np.float64
    )
    room = positions / np.maximum(demand.sum(axis=0), 1e-12)
    fallback = demand * room[None, :]
    fallback /= np.maximum(fallback.sum(axis=1, keepdims=True), 1e-12)
    demand /= np.maximum(demand.sum(axis=1, keepdims=True), 1e-12)
    main = np.empty(n_app, np.int32)
    backup = np.full(n_app, -1, np.int32)
    for t in range(len(APPLICANT_TYPES)):
        who = np.flatnonzero(a_type == t)
        if who.shape[0] == 0 or demand[t].sum() == 0:
            continue
        main[who] = rng.choice(n_spec, size=who.shape[0], p=demand[t])
        second = who[rng.random(int(who.shape[0])) < types[t].specialties_per_applicant - 1]
        if second.shape[0]:
            pick = np.asarray(rng.choice(n_spec, size=int(second.shape[0]), p=fallback[t]))
            differs = pick != main[second]
            backup[second[differs]] = pick[differs]
    mean = np.array([t.rank_list_mean * model.rank_length_scale for t in types])[a_type]
    shape_k = np.array([t.rank_list_dispersion for t in types])[a_type]
    extra = rng.negative_binomial(shape_k, shape_k / (shape_k + np.maximum(mean - 1, 1e-9)))
    length = (1 + extra).astype(np.int64)

    # couples: drawn by type share, partners of similar region preferences pooled later
    share = np.array([t.couple_share for t in types])
    n_cpl = min(round(model.couples * scale), n_app // 2)
    weights = share[a_type] / max(share[a_type].sum(), 1e-12)
    members = (
        rng.choice(n_app, size=2 * n_cpl, replace=False, p=weights).reshape(-1, 2)
        if n_cpl
        else np.zeros((0, 2), np.int64)
    )
    in_couple = np.zeros(n_app, np.bool_)
    in_couple[members.ravel()] = True
    a_region[members[:, 1]] = a_region[members[:, 0]]  # a couple interviews around one home
    length[in_couple] = np.maximum(length[in_couple] * COUPLE_LIST_FACTOR, COUPLE_OWN)

    # segments: (applicant, specialty, order, k)
    has_backup = backup >= 0
    main_k = np.where(
        has_backup, np.maximum(1, np.rint(length * (1 - model.backup_share_of_list))), length
    ).astype(np.int64)
    back_k = np.where(has_backup, np.maximum(1, length - main_k), 0)
    seg_app = np.concatenate([np.arange(n_app), np.flatnonzero(has_backup)])
    seg_spec = np.concatenate([main, backup[has_backup]])
    seg_order = np.concatenate(
        [np.zeros(n_app, np.int64), np.ones(int(has_backup.sum()), np.int64)]
    )
    seg_k = np.concatenate([main_k, back_k[has_backup]])

    counts_by_seg = np.zeros(seg_app.shape[0], np.int64)
    starts = np.zeros(seg_app.shape[0] + 1, np.int64)
    np.cumsum(seg_k, out=starts[1:])
    flat = np.full(int(starts[-1]), -1, np.int32)
    scratch = np.zeros(flat.shape[0], np.float32)
    # Applicants aim at programs of their own standing among those applying to the specialty
    # (strength z-scored within it): every program then sees a pool like the specialty's, and a
    # type's offset changes how it competes, not only where it applies.
    buffers = (flat, counts_by_seg, scratch)
    spec_standing = np.zeros((n_spec, 2), np.float64)
    for s in range(n_spec):
        progs = programs_of[s]
        here = np.flatnonzero(seg_spec == s)
        if progs.shape[0] == 0 or here.shape[0] == 0:
            continue
        values = strength[seg_app[here]]
        spec_standing[s] = float(values.mean()), float(values.std()) or 1.0
        standing = _zscore(values)
        for visa in (False, True):
            mine = needs_visa[seg_app[here]] == visa
            pool = progs[sponsors[progs]] if visa else progs
            if not mine.any() or pool.shape[0] == 0:
                continue
            rows = here[mine]
            _draw(
                pool,
                rows,
                standing[mine],
                a_region[seg_app[rows]],
                seg_k,
                starts,
                (appeal, region, quota),
                prm,
                rng,
                buffers,
            )
    take = np.arange(flat.shape[0]) - np.repeat(starts[:-1], seg_k) < np.repeat(
        counts_by_seg, seg_k
    )
    app = np.repeat(seg_app, seg_k)[take]
    seg = np.repeat(seg_order, seg_k)[take]
    pos = (np.arange(flat.shape[0]) - np.repeat(starts[:-1], seg_k))[take]
    prog = flat[take].astype(np.int64)
    order = np.lexsort((pos, seg, app))
    app, prog = app[order], prog[order]

    # ---------------------------------------------------------------- couples
    single = ~in_couple[app]
    c_lists, own_lists = _couple_lists(
        members, app, prog, region, a_region, model,
        np.random.default_rng(np.random.SeedSequence([seed, _COUPLE_STREAM])),
    )  # fmt: skip
    app, prog = app[single], prog[single]
    couple_own = [np.concatenate(o) if o else np.zeros(0, np.int64) for o in own_lists]

    # ---------------------------------------------------------------- supplemental lists
    advanced = ptype == _T["A"]
    prelims = np.flatnonzero(ptype == _T["P"])
    wants = (
        np.flatnonzero(np.bincount(app[advanced[prog]], minlength=n_app))
        if prelims.shape[0]
        else np.zeros(0, np.int64)
    )
    supp_row = np.full(app.shape[0], -1, np.int32)
    s_owner = wants.astype(np.int32)
    s_lists: list[npt.NDArray[np.int64]] = []
    if wants.shape[0]:
        list_of = np.full(n_app, -1, np.int32)
        list_of[wants] = np.arange(wants.shape[0], dtype=np.int32)
        on_adv = advanced[prog]
        supp_row[on_adv] = list_of[app[on_adv]]
        sizes = np.minimum(
            prelims.shape[0],
            2 + rng.poisson(max(model.supplemental_mean - 2, 0), size=wants.shape[0]),
        )
        s_start = np.zeros(wants.shape[0] + 1, np.int64)
        np.cumsum(sizes, out=s_start[1:])
        s_flat = np.full(int(s_start[-1]), -1, np.int32)
        s_got = np.zeros(wants.shape[0], np.int64)
        s_standing = _zscore(strength[wants])
        for visa in (False, True):
            rows = np.flatnonzero(needs_visa[wants] == visa)
            pool = prelims[sponsors[prelims]] if visa else prelims
            if rows.shape[0] and pool.shape[0]:
                s_buffers = (s_flat, s_got, np.zeros(s_flat.shape[0], np.float32))
                _draw(
                    pool,
                    rows,
                    s_standing[rows],
                    a_region[wants[rows]],
                    sizes,
                    s_start,
                    (appeal, region, quota),
                    prm,
                    rng,
                    s_buffers,
                )
        s_lists = [
            s_flat[s_start[i] : s_start[i] + s_got[i]].astype(np.int64)
            for i in range(wants.shape[0])
        ]

    # ---------------------------------------------------------------- programs rank applicants
    c_flat = np.concatenate(c_lists) if c_lists else np.zeros((0, 2), np.int64)
    pieces_p = [prog, np.concatenate(s_lists) if s_lists else np.zeros(0, np.int64)]
    pieces_a = [
        app,
        np.repeat(s_owner.astype(np.int64), [x.shape[0] for x in s_lists])
        if s_lists
        else np.zeros(0, np.int64),
    ]
    for side, own in enumerate(couple_own):  # a partner is ranked by the programs of their pairs
        pieces_p.append(own)
        pieces_a.append(np.repeat(members[:, side], [o.shape[0] for o in own_lists[side]]))
    rp = np.concatenate(pieces_p)
    ra = np.concatenate(pieces_a)
    key = np.sort(rp * np.int64(n_app) + ra)  # a preliminary program can be on both lists
    key = key[np.r_[True, key[1:] != key[:-1]]] if key.shape[0] else key
    rp, ra = key // n_app, key % n_app
    considered = np.array([t.considered_share for t in types])
    keep = rng.random(rp.shape[0]) < considered[a_type[ra]]
    keep &= ~(needs_visa[ra] & ~sponsors[rp])
    keep &= _policy_allows(model, seed, a_type, needs_visa, h1b, ra, rp)
    rp, ra = rp[keep], ra[keep]
    score = (strength[ra] + prm.noise_sd * rng.normal(size=ra.shape[0])).astype(np.float32)
    order = np.lexsort((-score, rp))
    rp, ra, score = rp[order], ra[order], score[order]
    p_off = np.zeros(n_prog + 1, np.int64)
    np.cumsum(np.bincount(rp, minlength=n_prog), out=p_off[1:])

    # ---------------------------------------------------------------- reversions
    rev_d: list[int] = []
    rev_r: list[int] = []
    used: set[int] = set()
    target = round(model.reversions * scale)
    for _ in range(target * 4):
        if len(rev_d) >= target:
            break
        d = int(rng.integers(n_prog))
        same = np.flatnonzero(
            (spec_of == spec_of[d]) & (region == region[d]) & (np.arange(n_prog) > d)
        )
        if d in used or same.shape[0] == 0:
            continue
        used.add(d)
        rev_d.append(d)
        rev_r.append(int(rng.choice(same)))

    # ---------------------------------------------------------------- assemble
    a_off = np.zeros(n_app + 1, np.int64)
    np.cumsum(np.bincount(app, minlength=n_app), out=a_off[1:])
    c_off = np.zeros(len(c_lists) + 1, np.int64)
    np.cumsum([c.shape[0] for c in c_lists], out=c_off[1:])
    s_off = np.zeros(len(s_lists) + 1, np.int64)
    np.cumsum([x.shape[0] for x in s_lists], out=s_off[1:])
    market = Market(
        quota=quota,
        program_rol_offsets=p_off,
        program_rol=ra.astype(np.int32),
        applicant_rol_offsets=a_off,
        applicant_rol=prog.astype(np.int32),
        applicant_rol_supplemental=supp_row,
        supplemental_offsets=s_off,
        supplemental_programs=(
            np.concatenate(s_lists) if s_lists else np.zeros(0, np.int64)
        ).astype(np.int32),
        supplemental_owner=s_owner,
        couple_members=members.astype(np.int32).reshape(-1, 2),
        couple_rol_offsets=c_off,
        couple_rol=c_flat.astype(np.int32).reshape(-1, 2),
        couple_rol_supplemental=np.full((int(c_off[-1]), 2), -1, np.int32),
        reversion_donor=np.asarray(rev_d, np.int32),
        reversion_receiver=np.asarray(rev_r, np.int32),
        reversion_positions=np.ones(len(rev_d), np.int32),
        program_type=ptype,
    )
    return SimMarket(
        market=market,
        applicant_type=a_type,
        strength=strength,
        needs_visa=needs_visa,
        applicant_specialty=main,
        program_specialty=spec_of,
        program_appeal=appeal,
        program_region=region,
        program_j1=j1,
        program_h1b=h1b,
        program_rol_score=score,
        specialty_standing=spec_standing,
        model=model,
        seed=seed,
    )


def _couple_lists(
    members: npt.NDArray[np.int64],
    app: npt.NDArray[np.int64],
    prog: npt.NDArray[np.int64],
    region: npt.NDArray[np.int8],
    a_region: npt.NDArray[np.int8],
    model: MarketModel,
    rng: np.random.Generator,
) -> tuple[
    list[npt.NDArray[np.int64]], tuple[list[npt.NDArray[np.int64]], list[npt.NDArray[np.int64]]]
]:
    """Each couple's list of pairs, and the programs each partner ranks through it.

    A couple ranks pairs of programs in one region: its home region and, for a share
    ``COUPLE_SECOND_REGION`` of couples, one more.  Each partner's own list (drawn like anyone's,
    around the shared home region) is kept to those regions; pairs of programs in the same region
    are ranked by the sum of the partners' own ranks, cut at a drawn length (mean
    ``COUPLE_PAIRS_MEAN``), then each partner's first choice with "No Match" for the other.
    Only the programs a partner appears with on the list rank that partner.  ``app``/``prog``
    hold every applicant's own list, sorted by applicant then preference.
    """
    starts = np.searchsorted(app, np.arange(int(a_region.shape[0]) + 1))
    c_lists: list[npt.NDArray[np.int64]] = []
    own_lists: tuple[list[npt.NDArray[np.int64]], list[npt.NDArray[np.int64]]] = ([], [])
    dispersion = 2.0
    mean_extra = max(COUPLE_PAIRS_MEAN - COUPLE_PAIRS_MIN, 1)
    for m1, m2 in members.tolist():
        home = int(a_region[m1])
        targets = [home]
        if model.regions > 1 and rng.random() < COUPLE_SECOND_REGION:
            other = int(rng.integers(0, model.regions - 1))
            targets.append(other + (other >= home))
        want = min(
            COUPLE_PAIRS_MIN
            + int(rng.negative_binomial(dispersion, dispersion / (dispersion + mean_extra))),
            model.max_pairs - 2,
        )
        own1 = prog[starts[m1] : starts[m1 + 1]]
        own2 = prog[starts[m2] : starts[m2 + 1]]
        own1 = own1[np.isin(region[own1], targets)]
        own2 = own2[np.isin(region[own2], targets)]
        if own1.shape[0] and own2.shape[0]:
            ii, jj = np.indices((own1.shape[0], own2.shape[0])).reshape(2, -1)
            together = region[own1][ii] == region[own2][jj]
            ii, jj = ii[together], jj[together]
            best = np.argsort(ii + jj, kind="stable")[:want]
            pairs = np.stack([own1[ii[best]], own2[jj[best]]], axis=1)
        else:
            pairs = np.zeros((0, 2), np.int64)
        tail = [[own1[0], -1]] if own1.shape[0] else []
        tail += [[-1, own2[0]]] if own2.shape[0] else []
        pairs = np.concatenate([pairs, np.asarray(tail, np.int64).reshape(-1, 2)])
        c_lists.append(pairs)
        for side in range(2):
            used = pairs[:, side]
            own_lists[side].append(np.unique(used[used >= 0]))
    return c_lists, own_lists
