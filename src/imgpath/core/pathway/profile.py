"""An IMG's profile: the facts a plan is computed from.  Missing facts are allowed.

Everything is optional except that what *is* given must make sense: known country codes, scores
in range, and — checked against the evaluation day, never the clock — past dates where a result
is claimed (an exam with a result cannot lie in the future; use ``result: scheduled``).
The JSON Schema in ``docs/reference/profile.schema.json`` is generated from these models.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from imgpath.core.geography import is_country, is_us_state
from imgpath.core.validation import location, problems_from
from imgpath.errors import InvalidInputError, Problem

__all__ = [
    "EXAMS",
    "Ecfmg",
    "ExamAttempt",
    "Exams",
    "IeltsSitting",
    "InvalidProfileError",
    "J1History",
    "JobOffer",
    "License",
    "OetSitting",
    "Profile",
    "Progress",
    "School",
    "Targets",
    "TrainingAbroad",
    "Usce",
    "UsmleAttempt",
    "parse_profile",
    "profile_json_schema",
]

YesNo = Literal["yes", "no", "unknown"]
Result = Literal["pass", "fail", "incomplete", "pending", "scheduled"]

EXAMS = (
    "step1",
    "step2ck",
    "step3",
    "step2cs",
    "plab1",
    "plab2",
    "mccqe1",
    "nac",
    "amc_cat",
    "amc_clinical",
    "amc_wba",
)
"""Exams recorded as attempts (date, result, optional score)."""


class InvalidProfileError(InvalidInputError):
    """A profile that cannot be evaluated; lists every problem with its field."""

    def __init__(self, problems: list[Problem], *, source: str = "") -> None:
        self.problems = tuple(problems)
        head = f"{source}: " if source else ""
        noun = "problem" if len(problems) == 1 else "problems"
        lines = [f"{head}{len(problems)} {noun} in the profile:", *(f"  - {p}" for p in problems)]
        super().__init__("\n".join(lines))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _country(value: str) -> str:
    code = value.strip().upper()
    if not is_country(code):
        msg = f"unknown country code {value!r}; use the ISO 3166 two-letter code (e.g. IN, NG, PK, EG)"
        raise ValueError(msg)
    return code


def _state(value: str) -> str:
    code = value.strip().upper()
    if not is_us_state(code):
        msg = f"unknown US state code {value!r}; use the two-letter code such as TX or NY"
        raise ValueError(msg)
    return code


Country = Annotated[str, AfterValidator(_country)]
"""An ISO 3166 two-letter country code (case-insensitive on input)."""
State = Annotated[str, AfterValidator(_state)]
"""A US state, DC or territory two-letter code."""


class ExamAttempt(_Model):
    """One attempt at an exam: ``scheduled`` or ``pending`` for a result not yet known."""

    date: date
    result: Result
    score: int | None = Field(default=None, description="Three-digit score, where one is reported.")


class UsmleAttempt(ExamAttempt):
    """A USMLE attempt: three-digit scores run from 1 to 300 (Step 1 reports none from 2022-01-26)."""

    score: int | None = Field(default=None, ge=1, le=300, description="Three-digit score.")


class OetSitting(_Model):
    """One OET Medicine sitting; each sub-test scored 0–500 (350 = grade B)."""

    date: date
    listening: int = Field(ge=0, le=500)
    reading: int = Field(ge=0, le=500)
    writing: int = Field(ge=0, le=500)
    speaking: int = Field(ge=0, le=500)


class IeltsSitting(_Model):
    """One IELTS Academic sitting; bands 0–9 in half bands."""

    date: date
    overall: float = Field(ge=0, le=9)
    listening: float = Field(ge=0, le=9)
    reading: float = Field(ge=0, le=9)
    writing: float = Field(ge=0, le=9)
    speaking: float = Field(ge=0, le=9)

    @field_validator("overall", "listening", "reading", "writing", "speaking")
    @classmethod
    def _half_bands(cls, value: float) -> float:
        if value * 2 != int(value * 2):
            msg = "IELTS bands go in halves (6.5, 7.0, 7.5)"
            raise ValueError(msg)
        return value


class Exams(_Model):
    """Every attempt at every exam, oldest first or in any order."""

    step1: tuple[UsmleAttempt, ...] = ()
    step2ck: tuple[UsmleAttempt, ...] = ()
    step3: tuple[UsmleAttempt, ...] = ()
    step2cs: tuple[ExamAttempt, ...] = Field(
        default=(), description="Legacy USMLE Step 2 CS (ended 2021)."
    )
    oet: tuple[OetSitting, ...] = ()
    ielts: tuple[IeltsSitting, ...] = ()
    plab1: tuple[ExamAttempt, ...] = ()
    plab2: tuple[ExamAttempt, ...] = ()
    mccqe1: tuple[ExamAttempt, ...] = ()
    nac: tuple[ExamAttempt, ...] = ()
    amc_cat: tuple[ExamAttempt, ...] = ()
    amc_clinical: tuple[ExamAttempt, ...] = ()
    amc_wba: tuple[ExamAttempt, ...] = Field(
        default=(),
        description="AMC-accredited workplace-based assessment (instead of the AMC Clinical).",
    )


class School(_Model):
    """The medical school that granted (or will grant) the basic medical degree."""

    name: str | None = None
    country: Country | None = Field(default=None, description="ISO 3166 two-letter code.")
    wdoms_ecfmg_note: YesNo = Field(
        default="unknown",
        description="Does the school's WDOMS entry carry an ECFMG note (Sponsor Notes tab) covering the graduation year?",
    )
    wdoms_canada_note: YesNo = "unknown"
    gmc_acceptable: YesNo = Field(
        default="unknown", description="Is the degree an acceptable PMQ for the GMC (UK)?"
    )
    graduation_date: date | None = None
    credit_years: int | None = Field(default=None, ge=0, le=10)


class Ecfmg(_Model):
    """Where the ECFMG process stands."""

    application_submitted: bool | None = None
    pathway: int | None = Field(
        default=None, ge=1, le=6, description="Pathway 1–6 applied for or accepted."
    )
    pathway_status: Literal["not_applied", "applied", "accepted", "rejected"] | None = None
    credentials_verified: Literal["yes", "no", "in_progress", "unknown"] = "unknown"
    certificate_date: date | None = None
    certificate_basis: Literal["step2cs", "pathway"] | None = None
    certificate_expires: date | None = None
    statement_of_need: YesNo = Field(
        default="unknown",
        description="Statement of Need from the home country's ministry of health (for a J-1).",
    )


class License(_Model):
    """A licence to practise medicine held abroad."""

    country: Country
    full: bool = Field(
        default=True, description="Full and unrestricted (not a training or provisional licence)."
    )
    issued: date | None = None
    expires: date | None = None
    good_standing: bool | None = None


class TrainingAbroad(_Model):
    """Postgraduate training and practice outside the US."""

    postgraduate_years: float | None = Field(default=None, ge=0, le=30)
    practice_years: float | None = Field(
        default=None, ge=0, le=60, description="Years of practice after training."
    )
    practice_years_last_5: float | None = Field(default=None, ge=0, le=5)
    practice_years_last_10: float | None = Field(default=None, ge=0, le=10)
    licenses: tuple[License, ...] = ()
    good_standing: bool | None = Field(
        default=None, description="No discipline or pending action anywhere."
    )


class Usce(_Model):
    """A US clinical experience (rotation)."""

    months: float = Field(gt=0, le=60)
    type: Literal["hands_on", "observership", "externship", "research"]
    specialty: str | None = None
    start: date | None = None


class JobOffer(_Model):
    """A US job offer (what alternative licensure pathways require)."""

    state: State
    employer: str | None = None
    full_time: bool | None = None
    hospital: bool | None = None
    academic: bool | None = Field(
        default=None, description="The employer runs ACGME-accredited training programs."
    )
    underserved: bool | None = Field(default=None, description="In an HPSA, MUA or MUP.")
    rural: bool | None = None
    group_practice: bool | None = Field(
        default=None, description="A group practice (Texas accepts these as well as facilities)."
    )


class J1History(_Model):
    """J-1 status for clinical training, now or before (INA 212(e) follows it)."""

    held: bool | None = Field(
        default=None,
        description="Ever held J-1 status for clinical training (ECFMG-sponsored). Current J-1 "
        "holders need not say so: us_status j1 implies it.",
    )
    waiver: Literal["none", "applied", "approved"] | None = Field(
        default=None,
        description="A waiver of the two-year home-country requirement (Conrad 30, a federal agency).",
    )
    home_years: float | None = Field(
        default=None,
        ge=0,
        le=60,
        description="Years physically present in the home country since the J-1 program.",
    )


class Targets(_Model):
    """Where the person wants to go."""

    destination: Literal["US", "UK", "CA", "AU"] = "US"
    specialty: str | None = None
    states: tuple[State, ...] = ()
    match_year: int | None = Field(default=None, ge=2000, le=2040)
    visa: Literal["j1", "h1b", "o1", "none", "unknown"] = "unknown"
    programs: int | None = Field(
        default=None, ge=1, le=1000, description="Programs planned to apply to."
    )
    specialties: int | None = Field(default=None, ge=1, le=10)


class Progress(_Model):
    """How far the application and training have got."""

    eras_submitted: bool | None = None
    nrmp_registered: bool | None = None
    rank_list_certified: bool | None = None
    matched: bool | None = None
    residency_start: date | None = None
    licensed_states: tuple[State, ...] = ()


class Profile(_Model):
    """An IMG's profile.  Leave out what you do not know: the plan asks for it."""

    id: str | None = None
    name: str | None = None
    school: School = Field(default_factory=School)
    citizenships: tuple[Country, ...] = Field(default=(), description="ISO 3166 two-letter codes.")
    nationality: Country | None = Field(
        default=None, description="For visa rules; defaults to the first citizenship."
    )
    us_status: (
        Literal["none", "citizen", "permanent_resident", "h1b", "j1", "f1", "other"] | None
    ) = None
    ca_status: Literal["citizen", "permanent_resident", "none"] | None = Field(
        default=None,
        description="Canadian status (CaRMS residency is for citizens and permanent residents).",
    )
    uk_status: Literal["citizen", "ilr", "euss", "visa", "none"] | None = Field(
        default=None,
        description="UK immigration status: British citizen, indefinite leave to remain (ilr), "
        "EU Settlement Scheme status (euss), a visa, or none (UK training places give these priority).",
    )
    j1: J1History = Field(default_factory=J1History)
    in_us: bool | None = Field(default=None, description="Physically in the US now.")
    exams: Exams = Field(default_factory=Exams)
    ecfmg: Ecfmg = Field(default_factory=Ecfmg)
    training_abroad: TrainingAbroad = Field(default_factory=TrainingAbroad)
    us_gme_months: float | None = Field(
        default=None, ge=0, le=240, description="Months of ACGME training completed."
    )
    usce: tuple[Usce, ...] = ()
    targets: Targets = Field(default_factory=Targets)
    job_offers: tuple[JobOffer, ...] = ()
    progress: Progress = Field(default_factory=Progress)

    @property
    def nationalities(self) -> list[str]:
        if self.nationality:
            return [self.nationality, *[c for c in self.citizenships if c != self.nationality]]
        return list(self.citizenships)


def _dated(profile: Profile) -> list[tuple[str, date, bool]]:
    """(field, date, must be past) for every date in the profile."""
    out: list[tuple[str, date, bool]] = []
    for exam in EXAMS:
        for i, attempt in enumerate(getattr(profile.exams, exam)):
            past = attempt.result in ("pass", "fail", "incomplete", "pending")
            out.append((f"exams.{exam}[{i}].date", attempt.date, past))
    for i, sitting in enumerate(profile.exams.oet):
        out.append((f"exams.oet[{i}].date", sitting.date, True))
    for i, ielts in enumerate(profile.exams.ielts):
        out.append((f"exams.ielts[{i}].date", ielts.date, True))
    if profile.ecfmg.certificate_date:
        out.append(("ecfmg.certificate_date", profile.ecfmg.certificate_date, True))
    for i, lic in enumerate(profile.training_abroad.licenses):
        if lic.issued:
            out.append((f"training_abroad.licenses[{i}].issued", lic.issued, True))
    return out


def parse_profile(data: Any, *, on: date, source: str = "") -> Profile:
    """Validate a profile (as read from JSON/YAML) for evaluation on ``on``.

    Raises :class:`InvalidProfileError` listing every problem with its field.
    """
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        raise InvalidProfileError(_explained(exc), source=source) from None
    problems: list[Problem] = []
    for where, when, must_be_past in _dated(profile):
        if must_be_past and when > on:
            problems.append(
                Problem(
                    where,
                    f"{when.isoformat()} is after the evaluation date {on.isoformat()}",
                    "a result needs a past date; for a future exam write result: scheduled",
                )
            )
    if problems:
        raise InvalidProfileError(problems, source=source)
    return profile


_YES_NO_WORDS = "NO, No, no, N, OFF, YES, Y, ON, true, false"


def _explained(exc: ValidationError) -> list[Problem]:
    """pydantic's problems, with the YAML yes/no trap explained where it bit.

    YAML 1.1 reads unquoted ``NO`` (Norway), ``Y``, ``ON`` and the like as true/false, so a
    field that needs text receives a boolean: say so, and how to write it.
    """
    problems = problems_from(exc)
    for err in exc.errors():
        if err["type"] != "string_type" or not isinstance(err.get("input"), bool):
            continue
        where = location(tuple(err["loc"]))
        value = err["input"]
        field = str(err["loc"][-1]) if err["loc"] else ""
        example = '"NO"' if value is False else '"Y"'
        if field in ("country", "nationality") or "citizenships" in [str(x) for x in err["loc"]]:
            example = '"NO"' if value is False else "the two-letter code in quotes"
            hint = f"quote it: write {example} for Norway" if value is False else f"write {example}"
        else:
            hint = f"quote the value, e.g. {example}"
        message = (
            f"was read as the yes/no value {str(value).lower()}, not as text: YAML reads unquoted "
            f"{_YES_NO_WORDS} as yes/no values"
        )
        problems = [Problem(where, message, hint) if p.location == where else p for p in problems]
    return problems


def profile_json_schema() -> dict[str, Any]:
    """The profile format's JSON Schema (docs/reference/profile.schema.json), for editors."""
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "imgpath profile"
    return schema
