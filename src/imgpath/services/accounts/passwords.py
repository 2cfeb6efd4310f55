"""The password policy, after NIST SP 800-63B §3.1.1.2: at least 8 characters, up to 256, any
characters, no composition rules; refused if common or breached (a bundled list), only
whitespace, repetitive or sequential, the email itself or the site's name."""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache
from importlib import resources

from imgpath.errors import Problem

__all__ = ["MAX_PASSWORD", "MIN_PASSWORD", "normalise_password", "password_problems", "unusable"]

MIN_PASSWORD = 8
"""NIST SP 800-63B §3.1.1.2 (rev. 4 §5.1.1.2): at least 8 characters when chosen by the user."""
MAX_PASSWORD = 256
"""Long passphrases allowed (NIST: at least 64); the cap keeps argon2's input bounded."""


def normalise_password(password: str) -> str:
    """NFKC, as NIST SP 800-63B §5.1.1.2 advises, so one passphrase types the same everywhere."""
    return unicodedata.normalize("NFKC", password)


def unusable(password: str) -> bool:
    """Whether the password holds a NUL or a lone surrogate (it cannot be stored or hashed)."""
    return "\x00" in password or any(0xD800 <= ord(c) <= 0xDFFF for c in password)


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("imgpath").joinpath("data", "security", "common-passwords.txt")
    return frozenset(
        line.strip().lower()
        for line in text.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )


def _sequential(text: str) -> bool:
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return len(steps) == 1 and steps <= {1, -1}


def password_problems(
    password: str, *, email: str = "", field_name: str = "password"
) -> list[Problem]:
    """Why this password is refused (NIST SP 800-63B); never repeats the password itself."""
    hint = "choose a longer passphrase, e.g. three or four unrelated words"
    if unusable(password):
        return [
            Problem(
                field_name,
                "contains a character that cannot be used (NUL or a lone surrogate)",
                hint,
            )
        ]
    text = normalise_password(password)
    if len(text) < MIN_PASSWORD:
        return [Problem(field_name, f"is shorter than {MIN_PASSWORD} characters", hint)]
    if len(text) > MAX_PASSWORD:
        return [Problem(field_name, f"is longer than {MAX_PASSWORD} characters", "shorten it")]
    lowered = text.lower()
    bare = "".join(lowered.split())
    local = email.split("@", maxsplit=1)[0].lower()
    if not bare:
        return [Problem(field_name, "is only spaces", hint)]
    if len(set(bare)) <= 2 or _sequential(bare):
        return [Problem(field_name, "is a repeated or sequential pattern", hint)]
    if lowered in _common_passwords() or bare in _common_passwords():
        return [Problem(field_name, "is on a list of common or breached passwords", hint)]
    if email and (lowered in (email.lower(), local) or bare in (email.lower(), local)):
        return [Problem(field_name, "is your email address", hint)]
    if bare in ("imgpath", "imgpathimgpath") or (
        bare.startswith("imgpath") and len(set(bare[7:])) <= 2
    ):
        return [Problem(field_name, "is the name of this site", hint)]
    return []
