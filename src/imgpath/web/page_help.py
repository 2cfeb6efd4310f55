"""Help text for the pages whose templates do not carry their own ``{% block help %}``, by the
first part of the address (``/letters/3`` -> ``letters``).  Shown at the foot of every page under
"Help on this page" (base.html), with a link to the guides."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["HELP", "doc_links", "page_help"]

_DOC_PATH = re.compile(r"docs/(how-to|explanation|reference)/([A-Za-z0-9_-]+)\.md")

HELP: dict[str, str] = {
    "profile": "Everything you tell imgpath about yourself, section by section; every field is "
    "optional, and what you leave out becomes a question on your pathway. Add another exam "
    "attempt, OET or IELTS sitting, licence, rotation or job offer in the empty row of its "
    "section and save: a new empty row appears for the next. To remove one, clear its row. "
    "A mistake is shown next to its field and nothing is saved until it is fixed. The YAML box "
    "at the bottom takes the whole profile at once (see the profile reference).",
    "programs": "Every NRMP program that can consider you. Filter by words, specialty, state "
    "and visa; with a profile the list is ordered by fit (how well the program's known facts "
    "match yours; open a program for each term). Unknown facts stay unknown, never guessed. "
    "Save a program to keep it on your list.",
    "odds": "How many programs to apply to: for each number of applications, the interviews "
    "you can expect, your chance of matching (each with a range) and the ERAS fees, beside "
    "the national match rate of your applicant type. It is a model calibrated to NRMP's "
    "published results, not a forecast: read what it assumes and what it does not model.",
    "applications": "One row per program you apply to: add it by NRMP code or import your "
    "spreadsheet (CSV), then move it along as it goes: applied, signaled, invited, "
    "interviewed, ranked. ERAS fees are added up with their sources.",
    "letters": "Your letters of recommendation and documents. ERAS takes at most four letters "
    "per program: assign each letter to programs, and a fifth is refused with the four already "
    "there named.",
    "rotations": "Your US clinical experience (USCE): hands-on rotations, observerships, "
    "externships and research, with their dates and letters.",
    "rank-list": "Your rank order list for the NRMP Match, in your true order of preference "
    "(the Match cannot do better for you by ranking otherwise). Move programs with the "
    "buttons or the keyboard; the list checks NRMP's limits and the extra-rank fee.",
    "timeline": "Every date of your season in one list, past dates marked; download it as a "
    "calendar (.ics) to get reminders in your own calendar.",
    "account": "Your name, time zone (deadlines are shown in it), password, email, sessions, "
    "sharing with an advisor (read-only), export of all your data and deleting your account.",
    "cohort": "The applicants who shared their workspace with you, read-only: open any of "
    "their pages from here. Applicants share from their Account page, naming your email.",
    "slots": "Rotation places your organisation offers and who is placed in them.",
    "signin": "Sign in with the email and password of your account. After several wrong "
    "passwords you wait a little before trying again. Forgot it? Use the link below the form.",
    "signup": "An account keeps your profile, plan and season on this server. Choose applicant "
    "if you are an IMG, advisor if you guide applicants, organisation if you offer clinical "
    "rotations. Your time zone is used to show deadlines in your own time as well as US Eastern.",
    "usce": "US clinical rotations that organisations offer: hands-on rotations and "
    "observerships of 4 to 12 weeks with their dates, cost, places and what a letter needs. "
    "Request a place and the organisation sees your name, email and message; follow your "
    "requests here. imgpath does not vet organisations: check a rotation with its site before "
    "you pay (docs/how-to/offer-rotations.md).",
    "organisations": "An organisation's public page: its open rotations. Signed in as an "
    "applicant, request a place from here.",
    "organisation": "Your organisation's name, its rotations and the requests for them: accept "
    "or decline, place, record completion (it becomes the applicant's own rotation) and the "
    "letter (it appears in the applicant's letters). A rotation never holds more applicants "
    "than its places (docs/how-to/offer-rotations.md).",
    "couple": "Two applicants entering the Match as a couple rank pairs of programs, one for "
    "each partner, either of which may be No Match; at most 300 pairs; each partner certifies "
    "their own list, and any change withdraws both certifications "
    "(docs/how-to/rank-as-a-couple.md).",
    "find-program": "Find a program by part of its name, its institution (which often names "
    "the city), its specialty or its NRMP code; add a state as two capitals.",
    "verify": "Confirm the email address of your new account with the link we sent.",
    "forgot": "We send a link to reset your password to the email of your account, if there "
    "is one (we do not say whether there is).",
    "reset": "Choose a new password of at least the length shown; other sessions are signed out.",
    "email": "Confirm the change of your account's email address.",
}


def page_help(path: str) -> Markup:
    """The help paragraph for the page at ``path`` (empty when there is none)."""
    first = path.strip("/").split("/", 1)[0]
    text = HELP.get(first, "")
    return Markup("<p>{}</p>").format(doc_links(text)) if text else Markup("")  # docs/… as links


def doc_links(text: str) -> Markup:
    """``text`` escaped, with each ``docs/SECTION/NAME.md`` it names made a link to that page
    (the services name documentation by its path in the source tree)."""
    return Markup(_DOC_PATH.sub(r'<a href="/docs/\1/\2">docs/\1/\2.md</a>', str(escape(text))))
