"""A plan as plain text or Markdown (the JSON form is ``Report.to_dict``)."""

from __future__ import annotations

from imgpath.core.pathway.engine import Reason
from imgpath.core.pathway.report import Report

__all__ = ["STATUS_WORDS", "to_markdown", "to_text"]

STATUS_WORDS = {
    "done": "done",
    "ready": "ready",
    "in_progress": "in progress",
    "blocked": "blocked",
    "not_applicable": "not applicable",
    "unknown": "unknown",
    "eligible": "eligible",
    "not_yet": "not yet",
    "not_available": "not available",
}


def _kind(report: Report) -> str:
    img = report.img
    if img["is_img"] is None:
        return "IMG status unknown (tell us where your medical school is)"
    if not img["is_img"]:
        return "not an IMG"
    if report.destination != "US":  # US IMG / non-US IMG are NRMP's terms
        return "an international medical graduate"
    kind = {"us_img": "US IMG", "non_us_img": "non-US IMG"}.get(img["kind"] or "", "IMG")
    visa = {True: ", needs a visa", False: ", needs no visa"}.get(img["needs_visa"], "")
    return kind + visa


def _cite(reason: Reason, *, md: bool) -> str:
    """A sentence and its rule; L/U rules say they need confirmation wherever they appear."""
    text = reason.text
    if reason.needs_confirmation and "needs confirmation" not in text and not reason.stale:
        text += " (needs confirmation)"
    return f"{text} [`{reason.rule_id}`]" if md else f"{text} [{reason.rule_id}]"


def _lines(report: Report, *, md: bool) -> list[str]:
    h1 = "# " if md else ""
    h2 = "## " if md else ""
    bullet = "- " if md else "  - "
    out = [f"{h1}Plan as of {report.as_of.isoformat()} ({report.destination}): {_kind(report)}", ""]
    out.append(f"{h2}Steps")
    for step in report.steps:
        word = STATUS_WORDS[step.status]
        out.append(f"- {step.title}: **{word}**" if md else f"{step.title}: {word}")
        out += [f"{'  ' if md else ''}{bullet}{_cite(r, md=md)}" for r in step.reasons]
    if report.changes_since is not None:
        out += ["", f"{h2}Changes since {report.changes_since.isoformat()} that concern you"]
        if not report.changes:
            out.append(f"{bullet}No rule that concerns you began, ended or changed in this period.")
        for c in report.changes:
            check = " (needs confirmation)" if c.needs_confirmation else ""
            out.append(
                f"{bullet}{c.date.isoformat()} {c.kind}: {c.text}{check} {_ref(c.rule_id, md=md)}"
            )
    if report.deadlines:
        out += ["", f"{h2}Deadlines (US Eastern time)"]
        for d in report.deadlines:
            when = d.date.isoformat() if d.date else "unknown"
            if d.status == "projected" and d.earliest and d.latest and d.earliest != d.latest:
                when = f"{d.earliest.isoformat()} to {d.latest.isoformat()}"
            extra = f" {d.time_et}" if d.time_et else ""
            status = d.status + (f": {d.basis}" if d.status == "projected" and d.basis else "")
            status += ", needs confirmation" if d.needs_confirmation else ""
            status += ", past" if d.past else ""
            out.append(f"{bullet}{when}{extra}: {d.title} ({status}) {_ref(d.rule_id, md=md)}")
    if report.visa_options:
        out += ["", f"{h2}Visa options"]
        for v in report.visa_options:
            out.append(f"{bullet}{v.title}: {STATUS_WORDS.get(v.status, v.status)}")
            out += [f"    - lacks: {_cite(r, md=md)}" for r in v.lacks]
            out += [f"    - not known: {_cite(r, md=md)}" for r in v.unknown]
            out += [f"    - {_cite(r, md=md)}" for r in v.reasons]
    if report.licensure:
        out += ["", f"{h2}Licensure"]
        for state in report.licensure:
            out.append(f"{bullet}{state.name}")
            out += [f"    - {_cite(r, md=md)}" for r in state.reasons]
            for route in state.routes:
                word = STATUS_WORDS.get(route.status, route.status)
                ref = f" {_ref(route.id, md=md)}" if route.id in report.rules else ""
                out.append(f"    - {route.title}: {word}{ref}")
                out += [f"      - lacks: {_cite(r, md=md)}" for r in route.lacks]
                out += [f"      - not known: {_cite(r, md=md)}" for r in route.unknown]
    if report.costs.lines:
        out += ["", f"{h2}Costs ahead (USD)"]
        for line in report.costs.lines:
            amount = "unknown" if line.amount is None else f"${line.amount:,.0f}"
            note = f"; {line.note}" if line.note else ""
            check = ", needs confirmation" if line.needs_confirmation else ""
            # A stale line's note already says when it was last confirmed and to check it.
            said = line.note if line.stale else f"as of {line.as_of}{note}{check}"
            out.append(f"{bullet}{line.item}: {amount} ({said}) {_ref(line.rule_id, md=md)}")
        unknown = f", plus {report.costs.unknown} unknown" if report.costs.unknown else ""
        out.append(f"{bullet}Total known: ${report.costs.total:,.0f}{unknown}")
    if report.next_actions:
        out += ["", f"{h2}Next actions"]
        out += [
            f"{i}. {_cite(Reason(a.text, a.rule_id, a.needs_confirmation), md=md)}"
            for i, a in enumerate(report.next_actions, start=1)
        ]
    if report.questions:
        out += ["", f"{h2}Questions (answer them in your profile for a more precise plan)"]
        out += [f"{bullet}{q}" for _, q in report.questions]
    if report.rules:
        out += ["", f"{h2}Sources (grade: H primary source, M secondary, L weak, U unverified)"]
        for rule_id in sorted(report.rules):
            rule = report.rules[rule_id]
            links = "; ".join(
                f"[{s.title}]({s.url})" if md else f"{s.title} <{s.url}>" for s in rule.sources
            )
            review = ""
            if rule.stale(report.as_of) and rule.review_by:
                review = f"; due for review since {rule.review_by.isoformat()}"
            out.append(
                f"{bullet}{_ref(rule_id, md=md)} {rule.title} ({rule.confidence}, as of {rule.as_of}{review}): {links}"
            )
    out += [
        "",
        "Rules marked (needs confirmation) rest on weak or unverified sources: check them with the official body.",
    ]
    return out


def _ref(rule_id: str, *, md: bool) -> str:
    return f"[`{rule_id}`]" if md else f"[{rule_id}]"


def to_text(report: Report) -> str:
    return "\n".join(_lines(report, md=False)) + "\n"


def to_markdown(report: Report) -> str:
    return "\n".join(_lines(report, md=True)) + "\n"
