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
from datetime import date
from typing import Any

from imgpath.core.geography import US_AND_TERRITORIES
from imgpath.core.pathway.profile import ExamAttempt, Profile
from imgpath.core.pathway.rules import RuleBook

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
    "oet.decided_by": FactSpec(
        "the OET rule version in force on the qualifying sitting's test date"
    ),
    "oet.valid_for_season": FactSpec(  # its question is the season's cutoff, which nobody knows yet
        "the qualifying OET sitting is on or after the season's cutoff",
        "ECFMG sets an earliest valid OET test date for each Pathways season; check it for your season.",
    ),
    "oet.grade_b_all": FactSpec("an OET sitting has grade B (350) in all four sub-tests"),
    "oet.age_years": FactSpec("years since the latest OET sitting"),
    "ielts.meets_gmc": FactSpec("an IELTS sitting has 7.5 overall and 7.0 in each band"),
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
        asks=("ecfmg.certified", "training.us_gme_months"),
    ),
    "ecfmg.statement_of_need": FactSpec(
        "has a Statement of Need from the home ministry of health",
        "Do you have (or can you get) a Statement of Need from your home country's ministry of health?",
    ),
    "ecfmg.failed_step2cs": FactSpec("failed Step 2 CS at least once"),
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


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _exam_facts(name: str, attempts: Iterable[ExamAttempt], on: date) -> dict[str, Any]:
    attempts = sorted(attempts, key=lambda a: a.date)
    passes = [a for a in attempts if a.result == "pass" and a.date <= on]
    done = [a for a in attempts if a.result in ("pass", "fail", "incomplete") and a.date <= on]
    scored = [a.score for a in done if a.score is not None]
    return {
        f"{name}.passed": bool(passes) if attempts else False,
        f"{name}.pass_date": passes[0].date if passes else None,
        f"{name}.failures": sum(a.result in ("fail", "incomplete") for a in done),
        f"{name}.attempts": len(done),
        f"{name}.pending": any(a.result in ("scheduled", "pending") for a in attempts)
        and not passes,
        f"{name}.score": scored[-1] if scored else None,
    }


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
    if validity is not None and best is not None and season is not None:
        cutoff_text = validity.params.get("cutoffs", {}).get(season)
        if cutoff_text is not None:
            f["oet.valid_for_season"] = best >= date.fromisoformat(str(cutoff_text))
            decided["oet.valid_for_season"] = validity.id
    gmc_ielts = [
        s
        for s in profile.exams.ielts
        if s.overall >= 7.5 and min(s.listening, s.reading, s.writing, s.speaking) >= 7.0
    ]
    f["ielts.meets_gmc"] = bool(gmc_ielts) if profile.exams.ielts else False
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
    gme = profile.us_gme_months
    if gme is None and f.get("img.is_img") and not f["ecfmg.certified"]:
        gme = 0  # an IMG cannot start ACGME training without an ECFMG certificate
    f["training.us_gme_months"] = gme
    f["training.us_gme_years"] = None if gme is None else gme / 12
    permanent: bool | None = False  # no certificate, nothing permanent
    if f["ecfmg.certified"]:
        permanent = None
        if e.certificate_basis == "step2cs" or (gme is not None and gme >= 12):
            permanent = True
        elif e.certificate_basis == "pathway":
            permanent = False
    f["ecfmg.certificate_permanent"] = permanent
    f["ecfmg.certificate_expired"] = (
        None
        if not f["ecfmg.certified"] or permanent is None
        else (not permanent and e.certificate_expires is not None and e.certificate_expires < on)
    )
    if f["ecfmg.certified"] and permanent is False and e.certificate_expires is None:
        f["ecfmg.certificate_expired"] = None
    f["ecfmg.statement_of_need"] = _yes_no(e.statement_of_need)
    parts = [f["step1.passed"], f["step2ck.passed"], f["ecfmg.clinical_skills_met"]]
    f["ecfmg.exams_met"] = False if False in parts else (None if None in parts else True)
    passes = [
        d for d in (f["step1.pass_date"], f["step2ck.pass_date"], f["step2cs.pass_date"]) if d
    ]
    if passes:
        last = max(passes) if f["step1.passed"] and f["step2ck.passed"] else on
        f["usmle.window_years"] = years_between(min(passes), last)
    else:
        f["usmle.window_years"] = None
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
    return Facts(f, decided)
