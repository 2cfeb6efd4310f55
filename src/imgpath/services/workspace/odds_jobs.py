"""Odds runs for the web app, behind a small queue interface (:class:`JobQueue`).

A request is checked when it is made (the profile must plan) and kept with the job, so the run
uses what was asked; a worker runs it with :func:`run_odds` and keeps its plot.  Today's queue is
:class:`~imgpath.services.workspace.odds_queue.OddsQueue` (the database, polled); anything with
``submit`` and ``plot`` can replace it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from imgpath.errors import NotFoundError
from imgpath.services.accounts import Account
from imgpath.services.inputs import require, text_problems
from imgpath.services.odds import odds_for_report
from imgpath.services.simulation import DEFAULT_RANKS
from imgpath.services.workspace.access import Access
from imgpath.services.workspace.profiles import Profiles, plan_stored
from imgpath.storage.accounts_store import AccountsStore

__all__ = ["JobQueue", "OddsJobs", "OddsSettings", "run_odds"]


@dataclass(frozen=True)
class OddsSettings:
    """How big a web odds run is (settings: IMGPATH_ODDS_RUNS, IMGPATH_ODDS_SCALE)."""

    runs: int = 10
    scale: float = 1.0


class JobQueue(Protocol):
    """What the odds use cases need from a job queue."""

    def submit(self, user_id: int, request: Mapping[str, Any], *, total: int) -> str:
        """Queue ``request`` for ``user_id`` (``total`` steps); the job's id."""
        ...

    def plot(self, job_id: str) -> bytes | None:
        """The finished job's plot (PNG), or None."""
        ...


def run_odds(
    request: Mapping[str, Any], progress: Callable[[int, int], None]
) -> tuple[Any, bytes | None]:
    """Run one queued odds request (in a worker): the result and its plot, rendered once."""
    from imgpath.services.plots import odds_plot_bytes

    on = date.fromisoformat(request["on"])
    report = plan_stored(request["profile"], on)
    mine = request.get("ranks")
    result = odds_for_report(report, on=on, runs=request["runs"], scale=request["scale"],
                             specialties=[request["specialty"]] if request["specialty"] else [],
                             ranks=sorted({*DEFAULT_RANKS, mine}) if mine else DEFAULT_RANKS,
                             at_ranks=mine, progress=progress)  # fmt: skip
    return result, odds_plot_bytes(result)


class OddsJobs:
    def __init__(self, store: AccountsStore, queue: JobQueue, access: Access, profiles: Profiles,
                 settings: OddsSettings) -> None:  # fmt: skip
        self.store = store
        self.queue = queue
        self.access = access
        self.profiles = profiles
        self.settings = settings

    def start_odds(
        self, viewer: Account, *, specialty: str, on: date, ranks: int | None = None
    ) -> str:
        """Queue an odds run; with ``ranks``, a "what if" for a rank list of that many programs.

        The profile is checked now and kept with the request, so the run uses what was asked.
        """
        owner = self.access.owner(viewer, write=True)
        require(text_problems(specialty, "specialty", most=200))
        self.profiles.report(owner, on)  # a profile that cannot be planned is refused now
        settings = self.settings
        request = {"specialty": specialty.strip(), "on": on.isoformat(), "runs": settings.runs,
                   "scale": settings.scale, "ranks": ranks, "profile": self.store.profile(owner.id) or {}}  # fmt: skip
        return self.queue.submit(owner.id, request, total=settings.runs)

    def odds_job(self, viewer: Account, job_id: str) -> dict[str, Any]:
        job = self.store.job(job_id) if len(job_id) <= 32 and job_id.isalnum() else None
        if job is None:
            msg = f"no odds run {job_id[:40]}"
            raise NotFoundError(msg)
        self.access.owner(viewer, job["user_id"])
        hidden = ("plot", "lease_until", "attempts")
        out = {
            k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in job.items()
            if k not in hidden
        }
        out["request"] = {k: v for k, v in (job["request"] or {}).items() if k != "profile"}
        result = out.get("result")
        if isinstance(result, dict) and result.get("by_ranks"):
            from imgpath.services.plots import describe_odds

            out["result"] = {**result, "description": describe_odds(result)}  # the chart in words
        return out

    def odds_plot(self, viewer: Account, job_id: str) -> bytes:
        """The run's plot (PNG), rendered once when the run finished."""
        self.odds_job(viewer, job_id)
        plot = self.queue.plot(job_id)
        if plot is None:
            msg = "this odds run has no result yet"
            raise NotFoundError(msg)
        return plot

    def latest_odds(self, viewer: Account, owner_id: int | None = None) -> dict[str, Any] | None:
        owner = self.access.owner(viewer, owner_id)
        jobs = self.store.jobs(owner.id)
        return self.odds_job(viewer, jobs[0]["id"]) if jobs else None

    def runs_of(self, owner: Account) -> list[dict[str, Any]]:
        """Every odds run of the owner (for the account export)."""
        return [self.odds_job(owner, j["id"]) for j in self.store.jobs(owner.id)]
