"""The pathway profile as an HTML form: every question the plan asks, no YAML needed.

Field names are profile paths (``exams.step2ck.0.score``) so that the engine's problems, which
name the same paths (``exams.step2ck[0].score``), land next to the right control.  Lists (exam
attempts, OET and IELTS sittings, licences abroad, US clinical experience, job offers) are
:class:`Group` s: the form shows each stored row and one empty row to add another; a hidden
``PATH.rows`` says how many stored rows the form showed, so that clearing a shown row deletes it
while an untouched empty row is ignored.  A form may post only some fields (the pathway page
answers one question in place): what it does not post is kept as stored.  The YAML box
replaces the whole profile, and the fields posted are applied on top.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from imgpath.errors import DocumentSyntaxError, FormError, InvalidInputError, Problem
from imgpath.services.documents import FORM_LIMITS, load_document
from imgpath.services.inputs import document_problems, text_problems

__all__ = [
    "FIELDS",
    "GROUPS",
    "SECTIONS",
    "Field",
    "Group",
    "apply_form",
    "field_of",
    "form_errors",
    "form_values",
    "question_fields",
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


_BOOL = "bool"
_USMLE = "three digits, 1 to 300 (none for Step 1 from 2022-01-26)"
FIELDS = (
    Field("name", "Your name", section="You"),
    Field("citizenships", "Citizenships", "list", hint="two-letter country codes, comma-separated, e.g. NG, GB", section="You"),
    Field("nationality", "Nationality for visa rules", hint="two letters; leave empty if it is your first citizenship", section="You"),
    Field("us_status", "US immigration status", "select", ("", "none", "citizen", "permanent_resident", "h1b", "j1", "f1", "other"), section="You"),
    Field("in_us", "Are you in the US now?", _BOOL, section="You"),
    Field("ca_status", "Canadian status (for Canada)", "select", ("", "none", "citizen", "permanent_resident"), section="You"),
    Field("uk_status", "UK immigration status (for the UK)", "select", ("", "none", "citizen", "ilr", "euss", "visa"), hint="ilr: indefinite leave to remain; euss: EU Settlement Scheme", section="You"),
    Field("j1.held", "Have you ever held J-1 status for clinical training?", _BOOL, section="You"),
    Field("j1.waiver", "Waiver of the J-1 two-year home-country requirement", "select", ("", "none", "applied", "approved"), section="You"),
    Field("j1.home_years", "Years spent back in your home country since the J-1 program", "decimal", section="You"),
    Field("school.name", "Medical school", section="Medical school"),
    Field("school.country", "Country of the medical school", hint="two letters, e.g. NG, IN, PK", section="Medical school"),
    Field("school.wdoms_ecfmg_note", "Does the school's WDOMS entry have an ECFMG note for your graduation year?", "select", YES_NO_UNKNOWN, section="Medical school"),
    Field("school.graduation_date", "Graduation date", "date", hint="past, or expected", section="Medical school"),
    Field("school.credit_years", "Years of medical curriculum completed", "number", hint="e.g. 5 or 6", section="Medical school"),
    Field("school.wdoms_canada_note", "Does the school's WDOMS entry have a Canada note? (for Canada)", "select", YES_NO_UNKNOWN, section="Medical school"),
    Field("school.gmc_acceptable", "Is your degree on the GMC's list of acceptable qualifications? (for the UK)", "select", YES_NO_UNKNOWN, section="Medical school"),
    Field("ecfmg.application_submitted", "Have you submitted the Application for ECFMG Certification?", _BOOL, section="ECFMG"),
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
    Field("training_abroad.good_standing", "In good standing everywhere (no discipline, nothing pending)?", _BOOL, section="Training and licences abroad"),
    Field("us_gme_months", "Months of ACGME-accredited residency completed", "decimal", section="Training and licences abroad"),
    Field("targets.destination", "Where do you want to train?", "select", ("US", "UK", "CA", "AU"), section="Targets"),
    Field("targets.specialty", "Specialty", hint="e.g. internal medicine", section="Targets"),
    Field("targets.states", "US states", "list", hint="two-letter codes, comma-separated, e.g. NY, TX", section="Targets"),
    Field("targets.match_year", "Match year", "number", hint="e.g. 2027", section="Targets"),
    Field("targets.visa", "Visa you would use", "select", ("unknown", "j1", "h1b", "o1", "none"), section="Targets"),
    Field("targets.programs", "Programs you plan to apply to", "number", hint="for the costs ahead, e.g. 120", section="Targets"),
    Field("targets.specialties", "Specialties you will apply in", "number", hint="1 to 10", section="Targets"),
    Field("progress.eras_submitted", "Have you submitted your ERAS application?", _BOOL, section="Progress this season"),
    Field("progress.nrmp_registered", "Have you registered for the NRMP Match?", _BOOL, section="Progress this season"),
    Field("progress.rank_list_certified", "Have you certified your rank order list?", _BOOL, section="Progress this season"),
    Field("progress.matched", "Did you match?", _BOOL, section="Progress this season"),
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
        Field("full", "full and unrestricted?", _BOOL),
        Field("issued", "issued on", "date"), Field("expires", "expires on", "date"),
        Field("good_standing", "in good standing?", _BOOL)), "Training and licences abroad"),
    Group("usce", "US clinical experience", "", (
        Field("months", "months", "decimal", hint="e.g. 1 or 2.5"),
        Field("type", "kind", "select", ("", "hands_on", "observership", "externship", "research")),
        Field("specialty", "specialty"), Field("start", "start date", "date")),
        "US clinical experience", hint="observerships, electives, externships, research"),
    Group("job_offers", "US job offer", "", (
        Field("state", "state", hint="two letters, e.g. TX"), Field("employer", "employer"),
        Field("full_time", "full time?", _BOOL), Field("hospital", "from a hospital (or owned by one)?", _BOOL),
        Field("academic", "employer runs ACGME-accredited programs?", _BOOL),
        Field("underserved", "in a shortage or underserved area?", _BOOL),
        Field("rural", "rural?", _BOOL), Field("group_practice", "a group practice?", _BOOL)),
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
_BY_PATH = {f.path: f for f in FIELDS}
_GROUP_BY_PATH = {g.path: g for g in GROUPS}
_ROW = re.compile(r"^(?P<group>[a-z_0-9.]+?)\.(?P<index>\d{1,3})\.(?P<key>[a-z_0-9]+)$")
SECTIONS: tuple[tuple[str, tuple[Field | Group, ...]], ...] = tuple(
    (name, tuple(x for x in (*FIELDS, *GROUPS) if x.section == name)) for name in _ORDER
)
"""The form's fieldsets, in order: fields and groups."""


def _get(data: Any, path: str) -> Any:
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


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node: Any = data
    for here, after in itertools.pairwise(parts):
        if isinstance(node, list):
            index = int(here)
            while len(node) <= index:
                node.append({})
            node = node[index]
            continue
        default: Any = [] if after.isdigit() else {}
        if not isinstance(node.get(here), (list, dict)):
            node[here] = default
        node = node[here]
    last = parts[-1]
    if isinstance(node, list):
        index = int(last)
        while len(node) <= index:
            node.append(None)
        node[index] = value
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = value


def _prune(data: Any) -> Any:
    """Drop the empty dicts and lists a cleared form leaves behind."""
    if isinstance(data, dict):
        out = {k: _prune(v) for k, v in data.items()}
        return {k: v for k, v in out.items() if v not in ({}, [], None)}
    if isinstance(data, list):
        return [x for x in (_prune(v) for v in data) if x not in ({}, None)]
    return data


def _shown(f: Field, value: Any) -> str:
    if value is None:
        return ""
    if f.kind == "list":
        return ", ".join(str(v) for v in value)
    if f.kind == _BOOL:
        return "yes" if value else "no"
    return str(value)


def form_values(profile: Mapping[str, Any]) -> dict[str, str]:
    """What each control shows for a stored profile: every field, every stored row of each
    group and one empty row after them, and each group's ``PATH.rows``."""
    out = {f.path: _shown(f, _get(profile, f.path)) for f in FIELDS}
    for group in GROUPS:
        rows = _get(profile, group.path)
        rows = rows if isinstance(rows, list) else []
        out[f"{group.path}.rows"] = str(len(rows))
        for index in range(len(rows) + 1):
            for f, full in zip(group.fields, group.row_fields(index), strict=True):
                row = rows[index] if index < len(rows) and isinstance(rows[index], Mapping) else {}
                out[full.path] = _shown(f, row.get(f.path))
    return out


def rows_shown(values: Mapping[str, str], group: Group) -> range:
    """The rows of ``group`` the form shows: the stored ones and one empty row (the template)."""
    try:
        stored = int(values.get(f"{group.path}.rows", "0") or 0)
    except ValueError:
        stored = 0
    posted = [  # rows with something typed in (a re-shown form with a mistake)
        int(m.group("index"))
        for key, value in values.items()
        if (m := _ROW.match(key)) and m.group("group") == group.path and str(value).strip()
    ]
    return range(min(max([stored, *(i + 1 for i in posted)]) + 1, 100))


def _load_yaml(text: str, most_bytes: int) -> tuple[Any, list[Problem]]:
    """The YAML box parsed by the loader of every user document (``services.documents`` with
    ``FORM_LIMITS``: no aliases, depth and size capped, duplicate keys, NUL and surrogates
    refused), off the event loop, then checked to be storable; any fault is a problem of the
    ``yaml`` field, never an exception."""
    size = len(text.encode("utf-8", "replace"))
    if size > most_bytes:
        return None, [Problem("yaml", f"is {size:,} bytes; at most {most_bytes:,} are kept",
                              "keep only the profile's fields")]  # fmt: skip
    try:  # the loader every user document goes through: no aliases, depth and size capped
        loaded = load_document(text, source="profile box", fmt="yaml", limits=FORM_LIMITS)
    except DocumentSyntaxError as exc:
        where = f"{exc.field}: " if exc.field else ""
        line = f" (line {exc.line})" if exc.line else ""
        return None, [Problem("yaml", f"{where}{exc.problem}{line}")]
    except InvalidInputError as exc:
        return None, [Problem("yaml", str(exc).removeprefix("profile box: "))]
    except Exception as exc:  # noqa: BLE001 - whatever the parser trips on is the box's fault
        return None, [Problem("yaml", f"cannot be read ({type(exc).__name__})",
                              "check dates (YYYY-MM-DD), numbers and nesting")]  # fmt: skip
    problems = document_problems(loaded, field="yaml", most_bytes=most_bytes)
    return (None, problems) if problems else (loaded, [])


def apply_form(
    profile: Mapping[str, Any], form: Mapping[str, str], *, most_bytes: int = 64_000
) -> dict[str, Any]:
    """The stored profile changed by the form (YAML first, then the fields on top)."""
    problems: list[Problem] = []
    data: dict[str, Any] = copy.deepcopy(dict(profile))
    extra = form.get("yaml", "").strip()
    if extra:
        loaded, found = _load_yaml(extra, most_bytes)
        problems += found
        if loaded is not None and not isinstance(loaded, dict):
            problems.append(
                Problem(
                    "yaml",
                    "must be a mapping of profile fields",
                    "start lines with field names, e.g. school:",
                )
            )
        elif isinstance(loaded, dict):
            data = loaded
    for f in FIELDS:
        if f.path in form:
            ok, value = _value(f, f.path, form[f.path], problems)
            if ok:
                _set(data, f.path, value)
    for group in GROUPS:
        _apply_group(data, group, form, problems)
    if problems:
        raise FormError(problems)
    pruned: dict[str, Any] = _prune(data)
    return pruned


def _value(f: Field, name: str, raw: str, problems: list[Problem]) -> tuple[bool, Any]:
    """The profile value of one control (None: not given), or False with a problem named ``name``."""
    text = raw.strip()
    bad = text_problems(text, name, most=300)
    if bad:
        problems += bad
        return False, None
    if not text:
        return True, None
    if f.kind == "list":
        return True, [x.strip() for x in text.replace(";", ",").split(",") if x.strip()]
    if f.kind == _BOOL:
        if text not in ("yes", "no"):
            problems.append(Problem(name, f"{text!r} is not yes or no", "pick one from the list"))
            return False, None
        return True, text == "yes"
    if f.kind in ("number", "decimal"):
        try:
            number: float = (
                (int(text) if f.kind == "number" else float(text)) if len(text) <= 15 else int("x")
            )
        except ValueError:
            word = "a whole number" if f.kind == "number" else "a number"
            problems.append(Problem(name, f"{text!r} is not {word}", f.hint or "write digits only"))
            return False, None
        return True, number
    if f.kind == "select" and f.choices and text not in f.choices:
        problems.append(
            Problem(name, f"{text!r} is not one of the choices", "pick one from the list")
        )
        return False, None
    if f.kind == "select" and f.choices == YES_NO_UNKNOWN and text == "unknown":
        return True, None
    if f.path == "targets.visa" and text == "unknown":
        return True, None
    if f.path in ("ecfmg.credentials_verified",) and text == "unknown":
        return True, None
    if f.path == "ecfmg.pathway":
        return True, int(text)
    return True, text


def _apply_group(data: dict[str, Any], group: Group, form: Mapping[str, str],
                 problems: list[Problem]) -> None:  # fmt: skip
    """Rows of ``group`` posted in ``form`` replace the stored rows of the same index; an emptied
    row that the form showed as stored (index < ``PATH.rows``) is deleted; an empty new row is
    ignored; rows not posted are kept."""
    posted: dict[int, dict[str, str]] = {}
    for key, raw in form.items():
        m = _ROW.match(key)
        if m and m.group("group") == group.path:
            posted.setdefault(int(m.group("index")), {})[m.group("key")] = raw
    if not posted:
        return
    try:
        shown = int(form.get(f"{group.path}.rows", "0") or 0)
    except ValueError:
        shown = 0
    current = _get(data, group.path)
    rows: list[Any] = list(current) if isinstance(current, list) else []
    by_key = {f.path: f for f in group.fields}
    deleted: set[int] = set()
    for index in sorted(posted):
        row_form = posted[index]
        if all(not v.strip() for k, v in row_form.items() if k in by_key):
            if index < shown:
                deleted.add(index)
            continue
        row = dict(rows[index]) if index < len(rows) and isinstance(rows[index], Mapping) else {}
        for key, raw in row_form.items():
            f = by_key.get(key)
            if f is None:
                continue
            ok, value = _value(f, f"{group.path}.{index}.{key}", raw, problems)
            if not ok:
                continue
            if value is None:
                row.pop(key, None)
            else:
                row[key] = value
        while len(rows) <= index:
            rows.append(None)
        rows[index] = row
    kept = [r for i, r in enumerate(rows) if i not in deleted and r is not None]
    _set(data, group.path, kept or None)


def form_errors(problems: Iterable[Problem], form: Mapping[str, str]) -> dict[str, str]:
    """Each problem next to the control it names (the first one per control); problems of fields
    the form did not post (the YAML box's) go to ``yaml``, each with its field's name."""
    errors: dict[str, str] = {}
    for problem in problems:
        text = f"{problem.message}; {problem.hint}" if problem.hint else problem.message
        key = problem.location
        if key not in form and key != "yaml":
            key = field_of(problem.location)
            if key not in form:
                key, text = "yaml", f"{problem.location}: {text}"
        if key == "yaml" and key in errors:
            errors[key] = f"{errors[key]}; {text}"
        else:
            errors.setdefault(key, text)
    return errors


def field_of(location: str) -> str:
    """The form field a profile problem belongs to (``exams.step1[0].date`` -> ``exams.step1.0.date``)."""
    path = re.sub(r"\[(\d+)\]", r".\1", location)
    if path in _BY_PATH:
        return path
    m = _ROW.match(path)
    if m and m.group("group") in _GROUP_BY_PATH:
        keys = {f.path for f in _GROUP_BY_PATH[m.group("group")].fields}
        if m.group("key") in keys:
            return path
    whole = re.sub(r"\.\d+$", "", path)  # citizenships[1] -> the citizenships field
    return whole if whole in _BY_PATH else "yaml"


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
        rows = _get(profile, path)
        return len(rows) if isinstance(rows, list) else 0

    if fact.startswith("offer.") and fact.removeprefix("offer.") in _OFFER_KEYS:
        offers = count("job_offers")
        row = _GROUP_BY_PATH["job_offers"].row_fields(max(offers - 1, 0))
        key = fact.removeprefix("offer.")
        return tuple(
            f for f in row if f.path.endswith((f".{key}",) if offers else (f".{key}", ".state"))
        )
    out: list[Field] = []
    for name in _ANSWERS.get(fact, ()):
        if name.startswith("@"):
            group = _GROUP_BY_PATH[name[1:]]
            out += group.row_fields(count(group.path))
        else:
            out.append(_BY_PATH[name])
    return tuple(out)
