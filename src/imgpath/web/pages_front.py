"""The front door: the landing page (what imgpath does and for whom), and the documentation
(how-to guides, explanations, reference) as pages, open to everyone."""

from __future__ import annotations

import posixpath
import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markdown_it import MarkdownIt
from markupsafe import Markup

from imgpath.services.accounts import Accounts
from imgpath.services.guides import SECTIONS, guide, guide_image, guides
from imgpath.services.workspace.demo_account import DEMO_EMAIL, DEMO_PASSWORD, demo_available
from imgpath.web.deps import AccountsDep
from imgpath.web.responses import render, see_other
from imgpath.web.viewer import HOME, signed_in

__all__ = ["router", "to_html"]

router = APIRouter(include_in_schema=False)
_MARKDOWN = MarkdownIt("js-default").enable("table")  # raw HTML in Markdown is escaped
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")


@router.get("/")
def home(request: Request, accounts: AccountsDep) -> Response:
    """Signed in: your workspace.  Signed out: the landing page."""
    me = signed_in(request)
    if me is not None:
        return see_other(HOME.get(me.role, "/cohort"))
    return _landing(request, accounts)


@router.get("/about")
def about(request: Request, accounts: AccountsDep) -> HTMLResponse:
    return _landing(request, accounts)


def _landing(request: Request, accounts: Accounts) -> HTMLResponse:
    demo = demo_available(accounts)
    return render(request, "landing.html", me=signed_in(request), guides=guides("how-to"),
                  demo={"email": DEMO_EMAIL, "password": DEMO_PASSWORD} if demo else None)  # fmt: skip


@router.get("/guides")
def guides_page(request: Request) -> HTMLResponse:
    sections = [(key, title, guides(key)) for key, title in SECTIONS.items()]
    return render(request, "guides.html", me=signed_in(request), sections=sections)


@router.get("/docs/{section}/{name}")
def guide_page(request: Request, section: str, name: str) -> HTMLResponse:
    page = guide(section, name.removesuffix(".md"))
    return render(request, "guide.html", me=signed_in(request), page=page,
                  body=to_html(page.text, section), section_title=SECTIONS[section])  # fmt: skip


@router.get("/docs/{section}/images/{name}")
def guide_image_file(section: str, name: str) -> Response:
    return Response(guide_image(section, name), media_type="image/png",
                    headers={"Cache-Control": "max-age=300"})  # fmt: skip


def to_html(text: str, section: str) -> Markup:
    """Markdown of ``docs/SECTION`` as HTML: links to other pages become /docs/... addresses and
    images /docs/SECTION/images/...; raw HTML in the source is escaped, not passed through."""

    def link(match: re.Match[str]) -> str:
        target = match.group(2)
        if re.match(r"^[a-z]+:|^#|^/", target):
            return match.group(0)
        path, _, fragment = target.partition("#")
        where = posixpath.normpath(posixpath.join(section, path))
        if where.endswith(".md") and where.count("/") == 1:
            where = where.removesuffix(".md")
        elif where.endswith(".png"):
            folder, _, file = where.rpartition("/")
            where = f"{folder.split('/')[0]}/images/{file}"
        else:
            return match.group(0)
        return f"{match.group(1)}/docs/{where}{'#' + fragment if fragment else ''}{match.group(3)}"

    rendered = _MARKDOWN.render(_LINK.sub(link, text))
    # wide code and tables scroll inside themselves, so they must take the keyboard focus
    rendered = rendered.replace("<pre>", '<pre tabindex="0">').replace(
        "<table>", '<table tabindex="0">'
    )
    return Markup(rendered)
