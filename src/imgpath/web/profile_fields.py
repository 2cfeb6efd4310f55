"""What the pathway profile form asks: its fields and lists (:class:`Field`, :class:`Group`), in
the sections the page shows (:data:`SECTIONS`), and which controls answer each question the plan
asks (:func:`question_fields`).  Reading and writing the form is :mod:`.profile_form`.

A field's ``path`` is a profile path (``exams.step2ck.0.score`` for a group's row).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BOOL",
    "FIELDS",
    "FIELD_BY_PATH",
    "GROUPS",
    "GROUP_BY_PATH",
    "RESULTS",
    "ROW_NAME",
    "SECTIONS",
    "YES_NO_UNKNOWN",
    "Field",
    "Group",
    "question_fields",
    "rows_shown",
    "value_at",
]

RESULTS = ("", "pass", "fail", "incomplete", "pending", "scheduled")
YES_NO_UNKNOWN = ("unknown", "yes", "no")


@dataclass(frozen=True)
class Field:
    path: str
    label: str
    kind: str = "text"  # text, date, number (whole), decimal, select, list, bool
    choices: tuple[str, ...] = ()
    hint: str = ""
    section: str = ""


@dataclass(frozen=True)
class Group:
    """A list in the profile (``exams.oet``), one row per item, each row the same ``fields``
    (their ``path`` is the key within the row)."""

    path: str
    label: str
    item: str
    fields: tuple[Field, ...]
    section: str = ""
    hint: str = ""

    def name(self, index: int) -> str:
        """ "OET Medicine sitting 2", "Licence abroad 1"."""
        return " ".join(x for x in (self.label, self.item, str(index + 1)) if x)

    def rows(self, values: Mapping[str, str]) -> range:
        """The rows the form shows for ``values``: the stored ones and one empty row."""
        return rows_shown(values, self)

    def row_fields(self, index: int) -> tuple[Field, ...]:
        """The fields of row ``index`` with full paths and labels ("OET sitting 2: writing")."""
        return tuple(
            Field(
                f"{self.path}.{index}.{f.path}",
                f"{self.name(index)}: {f.label}",
                f.kind,
                f.choices,
                f.hint,
                self.section,
            )
            for f in self.fields
        )


def _attempts(path: str, label: str, section: str, *, score: str = "if one is reported") -> Group:
    fields = (Field("date", "date", "date"), Field("result", "result", "select", RESULTS),
              Field("score", "score", "number", hint=score))  # fmt: skip
    return Group(path, label, "attempt", fields, section,
                 hint="every attempt, passed or not: attempt limits and pass validity depend on them")  # fmt: skip


BOOL = "bool"
_USMLE = "three digits, 1 to 300 (none for Step 1 from 2022-01-26)"
FIELDS = (
    Field("name", "Your name", section="You"),
    Field("citizenships", "Citizenships", "list", hint="two-letter country codes, comma-separated, e.g. NG, GB", section="You"),
    Field("nationality", "Nationality for visa rules", hint="two letters; leave empty if it is your first citizenship", section="You"),
    Field("us_status", "US immigration status", "select", ("", "none", "citizen", "permanent_resident", "h1b", "j1", "f1", "other"), section="You"),
    Field("in_us", "Are you in the US now?", BOOL, section="You"),
    Field("ca_status", "Canadian status (for Canada)", "select", ("", "none", "citizen", "permanent_resident"), section="You"),
    Field("uk_status", "UK immigration status (for the UK)", "select", ("", "none", "citizen", "ilr", "euss", "visa"), hint="ilr: indefinite leave to remain; euss: EU Settlement Scheme", section="You"),
    Field("j1.held", "Have you ever held J-1 status for clinical training?", BOOL, section="You"),
    Field("j1.waiver", "Waiver of the J-1 two-year home-country requirement", "select", ("", "none", "applied", "approved"), section="You"),
    Field("j1.home_years", "Years spent back in your home country since the J-1 program", "decimal", section="You"),
    Field("school.name", "Medical school", section="Medical school"),
    Field("school.country", "Country of the medical school", hint="two letters, e.g. NG, IN, PK", section="Medical school"),
    Field("school.wdoms_ecfmg_note", "Does the school's WDOMS entry have an ECFMG note for your graduation year?", "select", YES_NO_UNKNOWN, section="Medical school"),
    Field("school.graduation_date", "Graduation date", "date", hint="past, or expected", section="Medical school"),
    Field("school.credit_years", "Years of medical curriculum completed", "number", hint="e.g. 5 or 6", section="Medical school"),
    Field("school.wdoms_canada_note", "Does the school's WDOMS entry have a Canada note? (for Canada)", "select", YES_NO_UNKNOWN, section="Medical school"),
    Field("school.gmc_acceptable", "Is your degree on the GMC's list of acceptable qualifications? (for the UK)", "select", YES_NO_UNKNOWN, section="Medical school"),
    Field("ecfmg.application_submitted", "Have you submitted the Application for ECFMG Certification?", BOOL, section="ECFMG"),
    Field("ecfmg.pathway", "ECFMG Pathway applied for", "select", ("", "1", "2", "3", "4", "5", "6"), hint="1 to 6; leave empty if none", section="ECFMG"),
    Field("ecfmg.pathway_status", "Pathway application status", "select", ("", "not_applied", "applied", "accepted", "rejected"), section="ECFMG"),
    Field("ecfmg.credentials_verified", "Has ECFMG verified your diploma and final transcript?", "select", ("unknown", "yes", "no", "in_progress"), section="ECFMG"),
    Field("ecfmg.certificate_date", "ECFMG certificate issued on", "date", hint="leave empty if not certified yet", section="ECFMG"),
    Field("ecfmg.certificate_basis", "ECFMG certificate through", "select", ("", "pathway", "step2cs"), section="ECFMG"),
    Field("ecfmg.certificate_expires", "ECFMG certificate expires on", "date", hint="Pathway-based certificates carry an expiry until residency starts", section="ECFMG"),
    Field("ecfmg.statement_of_need", "Do you have (or can you get) a Statement of Need from your home country?", "select", YES_NO_UNKNOWN, hint="needed for a J-1", section="ECFMG"),
    Field("training_abroad.postgraduate_years", "Years of postgraduate (residency) training abroad", "decimal", section="Training and licences abroad"),
    Field("training_abroad.practice_years", "Years of practice abroad after training", "decimal", section="Training and licences abroad"),
    Field("training_abroad.practice_years_last_5", "Years you practised in the last 5", "decimal", hint="0 to 5", section="Training and licences abroad"),
    Field("training_abroad.practice_years_last_10", "Years you practised in the last 10", "decimal", hint="0 to 10", section="Training and licences abroad"),
    Field("training_abroad.good_standing", "In good standing everywhere (no discipline, nothing pending)?", BOOL, section="Training and licences abroad"),
    Field("us_gme_months", "Months of ACGME-accredited residency completed", "decimal", section="Training and licences abroad"),
    Field("targets.destination", "Where do you want to train?", "select", ("US", "UK", "CA", "AU"), section="Targets"),
    Field("targets.specialty", "Specialty", hint="e.g. internal medicine", section="Targets"),
    Field("targets.states", "US states", "list", hint="two-letter codes, comma-separated, e.g. NY, TX", section="Targets"),
    Field("targets.match_year", "Match year", "number", hint="e.g. 2027", section="Targets"),
    Field("targets.visa", "Visa you would use", "select", ("unknown", "j1", "h1b", "o1", "none"), section="Targets"),
    Field("targets.programs", "Programs you plan to apply to", "number", hint="for the costs ahead, e.g. 120", section="Targets"),
    Field("targets.specialties", "Specialties you will apply in", "number", hint="1 to 10", section="Targets"),
    Field("progress.eras_submitted", "Have you submitted your ERAS application?", BOOL, section="Progress this season"),
    Field("progress.nrmp_registered", "Have you registered for the NRMP Match?", BOOL, section="Progress this season"),
    Field("progress.rank_list_certified", "Have you certified your rank order list?", BOOL, section="Progress this season"),
    Field("progress.matched", "Did you match?", BOOL, section="Progress this season"),
    Field("progress.residency_start", "Residency starts (or started) on", "date", section="Progress this season"),
    Field("progress.licensed_states", "US states where you hold a full licence", "list", hint="two-letter codes", section="Progress this season"),
)  # fmt: skip
_BAND = "0 to 9, in halves"
_OET = "0 to 500 (350 is grade B)"
GROUPS = (
    _attempts("exams.step1", "USMLE Step 1", "Exams", score=_USMLE),
    _attempts("exams.step2ck", "USMLE Step 2 CK", "Exams", score=_USMLE),
    _attempts("exams.step3", "USMLE Step 3", "Exams", score=_USMLE),
    _attempts("exams.step2cs", "USMLE Step 2 CS (ended 2021)", "Exams"),
    Group("exams.oet", "OET Medicine", "sitting", (
        Field("date", "date", "date"), Field("listening", "listening", "number", hint=_OET),
        Field("reading", "reading", "number", hint=_OET), Field("writing", "writing", "number", hint=_OET),
        Field("speaking", "speaking", "number", hint=_OET)), "English tests",
        hint="every sitting with its four scores"),
    Group("exams.ielts", "IELTS Academic", "sitting", (
        Field("date", "date", "date"), Field("overall", "overall band", "decimal", hint=_BAND),
        Field("listening", "listening", "decimal", hint=_BAND), Field("reading", "reading", "decimal", hint=_BAND),
        Field("writing", "writing", "decimal", hint=_BAND), Field("speaking", "speaking", "decimal", hint=_BAND)),
        "English tests", hint="for the UK and Australia"),
    Group("training_abroad.licenses", "Licence abroad", "", (
        Field("country", "country", hint="two letters, e.g. NG"),
        Field("full", "full and unrestricted?", BOOL),
        Field("issued", "issued on", "date"), Field("expires", "expires on", "date"),
        Field("good_standing", "in good standing?", BOOL)), "Training and licences abroad"),
    Group("usce", "US clinical experience", "", (
        Field("months", "months", "decimal", hint="e.g. 1 or 2.5"),
        Field("type", "kind", "select", ("", "hands_on", "observership", "externship", "research")),
        Field("specialty", "specialty"), Field("start", "start date", "date")),
        "US clinical experience", hint="observerships, electives, externships, research"),
    Group("job_offers", "US job offer", "", (
        Field("state", "state", hint="two letters, e.g. TX"), Field("employer", "employer"),
        Field("full_time", "full time?", BOOL), Field("hospital", "from a hospital (or owned by one)?", BOOL),
        Field("academic", "employer runs ACGME-accredited programs?", BOOL),
        Field("underserved", "in a shortage or underserved area?", BOOL),
        Field("rural", "rural?", BOOL), Field("group_practice", "a group practice?", BOOL)),
        "Job offers", hint="what the new state licensure pathways ask for"),
    _attempts("exams.plab1", "PLAB 1", "Exams for the UK, Canada and Australia"),
    _attempts("exams.plab2", "PLAB 2", "Exams for the UK, Canada and Australia"),
    _attempts("exams.mccqe1", "MCCQE Part I", "Exams for the UK, Canada and Australia"),
    _attempts("exams.nac", "NAC examination", "Exams for the UK, Canada and Australia"),
    _attempts("exams.amc_cat", "AMC CAT MCQ", "Exams for the UK, Canada and Australia"),
    _attempts("exams.amc_clinical", "AMC Clinical Examination", "Exams for the UK, Canada and Australia"),
    _attempts("exams.amc_wba", "AMC workplace-based assessment", "Exams for the UK, Canada and Australia"),
)  # fmt: skip
_ORDER = ("You", "Medical school", "Exams", "English tests", "ECFMG", "Training and licences abroad",
          "US clinical experience", "Job offers", "Targets", "Progress this season",
          "Exams for the UK, Canada and Australia")  # fmt: skip
FIELD_BY_PATH = {f.path: f for f in FIELDS}
GROUP_BY_PATH = {g.path: g for g in GROUPS}
ROW_NAME = re.compile(r"^(?P<group>[a-z_0-9.]+?)\.(?P<index>\d{1,3})\.(?P<key>[a-z_0-9]+)$")
SECTIONS: tuple[tuple[str, tuple[Field | Group, ...]], ...] = tuple(
    (name, tuple(x for x in (*FIELDS, *GROUPS) if x.section == name)) for name in _ORDER
)
"""The form's fieldsets, in order: fields and groups."""


def value_at(data: Any, path: str) -> Any:
    """The value at a profile path (``exams.oet.0.date``), or None where there is none."""
    for part in path.split("."):
        if isinstance(data, list):
            index = int(part)
            data = data[index] if index < len(data) else None
        elif isinstance(data, Mapping):
            data = data.get(part)
        else:
            return None
        if data is None:
            return None
    return data


def rows_shown(values: Mapping[str, str], group: Group) -> range:
    """The rows of ``group`` the form shows: the stored ones and one empty row (the template)."""
    try:
        stored = int(values.get(f"{group.path}.rows", "0") or 0)
    except ValueError:
        stored = 0
    posted = [  # rows with something typed in (a re-shown form with a mistake)
        int(m.group("index"))
        for key, value in values.items()
        if (m := ROW_NAME.match(key)) and m.group("group") == group.path and str(value).strip()
    ]
    return range(min(max([stored, *(i + 1 for i in posted)]) + 1, 100))


_ANSWERS: dict[str, tuple[str, ...]] = {
    # a question's fact -> the fields (paths) or groups ("@group": a new row) that answer it
    "school.country": ("school.country",),
    "school.wdoms_ecfmg_note": ("school.wdoms_ecfmg_note",),
    "school.wdoms_canada_note": ("school.wdoms_canada_note",),
    "school.gmc_acceptable": ("school.gmc_acceptable",),
    "school.graduated": ("school.graduation_date",),
    "school.graduation_date": ("school.graduation_date",),
    "school.years_since_graduation": ("school.graduation_date",),
    "school.credit_years": ("school.credit_years",),
    "person.us_citizen": ("citizenships",),
    "person.nationalities": ("citizenships",),
    "person.permanent_resident": ("us_status",),
    "person.needs_visa": ("us_status",),
    "person.h1b_status": ("us_status",),
    "person.in_us": ("in_us", "us_status"),
    "person.good_standing": ("training_abroad.good_standing",),
    "person.ca_citizen_or_pr": ("ca_status",),
    "person.j1_212e": ("j1.held", "j1.waiver"),
    "person.j1_212e_cleared": ("j1.waiver", "j1.home_years"),
    "uk.training_priority": ("uk_status",),
    "oet.passed": ("@exams.oet",),
    "english.au_met": ("@exams.ielts",),
    "ecfmg.application_submitted": ("ecfmg.application_submitted",),
    "ecfmg.pathway_applied": ("ecfmg.pathway", "ecfmg.pathway_status"),
    "ecfmg.pathway_accepted": ("ecfmg.pathway", "ecfmg.pathway_status"),
    "ecfmg.credentials_verified": ("ecfmg.credentials_verified",),
    "ecfmg.certified": ("ecfmg.certificate_date", "ecfmg.certificate_basis"),
    "ecfmg.certificate_expired": ("ecfmg.certificate_expires",),
    "ecfmg.statement_of_need": ("ecfmg.statement_of_need",),
    "training.abroad_postgrad_years": ("training_abroad.postgraduate_years",),
    "training.abroad_practice_years": ("training_abroad.practice_years",),
    "training.practice_last_5": ("training_abroad.practice_years_last_5",),
    "training.practice_5_of_6": ("training_abroad.practice_years_last_5",),
    "training.practice_last_10": ("training_abroad.practice_years_last_10",),
    "training.foreign_license_active": ("@training_abroad.licenses",),
    "training.foreign_license_recent": ("@training_abroad.licenses",),
    "training.license_issued": ("@training_abroad.licenses",),
    "training.us_gme_months": ("us_gme_months",),
    "training.us_gme_years": ("us_gme_months",),
    "usce.months": ("@usce",),
    "offer.exists": ("@job_offers",),
    **{f"target.{k}": (f"targets.{k}",) for k in ("match_year", "states", "specialty", "programs", "specialties")},
    **{f"progress.{k}": (f"progress.{k}",) for k in ("eras_submitted", "nrmp_registered", "rank_list_certified", "matched")},
    **{f"{exam}.passed": (f"@exams.{exam}",) for exam in ("step1", "step2ck", "step3", "step2cs", "plab1", "plab2",
                                                          "mccqe1", "nac", "amc_cat", "amc_clinical", "amc_wba")},
}  # fmt: skip
"""What answers each question the plan asks (``core.pathway.facts``); ``oet.valid_for_season``
has no entry: it asks about ECFMG's rules, not about the person."""
_OFFER_KEYS = ("full_time", "hospital", "academic", "underserved", "rural", "group_practice")


def question_fields(fact: str, profile: Mapping[str, Any] | None = None) -> tuple[Field, ...]:
    """The controls that answer the plan's question about ``fact`` (empty: the profile cannot).

    A list's question gets a new row (after the rows ``profile`` holds); a question about a job
    offer's detail asks it of the last offer stored (or of a new one, with its state)."""
    profile = profile or {}

    def count(path: str) -> int:
        rows = value_at(profile, path)
        return len(rows) if isinstance(rows, list) else 0

    if fact.startswith("offer.") and fact.removeprefix("offer.") in _OFFER_KEYS:
        offers = count("job_offers")
        row = GROUP_BY_PATH["job_offers"].row_fields(max(offers - 1, 0))
        key = fact.removeprefix("offer.")
        return tuple(
            f for f in row if f.path.endswith((f".{key}",) if offers else (f".{key}", ".state"))
        )
    out: list[Field] = []
    for name in _ANSWERS.get(fact, ()):
        if name.startswith("@"):
            group = GROUP_BY_PATH[name[1:]]
            out += group.row_fields(count(group.path))
        else:
            out.append(FIELD_BY_PATH[name])
    return tuple(out)
