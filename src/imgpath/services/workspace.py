"""An applicant's workspace: profile, pathway, programs, saved list, sharing, odds, export.

Authorization lives here, once: every call names the signed-in account (``viewer``) and the
workspace's owner, and :meth:`Workspace.owner` decides.  An applicant reaches only their own
workspace; an advisor reaches, read-only, the workspaces of applicants who shared with their email.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from imgpath.core.catalog.search import SearchQuery
from imgpath.core.pathway.profile import InvalidProfileError, parse_profile
from imgpath.errors import NotFoundError, PermissionDeniedError, Problem
from imgpath.services.accounts import Account, FormError
from imgpath.services.catalog import Catalog, SearchResult, applicant_from_report
from imgpath.services.inputs import check_email, document_problems, require, text_problems
from imgpath.services.odds_queue import OddsQueue
from imgpath.services.pathway import plan
from imgpath.services.support import support_for, support_listing
from imgpath.storage.accounts_store import AccountsStore

__all__ = ["OddsSettings", "Workspace", "deadline_times"]

ET = ZoneInfo("America/New_York")


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


PROFILE_MAX_BYTES = 64_000
"""The largest profile kept (settings: IMGPATH_MAX_PROFILE_BYTES)."""


def _json_ready(data: Mapping[str, Any]) -> dict[str, Any]:
    """The profile as stored: YAML gives dates as date objects; the database keeps ISO strings."""
    ready: dict[str, Any] = json.loads(json.dumps(dict(data), default=_iso))
    return ready


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    msg = f"a profile value of type {type(value).__name__} cannot be stored"
    raise TypeError(msg)


def _check_specialty(name: str) -> None:
    """Refuse a specialty the market model does not know now, naming the field (not in the worker)."""
    from imgpath.errors import InvalidInputError
    from imgpath.services.market_model import load_model
    from imgpath.services.odds import find_specialties

    try:
        find_specialties(load_model(), [name], "non_us_img", count=1)
    except InvalidInputError as exc:
        raise FormError([Problem("specialty", str(exc))]) from None


@dataclass(frozen=True)
class OddsSettings:
    """How big a web odds run is (settings: IMGPATH_ODDS_RUNS, IMGPATH_ODDS_SCALE)."""

    runs: int = 10
    scale: float = 1.0


@dataclass(frozen=True)
class SharingPolicy:
    pending_days: int = 30
    """A share to an address without a verified advisor account lapses after this many days."""
    profile_max_bytes: int = PROFILE_MAX_BYTES


class Workspace:
    def __init__(self, store: AccountsStore, catalog: Catalog, queue: OddsQueue,
                 odds: OddsSettings | None = None, *, reauthenticate: Callable[[Account, str], None],
                 policy: SharingPolicy | None = None) -> None:  # fmt: skip
        """``reauthenticate(account, password)`` raises a FormError naming ``password`` when wrong."""
        self.store = store
        self.catalog = catalog
        self.queue = queue
        self.odds_settings = odds or OddsSettings()
        self.reauthenticate = reauthenticate
        self.policy = policy or SharingPolicy()

    # ------------------------------------------------------------ authorization
    def owner(
        self, viewer: Account, owner_id: int | None = None, *, write: bool = False
    ) -> Account:
        """The workspace's owner, if ``viewer`` may see it (and change it, with ``write``)."""
        if owner_id is None or owner_id == viewer.id:
            return viewer
        row = self.store.user(owner_id)
        allowed = (
            row is not None
            and not write
            and viewer.role == "advisor"
            and viewer.verified
            and row["role"] == "applicant"
            and self.store.is_shared(owner_id, viewer.id)
        )
        if not allowed:
            msg = "this workspace is not yours and was not shared with you"
            raise PermissionDeniedError(msg)
        assert row is not None
        return Account.from_row(row)

    # ------------------------------------------------------------------ profile
    def profile(self, viewer: Account, owner_id: int | None = None) -> dict[str, Any]:
        owner = self.owner(viewer, owner_id)
        return self.store.profile(owner.id) or {}

    def save_profile(self, viewer: Account, data: Mapping[str, Any], *, on: date) -> dict[str, Any]:
        """Validate (every problem keyed by its field) and save; nothing is saved if any is wrong."""
        owner = self.owner(viewer, write=True)
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

    def _report(self, owner: Account, on: date, data: Mapping[str, Any] | None = None, *,
                changes_since: date | None = None) -> Any:  # fmt: skip
        """The pathway report of the owner's saved profile (``data``, if already read), with the
        rules that changed since ``changes_since`` when given."""
        data = dict(data if data is not None else self.store.profile(owner.id) or {})
        try:
            return plan(parse_profile(data, on=on), on, changes_since=changes_since)
        except InvalidProfileError as exc:  # saved under older rules, or an older day
            raise FormError(
                [Problem("profile", "the saved profile needs fixing", str(exc))]
            ) from None

    def _applicant(self, owner: Account, on: date) -> Any:
        """What the fit needs (profile targets included: the target specialty is a search's
        default filter), or None without a saved profile."""
        data = self.store.profile(owner.id)
        if not data:
            return None
        try:
            profile = parse_profile(dict(data), on=on)
        except InvalidProfileError as exc:
            raise FormError(
                [Problem("profile", "the saved profile needs fixing", str(exc))]
            ) from None
        return applicant_from_report(plan(profile, on), profile)

    # ------------------------------------------------------------------ pathway
    def pathway(self, viewer: Account, owner_id: int | None = None, *, on: date,
                changes_since: date | None = None) -> dict[str, Any]:  # fmt: skip
        """The owner's plan on ``on`` as a dict (``Report.to_dict``), deadlines also in the viewer's
        time zone; ``changes_since`` adds the policy alert (rules that began, ended or changed
        since then and touch the owner; ``InvalidInputError`` if it is after ``on``)."""
        owner = self.owner(viewer, owner_id)
        report: dict[str, Any] = self._report(owner, on, changes_since=changes_since).to_dict()
        for deadline in report.get("deadlines", []):
            deadline["times"] = deadline_times(
                deadline.get("date"), deadline.get("time_et"), viewer.time_zone
            )
        return report

    # ------------------------------------------------------------------ support
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
        owner = self.owner(viewer, owner_id)
        data = self.store.profile(owner.id)
        if not data:
            listing = support_listing(on, kinds=kinds, states=states).to_dict()
            return {**listing, "profile": False}
        report = self._report(owner, on, data)
        found = support_for(parse_profile(data, on=on), on, kinds=kinds, states=states,
                            include_unfit=include_unfit, report=report)  # fmt: skip
        return {**found.to_dict(), "profile": True}

    # ----------------------------------------------------------------- programs
    def search(
        self, viewer: Account, query: SearchQuery, *, on: date, owner_id: int | None = None
    ) -> SearchResult:
        owner = self.owner(viewer, owner_id)
        problems = query.problems()
        if problems:
            raise FormError([Problem(name, message) for name, message in problems])
        # Without a profile the catalog lists by name and says so in the result's notes.
        return self.catalog.search(query, self._applicant(owner, on))

    def program(self, viewer: Account, code: str, *, on: date) -> Any:
        return self.catalog.show(code, self._applicant(viewer, on))

    def saved(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        owner = self.owner(viewer, owner_id)
        out = []
        for row in self.store.saved(owner.id):
            program = self.catalog.show(row["program_code"]).program
            out.append({"code": program.code, "name": program.name, "institution": program.institution,
                        "state": program.state, "specialty": program.specialty, "note": row["note"],
                        "saved_at": row["saved_at"].isoformat()})  # fmt: skip
        return out

    def save_program(self, viewer: Account, code: str, note: str = "") -> bool:
        owner = self.owner(viewer, write=True)
        self.catalog.show(code)  # NotFoundError names an unknown code
        require(text_problems(note, "note", most=2000, single_line=False))
        return self.store.save_program(owner.id, code, note, now=datetime.now(UTC))

    def unsave_program(self, viewer: Account, code: str) -> None:
        owner = self.owner(viewer, write=True)
        if not self.store.unsave_program(owner.id, code):
            msg = f"program {code} is not on your list"
            raise NotFoundError(msg)

    # ------------------------------------------------------------------ sharing
    def shares(self, viewer: Account) -> list[dict[str, Any]]:
        """The applicant's shares: ``active`` (attached to a verified advisor account of that
        address) or ``pending`` until ``expires_at`` (lapsed ones are deleted)."""
        owner = self.owner(viewer, write=True)
        self.store.purge_shares(datetime.now(UTC))
        return [
            {"id": s["id"], "advisor_email": s["advisor_email"], "created_at": s["created_at"].isoformat(),
             "status": "active" if s["advisor_id"] is not None else "pending",
             "expires_at": s["expires_at"].isoformat() if s["expires_at"] else None}
            for s in self.store.shares_of(owner.id)
        ]  # fmt: skip

    def share(self, viewer: Account, advisor_email: str, *, password: str) -> None:
        """Share (read-only) with an advisor's address, after the password.  It takes effect only
        for a verified advisor account of that address; until one exists it is pending and
        lapses after ``pending_days``."""
        owner = self.owner(viewer, write=True)
        if owner.role != "applicant":
            raise FormError([Problem("advisor_email", "only applicants share their workspace")])
        email, problems = check_email(advisor_email, "advisor_email")
        if not problems and email == owner.email:
            problems.append(
                Problem("advisor_email", "is your own address", "give your advisor's email")
            )
        require(problems)
        self.reauthenticate(viewer, password)
        now = datetime.now(UTC)
        advisor = self.store.user_by_email(email)
        attached = (int(advisor["id"]) if advisor and advisor["role"] == "advisor"
                    and advisor["email_verified_at"] is not None else None)  # fmt: skip
        self.store.add_share(owner.id, email, advisor_id=attached, now=now,
                             expires_at=now + timedelta(days=self.policy.pending_days))  # fmt: skip

    def revoke(self, viewer: Account, share_id: int) -> None:
        """End a share; the advisor's organisation's placements of this applicant end with it."""
        if self.store.remove_share(self.owner(viewer, write=True).id, share_id) is None:
            msg = f"no share {share_id} of yours"
            raise NotFoundError(msg)

    def cohort(self, viewer: Account) -> list[dict[str, Any]]:
        """The applicants whose shares are attached to this (verified) advisor."""
        if viewer.role != "advisor" or not viewer.verified:
            return []
        return self.store.shared_with(viewer.id)

    # --------------------------------------------------------------------- odds
    def start_odds(
        self, viewer: Account, *, specialty: str, on: date, ranks: int | None = None
    ) -> str:
        """Queue an odds run; with ``ranks``, a "what if" for a rank list of that many programs.

        The profile is checked now and kept with the request, so the run uses what was asked.
        """
        owner = self.owner(viewer, write=True)
        require(text_problems(specialty, "specialty", most=200))
        self._report(owner, on)  # a profile that cannot be planned is refused now, not later
        if specialty.strip():
            _check_specialty(specialty.strip())
        from imgpath.services.odds_funnel import DEFAULT_APPLICATIONS

        settings = self.odds_settings
        request = {"specialty": specialty.strip(), "on": on.isoformat(), "runs": settings.runs,
                   "scale": settings.scale, "ranks": ranks, "applications": list(DEFAULT_APPLICATIONS),
                   "profile": self.store.profile(owner.id) or {}}  # fmt: skip
        return self.queue.submit(owner.id, request, total=settings.runs)

    @staticmethod
    def run_odds(
        request: Mapping[str, Any], progress: Callable[[int, int], None]
    ) -> tuple[Any, bytes | None]:
        """Run one queued odds request (in a worker): the funnel answer (``OddsAnswer.to_dict()``)
        and its plot (PNG), rendered once.  A request with ``ranks`` (the rank list's "what if")
        also reaches that many interviews in ``by_interviews``."""
        from imgpath.services.odds_funnel import DEFAULT_APPLICATIONS, odds_answer
        from imgpath.services.plots import funnel_plot_bytes

        on = date.fromisoformat(request["on"])
        try:
            report = plan(parse_profile(dict(request["profile"]), on=on), on)
        except InvalidProfileError as exc:
            raise FormError(
                [Problem("profile", "the saved profile needs fixing", str(exc))]
            ) from None
        answer = odds_answer(
            report,
            on=on,
            applications=tuple(request.get("applications") or DEFAULT_APPLICATIONS),
            specialty=request["specialty"] or None,
            runs=request["runs"],
            seed=0,
            scale=request["scale"],
            at_interviews=request.get("ranks"),
            progress=progress,
        ).to_dict()
        return answer, funnel_plot_bytes(answer)

    def odds_job(self, viewer: Account, job_id: str) -> dict[str, Any]:
        """A run as the page and ``GET /api/odds/{job}`` show it (``web.odds_schema.OddsJob``): its
        status and progress, the request (without the profile), and when done the answer with
        ``description``, the plot in words.  A result of an older version (per programs ranked,
        without the funnel) comes back as ``result: None`` with ``outdated: True``."""
        job = self.store.job(job_id) if len(job_id) <= 32 and job_id.isalnum() else None
        if job is None:
            msg = f"no odds run {job_id[:40]}"
            raise NotFoundError(msg)
        self.owner(viewer, job["user_id"])
        hidden = ("plot", "lease_until", "attempts")
        out = {
            k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in job.items()
            if k not in hidden
        }
        out["request"] = {k: v for k, v in (job["request"] or {}).items() if k != "profile"}
        result = out.get("result")
        out["outdated"] = isinstance(result, dict) and "rows" not in result
        if out["outdated"]:
            out["result"] = None
        elif isinstance(result, dict):
            from imgpath.services.plots import describe_funnel

            out["result"] = {**result, "description": describe_funnel(result)}  # the chart in words
        return out

    def odds_plot(self, viewer: Account, job_id: str) -> bytes:
        """The run's plot (PNG), rendered once when the run finished."""
        self.odds_job(viewer, job_id)
        plot = self.queue.store.plot(job_id)
        if plot is None:
            msg = "this odds run has no result yet"
            raise NotFoundError(msg)
        return plot

    def latest_odds(self, viewer: Account, owner_id: int | None = None) -> dict[str, Any] | None:
        owner = self.owner(viewer, owner_id)
        jobs = self.store.jobs(owner.id)
        return self.odds_job(viewer, jobs[0]["id"]) if jobs else None

    # ------------------------------------------------------------------- export
    def export(self, viewer: Account) -> dict[str, Any]:
        """Everything stored about the signed-in user, as JSON-ready data."""
        owner = self.owner(viewer, write=True)
        return {
            "exported_at": datetime.now(UTC).isoformat(),
            "account": owner.to_dict(),
            "profile": self.store.profile(owner.id),
            "saved_programs": self.saved(owner),
            "shares": self.shares(owner),
            "shared_with_me": self.cohort(owner),
            "odds_runs": [self.odds_job(owner, j["id"]) for j in self.store.jobs(owner.id)],
        }
