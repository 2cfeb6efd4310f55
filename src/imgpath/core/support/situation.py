"""A person's situation as the support directory needs it, derived from their plan.

The stage is read off what the pathway engine already decided (the status of the milestone
steps of the destination's path, and the progress facts), never from rules of its own:

* ``practising``: the plan's fact ``progress.licensed`` (a full US state licence);
* ``in_residency``: ``progress.residency_started``;
* ``matched``: ``progress.matched``;
* ``applying``: ``progress.eras_submitted`` or ``progress.nrmp_registered`` (US only);
* ``certified``: every milestone step of the destination is ``done``
  (:data:`MILESTONES`: the ECFMG certificate, GMC registration, MCCQE Part I and the NAC, the AMC
  pathway);
* ``exams``: otherwise.

Everything here is pure: the service builds a :class:`Situation` from a profile and its plan.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MILESTONES", "Situation", "derive_stage", "status_in"]

MILESTONES: dict[str, tuple[str, ...]] = {
    "US": ("ecfmg_certificate",),
    "UK": ("gmc_registration",),
    "CA": ("mccqe1", "nac"),
    "AU": ("au_pathway",),
}
"""Per destination, the steps of its path (``data/pathway/paths``) whose being done means the
exams and credentials are complete: the ``certified`` stage."""


@dataclass(frozen=True)
class Situation:
    """What the directory matches entries against.  ``None`` or empty means unknown, except
    ``destination``: None means every destination (the listing without a profile).

    ``status`` is the person's status in the destination country: ``citizen``,
    ``permanent_resident``, ``temporary`` (a US visa such as H-1B, J-1 or F-1: not refugee
    status), ``visa`` (a UK visa or other leave, which the profile does not tell apart from
    refugee leave), ``none`` (no status there), or None.
    ``stage_reason`` says which step or fact of the plan decided the stage.
    """

    destination: str | None = None
    citizenships: tuple[str, ...] = ()
    stage: str | None = None
    stage_reason: str = ""
    states: tuple[str, ...] = ()
    status: str | None = None
    lives_in_destination: bool | None = None
    practised_abroad: bool | None = None
    specialty: str | None = None
    assessed: bool = True
    """False when there is no profile: entries are listed, not matched to a person."""
    notes: tuple[str, ...] = field(default=())

    @classmethod
    def anyone(cls, destination: str | None = None, states: Sequence[str] = ()) -> Situation:
        """No profile: every criterion unknown (used to list the directory)."""
        return cls(destination=destination, states=tuple(states), assessed=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "assessed": self.assessed,
            "destination": self.destination,
            "citizenships": list(self.citizenships),
            "stage": self.stage,
            "stage_reason": self.stage_reason,
            "states": list(self.states),
            "status": self.status,
            "lives_in_destination": self.lives_in_destination,
            "practised_abroad": self.practised_abroad,
            "specialty": self.specialty,
        }


def derive_stage(
    destination: str, step_status: Mapping[str, str], facts: Mapping[str, Any]
) -> tuple[str, str]:
    """The stage and the reason, from a plan's step statuses and facts (see the module doc)."""
    if facts.get("progress.licensed"):
        return "practising", "the plan records a full US state licence (progress.licensed)"
    if facts.get("progress.residency_started"):
        return "in_residency", "the plan records that residency has started"
    if facts.get("progress.matched"):
        return "matched", "the plan records a residency position (progress.matched)"
    if destination == "US" and (
        facts.get("progress.eras_submitted") or facts.get("progress.nrmp_registered")
    ):
        return "applying", "the plan records an ERAS application or NRMP registration"
    milestones = MILESTONES.get(destination, ())
    if milestones and all(step_status.get(s) == "done" for s in milestones):
        named = " and ".join(f"'{s}'" for s in milestones)
        return "certified", f"the plan's step {named} is done"
    named = " and ".join(f"'{s}'" for s in milestones) or "the qualifying steps"
    return "exams", f"the plan's step {named} is not done yet"


def status_in(
    destination: str,
    *,
    nationalities: Sequence[str],
    us_status: str | None,
    ca_status: str | None,
    uk_status: str | None,
) -> str | None:
    """A person's status in ``destination``: citizen, permanent_resident, temporary, visa, none
    or None (see :class:`Situation`).

    Citizenship of the destination settles it.  Otherwise the profile's status field for that
    country decides (``us_status``, ``ca_status``, ``uk_status``); Australia has none, so its
    status is unknown unless the person is an Australian citizen.
    """
    if destination in nationalities or (destination == "UK" and "GB" in nationalities):
        return "citizen"
    if destination == "US":
        return {
            "citizen": "citizen", "permanent_resident": "permanent_resident", "h1b": "temporary",
            "j1": "temporary", "f1": "temporary", "none": "none",
        }.get(us_status or "")  # fmt: skip
    if destination == "CA":
        return {
            "citizen": "citizen",
            "permanent_resident": "permanent_resident",
            "none": "none",
        }.get(ca_status or "")
    if destination == "UK":
        return {
            "citizen": "citizen", "ilr": "permanent_resident", "euss": "permanent_resident",
            "visa": "visa", "none": "none",
        }.get(uk_status or "")  # fmt: skip
    return None
