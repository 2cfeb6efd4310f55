"""Facts: what the rules look at, derived from a profile on a given day.

Every fact is declared once in :data:`FACTS` with a description and the question to ask when it is
unknown (None).  Rules' conditions may only use declared facts (a test checks it), and a plan's
questions come from here, so a rule never guesses what a person did not say.

Some facts depend on rules in force on a date other than the evaluation day: whether an OET
sitting counts depends on the OET rule in force *on the test date*; whether Step 1 has a score
depends on the exam date.  Those are computed here with the rule book, and the rule that decided
is recorded in :attr:`Facts.decided_by`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from imgpath.core.geography import US_AND_TERRITORIES
from imgpath.core.pathway.profile import ExamAttempt, Profile
from imgpath.core.pathway.rules import Rule, RuleBook

__all__ = [
    "FACTS",
    "FactSpec",
    "Facts",
    "declared",
    "derive_facts",
    "questions_for",
    "years_between",
]


@dataclass(frozen=True)
class FactSpec:
    """A declared fact: what it means and what to ask when it is unknown.

    A derived fact has no question of its own; ``asks`` names the facts it is derived from, whose
    questions are asked instead.
    """

    description: str
    question: str = ""
    asks: tuple[str, ...] = ()


_EXAM_FACTS = {
    "passed": (
        "passed {exam}",
        "Have you passed {exam}? Add each attempt with its date and result.",
    ),
    "pass_date": ("date {exam} was passed", ""),
    "failures": ("failed attempts at {exam}", ""),
    "attempts": ("attempts at {exam} (including incomplete)", ""),
    "pending": ("{exam} is scheduled or awaiting its result", ""),
    "score": ("latest three-digit score at {exam}", ""),
    "last_date": ("date of the latest completed attempt at {exam}", ""),
    "latest_passed": ("the latest completed attempt at {exam} was a pass", ""),
}
_EXAM_NAMES = {
    "step1": "USMLE Step 1",
    "step2ck": "USMLE Step 2 CK",
    "step3": "USMLE Step 3",
    "step2cs": "USMLE Step 2 CS (discontinued 2021)",
    "plab1": "PLAB 1",
    "plab2": "PLAB 2",
    "mccqe1": "MCCQE Part I",
    "nac": "the NAC examination",
    "amc_cat": "the AMC CAT MCQ",
    "amc_clinical": "the AMC Clinical Examination",
    "amc_wba": "an AMC-accredited workplace-based assessment",
}

FACTS: dict[str, FactSpec] = {
    # --- school and IMG status
    "school.country": FactSpec(
        "country of the medical school",
        "In which country is your medical school (two-letter code)?",
    ),
    "school.in_us_or_canada": FactSpec(
        "the school is in the US, a US territory or Canada", asks=("school.country",)
    ),
    "school.wdoms_ecfmg_note": FactSpec(
        "the school's WDOMS entry has an ECFMG note covering the graduation year",
        "Does your school's entry in the World Directory of Medical Schools (WDOMS) carry an ECFMG note on its Sponsor Notes tab, covering your graduation year?",
    ),
    "school.wdoms_canada_note": FactSpec(
        "the school's WDOMS entry has a Canada sponsor note",
        "Does your school's WDOMS entry carry a Canada sponsor note?",
    ),
    "school.gmc_acceptable": FactSpec(
        "the degree is an acceptable primary medical qualification for the GMC",
        "Is your degree on the GMC's list of acceptable overseas primary medical qualifications?",
    ),
    "school.graduated": FactSpec(
        "the basic medical degree has been awarded",
        "When did (or will) you graduate from medical school?",
    ),
    "school.graduation_date": FactSpec(
        "graduation date", "When did (or will) you graduate from medical school?"
    ),
    "school.years_since_graduation": FactSpec(
        "years since graduation", "When did you graduate from medical school?"
    ),
    "school.credit_years": FactSpec(
        "credit years of medical curriculum",
        "How many years of medical curriculum did you complete?",
    ),
    "img.is_img": FactSpec(
        "an international medical graduate (school outside the US and Canada)",
        asks=("school.country",),
    ),
    # --- citizenship and status
    "person.us_citizen": FactSpec("a US citizen", "Are you a US citizen? List your citizenships."),
    "person.permanent_resident": FactSpec(
        "a US permanent resident",
        "What is your US immigration status (citizen, permanent resident, H-1B, J-1, F-1, none)?",
    ),
    "person.needs_visa": FactSpec(
        "needs a US visa to train",
        "What is your US immigration status (citizen, permanent resident, H-1B, J-1, F-1, none)?",
    ),
    "person.nationalities": FactSpec(
        "nationalities", "What are your citizenships (two-letter codes)?"
    ),
    "person.in_us": FactSpec("physically in the US", "Are you in the US now, and in which status?"),
    "person.good_standing": FactSpec(
        "in good standing (no discipline)",
        "Have you ever been disciplined, or is any action pending against your licence?",
    ),
    # --- USMLE and other exams: generated below
    "usmle.max_failures": FactSpec("most failed attempts at any USMLE Step"),
    "step1.pass_counts": FactSpec(
        "the Step 1 pass still counts for ECFMG certification (seven-year window)",
        asks=("step1.passed",),
    ),
    "step2ck.pass_counts": FactSpec(
        "the Step 2 CK pass still counts for ECFMG certification (seven-year window)",
        asks=("step2ck.passed",),
    ),
    "step1.lapsed_on": FactSpec("day the Step 1 pass stopped counting for ECFMG certification"),
    "step2ck.lapsed_on": FactSpec(
        "day the Step 2 CK pass stopped counting for ECFMG certification"
    ),
    "step1.retake_from": FactSpec("earliest day of the next Step 1 attempt (USMLE spacing rules)"),
    "step2ck.retake_from": FactSpec(
        "earliest day of the next Step 2 CK attempt (USMLE spacing rules)"
    ),
    "step3.retake_from": FactSpec("earliest day of the next Step 3 attempt (USMLE spacing rules)"),
    "step1.may_sit": FactSpec("the USMLE spacing rules allow a Step 1 attempt today"),
    "step2ck.may_sit": FactSpec("the USMLE spacing rules allow a Step 2 CK attempt today"),
    "step3.may_sit": FactSpec("the USMLE spacing rules allow a Step 3 attempt today"),
    "plab1.pass_valid": FactSpec(
        "the PLAB 1 pass is still valid for booking and passing PLAB 2", asks=("plab1.passed",)
    ),
    "plab1.valid_until": FactSpec("last day the PLAB 1 pass is valid"),
    "plab1.validity_years": FactSpec("years a PLAB 1 pass is valid under the rule of the day"),
    "plab2.age_years": FactSpec("years since the PLAB 2 pass"),
    "mccqe1.fourth_attempt_from": FactSpec(
        "earliest day of a fourth MCCQE Part I attempt (1 year after the third attempt's result)"
    ),
    "mccqe1.may_sit": FactSpec("the MCC's waiting period allows an MCCQE Part I attempt today"),
    "usmle.window_years": FactSpec(
        "years from the first passed exam to the last one needed for certification (or to today)",
        asks=("step1.passed",),
    ),
    "usmle.all_steps_years": FactSpec(
        "years from the first passed Step to the Step 3 pass (or to today)"
    ),
    "license.route_open": FactSpec(
        "at least one route to a full licence is open now in a target state (see licensure)",
        asks=("target.states",),
    ),
    # --- OET and English
    "oet.passed": FactSpec(
        "an OET Medicine sitting meets ECFMG's scores (by the rule in force on the test date)",
        "Have you taken OET Medicine? Add each sitting with its date and four scores.",
    ),
    "oet.pass_date": FactSpec("date of the qualifying OET sitting"),
    "oet.season_cutoff": FactSpec("earliest OET test date ECFMG accepts for the target season"),
    "ecfmg.p1_license_ok": FactSpec(
        "a licence abroad valid on or after the Pathway 1 cutoff of the target season",
        asks=("training.foreign_license_active",),
    ),
    "ecfmg.p2_5_graduation_ok": FactSpec(
        "graduated on or after the Pathways 2-5 cutoff of the target season",
        asks=("school.graduation_date",),
    ),
    "plab2.register_by": FactSpec(
        "day by which the GMC should approve registration (2 years after PLAB 2)"
    ),
    "oet.decided_by": FactSpec(
        "the OET rule version in force on the qualifying sitting's test date"
    ),
    "oet.valid_for_season": FactSpec(
        "the qualifying OET sitting is on or after the earliest test date ECFMG accepts for the target season",
        "Which is the earliest OET test date ECFMG accepts for your Pathways season? It is not in our sources: check ECFMG's Pathways page.",
    ),
    "oet.grade_b_all": FactSpec("an OET sitting has grade B (350) in all four sub-tests"),
    "oet.age_years": FactSpec("years since the latest OET sitting"),
    "ielts.meets_gmc": FactSpec("an IELTS sitting has 7.5 overall and 7.0 in each band"),
    "ielts.gmc_age_years": FactSpec(
        "years since the latest IELTS sitting with the GMC's scores (7.5 overall, 7.0 each)"
    ),
    "oet.grade_b_age_years": FactSpec(
        "years since the latest OET sitting with grade B (350) in all four sub-tests"
    ),
    "english.au_met": FactSpec(
        "an English test meets the Medical Board of Australia's standard for its test date "
        "and is less than 2 years old",
        "Have you taken IELTS Academic or OET Medicine? Add each sitting with its date and scores.",
    ),
    "english.au_decided_by": FactSpec("the Australian English standard that judged the sitting"),
    "ielts.meets_ahpra_2015": FactSpec("an IELTS sitting has 7 overall and 7 in each band"),
    "ielts.meets_ahpra_2025": FactSpec(
        "an IELTS sitting has 7 overall and at least 6.5 in Writing (as one guide describes the 2025 standard)"
    ),
    "person.ca_citizen_or_pr": FactSpec(
        "a Canadian citizen or permanent resident",
        "Are you a Canadian citizen or permanent resident? (set ca_status)",
    ),
    "ielts.age_years": FactSpec("years since the latest IELTS sitting"),
    # --- ECFMG
    "ecfmg.application_submitted": FactSpec(
        "the Application for ECFMG Certification is submitted",
        "Have you submitted the Application for ECFMG Certification (with Form 186)?",
    ),
    "ecfmg.pathway": FactSpec("the Pathway (1-6) applied for"),
    "ecfmg.pathway_applied": FactSpec(
        "a Pathway application is submitted",
        "Have you applied to an ECFMG Pathway? Which one, for which season, and its status?",
    ),
    "ecfmg.pathway_accepted": FactSpec(
        "a Pathway is accepted", "Has ECFMG accepted your Pathway application?"
    ),
    "ecfmg.pathway_rejected": FactSpec(
        "the latest Pathway application was rejected (or closed incomplete)",
        asks=("ecfmg.pathway_applied",),
    ),
    "ecfmg.clinical_skills_met": FactSpec(
        "the clinical and communication skills requirement is met (Step 2 CS pass, or a Pathway plus OET)",
        asks=("ecfmg.pathway_accepted",),
    ),
    "ecfmg.credentials_verified": FactSpec(
        "ECFMG has verified the diploma and final transcript",
        "Has ECFMG verified your final diploma and transcript?",
    ),
    "ecfmg.exams_met": FactSpec(
        "Step 1, Step 2 CK and clinical skills are met (what NRMP needs confirmed by the rank-list deadline)",
        asks=("ecfmg.pathway_accepted",),
    ),
    "ecfmg.credentials_in_progress": FactSpec(
        "ECFMG is verifying the diploma and transcript", asks=("ecfmg.credentials_verified",)
    ),
    "ecfmg.certified": FactSpec(
        "holds an ECFMG certificate",
        "Do you hold an ECFMG certificate? When was it issued, and through which route?",
    ),
    "ecfmg.certificate_expired": FactSpec(
        "the (Pathway) ECFMG certificate has expired",
        "When does your Pathway-based ECFMG certificate expire?",
    ),
    "ecfmg.certificate_permanent": FactSpec(
        "the ECFMG certificate is valid indefinitely (Step 2 CS based, or 12+ months of ACGME training)",
        asks=("ecfmg.certificate_expired", "training.us_gme_months"),
    ),
    "ecfmg.statement_of_need": FactSpec(
        "has a Statement of Need from the home ministry of health",
        "Do you have (or can you get) a Statement of Need from your home country's ministry of health?",
    ),
    "ecfmg.failed_step2cs": FactSpec("failed Step 2 CS at least once"),
    "ecfmg.certificate_basis": FactSpec(
        "what the certificate rests on: step2cs (standard) or pathway", asks=("ecfmg.certified",)
    ),
    "ecfmg.certificate_date": FactSpec("date the ECFMG certificate was issued"),
    "ecfmg.certificate_valid": FactSpec(
        "holds an ECFMG certificate that has not expired",
        asks=("ecfmg.certified", "ecfmg.certificate_expired"),
    ),
    "person.j1_212e": FactSpec(
        "subject to the two-year home-country requirement of INA 212(e) (a J-1 physician now or before)",
        "Have you held J-1 status for clinical training? (set j1.held, and j1.waiver if you have one)",
    ),
    "person.j1_212e_cleared": FactSpec(
        "the 212(e) requirement is waived or fulfilled (2 years at home)",
        "Do you have an approved waiver of the two-year home-country requirement, or 2 years back home? (j1.waiver, j1.home_years)",
    ),
    "person.j1_waiver": FactSpec("status of a 212(e) waiver: none, applied or approved"),
    "uk.training_priority": FactSpec(
        "in a group the Medical Training (Prioritisation) Act 2026 puts first for UK training places",
        "What is your UK immigration status (British citizen, indefinite leave to remain, EU Settlement Scheme, visa, none)? (uk_status)",
    ),
    "application.service": FactSpec(
        "the residency application service of the target specialty (eras or residencycas)",
        asks=("target.specialty",),
    ),
    # --- training and practice
    "training.abroad_postgrad_years": FactSpec(
        "years of postgraduate training abroad",
        "How many years of postgraduate (residency) training did you complete abroad?",
    ),
    "training.abroad_practice_years": FactSpec(
        "years of practice abroad after training",
        "How many years have you practised as a licensed physician abroad?",
    ),
    "training.practice_last_5": FactSpec(
        "years practised in the last 5", "How many of the last 5 years did you practise?"
    ),
    "training.practice_last_10": FactSpec(
        "years practised in the last 10", "How many of the last 10 years did you practise?"
    ),
    "training.foreign_license_active": FactSpec(
        "holds an active full licence abroad",
        "Do you hold a current, full licence to practise abroad? Add it with its dates.",
    ),
    "training.foreign_license_recent": FactSpec(
        "holds a full licence abroad that is current or expired within 5 years",
        "Do you hold a full licence abroad (current, or expired within the last 5 years)?",
    ),
    "training.license_issued": FactSpec(
        "date the full licence abroad was issued", "When was your full licence abroad issued?"
    ),
    "training.us_gme_months": FactSpec(
        "months of ACGME-accredited training completed",
        "How many months of ACGME-accredited residency have you completed?",
    ),
    "training.us_gme_years": FactSpec(
        "years of ACGME-accredited training completed",
        "How many months of ACGME-accredited residency have you completed?",
    ),
    "training.practice_5_of_6": FactSpec(
        "practised at least 5 of the last 6 years (certain with 5 of the last 5; unknown with 4)",
        "How many of the last 6 years did you practise full time?",
        asks=("training.practice_last_5",),
    ),
    "usce.months": FactSpec(
        "months of US clinical experience",
        "List your US clinical rotations (months, hands-on or observership).",
    ),
    "usce.hands_on_months": FactSpec("months of hands-on US clinical experience"),
    # --- targets and progress
    "target.destination": FactSpec("destination country"),
    "target.match_year": FactSpec("target Match year", "Which Match year are you aiming for?"),
    "target.states": FactSpec(
        "target US states", "In which US states do you want to train or practise?"
    ),
    "target.visa": FactSpec("preferred visa"),
    "target.specialty": FactSpec("the specialty applied in", "Which specialty will you apply in?"),
    "target.programs": FactSpec(
        "programs to apply to", "How many programs do you plan to apply to?"
    ),
    "target.specialties": FactSpec(
        "specialties to apply in", "In how many specialties will you apply?"
    ),
    "progress.eras_submitted": FactSpec(
        "ERAS application submitted",
        "Have you submitted your ERAS application for your target Match?",
    ),
    "progress.nrmp_registered": FactSpec(
        "registered for the NRMP Match", "Have you registered for the NRMP Main Residency Match?"
    ),
    "progress.rank_list_certified": FactSpec(
        "rank order list certified", "Have you certified your rank order list?"
    ),
    "progress.matched": FactSpec("matched to a residency position", "Did you match?"),
    "progress.residency_started": FactSpec("residency has started"),
    "progress.licensed": FactSpec("holds a full US state licence"),
    # --- the target Match season as of the day asked (set from the calendar of that year)
    "season.eras_opens": FactSpec("day the ERAS season of the target Match opens"),
    "season.eras_submit": FactSpec("first day ERAS applications go to programs"),
    "season.programs_review": FactSpec("first day programs review ERAS applications"),
    "season.rol_deadline": FactSpec("rank order list certification deadline of the target Match"),
    "season.match_day": FactSpec("Match Day of the target Match"),
    "season.eras_opened": FactSpec("the ERAS season of the target Match has opened"),
    "season.submissions_open": FactSpec("ERAS applications of the target Match can go to programs"),
    "season.programs_reviewing": FactSpec("programs have started reviewing applications"),
    "season.rol_deadline_passed": FactSpec("the rank-list deadline of the target Match has passed"),
    "season.over": FactSpec("Match Day of the target Match has passed"),
    # --- per-state offer (set while evaluating one state)
    "offer.exists": FactSpec(
        "has a job offer in this state",
        "Do you have a job offer in this state? Add it under job_offers.",
    ),
    "offer.full_time": FactSpec("the offer is full time", "Is the job offer full time?"),
    "offer.hospital": FactSpec(
        "the offer is from a hospital or hospital-owned facility",
        "Is the employer a hospital (or owned by one)?",
    ),
    "offer.academic": FactSpec(
        "the employer runs ACGME-accredited training programs",
        "Does the employer run ACGME-accredited training programs?",
    ),
    "offer.underserved": FactSpec(
        "the job is in an HPSA, MUA or MUP",
        "Is the job in a health professional shortage area or medically underserved area?",
    ),
    "offer.rural": FactSpec("the job is rural", "Is the job in a rural area?"),
    "offer.group_practice": FactSpec(
        "the job is in a group practice", "Is the job offer from a group practice?"
    ),
}
for _exam, _name in _EXAM_NAMES.items():
    for _key, (_desc, _question) in _EXAM_FACTS.items():
        FACTS[f"{_exam}.{_key}"] = FactSpec(_desc.format(exam=_name), _question.format(exam=_name))
FACTS["step1.pass_fail_only"] = FactSpec(
    "Step 1 was taken on or after 2022-01-26 and reported pass/fail"
)
for _exam in ("plab1", "plab2", "mccqe1", "nac", "amc_cat", "amc_clinical", "amc_wba"):
    FACTS[f"{_exam}.attempts_since_2018"] = FactSpec(f"attempts at {_EXAM_NAMES[_exam]} since 2018")

_STEP_FACT = re.compile(r"^steps\.[a-z0-9_]+\.(done|status)$")


def declared(name: str) -> bool:
    """Whether a condition may use fact ``name`` (a registered fact, or a step's outcome)."""
    return name in FACTS or bool(_STEP_FACT.match(name))


def questions_for(missing: Iterable[str]) -> dict[str, str]:
    """The questions to ask for unknown facts, following ``asks`` to the facts behind derived ones."""
    out: dict[str, str] = {}
    todo = list(missing)
    seen: set[str] = set()
    while todo:
        name = todo.pop(0)
        if name in seen:
            continue
        seen.add(name)
        spec = FACTS.get(name)
        if spec is None:
            continue
        if spec.question and spec.question not in out.values():
            out.setdefault(name, spec.question)
        todo.extend(spec.asks)
    return out


@dataclass
class Facts:
    """Derived facts (None = unknown) and, for date-dependent ones, the rule that decided."""

    values: dict[str, Any]
    decided_by: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    def with_values(self, extra: Mapping[str, Any]) -> Facts:
        return Facts({**self.values, **extra}, dict(self.decided_by))


def years_between(start: date, end: date) -> float:
    return (end - start).days / 365.25


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)  # pragma: no cover


def _retake_from(attempts: Iterable[ExamAttempt], params: Mapping[str, Any]) -> date | None:
    """The earliest day of the next attempt under the USMLE spacing rules (None: no constraint).

    At most ``per_year`` attempts in any 12 months; from the fourth attempt on, at least
    ``after_first_months`` after the first and ``after_latest_months`` after the latest.
    """
    done = sorted(a.date for a in attempts if a.result in ("fail", "incomplete"))
    if any(a.result == "pass" for a in attempts):
        return None
    per_year = int(params["per_year"])
    if len(done) < per_year:
        return None
    return max(
        add_months(done[-per_year], 12),
        add_months(done[0], int(params["after_first_months"])),
        add_months(done[-1], int(params["after_latest_months"])),
    )


def _ecfmg_window(passes: Mapping[str, date], years: int, on: date) -> dict[str, date]:
    """Which passes stopped counting for certification, and when (ECFMG's seven-year window).

    All exams required for certification must be passed within ``years`` of the first passed
    exam; otherwise the earliest pass stops counting and the window restarts at the next one.
    """
    required = {"step1", "step2ck"}
    live = dict(passes)
    lapsed: dict[str, date] = {}
    while live:
        first_exam, first = min(live.items(), key=lambda kv: kv[1])
        end = add_months(first, 12 * years)
        if required <= set(live) and max(live.values()) <= end:
            break  # complete within the window
        if on <= end:
            break  # still time
        lapsed[first_exam] = end
        del live[first_exam]
    return lapsed


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _exam_facts(name: str, attempts: Iterable[ExamAttempt], on: date) -> dict[str, Any]:
    attempts = sorted(attempts, key=lambda a: a.date)
    passes = [a for a in attempts if a.result == "pass" and a.date <= on]
    done = [a for a in attempts if a.result in ("pass", "fail", "incomplete") and a.date <= on]
    scored = [a.score for a in done if a.score is not None]
    last = done[-1] if done else None
    return {
        f"{name}.last_date": last.date if last else None,
        f"{name}.latest_passed": (last.result == "pass") if last else False,
        f"{name}.attempts_since_2018": sum(a.date.year >= 2018 for a in done),
        f"{name}.passed": bool(passes) if attempts else False,
        f"{name}.pass_date": passes[0].date if passes else None,
        f"{name}.failures": sum(a.result in ("fail", "incomplete") for a in done),
        f"{name}.attempts": len(done),
        f"{name}.pending": any(a.result in ("scheduled", "pending") for a in attempts)
        and not passes,
        f"{name}.score": scored[-1] if scored else None,
    }


def _certificate_basis(
    stated: str | None, issued: date | None, f: Mapping[str, Any], book: RuleBook
) -> str | None:
    """What a certificate rests on, when the profile does not say.

    A Step 2 CS pass makes it a standard certificate.  Without one, a certificate issued once
    the Pathways had opened must rest on a Pathway (Step 2 CS was no longer given), and one
    issued before could only rest on Step 2 CS (rule US.ECFMG.CERT.BASIS).
    """
    if stated is not None or issued is None:
        return stated
    if f.get("step2cs.passed"):
        return "step2cs"
    rule = book.rules.get("US.ECFMG.CERT.BASIS")
    if rule is None:
        return None  # without the rule, the basis stays unknown
    return "pathway" if issued >= _as_date(rule.params["pathways_opened"]) else "step2cs"


def _pathway_cutoffs(profile: Profile, book: RuleBook, on: date) -> tuple[bool | None, bool | None]:
    """Whether the licence (Pathway 1) and the graduation date (Pathways 2-5) meet the target
    season's cutoffs; unknown when the season's cutoff is not in the rule (later seasons)."""
    season = profile.targets.match_year
    p1 = book.version("US.ECFMG.PATHWAYS.P1.LICENSE_DATE", on)
    p25 = book.version("US.ECFMG.PATHWAYS.P2_5.GRAD_DATE", on)
    licence_ok: bool | None = None
    graduation_ok: bool | None = None
    cutoff = (p1.params.get("cutoffs") or {}).get(season) if p1 and season else None
    if cutoff is not None:
        day = _as_date(cutoff)
        licences = [lic for lic in profile.training_abroad.licenses if lic.full or season == 2021]
        licence_ok = any(lic.expires is None or lic.expires >= day for lic in licences)
    cutoff = (p25.params.get("cutoffs") or {}).get(season) if p25 and season else None
    grad = profile.school.graduation_date
    if cutoff is not None and grad is not None:
        graduation_ok = grad >= _as_date(cutoff)
    return licence_ok, graduation_ok


def _plab_validity(pass_date: date, rule: Rule) -> date:
    """The last day a PLAB 1 pass of ``pass_date`` is valid under ``rule`` (UK.PLAB.VALIDITY)."""
    p = rule.params
    until = add_months(pass_date, 12 * int(p["years"]))
    transition = p.get("transition")
    if transition and pass_date < _as_date(transition["passed_before"]):
        longer = add_months(pass_date, 12 * int(transition["years"]))
        until = min(longer, _as_date(transition["until"]))
    return until


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _uk_facts(
    f: dict[str, Any], decided: dict[str, str], profile: Profile, book: RuleBook, on: date
) -> None:
    """PLAB 1 validity (by the rule of the day asked), and the age of the PLAB 2 pass."""
    passes = sorted(a.date for a in profile.exams.plab1 if a.result == "pass" and a.date <= on)
    validity = book.version("UK.PLAB.VALIDITY", on)
    f["plab1.valid_until"] = None
    f["plab1.validity_years"] = validity.params["years"] if validity else None
    if passes and validity is not None:
        f["plab1.pass_date"] = passes[-1]  # a retaken PLAB 1 restarts the clock
        f["plab1.valid_until"] = _plab_validity(passes[-1], validity)
        decided["plab1.pass_valid"] = validity.id
    f["plab1.pass_valid"] = (
        f["plab1.valid_until"] >= on if f["plab1.valid_until"] else (False if not passes else None)
    )
    plab2 = f.get("plab2.pass_date")
    f["plab2.age_years"] = None if plab2 is None else years_between(plab2, on)
    window = book.version("UK.GMC.REGISTRATION_WINDOW", on)
    f["plab2.register_by"] = (
        add_months(plab2, 12 * int(window.params["window_years"])) if plab2 and window else None
    )


def _canada_facts(f: dict[str, Any], profile: Profile, book: RuleBook, on: date) -> None:
    """MCCQE Part I's waiting year before a fourth attempt; the NAC's spacing of a year."""
    attempts = sorted(
        a.date
        for a in profile.exams.mccqe1
        if a.result in ("fail", "incomplete") and a.date.year >= 2018 and a.date <= on
    )
    rule = book.version("CA.MCC.MCCQE1.ATTEMPTS", on)
    fourth = None
    if rule is not None and len(attempts) >= 3 and not f["mccqe1.passed"]:
        fourth = add_months(attempts[2], 12)
    f["mccqe1.fourth_attempt_from"] = fourth
    f["mccqe1.may_sit"] = fourth is None or on >= fourth


def _english_au(profile: Profile, book: RuleBook, on: date) -> tuple[bool | None, str | None]:
    """Whether an English test meets the Australian standard, and which version judged it.

    The standard in force on the day asked applies, except that from 2026-04-23 a sitting is
    judged by the version in force on its own test date (older sittings keep the old scores).
    Results count for 2 years.  A version whose scores are not verified judges nothing: unknown.
    """
    sittings: list[tuple[date, dict[str, float], str]] = [
        (s.date, {"listening": s.listening, "reading": s.reading, "writing": s.writing,
                  "speaking": s.speaking, "overall": s.overall}, "ielts")
        for s in profile.exams.ielts
    ]  # fmt: skip
    sittings += [
        (s.date, {"listening": s.listening, "reading": s.reading, "writing": s.writing,
                  "speaking": s.speaking}, "oet")
        for s in profile.exams.oet
    ]  # fmt: skip
    today = book.version("AU.ENGLISH", on)
    if today is None or not sittings:
        return (False if today is not None else None), None
    result: bool | None = False
    decided: str | None = None
    for when, scores, test in sorted(sittings, key=lambda x: x[0], reverse=True):
        if when > on:
            continue
        rule = today
        start = today.effective_from.first if today.effective_from else date.min
        if today.date_basis == "test" and when < start:
            # older sittings keep the scores of the standard in force just before the switch
            rule = book.version("AU.ENGLISH", start - timedelta(days=1)) or today
        valid_years = float(today.params.get("valid_years", 2))
        if years_between(when, on) > valid_years:
            continue
        minimum = rule.params.get(test)
        if minimum is None:  # this version's scores are not known
            result, decided = (None if result is False else result), decided or rule.id
            continue
        if all(scores[k] >= v for k, v in minimum.items()):
            return True, rule.id
        decided = decided or rule.id
    return result, decided


_UK_PRIORITY_PMQ = frozenset({"GB", "IE", "IS", "LI", "NO", "CH"})


def _uk_priority(profile: Profile, book: RuleBook, on: date) -> bool | None:
    """In a priority group of the Medical Training (Prioritisation) Act 2026 (rule params)."""
    rule = book.version("UK.TRAINING.PRIORITISATION", on)
    if rule is None:
        return None
    pmq = frozenset(rule.params.get("pmq_countries", _UK_PRIORITY_PMQ))
    country = profile.school.country
    if country in pmq or profile.uk_status in ("citizen", "ilr", "euss"):
        return True
    if set(profile.nationalities) & {"GB", "IE"}:
        return True
    if country is None or profile.uk_status is None:
        return None
    return False


def _application_service(profile: Profile, book: RuleBook) -> tuple[str | None, str | None]:
    """ERAS, or ResidencyCAS for the specialties that left ERAS (rule US.APP.RESIDENCYCAS)."""
    rule = book.rules.get("US.APP.RESIDENCYCAS")
    specialty = (profile.targets.specialty or "").lower()
    year = profile.targets.match_year
    if not specialty:
        return None, None
    if rule is not None:
        for words, first_match in rule.params["specialties"].items():
            if any(w in specialty for w in str(words).split("|")) and (year or 0) >= int(
                first_match
            ):
                return "residencycas", rule.id
    return "eras", None


def derive_facts(profile: Profile, on: date, book: RuleBook) -> Facts:
    """Every declared fact that the profile determines on day ``on``."""
    f: dict[str, Any] = {}
    decided: dict[str, str] = {}
    school = profile.school
    f["school.country"] = school.country
    f["school.in_us_or_canada"] = (
        None if school.country is None else school.country in (US_AND_TERRITORIES | {"CA"})
    )
    f["school.wdoms_ecfmg_note"] = _yes_no(school.wdoms_ecfmg_note)
    f["school.wdoms_canada_note"] = _yes_no(school.wdoms_canada_note)
    f["school.gmc_acceptable"] = _yes_no(school.gmc_acceptable)
    grad = school.graduation_date
    f["school.graduation_date"] = grad
    f["school.graduated"] = None if grad is None else grad <= on
    f["school.years_since_graduation"] = None if grad is None else max(years_between(grad, on), 0.0)
    f["school.credit_years"] = school.credit_years
    if f["school.in_us_or_canada"] is not None:
        f["img.is_img"] = not f["school.in_us_or_canada"]
        decided["img.is_img"] = "US.IMG.DEF"

    # --- citizenship and status
    status = profile.us_status
    nationalities = profile.nationalities
    f["person.nationalities"] = nationalities or None
    if "CA" in nationalities or profile.ca_status in ("citizen", "permanent_resident"):
        f["person.ca_citizen_or_pr"] = True
    else:
        f["person.ca_citizen_or_pr"] = False if profile.ca_status == "none" else None
    if "US" in nationalities or status == "citizen":
        f["person.us_citizen"] = True
    elif status is not None or nationalities:
        f["person.us_citizen"] = False
    else:
        f["person.us_citizen"] = None
    f["person.permanent_resident"] = (
        None if status is None and not f["person.us_citizen"] else status == "permanent_resident"
    )
    if f["person.us_citizen"]:
        f["person.needs_visa"] = False
    elif status is None:
        f["person.needs_visa"] = None
    else:
        f["person.needs_visa"] = status not in ("permanent_resident",)
    f["person.in_us"] = (
        profile.in_us
        if profile.in_us is not None
        else (True if status in ("h1b", "j1", "f1") else None)
    )
    standing = profile.training_abroad.good_standing
    if standing is None and any(
        lic.good_standing is False for lic in profile.training_abroad.licenses
    ):
        standing = False  # one licence not in good standing settles it
    f["person.good_standing"] = standing

    # --- exams
    for exam in _EXAM_NAMES:
        f.update(_exam_facts(exam, getattr(profile.exams, exam), on))
    step1_pf = book.version("US.USMLE.STEP1.PF", date.max)
    if step1_pf is not None and profile.exams.step1:
        cutoff = step1_pf.effective_from.first if step1_pf.effective_from else date.min
        f["step1.pass_fail_only"] = any(
            a.date >= cutoff for a in profile.exams.step1 if a.result == "pass"
        )
        decided["step1.pass_fail_only"] = step1_pf.id
    f["usmle.max_failures"] = max(
        f[f"{s}.failures"] for s in ("step1", "step2ck", "step3", "step2cs")
    )
    f["ecfmg.failed_step2cs"] = f["step2cs.failures"] > 0
    spacing = book.version("US.USMLE.RETAKE_SPACING", on)
    for exam in ("step1", "step2ck", "step3"):
        retake = _retake_from(getattr(profile.exams, exam), spacing.params) if spacing else None
        f[f"{exam}.retake_from"] = retake
        f[f"{exam}.may_sit"] = retake is None or on >= retake
        if retake is not None and spacing is not None:
            decided[f"{exam}.retake_from"] = spacing.id
    _uk_facts(f, decided, profile, book, on)
    _canada_facts(f, profile, book, on)

    # --- OET: each sitting judged by the rule in force on its test date
    best: date | None = None
    for sitting in sorted(profile.exams.oet, key=lambda s: s.date):
        rule = book.version("US.ECFMG.OET", sitting.date)
        if rule is None or sitting.date > on:
            continue
        minimum = rule.params
        if all(
            getattr(sitting, part) >= minimum[part]
            for part in ("listening", "reading", "writing", "speaking")
        ):
            best = sitting.date
            decided["oet.passed"] = rule.id
    f["oet.passed"] = best is not None if profile.exams.oet else False
    f["oet.decided_by"] = decided.get("oet.passed")
    f["oet.pass_date"] = best
    f["oet.grade_b_all"] = any(
        min(s.listening, s.reading, s.writing, s.speaking) >= 350 for s in profile.exams.oet
    )
    latest_oet = max((s.date for s in profile.exams.oet), default=None)
    f["oet.age_years"] = None if latest_oet is None else years_between(latest_oet, on)
    season = profile.targets.match_year
    validity = book.version("US.ECFMG.OET.VALIDITY", on)
    f["oet.valid_for_season"] = None
    f["oet.season_cutoff"] = None
    if validity is not None and best is not None and season is not None:
        cutoff_text = validity.params.get("cutoffs", {}).get(season)
        if cutoff_text is not None:
            f["oet.season_cutoff"] = _as_date(cutoff_text)
            f["oet.valid_for_season"] = best >= f["oet.season_cutoff"]
            decided["oet.valid_for_season"] = validity.id
    gmc_ielts = [
        s
        for s in profile.exams.ielts
        if s.overall >= 7.5 and min(s.listening, s.reading, s.writing, s.speaking) >= 7.0
    ]
    f["ielts.meets_gmc"] = bool(gmc_ielts) if profile.exams.ielts else False
    latest_gmc = max((x.date for x in gmc_ielts if x.date <= on), default=None)
    f["ielts.gmc_age_years"] = None if latest_gmc is None else years_between(latest_gmc, on)
    grade_b = [
        x.date
        for x in profile.exams.oet
        if min(x.listening, x.reading, x.writing, x.speaking) >= 350 and x.date <= on
    ]
    f["oet.grade_b_age_years"] = years_between(max(grade_b), on) if grade_b else None
    sittings = profile.exams.ielts
    f["ielts.meets_ahpra_2015"] = any(
        s.overall >= 7 and min(s.listening, s.reading, s.writing, s.speaking) >= 7 for s in sittings
    )
    f["ielts.meets_ahpra_2025"] = any(s.overall >= 7 and s.writing >= 6.5 for s in sittings)
    latest_ielts = max((s.date for s in profile.exams.ielts), default=None)
    f["ielts.age_years"] = None if latest_ielts is None else years_between(latest_ielts, on)

    # --- ECFMG
    e = profile.ecfmg
    f["ecfmg.application_submitted"] = e.application_submitted
    f["ecfmg.pathway"] = e.pathway
    f["ecfmg.pathway_applied"] = (
        None if e.pathway_status is None else e.pathway_status in ("applied", "accepted")
    )
    f["ecfmg.pathway_accepted"] = (
        None if e.pathway_status is None else e.pathway_status == "accepted"
    )
    f["ecfmg.pathway_rejected"] = (
        None if e.pathway_status is None else e.pathway_status == "rejected"
    )
    if f["step2cs.passed"]:
        f["ecfmg.clinical_skills_met"] = True
    elif f["ecfmg.pathway_accepted"] is None:
        f["ecfmg.clinical_skills_met"] = None
    else:
        f["ecfmg.clinical_skills_met"] = bool(f["ecfmg.pathway_accepted"] and f["oet.passed"])
    f["ecfmg.credentials_verified"] = {"yes": True, "no": False, "in_progress": False}.get(
        e.credentials_verified
    )
    f["ecfmg.credentials_in_progress"] = {"yes": False, "no": False, "in_progress": True}.get(
        e.credentials_verified
    )
    f["ecfmg.certified"] = e.certificate_date is not None and e.certificate_date <= on
    f["ecfmg.certificate_date"] = e.certificate_date if f["ecfmg.certified"] else None
    gme = profile.us_gme_months
    if gme is None and f.get("img.is_img") and not f["ecfmg.certified"]:
        gme = 0  # an IMG cannot start ACGME training without an ECFMG certificate
    f["training.us_gme_months"] = gme
    f["training.us_gme_years"] = None if gme is None else gme / 12
    basis = _certificate_basis(e.certificate_basis, e.certificate_date, f, book)
    f["ecfmg.certificate_basis"] = basis if f["ecfmg.certified"] else None
    if f["ecfmg.certified"] and e.certificate_basis is None and basis is not None:
        decided["ecfmg.certificate_basis"] = "US.ECFMG.CERT.BASIS"
    permanent: bool | None = False  # no certificate, nothing permanent
    if f["ecfmg.certified"]:
        permanent = None
        if basis == "step2cs":
            permanent = True
            decided["ecfmg.certificate_permanent"] = "US.ECFMG.CERT.VALIDITY.STANDARD"
        elif (gme is not None and gme >= 12) or profile.progress.licensed_states:
            permanent = True
        elif basis == "pathway" and gme is not None:
            permanent = False
    f["ecfmg.certificate_permanent"] = permanent
    expired: bool | None = None
    if f["ecfmg.certified"]:
        if permanent:
            expired = False
        elif e.certificate_expires is not None:
            expired = e.certificate_expires < on
    f["ecfmg.certificate_expired"] = expired
    # Valid unless known to have expired: an unknown expiry is asked about, not assumed.
    f["ecfmg.certificate_valid"] = bool(f["ecfmg.certified"]) and expired is not True
    if f["ecfmg.certified"] and expired is not True:
        # The certificate shows every requirement was met: exams, clinical skills, credentials.
        f["ecfmg.clinical_skills_met"] = True
    f["ecfmg.exams_met"] = None
    f["ecfmg.statement_of_need"] = _yes_no(e.statement_of_need)
    f["ecfmg.p1_license_ok"], f["ecfmg.p2_5_graduation_ok"] = _pathway_cutoffs(profile, book, on)
    passes = [
        d for d in (f["step1.pass_date"], f["step2ck.pass_date"], f["step2cs.pass_date"]) if d
    ]
    if passes:
        last = max(passes) if f["step1.passed"] and f["step2ck.passed"] else on
        f["usmle.window_years"] = years_between(min(passes), last)
    else:
        f["usmle.window_years"] = None
    window = book.version("US.ECFMG.EXAM.TIME_WINDOW", on)
    lapsed: dict[str, date] = {}
    if window is not None and not f["ecfmg.certified"]:
        exam_passes = {x: f[f"{x}.pass_date"] for x in ("step1", "step2ck") if f[f"{x}.pass_date"]}
        lapsed = _ecfmg_window(exam_passes, int(window.params["years"]), on)
    for exam in ("step1", "step2ck"):
        f[f"{exam}.lapsed_on"] = lapsed.get(exam)
        f[f"{exam}.pass_counts"] = bool(f[f"{exam}.passed"]) and exam not in lapsed
        if exam in lapsed and window is not None:
            decided[f"{exam}.pass_counts"] = window.id
    parts = [f["step1.pass_counts"], f["step2ck.pass_counts"], f["ecfmg.clinical_skills_met"]]
    f["ecfmg.exams_met"] = False if False in parts else (None if None in parts else True)
    if f["ecfmg.certificate_valid"]:
        f["ecfmg.exams_met"] = True
    step_passes = [d for d in (f["step1.pass_date"], f["step2ck.pass_date"]) if d]
    if step_passes:
        end = f["step3.pass_date"] or on
        f["usmle.all_steps_years"] = years_between(min(step_passes), end)
    else:
        f["usmle.all_steps_years"] = None

    # --- training and practice abroad
    t = profile.training_abroad
    f["training.abroad_postgrad_years"] = t.postgraduate_years
    f["training.abroad_practice_years"] = t.practice_years
    f["training.practice_last_5"] = t.practice_years_last_5
    f["training.practice_last_10"] = t.practice_years_last_10
    last_5 = t.practice_years_last_5  # "5 of the last 6 years" is certain at 5, impossible below 4
    f["training.practice_5_of_6"] = (
        None if last_5 is None else (True if last_5 >= 5 else (False if last_5 < 4 else None))
    )
    full = [lic for lic in t.licenses if lic.full]
    if full:
        f["training.foreign_license_active"] = any(
            lic.expires is None or lic.expires >= on for lic in full
        )
        f["training.foreign_license_recent"] = any(
            lic.expires is None or years_between(lic.expires, on) <= 5 for lic in full
        )
        issued = [lic.issued for lic in full if lic.issued]
        f["training.license_issued"] = max(issued) if issued else None
    else:
        f["training.foreign_license_active"] = False if t.licenses else None
        f["training.foreign_license_recent"] = False if t.licenses else None
        f["training.license_issued"] = None
    f["usce.months"] = sum(u.months for u in profile.usce) if profile.usce else None
    f["usce.hands_on_months"] = (
        sum(u.months for u in profile.usce if u.type in ("hands_on", "externship"))
        if profile.usce
        else None
    )

    # --- targets and progress
    tg = profile.targets
    f["target.destination"] = tg.destination
    f["target.match_year"] = tg.match_year
    f["target.states"] = tg.states or None
    f["target.visa"] = None if tg.visa == "unknown" else tg.visa
    f["target.specialty"] = tg.specialty
    f["target.programs"] = tg.programs
    f["target.specialties"] = tg.specialties
    # Progress not reported means not done yet, like an exam not listed (see the profile docs).
    pr = profile.progress
    f["progress.eras_submitted"] = bool(pr.eras_submitted)
    f["progress.nrmp_registered"] = bool(pr.nrmp_registered)
    f["progress.rank_list_certified"] = bool(pr.rank_list_certified)
    f["progress.matched"] = bool(pr.matched)
    f["progress.residency_started"] = pr.residency_start is not None and pr.residency_start <= on
    f["progress.licensed"] = bool(pr.licensed_states)

    # --- visas: INA 212(e) follows a clinical J-1, now or before
    j1 = profile.j1
    # Not stated means no J-1 history, like an exam not listed (docs/reference/profile.md).
    f["person.j1_212e"] = status == "j1" or bool(j1.held)
    f["person.j1_waiver"] = j1.waiver
    f["person.j1_212e_cleared"] = (
        None
        if not f["person.j1_212e"]
        else (j1.waiver == "approved" or (j1.home_years is not None and j1.home_years >= 2))
    )

    # --- other destinations and services
    english, judged = _english_au(profile, book, on)
    f["english.au_met"] = english
    f["english.au_decided_by"] = judged
    if judged:
        decided["english.au_met"] = judged
    f["uk.training_priority"] = _uk_priority(profile, book, on)
    service, service_rule = _application_service(profile, book)
    f["application.service"] = service
    if service_rule:
        decided["application.service"] = service_rule
    return Facts(f, decided)
