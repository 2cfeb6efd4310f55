"""The pathway profile as an HTML form: which fields, and how form values map to the profile.

The form covers what most people know; the rest of the profile (OET sittings, training abroad,
US clinical experience, job offers ...) is kept as it was and can be edited as YAML on the same
page.  Field names are profile paths (``exams.step2ck.0.score``) so that the engine's problems,
which name the same paths, land next to the right control.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from imgpath.errors import DocumentSyntaxError, FormError, InvalidInputError, Problem
from imgpath.services.documents import FORM_LIMITS, load_document
from imgpath.services.inputs import document_problems, text_problems

__all__ = ["FIELDS", "SECTIONS", "Field", "apply_form", "field_of", "form_values"]

RESULTS = ("", "pass", "fail", "incomplete", "pending", "scheduled")


@dataclass(frozen=True)
class Field:
    path: str
    label: str
    kind: str = "text"  # text, date, number, select, list, bool
    choices: tuple[str, ...] = ()
    hint: str = ""
    section: str = ""


FIELDS = (
    Field("name", "Your name", section="You"),
    Field("citizenships", "Citizenships", "list", hint="two-letter country codes, comma-separated, e.g. NG, GB", section="You"),
    Field("us_status", "US immigration status", "select", ("", "none", "citizen", "permanent_resident", "h1b", "j1", "f1", "other"), section="You"),
    Field("in_us", "Are you in the US now?", "bool", section="You"),
    Field("school.name", "Medical school", section="Medical school"),
    Field("school.country", "Country of the medical school", hint="two letters, e.g. NG, IN, PK", section="Medical school"),
    Field("school.wdoms_ecfmg_note", "Does the school's WDOMS entry have an ECFMG note for your graduation year?", "select", ("unknown", "yes", "no"), section="Medical school"),
    Field("school.graduation_date", "Graduation date", "date", section="Medical school"),
    Field("exams.step1.0.date", "USMLE Step 1: date of your latest attempt", "date", section="Exams"),
    Field("exams.step1.0.result", "USMLE Step 1: result", "select", RESULTS, section="Exams"),
    Field("exams.step2ck.0.date", "USMLE Step 2 CK: date of your latest attempt", "date", section="Exams"),
    Field("exams.step2ck.0.result", "USMLE Step 2 CK: result", "select", RESULTS, section="Exams"),
    Field("exams.step2ck.0.score", "USMLE Step 2 CK: score", "number", hint="1 to 300", section="Exams"),
    Field("ecfmg.certificate_date", "ECFMG certificate issued on", "date", hint="leave empty if not certified yet", section="ECFMG"),
    Field("targets.destination", "Where do you want to train?", "select", ("US", "UK", "CA", "AU"), section="Targets"),
    Field("targets.specialty", "Specialty", hint="e.g. internal medicine", section="Targets"),
    Field("targets.states", "US states", "list", hint="two-letter codes, comma-separated, e.g. NY, TX", section="Targets"),
    Field("targets.match_year", "Match year", "number", hint="e.g. 2027", section="Targets"),
    Field("targets.visa", "Visa you would use", "select", ("unknown", "j1", "h1b", "o1", "none"), section="Targets"),
)  # fmt: skip
_BY_PATH = {f.path: f for f in FIELDS}
SECTIONS = tuple(
    (name, tuple(f for f in FIELDS if f.section == name))
    for name in dict.fromkeys(f.section for f in FIELDS)
)
"""The form's fieldsets, in order."""


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


def form_values(profile: Mapping[str, Any]) -> dict[str, str]:
    """What each control shows for a stored profile."""
    out: dict[str, str] = {}
    for f in FIELDS:
        value = _get(profile, f.path)
        if value is None:
            out[f.path] = ""
        elif f.kind == "list":
            out[f.path] = ", ".join(str(v) for v in value)
        elif f.kind == "bool":
            out[f.path] = "yes" if value else "no"
        else:
            out[f.path] = str(value)
    return out


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
        if f.path not in form:
            continue
        text = form[f.path].strip()
        bad = text_problems(text, f.path, most=300)
        if bad:
            problems += bad
            continue
        value: Any
        if not text:
            value = None
        elif f.kind == "list":
            value = [x.strip() for x in text.replace(";", ",").split(",") if x.strip()]
        elif f.kind == "bool":
            value = {"yes": True, "no": False}.get(text)
        elif f.kind == "number":
            try:
                value = int(text) if len(text) <= 15 else int("x")
            except ValueError:
                problems.append(
                    Problem(
                        f.path, f"{text!r} is not a whole number", f.hint or "write digits only"
                    )
                )
                continue
        elif f.kind == "select" and f.choices and text not in f.choices:
            problems.append(
                Problem(f.path, f"{text!r} is not one of the choices", "pick one from the list")
            )
            continue
        else:
            value = text
        if f.path == "school.wdoms_ecfmg_note" and value == "unknown":
            value = None
        if f.path == "targets.visa" and value == "unknown":
            value = None
        _set(data, f.path, value)
    if problems:
        raise FormError(problems)
    pruned: dict[str, Any] = _prune(data)
    return pruned


def field_of(location: str) -> str:
    """The form field a profile problem belongs to (``exams.step1[0].date`` -> ``exams.step1.0.date``)."""
    path = re.sub(r"\[(\d+)\]", r".\1", location)
    return path if path in _BY_PATH else "yaml"
