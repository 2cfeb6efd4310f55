"""The applicant whose odds are asked, in the model's terms (see :mod:`imgpath.core.market.insertion`)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Person"]


@dataclass(frozen=True)
class Person:
    """The applicant, in the model's terms."""

    kind: str
    """An applicant type of the model (us_img, non_us_img, us_md_senior ...)."""
    z: float | None = None
    """Step 2 CK as a standard score within the type; None: unknown.  It sets part of the
    person's standing (``model.step2ck_weight``); the rest is drawn."""
    needs_visa: bool = False
    j1_open: bool = True
    h1b_open: bool = True
