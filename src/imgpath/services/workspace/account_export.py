"""Everything stored about one person, as JSON-ready data (GDPR art. 15 and 20)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from imgpath.services.accounts import Account

if TYPE_CHECKING:
    from imgpath.services.workspace.season import Tracker
    from imgpath.services.workspace.workspace import Workspace

__all__ = ["export_account"]


def export_account(workspace: Workspace, season: Tracker, viewer: Account) -> dict[str, Any]:
    """The signed-in user's account, profile, saved programs, shares, odds runs and season."""
    owner = workspace.owner(viewer, write=True)
    return {
        "exported_at": datetime.now(UTC).isoformat(),
        "account": owner.to_dict(),
        "profile": workspace.store.profile(owner.id),
        "saved_programs": workspace.saved(owner),
        "shares": workspace.shares(owner),
        "shared_with_me": workspace.cohort(owner),
        "odds_runs": workspace.odds.runs_of(owner),
        "applications": season.applications(owner),
        "letters": season.letters(owner),
        "documents": season.documents(owner),
        "rotations": season.rotations(owner)["rotations"],
        "rank_list": season.store.rank_list(owner.id),
        "placements": season.placements(owner),
        "rotation_slots": season.slots(owner) if owner.role == "advisor" else [],
    }
