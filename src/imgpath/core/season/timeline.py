"""One timeline of the season's dated items, and the same as an iCalendar file.

Items are JSON-ready dicts ``{date, end?, kind, uid, title, detail, needs_confirmation}`` in
date order; the calendar makes each an all-day event (a rotation spans its days) whose UID is
stable, so importing the file again updates the events instead of doubling them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import icalendar

__all__ = ["calendar_file", "timeline"]


def timeline(deadlines: Iterable[Mapping[str, Any]], applications: Iterable[Mapping[str, Any]],
             documents: Iterable[Mapping[str, Any]], rotations: Iterable[Mapping[str, Any]],
             placements: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    """Every dated item in order: pathway deadlines (from a plan's report), applications' days,
    documents not done, rotations and an organisation's placements."""
    items: list[dict[str, Any]] = []
    items.extend({"date": d["date"], "kind": "deadline", "title": d["title"], "uid": f"deadline-{d['id']}",
                  "detail": (d.get("times") or {}).get("et") or "",
                  "needs_confirmation": bool(d.get("needs_confirmation"))}
                 for d in deadlines if d.get("date"))  # fmt: skip
    for a in applications:
        for key, day in a["dates"].items():
            label = "interview" if key == "interview" else key
            items.append({"date": day, "kind": "application", "uid": f"application-{a['program']['code']}-{key}",
                          "title": f"{label.capitalize()}: {a['program']['name']}",
                          "detail": a["program"]["code"], "needs_confirmation": False})  # fmt: skip
    items.extend({"date": doc["due_on"], "kind": "document", "uid": f"document-{doc['id']}", "title": f"Due: {doc['title']}",
                  "detail": doc["kind"], "needs_confirmation": False}
                 for doc in documents if doc["due_on"] and not doc["done"])  # fmt: skip
    for r in rotations:
        kind = "hands-on" if r["kind"] == "hands_on" else "observership"
        items.append({"date": r["start_on"], "end": r["end_on"], "kind": "rotation", "uid": f"rotation-{r['id']}",
                      "title": f"Rotation ({kind}): {r['specialty']} at {r['site']}",
                      "detail": r["supervisor"], "needs_confirmation": False})  # fmt: skip
    items.extend({"date": p["start_on"], "end": p["end_on"], "kind": "rotation",
                  "uid": f"placement-{p['id']}" if p["source"] == "slot" else f"placement-request-{p['id']}",
                  "title": f"Placed by {p['organisation']}: {p['specialty']} at {p['site']}",
                  "detail": p["kind"].replace("_", "-"), "needs_confirmation": False}
                 for p in placements)  # fmt: skip
    items.sort(key=lambda i: (i["date"], i["kind"], i["title"]))
    return items


def calendar_file(items: Iterable[Mapping[str, Any]], *, owner_id: int, stamp: datetime) -> bytes:
    """The timeline as an iCalendar file (RFC 5545): all-day events, ``stamp`` as DTSTAMP."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//imgpath//season timeline//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "imgpath: my application season")
    for item in items:
        event = icalendar.Event()
        start = date.fromisoformat(item["date"])
        end = date.fromisoformat(item.get("end") or item["date"])
        event.add("uid", f"{item['uid']}-{owner_id}@imgpath")  # stable: re-imports update
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end + timedelta(days=1))
        event.add(
            "summary",
            item["title"] + (" (needs confirmation)" if item["needs_confirmation"] else ""),
        )
        if item["detail"]:
            event.add("description", item["detail"])
        event.add("categories", [item["kind"]])
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics
