"""The documentation (``docs/how-to``, ``docs/reference``, ``docs/explanation`` of the source tree)
for the web app to show as pages.

Pages are read from the checkout the package runs from (``make run`` installs it in editable
mode); an installed wheel has no ``docs/``, and then :func:`guides` is empty and the pages say
where to read them instead.  A page is named by its section and file stem
(``how-to``/``use-the-web-app``); nothing outside those folders can be named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import imgpath
from imgpath.errors import NotFoundError

__all__ = ["DOCS_DIR", "SECTIONS", "Guide", "guide", "guide_image", "guides"]

DOCS_DIR = Path(imgpath.__file__).resolve().parents[2] / "docs"
"""Where the documentation is in a source checkout."""

SECTIONS = {"how-to": "How-to guides", "explanation": "Explanations", "reference": "Reference"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}$")
_IMAGE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.png$")


@dataclass(frozen=True)
class Guide:
    """One page: ``section``, ``name`` (file stem), ``title`` (first heading), ``text`` (Markdown)."""

    section: str
    name: str
    title: str
    text: str


def _title(text: str, name: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return name.replace("-", " ").capitalize()


def guides(section: str = "how-to", root: Path = DOCS_DIR) -> list[Guide]:
    """Every page of ``section``, by title (empty when the folder is absent)."""
    folder = root / section
    if section not in SECTIONS or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.md")):
        if _NAME.match(path.stem):
            text = path.read_text(encoding="utf-8")
            found.append(Guide(section, path.stem, _title(text, path.stem), text))
    return sorted(found, key=lambda g: g.title)


def guide(section: str, name: str, root: Path = DOCS_DIR) -> Guide:
    """The page ``name`` of ``section``; ``NotFoundError`` names it when there is none."""
    path = root / section / f"{name}.md"
    if section not in SECTIONS or not _NAME.match(name) or not path.is_file():
        msg = f"there is no page {section[:20]}/{name[:80]} in the documentation; see /guides"
        raise NotFoundError(msg)
    text = path.read_text(encoding="utf-8")
    return Guide(section, name, _title(text, name), text)


def guide_image(section: str, name: str, root: Path = DOCS_DIR) -> bytes:
    """A PNG a page shows (``docs/SECTION/*.png`` or ``docs/SECTION/images/*.png``)."""
    if section in SECTIONS and _IMAGE.match(name):
        for path in (root / section / name, root / section / "images" / name):
            if path.is_file():
                return path.read_bytes()
    msg = f"there is no image {name[:80]!r} in the documentation"
    raise NotFoundError(msg)
