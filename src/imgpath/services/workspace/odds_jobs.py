"""Odds runs for the web app, behind a small queue interface (:class:`JobQueue`).

A request is checked when it is made (the profile must plan) and kept with the job, so the run
uses what was asked; a worker runs it with :func:`run_odds` (the funnel,
``imgpath.market.odds_answer``) and keeps its plot.  Today's queue is
:class:`~imgpath.services.workspace.odds_queue.OddsQueue` (the database, polled); anything with
``submit`` and ``plot`` can replace it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from imgpath.errors import FormError, InvalidInputError, NotFoundError, Problem
from imgpath.services.accounts import Account
from imgpath.services.inputs import require, text_problems
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
    """Run one queued odds request (in a worker): the funnel answer (``OddsAnswer.to_dict()``)
    and its plot (PNG), rendered once.  A request with ``ranks`` (the rank list's "what if")
    also reaches that many interviews in ``by_interviews``."""
    from imgpath.services.odds_funnel import DEFAULT_APPLICATIONS, odds_answer
    from imgpath.services.plots import funnel_plot_bytes

    on = date.fromisoformat(request["on"])
    report = plan_stored(request["profile"], on)
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


def _check_specialty(name: str) -> None:
    """Refuse a specialty the market model does not know now, naming the field (not in the worker)."""
    from imgpath.services.market_model import load_model
    from imgpath.services.odds import find_specialties

    try:
        find_specialties(load_model(), [name], "non_us_img", count=1)
    except FormError:
        raise  # already names the field
    except InvalidInputError as exc:
        raise FormError([Problem("specialty", str(exc))]) from None


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
        if specialty.strip():
            _check_specialty(specialty.strip())
        from imgpath.services.odds_funnel import DEFAULT_APPLICATIONS

        settings = self.settings
        request = {"specialty": specialty.strip(), "on": on.isoformat(), "runs": settings.runs,
                   "scale": settings.scale, "ranks": ranks, "applications": list(DEFAULT_APPLICATIONS),
                   "profile": self.store.profile(owner.id) or {}}  # fmt: skip
        return self.queue.submit(owner.id, request, total=settings.runs)

    def odds_job(self, viewer: Account, job_id: str) -> dict[str, Any]:
        """A run as the page and ``GET /api/odds/{job}`` show it (``web.schemas.OddsJobOut``): its
        status and progress, the request (without the profile), and when done the answer with
        ``description``, the plot in words.  A result of an older version (per programs ranked,
        without the funnel) comes back as ``result: None`` with ``outdated: True``."""
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
