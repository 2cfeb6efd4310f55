"""The web app's use cases, apart from the library's: accounts' workspaces, sharing, odds jobs,
the season tracker and the account export.  Nothing in the library services imports these.

============================  ======================================================
module                        what it serves
============================  ======================================================
``access``                    the one authorization rule (who may see or change what)
``profiles``                  the profile, its pathway report, the support directory
``programs``                  the program search and the saved list
``sharing``                   read-only shares with advisors; the advisor's cohort
``odds_jobs``                 odds runs behind a small queue interface
``odds_queue``                the database-polled queue and its workers
``season``                    the season tracker (thin: authorize, load, core.season, save)
``organisations``             rotation organisations: profile, rotations, requests, placements
``couples``                   couples' linked pair rank lists
``account_export``            everything stored about a person, as JSON
``workspace``                 ``Workspace``: the above, wired, under one name
``demo_account``              the demo applicant of ``imgpath serve --demo``
``demo_organisation``         the demo organisation beside it
============================  ======================================================
"""

from __future__ import annotations

from imgpath.services.workspace.odds_jobs import OddsSettings
from imgpath.services.workspace.profiles import SharingPolicy, deadline_times
from imgpath.services.workspace.workspace import Workspace

__all__ = ["OddsSettings", "SharingPolicy", "Workspace", "deadline_times"]
