"""One person's odds as a funnel: for N applications, the interviews, the chance of matching and
the ERAS fees, beside the national rate of their applicant type.

:func:`odds_answer` is the one call the CLI (``imgpath odds``) and the web page make; it returns
an :class:`OddsAnswer` (plain data, ``to_dict()`` for JSON).  The simulated national Matches are
stored once per model and seed (:mod:`imgpath.services.stored_markets`); the person is inserted
into each, so a warm answer takes well under a second.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from imgpath.core.market.funnel import Yield, active_mean_yield, funnel_point, interviews_quantile
from imgpath.core.market.insertion import person_chances
from imgpath.core.market.model import TYPE_LABELS, TYPE_NAMES, MarketModel
from imgpath.core.market.person import Person
from imgpath.core.pathway.report import Report
from imgpath.errors import InvalidInputError
from imgpath.parallel.executors import Executor
from imgpath.services.market_model import DEFAULT_YEAR, load_model
from imgpath.services.odds import find_specialties, person_from_report
from imgpath.services.pathway import application_costs, plan_file
from imgpath.services.simulation import run_seeds
from imgpath.services.stored_markets import Stored, ensure_markets

__all__ = [
    "DEFAULT_APPLICATIONS",
    "Figure",
    "FunnelRow",
    "NationalRate",
    "OddsAnswer",
    "fit_link_factor",
    "funnel_calibration",
    "funnel_calibration_markdown",
    "funnel_figures",
    "link_factor",
    "odds_answer",
    "odds_answer_for_profile",
    "write_link_factor",
]

DEFAULT_APPLICATIONS = (10, 20, 40, 60, 80, 120, 160, 200)
K_CAP = 40
"""Interviews beyond which the chance is held at its value for 40 (it has levelled off by then)."""
NOT_MODELLED = (
    (
        "Years since graduation: programs screen on it, but no public figure of how much was found "
        "(NRMP's Program Director Survey percentages were not found: needs confirmation)."
    ),
    "Months and kind of US clinical experience: the same (no public figure found).",
    "Failed attempts at USMLE: the same (no public figure found).",
    (
        "Program signals: AAMC's signal-to-interview figures by applicant type were not found in the "
        "sources here; signals are not modelled."
    ),
    "Letters, research, interviews' quality, where you apply (programs of your standing are assumed).",
    "SOAP after the Match (these are chances in the Match itself).",
)


@dataclass(frozen=True)
class Figure:
    """A public figure the answer rests on."""

    what: str
    value: float
    source: str
    grade: str


@dataclass(frozen=True)
class FunnelRow:
    """The funnel at one number of applications."""

    applications: int
    usable_applications: int
    """Applications to programs that could take you (visa sponsors, when you need a visa)."""
    interviews: float
    interviews_range: tuple[float, float]
    p_match: float
    p_match_range: tuple[float, float]
    eras_fee_usd: float | None
    """ERAS application fees for this many programs in one specialty (None: no fee rule in force)."""


@dataclass(frozen=True)
class ChanceAtK:
    interviews: int
    p_match: float
    interval_90: tuple[float, float]


@dataclass(frozen=True)
class NationalRate:
    """NRMP's published match rate of the person's applicant type, and the model's."""

    type: str
    label: str
    year: int
    published: float | None
    source: str
    simulated: float
    simulated_interval_90: tuple[float, float]


@dataclass(frozen=True)
class OddsAnswer:
    """What the odds page and ``imgpath odds`` show."""

    as_of: str
    model_year: int
    specialty: str
    person: dict[str, Any]
    rows: tuple[FunnelRow, ...]
    by_interviews: tuple[ChanceAtK, ...]
    national: NationalRate
    figures: tuple[Figure, ...]
    assumptions: tuple[str, ...]
    not_modelled: tuple[str, ...]
    runs: int
    seed: int
    markets_built: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def funnel_figures() -> dict[str, Any]:
    """``data/market/funnel.yaml``: applications and programs ranked by type, with sources."""
    text = (
        resources.files("imgpath")
        .joinpath("data", "market", "funnel.yaml")
        .read_text(encoding="utf-8")
    )
    found = yaml.safe_load(text)
    assert isinstance(found, dict)
    return found


def yield_for(kind: str, shape: float) -> tuple[Yield, tuple[Figure, ...]]:
    """Interviews per application for ``kind`` and the figures it comes from.

    The programs ranked are an average over *active* applicants (who certified a rank list, so
    had one interview or more), so the yield is the one that gives that mean among those with
    an interview, for the average applications and the type's spread ``shape``
    (:func:`~imgpath.core.market.funnel.active_mean_yield`)."""
    data = funnel_figures()
    row = data["types"][kind]
    apps, ranked = row["applications"], row["ranked"]
    worst = max(apps["grade"], ranked["grade"], key="HMLU".index)
    spread = float(data["range_by_grade"][worst])
    central = active_mean_yield(int(apps["value"]), float(ranked["value"]), shape)
    low, high = central / (1 + spread), min(central * (1 + spread), 1.0)
    figures = (
        Figure(f"applications per {TYPE_NAMES[kind]}", float(apps["value"]), apps["source"], apps["grade"]),
        Figure(f"programs ranked per {TYPE_NAMES[kind]}", float(ranked["value"]), ranked["source"], ranked["grade"]),
    )  # fmt: skip
    return Yield(central, low, high), figures


def usable_programs(model: MarketModel, specialty: int, person: Person) -> int | None:
    """Programs of the specialty that could take a person who needs a visa (None: no limit)."""
    if not person.needs_visa:
        return None
    shares = []
    if person.j1_open:
        shares.append(model.programs.j1_share)
    if person.h1b_open:
        shares.append(model.programs.h1b_share)
    return round(model.specialties[specialty].programs * max(shares, default=0.0))


K_GRID = (*range(1, 11), 12, 15, 20, 25, 30, 40)
"""Interview counts simulated; between them the chance is interpolated (it rises smoothly and
flattens: from 10 on, one more interview changes it by about a point or less)."""


def chances_by_k(
    markets: Sequence[Stored],
    model: MarketModel,
    person: Person,
    specialty: int,
    k_max: int,
    draws: int,
    factor: float = 1.0,
) -> np.ndarray:
    """(markets, k_max + 1): P(match | k interviews) in each stored market, column 0 being 0;
    ``factor`` scales the share of the person's programs that rank them (:func:`link_factor`);
    simulated at the counts of :data:`K_GRID` up to ``k_max`` (and ``k_max`` itself), linear
    in between.  Each count's estimate depends only on the market, the specialty and the count."""
    ks = sorted({k for k in K_GRID if k <= k_max} | {k_max})
    at = np.arange(k_max + 1)
    rows = [
        np.interp(
            at,
            [0, *ks],
            [
                0.0,
                *person_chances(
                    m.match,
                    model,
                    person,
                    specialty,
                    ks,
                    draws=draws,
                    seed=m.summary.seed,
                    considered=min(1.0, model.types[person.kind].considered_share * factor),
                ),
            ],
        )
        for m in markets
    ]
    return np.asarray(rows, np.float64)


def link_factor(year: int, kind: str) -> tuple[float, str]:
    """The factor on the share of a person's interview programs that rank them, fitted so the
    funnel gives Charting Outcomes' match rate to the preferred specialty (``funnel_fit_<year>.yaml``,
    written by ``scripts/refresh_odds_docs.py --fit``), and how it was fitted; 1.0 for types or
    years without one."""
    try:
        text = (
            resources.files("imgpath")
            .joinpath("data", "market", f"funnel_fit_{year}.yaml")
            .read_text(encoding="utf-8")
        )
    except FileNotFoundError:
        return 1.0, ""
    found = yaml.safe_load(text) or {}
    entry = (found.get("factors") or {}).get(kind)
    if not entry:
        return 1.0, ""
    return float(entry["factor"]), str(entry["how"])


def _eras_fee(programs: int, on: date) -> float | None:
    estimate = application_costs(programs=max(programs, 1), on=on)
    line = next((x for x in estimate.lines if x.item.startswith("ERAS applications")), None)
    return None if line is None else line.amount


def odds_answer(
    report: Report,
    *,
    on: date,
    applications: Sequence[int] = DEFAULT_APPLICATIONS,
    specialty: str | None = None,
    kind: str | None = None,
    runs: int = 20,
    seed: int = 0,
    draws: int = 200,
    year: int = DEFAULT_YEAR,
    scenario: str | Path | None = None,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    scale: float = 1.0,
    at_interviews: int | None = None,
) -> OddsAnswer:
    """The funnel for the person ``report`` describes, in ``specialty`` (default: their target,
    else their type's most wanted), for each number of ``applications``.

    ``scale`` is the stored Matches' size (1.0: the national Match; smaller markets are for
    tests); ``at_interviews`` makes :attr:`OddsAnswer.by_interviews` reach at least that many
    interviews (a rank list's length, for "what if I rank k programs"; at most 40).

    Raises :class:`~imgpath.errors.InvalidInputError` naming the field for a bad number of
    applications, runs or specialty.
    """
    if not applications or any(n < 1 or n > 1000 for n in applications):
        msg = "--applications: give numbers of programs from 1 to 1000, e.g. 20,40,80"
        raise InvalidInputError(msg)
    if runs < 1:
        msg = "--runs must be at least 1"
        raise InvalidInputError(msg)
    model = load_model(scenario, year=year)
    person, notes = person_from_report(report, model, kind=kind)
    wanted = (
        [specialty]
        if specialty
        else ([report.facts["target.specialty"]] if report.facts["target.specialty"] else [])
    )
    chosen = find_specialties(model, wanted, person.kind, count=1)[0]
    if not wanted:
        notes.append("no specialty given: your applicant type's most wanted")
    rate, figures = yield_for(person.kind, model.types[person.kind].rank_list_dispersion)
    usable = usable_programs(model, chosen, person)
    top = max(applications) if usable is None else min(max(applications), usable)
    shape = model.types[person.kind].rank_list_dispersion
    k_max = max(1, min(K_CAP, interviews_quantile(top, rate.high, 0.999, shape)))
    if at_interviews is not None:
        k_max = max(k_max, min(K_CAP, at_interviews))
    markets, built = ensure_markets(
        model, run_seeds(seed, runs), scale, executor=executor, progress=progress
    )
    factor, how = link_factor(model.year, person.kind)
    table = chances_by_k(markets, model, person, chosen, k_max, draws, factor)
    central = table.mean(axis=0)
    low = np.quantile(table, 0.05, axis=0)
    high = np.quantile(table, 0.95, axis=0)
    rows = []
    for n in sorted(set(applications)):
        point = funnel_point(n, usable, rate, central.tolist(), low.tolist(), high.tolist(), shape)
        rows.append(FunnelRow(n, point.usable, point.interviews, point.interviews_range, point.p_match,
                              point.p_match_range, _eras_fee(n, on)))  # fmt: skip
    by_k = tuple(
        ChanceAtK(k, float(central[k]), (float(low[k]), float(high[k])))
        for k in range(1, k_max + 1)
    )
    spec = model.types[person.kind]
    simulated = [m.summary.rate_by_type.get(person.kind, 0.0) for m in markets]
    national = NationalRate(
        type=person.kind,
        label=TYPE_LABELS[person.kind],
        year=model.year,
        published=None if spec.target_match_rate is None else spec.target_match_rate / 100,
        source=model.sources.get(f"applicant_types.{person.kind}.target_match_rate", ""),
        simulated=float(np.mean(simulated)),
        simulated_interval_90=(
            float(np.quantile(simulated, 0.05)),
            float(np.quantile(simulated, 0.95)),
        ),
    )
    assumptions = [
        (
            f"Interviews per application for a {TYPE_NAMES[person.kind]}: {rate.central:.1%} "
            f"(range {rate.low:.1%}-{rate.high:.1%}): the yield at which your type's average applications give its "
            "average programs ranked among those with an interview (the figures listed); "
            f"it varies between people as much as your type's rank-list lengths do (shape {shape:g}), so the "
            "number of interviews is spread wide."
        ),
        (
            "Every interview becomes a program on your list; each ranks you with the share calibrated for "
            "your type; the simulated national Match decides."
        ),
        (
            f"Chances come from {runs} simulated national Matches"
            f"{'' if scale == 1.0 else f' (each at {scale:.0%} of the national size)'} of the {model.year} model (calibrated to NRMP's "
            f"{model.year} results by applicant type); ranges combine the interview yield's range with the "
            "spread across simulated Matches (5th-95th percentile)."
        ),
    ]
    if how:
        assumptions.append(
            f"Of the programs that interview you, a share {factor:g} times the national model's ranks you: {how}"
        )
    if usable is not None:
        assumptions.append(
            f"You need a visa: only programs sponsoring one open to you count ({usable} of "
            f"{model.specialties[chosen].programs} programs in the specialty, from the sponsorship shares); "
            "applications beyond them cannot lead to an interview."
        )
    return OddsAnswer(
        as_of=on.isoformat(),
        model_year=model.year,
        specialty=model.specialties[chosen].name,
        person={
            "type": person.kind,
            "label": TYPE_NAMES[person.kind],
            "step2ck_z": person.z,
            "needs_visa": person.needs_visa,
            "j1_open": person.j1_open,
            "h1b_open": person.h1b_open,
            "notes": notes,
        },
        rows=tuple(rows),
        by_interviews=by_k,
        national=national,
        figures=figures,
        assumptions=tuple(assumptions),
        not_modelled=NOT_MODELLED,
        runs=runs,
        seed=seed,
        markets_built=built,
    )


def odds_answer_for_profile(path: str | Path, *, on: date, **options: Any) -> OddsAnswer:
    """As :func:`odds_answer`, for a profile file."""
    return odds_answer(plan_file(path, on=on), on=on, **options)


def _median_of(weights: np.ndarray) -> float:
    cdf = np.cumsum(weights) / max(float(weights.sum()), 1e-12)
    return float(np.searchsorted(cdf, 0.5))


def _co_specialties(minimum: int = 100) -> list[tuple[str, float, int, float | None]]:
    """Charting Outcomes 2026 specialties with at least ``minimum`` non-US IMGs preferring them:
    (model specialty name, share matched to it, non-US IMGs preferring it, their Step 2 CK: the
    matched and unmatched medians weighted by their counts, None where not given)."""
    import csv
    import io

    from imgpath.services.market_model import CO_NAMES

    text = resources.files("imgpath").joinpath(
        "data", "catalog", "nrmp_charting_outcomes_2026_non_us_img_summary.csv"
    )
    rows = csv.DictReader(io.StringIO(text.read_text(encoding="utf-8-sig")))

    def step2(r: dict[str, str]) -> float | None:
        keys = (
            "step2ck_median_matched",
            "step2ck_median_unmatched",
            "step2ck_n_matched",
            "step2ck_n_unmatched",
        )
        if not all(r.get(k) for k in keys):
            return None
        m, u, nm, nu = (float(r[k]) for k in keys)
        return (m * nm + u * nu) / (nm + nu)

    out = [
        (
            CO_NAMES.get(r["specialty"], r["specialty"]),
            float(r["match_rate_pct"]) / 100,
            int(r["nonus_img_total"]),
            step2(r),
        )
        for r in rows
        if r["nonus_img_total"] and int(r["nonus_img_total"]) >= minimum and r["match_rate_pct"]
    ]
    return sorted(out, key=lambda row: -row[2])


def _active_mean(apps: int, p: float, shape: float) -> float:
    from imgpath.core.market.funnel import interviews_pmf

    pmf = _active(interviews_pmf(apps, p, shape))
    return float(np.dot(np.arange(pmf.shape[0]), pmf))


def _active(pmf: np.ndarray) -> np.ndarray:
    """The distribution of interviews among those with one or more (active applicants)."""
    out = pmf.copy()
    out[0] = 0.0
    total = float(out.sum())
    return out / total if total > 0 else out


def _average_non_us_img(
    markets: Sequence[Stored],
    model: MarketModel,
    specialty: int,
    apps: int,
    draws: int,
    step2: float | None = None,
    factor: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """For a non-US IMG preferring ``specialty`` with Step 2 CK ``step2`` (None: drawn from the
    type), visa need in the type's share and every visa open, sending ``apps`` applications:
    P(k interviews) and P(match | k), k = 0..K_CAP."""
    from imgpath.core.market.funnel import interviews_pmf

    spec = model.types["non_us_img"]
    rate, _ = yield_for("non_us_img", model.types["non_us_img"].rank_list_dispersion)
    z = (
        None
        if step2 is None or not spec.step2ck_mean or not spec.step2ck_sd
        else (step2 - spec.step2ck_mean) / spec.step2ck_sd
    )
    mix = np.zeros(K_CAP + 1)
    pmf = np.zeros(K_CAP + 1)
    usable = usable_programs(model, specialty, Person("non_us_img", needs_visa=True)) or apps
    for needs, weight in ((True, spec.visa_need_share), (False, 1 - spec.visa_need_share)):
        person = Person("non_us_img", z=z, needs_visa=needs)
        mix += weight * chances_by_k(markets, model, person, specialty, K_CAP, draws, factor).mean(
            axis=0
        )
        part = interviews_pmf(
            min(apps, usable) if needs else apps, rate.central, spec.rank_list_dispersion
        )
        head = part[: K_CAP + 1]
        pmf[: head.shape[0]] += weight * head
        pmf[K_CAP] += weight * float(part[K_CAP + 1 :].sum())
    return pmf, mix


def _co_rows_in_model(model: MarketModel) -> list[tuple[int, str, float, int, float | None]]:
    """Charting Outcomes rows the model has a specialty for: (index, name, rate, n, Step 2 CK)."""
    out = []
    for name, public, n, step2 in _co_specialties():
        index = next((i for i, sp in enumerate(model.specialties) if sp.name == name), None)
        if index is not None:
            out.append((index, name, public, n, step2))
    return out


def fit_link_factor(
    *, runs: int = 20, seed: int = 0, year: int = DEFAULT_YEAR, draws: int = 100
) -> dict[str, Any]:
    """Fit the factor of :func:`link_factor` for non-US IMGs: the one at which the funnel of a
    non-US IMG preferring each Charting Outcomes 2026 specialty (at its Step 2 CK, the type's
    average applications, counted among those with an interview) gives, pooled over those
    specialties by their numbers, the pooled share matched to the preferred specialty.

    Why a separate factor: the national model's share is calibrated to the national match rate,
    which counts matches to any specialty (a second choice too); a person's funnel is for one
    specialty, which Charting Outcomes measures.  Bisection on the pooled rate (it rises with
    the factor)."""
    model = load_model(year=year)
    markets, _ = ensure_markets(model, run_seeds(seed, runs), 1.0)
    apps = int(funnel_figures()["types"]["non_us_img"]["applications"]["value"])
    rows = _co_rows_in_model(model)
    target = sum(rate * n for _, _, rate, n, _ in rows) / sum(n for *_, n, _ in rows)

    def pooled(factor: float) -> float:
        total = 0.0
        for index, _, _, n, step2 in rows:
            pmf, mix = _average_non_us_img(markets, model, index, apps, draws, step2, factor)
            total += n * float((_active(pmf) * mix).sum())
        return total / sum(n for *_, n, _ in rows)

    lo, hi = 0.05, 1.0 / model.types["non_us_img"].considered_share
    for _ in range(12):
        mid = (lo + hi) / 2
        if pooled(mid) < target:
            lo = mid
        else:
            hi = mid
    factor = round((lo + hi) / 2, 4)
    return {
        "year": year, "runs": runs, "seed": seed, "target": round(target, 4),
        "model_at_factor": round(pooled(factor), 4), "factor": factor,
        "specialties": [name for _, name, *_ in rows],
    }  # fmt: skip


def write_link_factor(fit: dict[str, Any], path: Path, *, today: date) -> None:
    how = (
        f"fitted {today.isoformat()} so that non-US IMGs' funnel at {fit['runs']} stored Matches gives NRMP Charting "
        f"Outcomes 2026's pooled share matched to the preferred specialty ({fit['target']:.1%} over "
        f"{len(fit['specialties'])} specialties), which counts one specialty where the national rate counts any"
    )
    document = {"fitted": today.isoformat(), "how": "python scripts/refresh_odds_docs.py --fit",
                "factors": {"non_us_img": {"factor": fit["factor"], "how": how, "target": fit["target"],
                                           "model_at_factor": fit["model_at_factor"],
                                           "specialties": fit["specialties"]}}}  # fmt: skip
    header = "# Written by `python scripts/refresh_odds_docs.py --fit`; do not edit by hand.\n"
    path.write_text(header + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def funnel_calibration(
    *, runs: int = 20, seed: int = 0, year: int = DEFAULT_YEAR, draws: int = 400
) -> list[dict[str, Any]]:
    """Each link of the funnel beside the public figure it must reproduce: rows of ``link``,
    ``public`` (text), ``public_value``, ``model_value``, ``gap``, ``source``, ``grade``, ``role``
    (``fitted``: reproduced by construction or calibration; ``check``: not used to build the model)."""
    from imgpath.core.market.funnel import interviews_pmf

    model = load_model(year=year)
    data = funnel_figures()
    markets, _ = ensure_markets(model, run_seeds(seed, runs), 1.0)
    im = find_specialties(model, ["internal medicine"], "non_us_img", count=1)[0]
    rate, _ = yield_for("non_us_img", model.types["non_us_img"].rank_list_dispersion)
    spec = model.types["non_us_img"]
    rows: list[dict[str, Any]] = []
    apps = int(data["types"]["non_us_img"]["applications"]["value"])
    rows.append({
        "link": "applications -> interviews (non-US IMG)",
        "public": f"{data['types']['non_us_img']['ranked']['value']} programs ranked per {apps} applications",
        "public_value": float(data["types"]["non_us_img"]["ranked"]["value"]),
        "model_value": _active_mean(apps, rate.central, spec.rank_list_dispersion),
        "role": "fitted (mean interviews of those with one or more, at the average applications)",
        "source": data["types"]["non_us_img"]["ranked"]["source"] + "; " + data["types"]["non_us_img"]["applications"]["source"],
        "grade": "M",
    })  # fmt: skip
    check = data["check"]["self_reported_im_img"]
    shape = spec.rank_list_dispersion
    model_median = _median_of(
        interviews_pmf(int(check["applications_median"]), rate.central, shape)
    )
    rows.append({
        "link": "applications -> interviews (IMGs in internal medicine)",
        "public": f"median {check['interviews_median']} interviews from a median {check['applications_median']} applications (n = {check['n']})",
        "public_value": float(check["interviews_median"]), "model_value": model_median, "role": "check (self-reported, biased sample)",
        "source": check["source"], "grade": check["grade"],
    })  # fmt: skip
    co_rows = _co_specialties()
    im_step2 = next((row[3] for row in co_rows if row[0] == model.specialties[im].name), None)
    factor, _ = link_factor(year, "non_us_img")
    pmf, mix = _average_non_us_img(markets, model, im, apps, draws, im_step2, factor)
    pmf = _active(pmf)  # Charting Outcomes counts applicants who ranked a program
    co = data["check"]["charting_outcomes_im"]
    matched = pmf * mix
    unmatched = pmf * (1 - mix)
    rows.append({
        "link": "interviews -> Match (non-US IMGs preferring internal medicine), matched",
        "public": "median contiguous ranks of the matched", "public_value": float(co["ranks_median_matched"]),
        "model_value": _median_of(matched), "role": "check", "source": co["source"], "grade": co["grade"],
    })  # fmt: skip
    rows.append({
        "link": "interviews -> Match (non-US IMGs preferring internal medicine), unmatched",
        "public": "median contiguous ranks of the unmatched", "public_value": float(co["ranks_median_unmatched"]),
        "model_value": _median_of(unmatched), "role": "check", "source": co["source"], "grade": co["grade"],
    })  # fmt: skip
    rows.append({
        "link": f"applications -> Match (non-US IMGs preferring internal medicine, Step 2 CK {im_step2 or 0:.0f}, {apps} applications)",
        "public": "share matched to internal medicine", "public_value": float(co["match_rate"]),
        "model_value": float(matched.sum()), "role": "check", "source": co["source"], "grade": co["grade"],
    })  # fmt: skip
    for name, public, n, step2 in co_rows:
        index = next((i for i, sp in enumerate(model.specialties) if sp.name == name), None)
        if index is None or index == im:
            continue
        pmf_s, mix_s = _average_non_us_img(
            markets, model, index, apps, max(100, draws // 2), step2, factor
        )
        pmf_s = _active(pmf_s)
        at = "" if step2 is None else f", Step 2 CK {step2:.0f}"
        rows.append({
            "link": f"applications -> Match (non-US IMGs preferring {name}{at}, {apps} applications)",
            "public": f"share matched to it (n = {n:,})", "public_value": public,
            "model_value": float((pmf_s * mix_s).sum()), "role": "check (per specialty)",
            "source": "NRMP Charting Outcomes: Non-U.S. IMGs 2026, Table 1, via saieeshb/img-match-2026 (catalog/nrmp_charting_outcomes_2026_non_us_img_summary.csv) [S]",
            "grade": "M",
        })  # fmt: skip
    parts = [(n, r["model_value"], public) for r, (_, n, public) in zip(
        [r for r in rows if r["link"].startswith("applications -> Match")],
        [(row[0], row[2], row[1]) for row in co_rows if any(sp.name == row[0] for sp in model.specialties)],
        strict=False,
    )]  # fmt: skip
    if parts and factor != 1.0:
        weight = sum(n for n, _, _ in parts)
        rows.append({
            "link": f"applications -> Match (non-US IMGs, pooled over the {len(parts)} specialties above)",
            "public": "share matched to the preferred specialty", "public_value": sum(n * p for n, _, p in parts) / weight,
            "model_value": sum(n * m for n, m, _ in parts) / weight, "role": f"fitted (the link factor {factor:g})",
            "source": "NRMP Charting Outcomes: Non-U.S. IMGs 2026, Table 1 [S]", "grade": "M",
        })  # fmt: skip
    for kind in ("us_md_senior", "us_do_senior", "us_img", "non_us_img"):
        target = model.types[kind].target_match_rate
        if target is None:
            continue
        simulated = float(np.mean([m.summary.rate_by_type[kind] for m in markets]))
        rows.append({
            "link": f"the Match, national ({TYPE_LABELS[kind]})", "public": f"NRMP {model.year} match rate",
            "public_value": target / 100, "model_value": simulated, "role": "fitted (calibration)",
            "source": model.sources.get(f"applicant_types.{kind}.target_match_rate", ""), "grade": "M",
        })  # fmt: skip
    for row in rows:
        row["gap"] = row["model_value"] - row["public_value"]
        row["unit"] = "count" if ("median" in row["public"] or "per" in row["public"]) else "share"
    return rows


def funnel_calibration_markdown(
    rows: Sequence[dict[str, Any]], *, runs: int, seed: int, year: int, today: date
) -> str:
    def shown(value: float, share: bool) -> str:
        return f"{100 * value:.1f}%" if share else f"{value:.2f}".rstrip("0").rstrip(".")

    lines = [
        "# Calibration of the odds funnel",
        "",
        (
            f"Generated by `python scripts/refresh_odds_docs.py` on {today.isoformat()} ({runs} stored simulated "
            f"Matches of the {year} model, seed {seed}). Each link of the funnel of `imgpath odds` beside the public "
            "figure it must reproduce. *Fitted* rows hold by construction or calibration and show the funnel is "
            "wired as documented; *check* rows were not used to build the model and show how far it is from the "
            "data it was not fitted to. What the funnel is: [simulation and odds](../explanation/simulation-and-odds.md)."
        ),
        "",
        "| link | public figure | public | model | gap | role | grade | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        share = (
            row["public_value"] <= 1
            and "ranks" not in row["public"]
            and "interviews" not in row["public"]
        )
        gap = f"{100 * row['gap']:+.1f} points" if share else f"{row['gap']:+.2f}"
        lines.append(
            f"| {row['link']} | {row['public']} | {shown(row['public_value'], share)} | "
            f"{shown(row['model_value'], share)} | {gap} | {row['role']} | {row['grade']} | {row['source']} |"
        )
    lines += [
        "",
        "## Reading this",
        "",
        "- The interview yield is the one at which the type's average applications give its average programs",
        "  ranked among applicants with an interview; the range carried to every answer widens with the",
        "  grade of the figures (funnel.yaml). Interviews vary between people (beta-binomial).",
        "- Link 2 for non-US IMGs carries a factor fitted to the pooled row (funnel_fit_2026.yaml): the",
        "  national Match counts matches in any specialty, Charting Outcomes and a person's funnel one.",
        "- Medians of ranks are of the model's interviews (every interview is ranked); Charting Outcomes",
        "  counts contiguous ranks in the preferred specialty, so the two are close but not the same measure.",
        "- Charting Outcomes counts active applicants (who ranked a program), so its rows are compared with",
        "  the model's applicants with one interview or more; a person's own answer counts the chance of none.",
        "- Large gaps in check rows are findings, not tuned away: the model is not fitted to them.",
        "- Per specialty, the person in each row has the Step 2 CK of those who preferred it (Charting",
        "  Outcomes' matched and unmatched medians, weighted), the type's visa need and every visa open.",
        "  The model screens non-US IMGs alike in every specialty (one share of programs that rank them),",
        "  so these rows show where specialties screen differently. They are not fitted per specialty:",
        "  the published rates are of self-selected applicants (who chose the specialty, and applied there",
        "  as they saw fit), and the model's specialties with advanced (PGY-2) positions, such as",
        "  anesthesiology and radiology, are too crude for their gaps to be read as screening alone.",
    ]
    return "\n".join(lines) + "\n"
