"""The program search and the saved list, for the applicant (or an advisor reading theirs)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from imgpath.core.catalog.search import SearchQuery
from imgpath.core.geography import is_us_state
from imgpath.errors import InvalidInputError, NotFoundError
from imgpath.services.accounts import Account
from imgpath.services.catalog import Catalog, ProgramView, SearchResult
from imgpath.services.inputs import require, text_problems
from imgpath.services.workspace.access import Access
from imgpath.services.workspace.profiles import Profiles
from imgpath.storage.accounts_store import AccountsStore

__all__ = ["PICK_LIMIT", "Programs"]

PICK_LIMIT = 12
"""The most programs a pick-by-name answers (the search boxes of the season's pages)."""
_STATE = re.compile(r"\b[A-Z]{2}\b")


class Programs:
    def __init__(
        self, store: AccountsStore, catalog: Catalog, access: Access, profiles: Profiles
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.access = access
        self.profiles = profiles

    def pick(self, text: str) -> list[Any]:
        """Up to :data:`PICK_LIMIT` programs (``Program``) for the words ``text``: those whose
        name, institution (which often names the city) or specialty has them, an exact NRMP code
        first; a two-letter capital word that is a US state filters by state (``cardiology NY``).
        Words the search refuses find nothing more."""
        catalog = self.catalog
        text = text.strip()[:200]
        found: list[Any] = []
        if text.upper() in catalog.by_code:
            found.append(catalog.show(text.upper()).program)
        states = tuple(s for s in _STATE.findall(text) if is_us_state(s))
        words = _STATE.sub(lambda m: "" if is_us_state(m.group(0)) else m.group(0), text).strip()
        if words or states:
            query = SearchQuery(
                text=words, states=states, all_specialties=True, sort="name", limit=PICK_LIMIT
            )
            try:
                result = catalog.search(query)
            except InvalidInputError:
                return found
            found += [
                v.program for v in result.programs if v.program.code not in {p.code for p in found}
            ]
        return found[:PICK_LIMIT]

    def search(
        self, viewer: Account, query: SearchQuery, *, on: date, owner_id: int | None = None
    ) -> SearchResult:
        """The catalog's search for the owner's profile (its target specialty by default); without
        a profile the catalog lists by name and says so in the result's notes."""
        owner = self.access.owner(viewer, owner_id)
        return self.catalog.search(query, self.profiles.applicant(owner, on))

    def program(self, viewer: Account, code: str, *, on: date) -> ProgramView:
        return self.catalog.show(code, self.profiles.applicant(viewer, on))

    def saved(self, viewer: Account, owner_id: int | None = None) -> list[dict[str, Any]]:
        owner = self.access.owner(viewer, owner_id)
        out = []
        for row in self.store.saved(owner.id):
            program = self.catalog.show(row["program_code"]).program
            out.append({"code": program.code, "name": program.name, "institution": program.institution,
                        "state": program.state, "specialty": program.specialty, "note": row["note"],
                        "saved_at": row["saved_at"].isoformat()})  # fmt: skip
        return out

    def save_program(self, viewer: Account, code: str, note: str = "") -> bool:
        owner = self.access.owner(viewer, write=True)
        self.catalog.show(code)  # NotFoundError names an unknown code
        require(text_problems(note, "note", most=2000, single_line=False))
        return self.store.save_program(owner.id, code, note, now=datetime.now(UTC))

    def unsave_program(self, viewer: Account, code: str) -> None:
        owner = self.access.owner(viewer, write=True)
        if not self.store.unsave_program(owner.id, code):
            msg = f"program {code} is not on your list"
            raise NotFoundError(msg)
