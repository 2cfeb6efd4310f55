"""An applicant's workspace, one object for the web app: the use cases of each concern, wired.

Each concern lives in its own module: who may see what (``access``), the profile, pathway and support
directory (``profiles``), the program search and saved list (``programs``), sharing and the advisor's
cohort (``sharing``), odds runs behind a queue (``odds_jobs``).  ``Workspace`` builds them from
the stores and exposes their calls under one name, so the web layer asks one object.
"""

from __future__ import annotations

from collections.abc import Callable

from imgpath.services.accounts import Account
from imgpath.services.catalog import Catalog
from imgpath.services.workspace.access import Access
from imgpath.services.workspace.odds_jobs import JobQueue, OddsJobs, OddsSettings, run_odds
from imgpath.services.workspace.profiles import Profiles, SharingPolicy
from imgpath.services.workspace.programs import Programs
from imgpath.services.workspace.sharing import Sharing
from imgpath.storage.accounts_store import AccountsStore

__all__ = ["Workspace"]


class Workspace:
    run_odds = staticmethod(run_odds)

    def __init__(self, store: AccountsStore, catalog: Catalog, queue: JobQueue,
                 odds: OddsSettings | None = None, *, reauthenticate: Callable[[Account, str], None],
                 policy: SharingPolicy | None = None) -> None:  # fmt: skip
        """No I/O: the stores and the catalog are already open."""
        self.store = store
        self.catalog = catalog
        self.policy = policy or SharingPolicy()
        self.access = Access(store)
        self.profiles = Profiles(store, self.access, self.policy)
        self.programs = Programs(store, catalog, self.access, self.profiles)
        self.sharing = Sharing(store, self.access, self.policy, reauthenticate=reauthenticate)
        self.odds = OddsJobs(store, queue, self.access, self.profiles, odds or OddsSettings())
        # one name per call, for the web layer
        self.owner = self.access.owner
        self.profile = self.profiles.profile
        self.save_profile = self.profiles.save_profile
        self.pathway = self.profiles.pathway
        self.support = self.profiles.support
        self.search = self.programs.search
        self.pick_programs = self.programs.pick
        self.program = self.programs.program
        self.saved = self.programs.saved
        self.save_program = self.programs.save_program
        self.unsave_program = self.programs.unsave_program
        self.shares = self.sharing.shares
        self.share = self.sharing.share
        self.revoke = self.sharing.revoke
        self.cohort = self.sharing.cohort
        self.start_odds = self.odds.start_odds
        self.odds_job = self.odds.odds_job
        self.odds_plot = self.odds.odds_plot
        self.latest_odds = self.odds.latest_odds
