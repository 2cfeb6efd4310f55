"""The market model as a reference page: every figure, the fitted value, its source and grade.

Generated (``make docs``) rather than written by hand so that the page cannot drift from the
parameters the simulation actually uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from imgpath.core.market.model import APPLICANT_TYPES, TYPE_LABELS
from imgpath.services.market_model import MODEL_FILE, base_params, calibration

__all__ = ["MEANINGS", "grade_of", "model_markdown"]

MEANINGS = {
    "count": "applicants of the type who ranked programs",
    "visa_blocked_share": "share of non-US IMGs needing a visa who can get none (full travel ban): no program ranks them",
    "j1_blocked_share": "share of non-US IMGs needing a visa whose J-1 is blocked (partial ban): only H-1B sponsors rank them",
    "target_match_rate": "NRMP's PGY-1 match rate for the type (%), the calibration target",
    "rank_list_mean": "mean number of programs ranked (before `rank_length_scale`)",
    "rank_list_dispersion": "negative binomial shape of list lengths (smaller = more spread)",
    "specialties_per_applicant": "mean specialties ranked; the extra ones are backups",
    "visa_need_share": "share needing a J-1 or H-1B",
    "strength_offset": "programs' average judgement of the type, in SDs",
    "couple_share": "share of couples' partners of this type",
    "considered_share": "share of an applicant's programs that rank the applicant in turn",
    "step2ck_mean": "mean Step 2 CK",
    "step2ck_sd": "SD of Step 2 CK",
    "j1_share": "share of programs that sponsor J-1",
    "h1b_share": "share of programs that sponsor H-1B",
    "noise_sd": "spread of different programs' judgements of one applicant",
    "interview_spread": "how far from their own standing applicants interview",
    "region_taste": "weight on programs in one's own region",
    "size_shape": "gamma shape of program sizes",
    "couples": "couples in the Match",
    "max_pairs": "longest couple rank list (NRMP limit)",
    "reversions": "reversion rules between programs",
    "rank_length_scale": "multiplies every type's rank-list mean",
    "backup_share_of_list": "share of a list given to backup specialties",
    "supplemental_mean": "mean programs on a supplemental list",
    "prelim_demand_share": "share of a preliminary specialty's NRMP applicants who chose it as their own",
    "regions": "regions programs and applicants are placed in",
    "target_fill_rate": "NRMP's share of positions filled (%), the calibration target",
    "step2ck_gap": "matched minus unmatched mean Step 2 CK of non-US IMGs, in SDs",
    "step2ck_weight": "share of programs' judgement carried by Step 2 CK",
}


def grade_of(source: str) -> str:
    """Confidence grade from the source's tag: H two sources or official, M one secondary source or
    derived from bundled data, U an assumption (needs confirmation), F fitted by the calibration."""
    if "[A]" in source or "[U]" in source:
        return "U"
    if source.startswith("calibrated"):
        return "F"
    if "[V]" in source or "[S×2]" in source:
        return "H"
    return "M"


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _row(key: str, name: str, value: Any, fitted: Any, source: str) -> str:
    shown = _value(value) if fitted is None else f"{_value(fitted)} (fitted; data {_value(value)})"
    grade = grade_of(source) if fitted is None else "F"
    note = "needs confirmation" if grade == "U" else ""
    meaning = MEANINGS.get(name, "")
    return f"| `{key}` | {meaning} | {shown} | {f'{grade} {note}'.strip()} | {source} |"


def model_markdown() -> str:
    """The reference page for the bundled model and its calibration."""
    params, sources = base_params()
    cal = calibration()
    fitted: Mapping[str, Any] = cal.get("parameters", {})
    fitted_types: Mapping[str, Any] = fitted.get("applicant_types", {})
    lines = [
        f"# Reference: the {params['year']} national Match model",
        "",
        (
            f"Generated from `src/imgpath/data/market/{MODEL_FILE}`"
            + (f" with `model_{params['year']}.yaml` on top" if params["year"] != 2025 else "")
            + ", the bundled NRMP tables and the "
            f"calibration of {cal.get('fitted', 'unknown date')} by `scripts/gen_docs.py` (`make docs`); "
            "a test keeps it current. What the model is and why: "
            "[simulation and odds](../explanation/simulation-and-odds.md). How to change any figure: "
            "[simulate a scenario](../how-to/simulate-a-scenario.md)."
        ),
        "",
        (
            "**Grades.** H: an official page or two secondary sources that agree; M: one secondary source, "
            "or derived here from bundled NRMP data; F: fitted by `imgpath market calibrate` "
            f"([report](calibration-{params['year']}.md)); U: an assumption of the model, **needs confirmation** "
            "(no source found; the calibration absorbs part of its effect)."
        ),
        "",
        "## Applicant types",
    ]
    for kind in APPLICANT_TYPES:
        lines += ["", f"### {TYPE_LABELS[kind]} (`{kind}`)", "", "| key | meaning | value | grade | source |", "|---|---|---|---|---|"]  # fmt: skip
        for name, value in params["applicant_types"][kind].items():
            key = f"applicant_types.{kind}.{name}"
            lines.append(_row(key, name, value, fitted_types.get(kind, {}).get(name), sources.get(key, "")))  # fmt: skip
    lines += [
        "",
        "## Programs",
        "",
        "| key | meaning | value | grade | source |",
        "|---|---|---|---|---|",
    ]
    for name, value in params["programs"].items():
        key = f"programs.{name}"
        lines.append(_row(key, name, value, None, sources.get(key, "")))
    lines += ["", "## The whole market", "", "| key | meaning | value | grade | source |", "|---|---|---|---|---|"]  # fmt: skip
    for name, value in params.items():
        if name in ("year", "applicant_types", "programs", "specialties", "policy"):
            continue
        lines.append(_row(name, name, value, fitted.get(name), sources.get(name, "")))
    lines += [
        "",
        "## Policy: scenario keys",
        "",
        (
            "Who can match depends on visa policy on the rank-list day. These keys make it a one-line "
            "scenario: `programs.j1_share` (J-1 availability: the share of programs sponsoring J-1), "
            "`programs.h1b_share` (H-1B sponsorship), and the two below. Instead of the shares, a scenario "
            "may give `policy.travel_ban: {on: DAY, nationality_shares: {CC: share}, extra: {CC: full | j1}}`: "
            "the bans in force on that day come from the pathway rules (`US.VISA.TRAVELBAN`), `extra` widens "
            "them, and the shares are computed (example: `examples/scenarios/travel-ban-wider.yaml`)."
        ),
        "",
        "| key | meaning | value | grade | source |",
        "|---|---|---|---|---|",
    ]
    for name, value in params.get("policy", {}).items():
        key = f"policy.{name}"
        lines.append(_row(key, name, value, None, sources.get(key, "")))
    specialties: Mapping[str, Mapping[str, Any]] = params["specialties"]
    lines += [
        "",
        f"## Specialties ({len(specialties)})",
        "",
        "How each column is derived:",
        "",
        *(f"- `{k}`: {v}" for k, v in sources.items() if k.startswith("specialties.")),
        "",
        "| specialty | programs | PGY-1 positions | advanced positions | preliminary | applicants (MD / DO / US IMG / non-US IMG) | IMG share of matches |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in sorted(specialties.items(), key=lambda kv: -(kv[1]["pgy1_positions"] + kv[1]["advanced_positions"])):  # fmt: skip
        d = s["demand"]
        demand = " / ".join(f"{d[k]:,.0f}" for k in APPLICANT_TYPES[:4])
        share = "" if s["target_img_share"] is None else f"{s['target_img_share']:.1%}"
        lines.append(
            f"| {name} | {s['programs']:,} | {s['pgy1_positions']:,} | {s['advanced_positions']:,} | "
            f"{'yes' if s['prelim'] else ''} | {demand} | {share} |"
        )
    return "\n".join(lines) + "\n"
