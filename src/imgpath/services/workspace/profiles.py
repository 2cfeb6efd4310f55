"""The applicant's profile, the pathway report made from it, and the support directory for
the situation that report describes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from imgpath.core.pathway.profile import InvalidProfileError, parse_profile
from imgpath.core.pathway.report import Report
from imgpath.errors import FormError, Problem
from imgpath.services.accounts import Account
from imgpath.services.catalog import applicant_from_report
from imgpath.services.inputs import document_problems, require
from imgpath.services.pathway import plan
from imgpath.services.support import support_for, support_listing
from imgpath.services.workspace.access import Access
from imgpath.storage.accounts_store import AccountsStore

__all__ = ["PROFILE_MAX_BYTES", "Profiles", "SharingPolicy", "deadline_times", "plan_stored"]

ET = ZoneInfo("America/New_York")
PROFILE_MAX_BYTES = 64_000
"""The largest profile kept (settings: IMGPATH_MAX_PROFILE_BYTES)."""


@dataclass(frozen=True)
class SharingPolicy:
    pending_days: int = 30
    """A share to an address without a verified advisor account lapses after this many days."""
    profile_max_bytes: int = PROFILE_MAX_BYTES


def deadline_times(day: str | None, time_et: str | None, zone: str) -> dict[str, str | None]:
    """A deadline in ET and in the user's zone ("09:00 ET" on a day; noon ET when no time is given
    is not assumed: the day alone is shown)."""
    if not day:
        return {"et": None, "local": None}
    if not time_et:
        return {"et": day, "local": None}
    hh, mm = (int(x) for x in time_et.split()[0].split(":"))
    moment = datetime.fromisoformat(day).replace(hour=hh, minute=mm, tzinfo=ET)
    local = moment.astimezone(ZoneInfo(zone))
    return {"et": f"{day} {time_et}", "local": local.strftime(f"%Y-%m-%d %H:%M {zone}")}


def _json_ready(data: Mapping[str, Any]) -> dict[str, Any]:
    """The profile as stored: YAML gives dates as date objects; the database keeps ISO strings."""
    ready: dict[str, Any] = json.loads(json.dumps(dict(data), default=_iso))
    return ready


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    msg = f"a profile value of type {type(value).__name__} cannot be stored"
    raise TypeError(msg)


def plan_stored(data: Mapping[str, Any], on: date, *, changes_since: date | None = None) -> Report:
    """The pathway report of a stored profile, with the rules that changed since
    ``changes_since`` when given; one saved under older rules (or an older day) that no longer
    reads is a FormError naming ``profile``."""
    try:
        return plan(parse_profile(dict(data), on=on), on, changes_since=changes_since)
    except InvalidProfileError as exc:
        raise FormError([Problem("profile", "the saved profile needs fixing", str(exc))]) from None


class Profiles:
    def __init__(self, store: AccountsStore, access: Access, policy: SharingPolicy) -> None:
        self.store = store
        self.access = access
        self.policy = policy
        self._applicants: dict[tuple[str, date], Any] = {}

    def profile(self, viewer: Account, owner_id: int | None = None) -> dict[str, Any]:
        owner = self.access.owner(viewer, owner_id)
        return self.store.profile(owner.id) or {}

    def save_profile(self, viewer: Account, data: Mapping[str, Any], *, on: date) -> dict[str, Any]:
        """Validate (every problem keyed by its field) and save; nothing is saved if any is wrong."""
        owner = self.access.owner(viewer, write=True)
        if not isinstance(data, Mapping):
            raise FormError([Problem("profile", "must be a mapping of profile fields")])
        require(document_problems(data, field="", most_bytes=self.policy.profile_max_bytes))
        try:
            parse_profile(dict(data), on=on)
        except InvalidProfileError as exc:
            raise FormError(list(exc.problems)) from None
        except (ValueError, TypeError, RecursionError, OverflowError) as exc:
            raise FormError([Problem("profile", f"cannot be read ({type(exc).__name__})",
                                     "check the values' types")]) from None  # fmt: skip
        stored = _json_ready(data)
        self.store.save_profile(owner.id, stored, now=datetime.now(UTC))
        return stored

    def applicant(self, owner: Account, on: date) -> Any:
        """What the fit needs from the owner's saved profile (its targets included: the target
        specialty is a search's default filter), or None without one; a saved profile that no
        longer reads is a FormError naming ``profile``."""
        data = self.store.profile(owner.id)
        if not data:
            return None
        key = (json.dumps(data, sort_keys=True, default=str), on)
        found = self._applicants.get(key)  # remembered per profile and day: the pathway is
        if found is not None:  # evaluated once, not on every search page
            return found
        try:
            profile = parse_profile(dict(data), on=on)
        except InvalidProfileError as exc:
            raise FormError(
                [Problem("profile", "the saved profile needs fixing", str(exc))]
            ) from None
        found = applicant_from_report(plan(profile, on), profile)
        if len(self._applicants) >= 1024:
            self._applicants.clear()
        self._applicants[key] = found
        return found

    def report(self, owner: Account, on: date, *, changes_since: date | None = None) -> Report:
        """The pathway report of the owner's saved profile (the caller has authorized)."""
        return plan_stored(self.store.profile(owner.id) or {}, on, changes_since=changes_since)

    def pathway(self, viewer: Account, owner_id: int | None = None, *, on: date,
                changes_since: date | None = None) -> dict[str, Any]:  # fmt: skip
        """The owner's plan on ``on`` as a dict (``Report.to_dict``), deadlines also in the viewer's
        time zone; ``changes_since`` adds the policy alert (rules that began, ended or changed
        since then and touch the owner; ``InvalidInputError`` if it is after ``on``)."""
        owner = self.access.owner(viewer, owner_id)
        report: dict[str, Any] = self.report(owner, on, changes_since=changes_since).to_dict()
        for deadline in report.get("deadlines", []):
            deadline["times"] = deadline_times(
                deadline.get("date"), deadline.get("time_et"), viewer.time_zone
            )
        return report

    def support(
        self,
        viewer: Account,
        owner_id: int | None = None,
        *,
        on: date,
        kinds: tuple[str, ...] = (),
        states: tuple[str, ...] = (),
        include_unfit: bool = False,
    ) -> dict[str, Any]:
        """The support directory for the owner's situation on ``on`` (``services.support``):
        ``support_for`` with the plan already computed for the pathway page, or, without a
        saved profile, the whole directory (``support_listing``) with ``"profile": False``.
        Bad ``kinds`` or ``states`` raise ``InvalidInputError`` naming each."""
        owner = self.access.owner(viewer, owner_id)
        data = self.store.profile(owner.id)
        if not data:
            listing = support_listing(on, kinds=kinds, states=states).to_dict()
            return {**listing, "profile": False}
        report = plan_stored(data, on)
        found = support_for(parse_profile(data, on=on), on, kinds=kinds, states=states,
                            include_unfit=include_unfit, report=report)  # fmt: skip
        return {**found.to_dict(), "profile": True}
