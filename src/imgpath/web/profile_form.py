"""The pathway profile as an HTML form: every question the plan asks, no YAML needed.

Field names are profile paths (``exams.step2ck.0.score``) so that the engine's problems, which
name the same paths (``exams.step2ck[0].score``), land next to the right control.  Lists (exam
attempts, OET and IELTS sittings, licences abroad, US clinical experience, job offers) are
:class:`Group` s: the form shows each stored row and one empty row to add another; a hidden
``PATH.rows`` says how many stored rows the form showed, so that clearing a shown row deletes it
while an untouched empty row is ignored.  A form may post only some fields (the pathway page
answers one question in place): what it does not post is kept as stored.  The YAML box
replaces the whole profile, and the fields posted are applied on top.

What the form asks (fields, groups, sections, the plan's questions) is :mod:`.profile_fields`;
this module reads a stored profile into the form's values and applies a posted form to it.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any

from imgpath.errors import DocumentSyntaxError, FormError, InvalidInputError, Problem
from imgpath.services.documents import FORM_LIMITS, load_document
from imgpath.services.inputs import document_problems, text_problems
from imgpath.web.profile_fields import (
    BOOL,
    FIELD_BY_PATH,
    FIELDS,
    GROUP_BY_PATH,
    GROUPS,
    ROW_NAME,
    SECTIONS,
    YES_NO_UNKNOWN,
    Field,
    Group,
    question_fields,
    rows_shown,
    value_at,
)

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
    "rows_shown",
]


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
    if f.kind == BOOL:
        return "yes" if value else "no"
    return str(value)


def form_values(profile: Mapping[str, Any]) -> dict[str, str]:
    """What each control shows for a stored profile: every field, every stored row of each
    group and one empty row after them, and each group's ``PATH.rows``."""
    out = {f.path: _shown(f, value_at(profile, f.path)) for f in FIELDS}
    for group in GROUPS:
        rows = value_at(profile, group.path)
        rows = rows if isinstance(rows, list) else []
        out[f"{group.path}.rows"] = str(len(rows))
        for index in range(len(rows) + 1):
            for f, full in zip(group.fields, group.row_fields(index), strict=True):
                row = rows[index] if index < len(rows) and isinstance(rows[index], Mapping) else {}
                out[full.path] = _shown(f, row.get(f.path))
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
    if f.kind == BOOL:
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
        m = ROW_NAME.match(key)
        if m and m.group("group") == group.path:
            posted.setdefault(int(m.group("index")), {})[m.group("key")] = raw
    if not posted:
        return
    try:
        shown = int(form.get(f"{group.path}.rows", "0") or 0)
    except ValueError:
        shown = 0
    current = value_at(data, group.path)
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
    if path in FIELD_BY_PATH:
        return path
    m = ROW_NAME.match(path)
    if m and m.group("group") in GROUP_BY_PATH:
        keys = {f.path for f in GROUP_BY_PATH[m.group("group")].fields}
        if m.group("key") in keys:
            return path
    whole = re.sub(r"\.\d+$", "", path)  # citizenships[1] -> the citizenships field
    return whole if whole in FIELD_BY_PATH else "yaml"
