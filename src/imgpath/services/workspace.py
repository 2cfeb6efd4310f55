"""An applicant's workspace: profile, pathway, programs, saved list, sharing, odds, export.

Authorization lives here, once: every call names the signed-in account (``viewer``) and the
workspace's owner, and :meth:`Workspace.owner` decides.  An applicant reaches only their own
workspace; an advisor reaches, read-only, the workspaces of applicants who shared with their email.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from imgpath.core.catalog.search import SearchQuery
from imgpath.core.pathway.profile import InvalidProfileError, parse_profile
from imgpath.errors import (
    ImgpathError,
    NotFoundError,
    PermissionDeniedError,
    Problem,
)
from imgpath.services.accounts import Account, FormError, normalise_email
from imgpath.services.catalog import Catalog, SearchResult, applicant_from_report
from imgpath.services.odds import odds_for_report
from imgpath.services.pathway import plan
from imgpath.services.simulation import DEFAULT_RANKS
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


def _json_ready(data: Mapping[str, Any]) -> dict[str, Any]:
    """The profile as stored: YAML gives dates as date objects; the database keeps ISO strings."""
    ready: dict[str, Any] = json.loads(json.dumps(dict(data), default=_iso))
    return ready


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    msg = f"a profile value of type {type(value).__name__} cannot be stored"
    raise TypeError(msg)


@dataclass(frozen=True)
class OddsSettings:
    """How big a web odds run is (environment variables in ``web.settings``)."""

    runs: int = 10
    scale: float = 1.0


class Workspace:
    def __init__(
        self, store: AccountsStore, catalog: Catalog, odds: OddsSettings | None = None
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.odds_settings = odds or OddsSettings()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imgpath-odds")
        # Odds runs live in this process's thread: any left queued or running in the database
        # belonged to a server that stopped, and would otherwise show progress forever.
        store.abandon_jobs("the server restarted before this run finished; start it again")

    def close(self, *, wait: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)

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
            and row["role"] == "applicant"
            and self.store.is_shared(owner_id, viewer.email)
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
        try:
            parse_profile(dict(data), on=on)
        except InvalidProfileError as exc:
            raise FormError(list(exc.problems)) from None
        stored = _json_ready(data)
        self.store.save_profile(owner.id, stored, now=datetime.now(UTC))
        return stored

    def _report(self, owner: Account, on: date) -> Any:
        data = self.store.profile(owner.id) or {}
        try:
            return plan(parse_profile(data, on=on), on)
        except InvalidProfileError as exc:  # saved under older rules, or an older day
            raise FormError(
                [Problem("profile", "the saved profile needs fixing", str(exc))]
            ) from None

    # ------------------------------------------------------------------ pathway
    def pathway(self, viewer: Account, owner_id: int | None = None, *, on: date) -> dict[str, Any]:
        owner = self.owner(viewer, owner_id)
        report: dict[str, Any] = self._report(owner, on).to_dict()
        for deadline in report.get("deadlines", []):
            deadline["times"] = deadline_times(
                deadline.get("date"), deadline.get("time_et"), viewer.time_zone
            )
        return report

    # ----------------------------------------------------------------- programs
    def search(
        self, viewer: Account, query: SearchQuery, *, on: date, owner_id: int | None = None
    ) -> SearchResult:
        owner = self.owner(viewer, owner_id)
        problems = query.problems()
        if problems:
            raise FormError([Problem(name, message) for name, message in problems])
        applicant = (
            applicant_from_report(self._report(owner, on)) if self.store.profile(owner.id) else None
        )
        return self.catalog.search(query, applicant)

    def program(self, viewer: Account, code: str, *, on: date) -> Any:
        applicant = (
            applicant_from_report(self._report(viewer, on))
            if self.store.profile(viewer.id)
            else None
        )
        return self.catalog.show(code, applicant)

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
        if len(note) > 2000:
            raise FormError([Problem("note", "is longer than 2,000 characters", "shorten it")])
        return self.store.save_program(owner.id, code, note, now=datetime.now(UTC))

    def unsave_program(self, viewer: Account, code: str) -> None:
        owner = self.owner(viewer, write=True)
        if not self.store.unsave_program(owner.id, code):
            msg = f"program {code} is not on your list"
            raise NotFoundError(msg)

    # ------------------------------------------------------------------ sharing
    def shares(self, viewer: Account) -> list[dict[str, Any]]:
        return [
            {
                "id": s["id"],
                "advisor_email": s["advisor_email"],
                "created_at": s["created_at"].isoformat(),
            }
            for s in self.store.shares_of(self.owner(viewer, write=True).id)
        ]

    def share(self, viewer: Account, advisor_email: str) -> None:
        owner = self.owner(viewer, write=True)
        if owner.role != "applicant":
            raise FormError([Problem("advisor_email", "only applicants share their workspace")])
        email = normalise_email(advisor_email)
        if "@" not in email or email == owner.email:
            raise FormError([Problem("advisor_email", "is not another person's email address")])
        self.store.add_share(owner.id, email, now=datetime.now(UTC))

    def revoke(self, viewer: Account, share_id: int) -> None:
        if not self.store.remove_share(self.owner(viewer, write=True).id, share_id):
            msg = f"no share {share_id} of yours"
            raise NotFoundError(msg)

    def cohort(self, viewer: Account) -> list[dict[str, Any]]:
        """The applicants who shared with this advisor."""
        if viewer.role != "advisor":
            return []
        return self.store.shared_with(viewer.email)

    # --------------------------------------------------------------------- odds
    def start_odds(
        self, viewer: Account, *, specialty: str, on: date, ranks: int | None = None
    ) -> str:
        """Start an odds run; with ``ranks``, a "what if" for a rank list of that many programs."""
        owner = self.owner(viewer, write=True)
        report = self._report(owner, on)
        settings = self.odds_settings
        request = {
            "specialty": specialty.strip(),
            "on": on.isoformat(),
            "runs": settings.runs,
            "scale": settings.scale,
            "ranks": ranks,
        }
        job_id = uuid.uuid4().hex
        self.store.add_job(job_id, owner.id, request, total=settings.runs, now=datetime.now(UTC))
        self._pool.submit(self._run_odds, job_id, report, request)
        return job_id

    def _run_odds(self, job_id: str, report: Any, request: Mapping[str, Any]) -> None:
        def progress(done: int, total: int) -> None:
            self.store.update_job(job_id, done=done, total=total)

        self.store.update_job(job_id, status="running")
        try:
            mine = request.get("ranks")
            result = odds_for_report(report, on=date.fromisoformat(request["on"]), runs=request["runs"],
                                     scale=request["scale"], specialties=[request["specialty"]] if request["specialty"] else [],
                                     ranks=sorted({*DEFAULT_RANKS, mine}) if mine else DEFAULT_RANKS,
                                     at_ranks=mine, progress=progress)  # fmt: skip
        except ImgpathError as exc:
            self.store.update_job(job_id, status="failed", error=str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a bug: keep the job's record, say so
            self.store.update_job(
                job_id, status="failed", error=f"internal error: {type(exc).__name__}"
            )
            return
        self.store.update_job(job_id, status="done", result=result, done=request["runs"])

    def odds_job(self, viewer: Account, job_id: str) -> dict[str, Any]:
        job = self.store.job(job_id)
        if job is None:
            msg = f"no odds run {job_id}"
            raise NotFoundError(msg)
        self.owner(viewer, job["user_id"])
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in job.items()}

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
