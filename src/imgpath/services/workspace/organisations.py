"""Rotation organisations: the third role, beside applicants and advisors.

An organisation account (role ``organisation``) has a public name and a public page of the US
clinical rotations (USCE) it offers: specialty, site, setting, hands-on or observership, 4 to 12
weeks from a first day, cost, places, and what a letter of recommendation needs.  Applicants
browse every organisation's open rotations and request a place; the organisation accepts or
declines, places, records completion (the rotation then becomes the applicant's own rotation
record, counted in her USCE months) and records a letter, which then appears in the applicant's
own letters (the letters tracker).  Placements show the organisation's name.

Who may do what, decided here and nowhere else:

* only the organisation that offers a rotation changes, closes or deletes it, and decides the
  requests for it (another account's ids answer "not found", as if they did not exist);
* only applicants request places, and each sees only their own requests;
* an organisation sees of an applicant what the request gave it: name, email and message.

A request moves ``requested`` → ``accepted`` | ``declined``; ``requested`` | ``accepted`` →
``placed`` → ``completed``; the applicant may withdraw before completion.  Accepted, placed and
completed requests hold a place; a rotation never holds more than its places.  Form problems
are :class:`FormError` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from imgpath.core.season.records import LETTER_STATUSES, ROTATION_KINDS, FieldReader
from imgpath.errors import NotFoundError, PermissionDeniedError, Problem
from imgpath.services.accounts import Account
from imgpath.services.inputs import FormError, require, text_problems
from imgpath.storage.organisations_store import TAKEN, OrganisationsStore

__all__ = [
    "MAX_WEEKS",
    "MIN_WEEKS",
    "REQUEST_STATUSES",
    "ROTATION_KINDS",
    "SETTINGS",
    "Organisations",
]

# ROTATION_KINDS (core.season): hands-on, the IMG examines patients and writes notes under
# supervision; observership, the IMG watches only.  Programs that ask for USCE often ask for
# hands-on experience.
SETTINGS = ("inpatient", "outpatient", "inpatient_and_outpatient")
MIN_WEEKS, MAX_WEEKS = 4, 12
"""A listed rotation runs 4 to 12 whole weeks: imgpath's bounds for a USCE block (rotations are
usually booked in 4-week blocks; a program counting "months of USCE" counts these).  Product
rule, not a regulation; issue 15 sets it."""
MAX_PLACES = 100
MAX_COST = 100_000
REQUEST_STATUSES = ("requested", "accepted", "declined", "placed", "completed", "withdrawn")


def _text(raw: Mapping[str, Any], field: str, problems: list[Problem], *, most: int,
          required: bool = False, single_line: bool = True) -> str:  # fmt: skip
    text = str(raw.get(field) or "").strip()
    problems += text_problems(text, field, most=most, required=required, single_line=single_line)
    return text


def _choice(raw: Mapping[str, Any], field: str, choices: tuple[str, ...], problems: list[Problem],
            default: str) -> str:  # fmt: skip
    text = str(raw.get(field) or "").strip().lower().replace("-", "_").replace(" ", "_") or default
    if text not in choices:
        problems.append(Problem(field, f"{text[:40]!r} is not one of {', '.join(choices)}",
                                "choose one of them"))  # fmt: skip
    return text


def _whole(raw: Mapping[str, Any], field: str, problems: list[Problem], low: int, high: int,
           hint: str, default: int | None = None) -> int:  # fmt: skip
    text = str(raw.get(field) if raw.get(field) is not None else "").strip()
    if not text and default is not None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        problems.append(Problem(field, f"must be a whole number from {low} to {high}", hint))
    return value


def _day(raw: Mapping[str, Any], field: str, problems: list[Problem]) -> date | None:
    """A required day (YYYY-MM-DD, 1950-2100): the season's date check (``core.season``)."""
    return FieldReader(raw, problems=problems).day(field, required=True)


def _cost(raw: Mapping[str, Any], problems: list[Problem]) -> float | None:
    """US dollars, or None when not stated (unknown, never taken as free)."""
    given = raw.get("cost")
    text = str(given if given is not None else "").strip().replace(",", "").lstrip("$")
    if not text:
        return None
    try:
        cost = float(text)
    except ValueError:
        cost = -1.0
    if not 0 <= cost <= MAX_COST:  # NaN fails too
        problems.append(Problem("cost", f"{str(given)[:40]!r} is not an amount from 0 to {MAX_COST:,}",
                                "give US dollars, e.g. 2500; 0 if it is free; empty if not decided"))  # fmt: skip
        return None
    return cost


def _flag(value: Any, default: bool) -> bool:
    if value is None or str(value).strip() == "":
        return default
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def end_of(start: date, weeks: int) -> date:
    """The last day of a rotation of ``weeks`` whole weeks starting on ``start``."""
    return start + timedelta(days=7 * weeks - 1)


class Organisations:
    def __init__(self, store: OrganisationsStore) -> None:
        self.store = store

    # ------------------------------------------------------------ who may act
    @staticmethod
    def _organisation(viewer: Account) -> Account:
        if viewer.role != "organisation":
            msg = "only an organisation account offers rotations and decides requests"
            raise PermissionDeniedError(msg)
        return viewer

    @staticmethod
    def _applicant(viewer: Account) -> Account:
        if viewer.role != "applicant":
            msg = "only applicants request places in rotations"
            raise PermissionDeniedError(msg)
        return viewer

    # ------------------------------------------------------------------ profile
    def profile(self, viewer: Account) -> dict[str, Any]:
        org = self._organisation(viewer)
        return self.store.profile(org.id) or {
            "name": org.name,
            "about": "",
            "website": "",
            "user_id": org.id,
        }

    def save_profile(self, viewer: Account, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The public name (required), a few words about the organisation, its website."""
        org = self._organisation(viewer)
        problems: list[Problem] = []
        values = {"name": _text(raw, "name", problems, most=200, required=True),
                  "about": _text(raw, "about", problems, most=2000, single_line=False),
                  "website": _text(raw, "website", problems, most=300)}  # fmt: skip
        site = urlsplit(values["website"]) if values["website"] else None
        if site is not None and (site.scheme not in ("http", "https") or not site.netloc):
            problems.append(Problem("website", "is not a web address", "e.g. https://example.org"))
        require(problems)
        self.store.save_profile(org.id, values, now=datetime.now(UTC))
        return self.profile(org)

    # ---------------------------------------------------------------- rotations
    def _rotation_values(self, raw: Mapping[str, Any], *, on: date, old: Mapping[str, Any] | None = None
                         ) -> dict[str, Any]:  # fmt: skip
        problems: list[Problem] = []
        weeks = _whole(raw, "weeks", problems, MIN_WEEKS, MAX_WEEKS,
                       f"a rotation runs {MIN_WEEKS} to {MAX_WEEKS} whole weeks, e.g. 4")  # fmt: skip
        start = _day(raw, "start_on", problems)
        if (
            start is not None
            and start < on
            and (old is None or start.isoformat() != old["start_on"])
        ):
            problems.append(Problem("start_on", f"{start} is in the past (today is {on})",
                                    "give the first day of a rotation still to come"))  # fmt: skip
        values: dict[str, Any] = {
            "specialty": _text(raw, "specialty", problems, most=120, required=True),
            "site": _text(raw, "site", problems, most=200, required=True),
            "setting": _choice(raw, "setting", SETTINGS, problems, "inpatient"),
            "kind": _choice(raw, "kind", ROTATION_KINDS, problems, "hands_on"),
            "weeks": weeks, "start_on": start,
            "cost": _cost(raw, problems),
            "places": _whole(raw, "places", problems, 1, MAX_PLACES, "how many applicants at once, e.g. 2", 1),
            "letter_needs": _text(raw, "letter_needs", problems, most=2000, single_line=False),
            "open": _flag(raw.get("open"), True),
        }  # fmt: skip
        require(problems)
        assert start is not None
        values["end_on"] = end_of(start, weeks)
        return values

    def _named(self, org: Account) -> None:
        if self.store.profile(org.id) is None:
            raise FormError([Problem("name", "your organisation has no public name yet",
                                     "save your organisation's name first: applicants see it")])  # fmt: skip

    def add_rotation(self, viewer: Account, raw: Mapping[str, Any], *, on: date) -> int:
        """List a rotation; its last day is the first day plus its weeks.  A first day before
        ``on`` is refused (``on`` itself is accepted)."""
        org = self._organisation(viewer)
        values = self._rotation_values(raw, on=on)
        self._named(org)
        return self.store.add_rotation(
            {**values, "user_id": org.id, "created_at": datetime.now(UTC)}
        )

    def change_rotation(
        self, viewer: Account, rotation_id: int, raw: Mapping[str, Any], *, on: date
    ) -> None:
        """Replace a rotation's facts (the form sends them all); fewer places than are taken is
        refused.  A first day already past may stay as it was."""
        org = self._organisation(viewer)
        old = self._own_rotation(org, rotation_id)
        values = self._rotation_values(raw, on=on, old=old)
        taken = self.store.change_rotation(org.id, rotation_id, values)
        if taken is None:
            msg = f"no rotation {rotation_id} of yours"
            raise NotFoundError(msg)
        if taken >= 0:
            raise FormError([Problem("places", f"{taken} places are accepted, placed or completed already",
                                     f"give at least {taken}, or decline a request first")])  # fmt: skip

    def remove_rotation(self, viewer: Account, rotation_id: int) -> None:
        org = self._organisation(viewer)
        taken = self.store.remove_rotation(org.id, rotation_id)
        if taken is None:
            msg = f"no rotation {rotation_id} of yours"
            raise NotFoundError(msg)
        if taken >= 0:
            raise FormError([Problem("rotation", f"{taken} applicants hold a place in it, so it stays "
                                     "(their placements and letters refer to it)",
                                     "close it to new requests instead")])  # fmt: skip

    def _own_rotation(self, org: Account, rotation_id: int) -> dict[str, Any]:
        found = self.store.rotation(rotation_id)
        if found is None or found["user_id"] != org.id:
            msg = f"no rotation {rotation_id} of yours"
            raise NotFoundError(msg)
        return found

    def dashboard(self, viewer: Account) -> dict[str, Any]:
        """The organisation's profile and every rotation it offers, each with its requests."""
        org = self._organisation(viewer)
        requests: dict[int, list[dict[str, Any]]] = {}
        for r in self.store.requests(organisation_id=org.id):
            requests.setdefault(int(r["rotation_id"]), []).append(_for_organisation(r))
        rotations = [{**_public(r), "requests": requests.get(int(r["id"]), [])}
                     for r in self.store.rotations(organisation_id=org.id)]  # fmt: skip
        return {"organisation": self.profile(org), "named": self.store.profile(org.id) is not None,
                "rotations": rotations}  # fmt: skip

    def export(self, account: Account) -> dict[str, Any]:
        """What the account keeps here, for "export all my data": an organisation's profile,
        rotations and the requests for them; an applicant's requests."""
        if account.role == "organisation":
            return {"organisation": self.dashboard(account)}
        if account.role == "applicant":
            return {"rotation_requests": self.my_requests(account)}
        return {}

    # ------------------------------------------------------------------- public
    def page(self, organisation_id: int) -> dict[str, Any]:
        """An organisation's public page: name, about, website, its open rotations."""
        profile = self.store.profile(organisation_id)
        if profile is None:
            msg = f"no organisation {organisation_id}"
            raise NotFoundError(msg)
        rotations = [
            _public(r)
            for r in self.store.rotations(organisation_id=organisation_id, open_only=True)
        ]
        return {"organisation": {"id": organisation_id, "name": profile["name"], "about": profile["about"],
                                 "website": profile["website"]}, "rotations": rotations}  # fmt: skip

    def browse(
        self, *, specialty: str = "", kind: str = "", on: date | None = None
    ) -> list[dict[str, Any]]:
        """Every organisation's open rotations (those not yet started, given ``on``), optionally
        of a specialty (words in it) or a kind."""
        words = specialty.strip().lower().split()
        return [
            _public(r) for r in self.store.rotations(open_only=True)
            if all(w in r["specialty"].lower() for w in words) and (not kind or r["kind"] == kind)
            and (on is None or r["start_on"] >= on.isoformat())
        ]  # fmt: skip

    # ---------------------------------------------------------------- requests
    def request_place(self, viewer: Account, rotation_id: int, raw: Mapping[str, Any]) -> int:
        """Ask for a place; the organisation sees the applicant's name, email and message."""
        me = self._applicant(viewer)
        problems: list[Problem] = []
        message = _text(raw, "message", problems, most=2000, single_line=False)
        require(problems)
        rotation = self.store.rotation(rotation_id)
        if rotation is None or not rotation["open"]:
            msg = f"no open rotation {rotation_id}"
            raise NotFoundError(msg)
        outcome, request_id = self.store.request_place(
            rotation_id, me.id, message, now=datetime.now(UTC)
        )
        if outcome not in ("new", "again"):
            raise FormError([Problem("rotation", f"you asked for this rotation already (your request is {outcome})",
                                     "see your requests below")])  # fmt: skip
        return request_id

    def my_requests(self, viewer: Account) -> list[dict[str, Any]]:
        me = self._applicant(viewer)
        return [_for_applicant(r) for r in self.store.requests(applicant_id=me.id)]

    def withdraw(self, viewer: Account, request_id: int) -> None:
        me = self._applicant(viewer)
        found = self.store.withdraw(me.id, request_id, ("requested", "accepted", "placed"))
        if found is None:
            msg = f"no request {request_id} of yours"
            raise NotFoundError(msg)
        if found not in ("requested", "accepted", "placed"):
            raise FormError([Problem("status", f"the request is {found}", "only a request not yet completed, "
                                     "declined or withdrawn can be withdrawn")])  # fmt: skip

    def _decide(self, viewer: Account, request_id: int, to: str, allowed: tuple[str, ...],
                extra: Mapping[str, Any] | None = None, record: Mapping[str, Any] | None = None) -> None:  # fmt: skip
        org = self._organisation(viewer)
        found = self.store.requests(organisation_id=org.id, request_id=request_id)
        if not found:
            msg = f"no request {request_id} for a rotation of yours"
            raise NotFoundError(msg)
        places = int(found[0]["places"])

        def step(row: dict[str, Any], taken: int) -> dict[str, Any]:
            if row["status"] not in allowed:
                raise FormError([Problem("status", f"the request is {row['status']}; only a request that is "
                                         f"{' or '.join(allowed)} can be {to}")])  # fmt: skip
            if to in TAKEN and row["status"] not in TAKEN and taken >= places:
                raise FormError([Problem("places", f"all {places} places of this rotation are taken",
                                         "decline another request, or add places to the rotation")])  # fmt: skip
            return {"status": to, "decided_at": datetime.now(UTC), **(extra or {})}

        self.store.transition(org.id, request_id, step, record)

    def accept(self, viewer: Account, request_id: int) -> None:
        """Offer the place (it is held from now on)."""
        self._decide(viewer, request_id, "accepted", ("requested",))

    def decline(self, viewer: Account, request_id: int) -> None:
        self._decide(viewer, request_id, "declined", ("requested", "accepted"))

    def place(self, viewer: Account, request_id: int) -> None:
        """Confirm the placement (the applicant's placements and timeline show it)."""
        self._decide(viewer, request_id, "placed", ("requested", "accepted"))

    def complete(
        self, viewer: Account, request_id: int, raw: Mapping[str, Any], *, on: date
    ) -> None:
        """Record that the applicant completed the rotation on ``completed_on``: not before its
        first day, not after ``on`` (today is accepted, tomorrow refused)."""
        org = self._organisation(viewer)
        found = self.store.requests(organisation_id=org.id, request_id=request_id)
        if not found:
            msg = f"no request {request_id} for a rotation of yours"
            raise NotFoundError(msg)
        problems: list[Problem] = []
        day = _day(raw, "completed_on", problems)
        if day is not None and day > on:
            problems.append(Problem("completed_on", f"{day} is after today ({on})",
                                    "record completion on or after the last day"))  # fmt: skip
        elif day is not None and day < date.fromisoformat(found[0]["start_on"]):
            problems.append(Problem("completed_on", f"{day} is before the rotation's first day "
                                    f"({found[0]['start_on']})", "give the day the applicant finished"))  # fmt: skip
        require(problems)
        r = found[0]
        record = {"site": f"{r['site']} (placed by {r['organisation']})"[:200], "specialty": r["specialty"],
                  "start_on": date.fromisoformat(r["start_on"]), "end_on": day, "kind": r["kind"],
                  "cost": r["cost"], "supervisor": ""}  # fmt: skip
        self._decide(viewer, request_id, "completed", ("placed",), {"completed_on": day}, record)

    def record_letter(self, viewer: Account, request_id: int, raw: Mapping[str, Any]) -> int:
        """Record the letter the rotation earned: it is added to the applicant's letters (kind
        US clinical, with the organisation and rotation in its notes).  Once per request."""
        org = self._organisation(viewer)
        found = self.store.requests(organisation_id=org.id, request_id=request_id)
        if not found:
            msg = f"no request {request_id} for a rotation of yours"
            raise NotFoundError(msg)
        r = found[0]
        problems: list[Problem] = []
        if r["status"] not in ("placed", "completed"):
            problems.append(Problem("status", f"the request is {r['status']}",
                                    "place the applicant before recording a letter"))  # fmt: skip
        writer = _text(raw, "writer", problems, most=200, required=True)
        status = _choice(raw, "letter_status", LETTER_STATUSES, problems, "requested")
        notes = _text(raw, "notes", problems, most=1000, single_line=False)
        require(problems)
        kind = "hands-on" if r["kind"] == "hands_on" else "observership"
        about = (f"Recorded by {r['organisation']} for the {r['specialty']} rotation ({kind}) at {r['site']}, "
                 f"{r['start_on']} to {r['end_on']}.")  # fmt: skip
        letter = {"writer": writer, "kind": "us_clinical", "status": status,
                  "requested_on": date.fromisoformat(r["end_on"]), "notes": f"{about} {notes}".strip()}  # fmt: skip
        letter_id = self.store.record_letter(org.id, request_id, letter)
        if letter_id is None:
            raise FormError([Problem("writer", "a letter is recorded for this placement already",
                                     "the applicant's letters list it")])  # fmt: skip
        return letter_id


def _public(r: Mapping[str, Any]) -> dict[str, Any]:
    """A rotation as anyone may see it."""
    keys = ("id", "specialty", "site", "setting", "kind", "weeks", "start_on", "end_on", "cost", "places",
            "letter_needs", "open", "organisation")  # fmt: skip
    out = {k: r[k] for k in keys}
    out["organisation_id"] = r["user_id"]
    out["places_left"] = max(int(r["places"]) - int(r["taken"] or 0), 0)
    return out


def _request(r: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("id", "rotation_id", "status", "message", "created_at", "decided_at", "completed_on",
            "letter_writer", "letter_status")  # fmt: skip
    out = {k: r[k] for k in keys}
    out["letter"] = r["letter_id"] is not None  # the applicant may have deleted it since
    return out


def _for_organisation(r: Mapping[str, Any]) -> dict[str, Any]:
    return {**_request(r), "applicant": {"id": r["applicant_id"], "name": r["applicant_name"],
                                         "email": r["applicant_email"]}}  # fmt: skip


def _for_applicant(r: Mapping[str, Any]) -> dict[str, Any]:
    rotation = {k: r[k] for k in ("specialty", "site", "setting", "kind", "weeks", "start_on", "end_on",
                                  "cost", "places", "letter_needs", "organisation", "organisation_id")}  # fmt: skip
    return {**_request(r), "rotation": rotation}
