"""The pathway page and the rule pages: everything ``imgpath plan`` knows, in the browser.

The page renders the report the pathway service computed for the saved profile (the same
``Report`` the CLI prints): steps, visa options, licensure by target state, costs with their
as-of dates, deadlines and timeline (past dates marked past, projections marked projected), next
actions, open questions, and each reason linked to its rule page (``/rules/{id}``: source, dates,
grade; L/U and rules past their review date read "needs confirmation").
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from imgpath.errors import InvalidInputError
from imgpath.services.pathway import rule_record
from imgpath.web.deps import Me, UserId, today
from imgpath.web.profile_form import question_fields
from imgpath.web.responses import render
from imgpath.web.viewer import signed_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/pathway")
def pathway_page(request: Request, me: Me, user: UserId = None) -> HTMLResponse:
    workspace = request.app.state.workspace
    owner = workspace.owner(me, user)
    readonly = owner.id != me.id
    if not workspace.profile(me, user):
        return render(request, "pathway.html", me=me, owner=owner, report=None, error="",
                      readonly=readonly, answers={})  # fmt: skip
    try:
        report = workspace.pathway(me, user, on=today(request))
    except InvalidInputError as exc:
        return render(request, "pathway.html", me=me, owner=owner, report=None, error=str(exc),
                      readonly=readonly, answers={})  # fmt: skip
    answers = {q["fact"]: question_fields(q["fact"]) for q in report["questions"]}
    return render(request, "pathway.html", me=me, owner=owner, report=report, error="",
                  readonly=readonly, answers=answers)  # fmt: skip


@router.get("/rules/{rule_id}")
def rule_page(request: Request, rule_id: str) -> HTMLResponse:
    """One rule: open to everyone (rules are public facts with public sources)."""
    rule = rule_record(rule_id[:120], today(request))
    return render(request, "rule.html", me=signed_in(request), rule=rule)
