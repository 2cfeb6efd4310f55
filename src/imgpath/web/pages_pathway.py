"""The pathway page and the rule pages: everything ``imgpath plan`` knows, in the browser.

The page renders the report the pathway service computed for the saved profile (the same
``Report`` the CLI prints): steps, visa options, licensure by target state, costs with their
as-of dates, deadlines and timeline (past dates marked past, projections marked projected), next
actions, open questions, and each reason linked to its rule page (``/rules/{id}``: source, dates,
grade; L/U and rules past their review date read "needs confirmation").
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from imgpath.errors import FormError, InvalidInputError
from imgpath.services.accounts import Account
from imgpath.services.pathway import rule_index, rule_record
from imgpath.services.workspace import Workspace
from imgpath.web.deps import Csrf, Form, Me, SettingsDep, Today, UserId, WorkspaceDep
from imgpath.web.profile_form import apply_form, question_fields
from imgpath.web.responses import render, see_other
from imgpath.web.viewer import signed_in

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/pathway")
def pathway_page(request: Request, me: Me, workspace: WorkspaceDep, on: Today, user: UserId = None,
                 since: Annotated[str, Query(max_length=20)] = "") -> HTMLResponse:  # fmt: skip
    """The plan; ``since`` (YYYY-MM-DD) adds the rules that began, ended or changed since then
    and touch this person (the policy alert of ``imgpath plan --changes-since``)."""
    return _page(request, workspace, on, me, user, since=since)


def _since(text: str, on: date) -> tuple[date | None, str]:
    if not text.strip():
        return None, ""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None, f"since: {text.strip()!r} is not a date; write it as YYYY-MM-DD"
    if day > on:
        return (
            None,
            f"since: {day.isoformat()} is after today ({on.isoformat()}); give an earlier day",
        )
    return day, ""


def _page(request: Request, workspace: Workspace, on: date, me: Account, user: int | None,
          status: int = 200, answer_errors: list[str] | None = None, since: str = "") -> HTMLResponse:  # fmt: skip
    owner = workspace.owner(me, user)
    readonly = owner.id != me.id
    changes_since, since_error = _since(since, on)
    context = {"me": me, "owner": owner, "readonly": readonly, "answers": {}, "error": since_error,
               "report": None, "answer_errors": answer_errors or [], "since": since.strip(),
               "chosen_closed": None}  # fmt: skip
    status = 422 if since_error else status
    profile = workspace.profile(me, user)
    if not profile:
        return render(request, "pathway.html", status, **context)
    try:
        report = workspace.pathway(me, user, on=on, changes_since=changes_since)
    except InvalidInputError as exc:
        return render(request, "pathway.html", status, **{**context, "error": str(exc)})
    answers = {q["fact"]: question_fields(q["fact"], profile) for q in report["questions"]}
    chosen = (profile.get("targets") or {}).get("visa")
    closed = next((v for v in report["visa_options"]
                   if v["id"] == chosen and v["status"] == "blocked"), None)  # fmt: skip
    return render(request, "pathway.html", status,
                  **{**context, "report": report, "answers": answers, "chosen_closed": closed})  # fmt: skip


@router.post("/pathway/answer", dependencies=[Csrf])
def answer_question(request: Request, me: Me, workspace: WorkspaceDep, settings: SettingsDep,
                    on: Today, form: Form) -> Response:  # fmt: skip
    """Answer one of the plan's questions in place: the fields posted change the saved profile
    (the same form rules and validation as the profile page), then back to the plan."""
    try:
        data = apply_form(workspace.profile(me), {k: v for k, v in form.items() if k != "yaml"},
                          most_bytes=settings.max_profile_bytes)  # fmt: skip
        workspace.save_profile(me, data, on=on)
    except FormError as exc:
        problems = [
            f"{p.location}: {p.message}" + (f"; {p.hint}" if p.hint else "") for p in exc.problems
        ]
        return _page(request, workspace, on, me, None, 422, problems)
    return see_other("/pathway#questions")


@router.get("/rules")
def rules_page(request: Request, on: Today) -> HTMLResponse:
    """Every rule imgpath knows, by jurisdiction and topic, with its grade and dates."""
    return render(request, "rules.html", me=signed_in(request), rules=rule_index(on), on=on)


@router.get("/rules/{rule_id}")
def rule_page(request: Request, on: Today, rule_id: str) -> HTMLResponse:
    """One rule: open to everyone (rules are public facts with public sources)."""
    rule = rule_record(rule_id[:120], on)
    return render(request, "rule.html", me=signed_in(request), rule=rule)
