"""Country and US-state codes (ISO 3166), from the maintained ``pycountry`` tables."""

from __future__ import annotations

from functools import cache

import pycountry

__all__ = [
    "REGIONS",
    "US_AND_TERRITORIES",
    "country_name",
    "is_country",
    "is_us_state",
    "region_of",
    "us_state_name",
]

US_AND_TERRITORIES = frozenset({"US", "PR", "GU", "VI", "AS", "MP", "UM"})
"""Schools here count as US schools, not foreign ones (rule US.IMG.DEF.PUERTO_RICO)."""


@cache
def _countries() -> dict[str, str]:
    return {c.alpha_2: c.name for c in pycountry.countries}


@cache
def _states() -> dict[str, str]:
    return {
        s.code.split("-", 1)[1]: s.name for s in pycountry.subdivisions if s.country_code == "US"
    }


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 country code (upper case)."""
    return code in _countries()


def country_name(code: str) -> str:
    return _countries().get(code, code)


def is_us_state(code: str) -> bool:
    """Whether ``code`` is a US state, DC or territory code such as TX, DC or PR."""
    return code in _states()


def us_state_name(code: str) -> str:
    return _states().get(code, code)


REGIONS: dict[str, frozenset[str]] = {
    "northeast": frozenset({"CT", "ME", "MA", "NH", "RI", "VT", "NJ", "NY", "PA"}),
    "midwest": frozenset({"IL", "IN", "MI", "OH", "WI", "IA", "KS", "MN", "MO", "NE", "ND", "SD"}),
    "south": frozenset(
        {
            "DE",
            "DC",
            "FL",
            "GA",
            "MD",
            "NC",
            "SC",
            "VA",
            "WV",
            "AL",
            "KY",
            "MS",
            "TN",
            "AR",
            "LA",
            "OK",
            "TX",
        }
    ),
    "west": frozenset(
        {"AZ", "CO", "ID", "MT", "NV", "NM", "UT", "WY", "AK", "CA", "HI", "OR", "WA"}
    ),
    "territories": frozenset({"PR", "GU", "VI", "AS", "MP"}),
}
"""US Census Bureau regions (plus the territories, which the Census regions leave out)."""


def region_of(state: str) -> str | None:
    return next((name for name, states in REGIONS.items() if state in states), None)
