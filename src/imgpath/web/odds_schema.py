"""The odds job as ``GET /api/odds/{job}`` returns it: a response model, so the API's schema
(``/api/openapi.json``) names every field of the funnel answer (``imgpath.market.OddsAnswer``,
docs/reference/odds.md) and a change to the answer that the API does not follow fails its tests.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["OddsJob"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FunnelRow(_Model):
    applications: int = Field(description="N, programs applied to in the specialty")
    usable_applications: int = Field(description="of them, to programs that could take the person")
    interviews: float = Field(description="expected interviews")
    interviews_range: tuple[float, float]
    p_match: float = Field(description="chance of matching (0-1)")
    p_match_range: tuple[float, float]
    eras_fee_usd: float | None = Field(
        description="ERAS fees for N programs; None: no fee rule in force"
    )


class ChanceAtK(_Model):
    interviews: int = Field(description="k, interviews (programs on the rank list)")
    p_match: float
    interval_90: tuple[float, float]


class NationalRate(_Model):
    type: str
    label: str
    year: int
    published: float | None = Field(description="NRMP's published match rate; None: not published")
    source: str
    simulated: float
    simulated_interval_90: tuple[float, float]


class Figure(_Model):
    what: str
    value: float
    source: str
    grade: Literal["H", "M", "L", "U"] = Field(description="L and U need confirmation")


class Person(_Model):
    type: str
    label: str
    step2ck_z: float | None
    needs_visa: bool
    j1_open: bool
    h1b_open: bool
    notes: list[str]


class OddsAnswer(_Model):
    as_of: str
    model_year: int
    specialty: str
    person: Person
    rows: list[FunnelRow]
    by_interviews: list[ChanceAtK]
    national: NationalRate
    figures: list[Figure]
    assumptions: list[str]
    not_modelled: list[str]
    runs: int
    seed: int
    markets_built: int
    description: str = Field(description="the funnel plot in words")


class OddsRequestShown(_Model):
    specialty: str
    on: str
    runs: int
    scale: float
    ranks: int | None = Field(default=None, description="the rank list's length, for its what-if")
    applications: list[int] | None = None


class OddsJob(_Model):
    id: str
    user_id: int
    status: Literal["queued", "running", "done", "failed"]
    done: int = Field(description="stored simulated Matches built so far")
    total: int
    request: OddsRequestShown
    result: OddsAnswer | None = Field(description="the answer, once done")
    outdated: bool = Field(description="a run of an older version whose result is no longer shown")
    error: str | None
    created_at: str
