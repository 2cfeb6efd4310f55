"""The web pathway page shows everything the plan knows (issue 13 item 6, issue 15 item 3), and
each cited rule has its own page.  The page renders the service's report: every visa option,
state, cost line and cited rule of ``Workspace.pathway`` must be on it."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest

from tests.web.conftest import TODAY

NEWCOMER = {  # the walk's applicant: Nigerian, 2022 graduate, Step 2 CK 238, no ECFMG certificate
    "name": "Chiamaka (test)",
    "citizenships": ["NG"],
    "us_status": "none",
    "in_us": False,
    "school": {"name": "University of Ibadan", "country": "NG", "graduation_date": "2022-07-15"},
    "exams": {
        "step1": [{"date": "2024-02-10", "result": "pass"}],
        "step2ck": [{"date": "2025-01-20", "result": "pass", "score": 238}],
    },
    "targets": {"specialty": "internal medicine", "states": ["NY", "TX"], "match_year": 2027},
}


def _text(page: str) -> str:
    """The page's words, tags dropped and entities decoded, spaces collapsed."""
    spaced = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    return re.sub(r" ([,.;:)\]])", r"\1", spaced)


def _newcomer(client: Any) -> tuple[str, dict[str, Any]]:
    client.signup("chiamaka@example.org")
    assert client.call("PUT", "/api/profile", json=NEWCOMER).status_code == 200
    page = client.http.get("/pathway")
    assert page.status_code == 200, page.text
    return page.text, client.call("GET", "/api/pathway").json()


def test_visas_say_j1_is_closed_by_the_travel_ban_and_what_h1b_needs(client: Any) -> None:
    page, report = _newcomer(client)
    words = _text(page)
    visas = {v["id"]: v for v in report["visa_options"]}
    assert visas["j1"]["status"] == "blocked"
    assert "J-1 exchange visitor, sponsored by ECFMG: closed to you" in words
    assert "travel-ban list" in words
    assert 'href="/rules/US.VISA.TRAVELBAN.v2026_01"' in page
    h1b = visas["h1b"]
    assert "H-1B temporary worker, petitioned by the program: not yet" in words
    assert "Step 1, Step 2 CK and Step 3 passed" in words  # what H-1B still lacks
    assert "$100,000 payment" in words
    for option in report["visa_options"]:
        assert html.unescape(option["title"]) in words
        for item in (*option["lacks"], *option["unknown"], *option["reasons"]):
            assert _text(html.escape(item["text"])) in words, item["text"]
    assert h1b["lacks"]


def test_licensure_for_each_target_state_with_what_is_lacking(client: Any) -> None:
    page, report = _newcomer(client)
    words = _text(page)
    assert [s["state"] for s in report["licensure"]] == ["NY", "TX"]
    assert "New York (NY)" in words
    assert "Texas (TX)" in words
    for state in report["licensure"]:
        for route in state["routes"]:
            assert route["title"] in words
            for lack in route["lacks"]:
                assert _text(html.escape(lack["text"])) in words
    assert "Still lacking:" in words


def test_costs_with_as_of_dates_and_total(client: Any) -> None:
    page, report = _newcomer(client)
    words = _text(page)
    for line in report["costs"]["lines"]:
        assert line["item"] in words
        amount = "not known" if line["amount"] is None else f"USD {line['amount']:,.0f}"
        assert f"{line['item']}" in words
        assert re.search(re.escape(amount) + r".{0,400}?" + re.escape(str(line["as_of"])), words)
    assert f"Total known: USD {report['costs']['total_known']:,.0f}" in words


def test_past_dates_marked_past_and_projections_projected(client: Any) -> None:
    page, report = _newcomer(client)
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.DOTALL)
    by_title = {_text(r).strip(): r for r in rows}
    for deadline in report["deadlines"]:
        row = next(r for t, r in by_title.items() if t.startswith(deadline["title"]))
        status = _text(row.split("</td>")[-2])
        if deadline["date"] < TODAY.isoformat():
            assert deadline["past"]
            assert status.strip().startswith("past"), (deadline, status)
            assert 'class="past"' in row
        elif deadline["status"] == "projected":
            assert status.strip().startswith("projected"), (deadline, status)
    timeline = page.split('aria-labelledby="timeline"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li\s*(class=\"past\")?\s*>(.*?)</li>", timeline, flags=re.DOTALL)
    assert len(items) == len(report["timeline"])
    for (past_class, body), event in zip(items, report["timeline"], strict=True):
        words = _text(body)
        assert event["date"] in words
        assert bool(past_class) == event["past"] == (event["date"] < TODAY.isoformat())
        assert (
            words.split(event["date"], 1)[1]
            .strip()
            .startswith(
                "past"
                if event["past"]
                else ("estimate" if event["kind"] == "estimate" else "deadline")
            )
        )
    assert any(d["past"] for d in report["deadlines"])
    assert any(not d["past"] and d["status"] == "projected" for d in report["deadlines"])


def test_every_cited_rule_is_linked_and_has_a_page(client: Any) -> None:
    page, report = _newcomer(client)
    words = _text(page)
    for rule_id, rule in report["rules"].items():
        assert f'href="/rules/{rule_id}"' in page
        if rule["confidence"] in ("L", "U"):
            assert f"{rule_id}, grade {rule['confidence']}, needs confirmation" in words
    for rule_id in ("US.VISA.TRAVELBAN.v2026_01", "US.ALT.CA_NY_WA", "US.VISA.H1B.FEE_100K"):
        rule = report["rules"][rule_id]
        shown = client.http.get(f"/rules/{rule_id}")
        assert shown.status_code == 200
        text = _text(shown.text)
        assert rule["title"] in text
        assert f"Grade {rule['confidence']}" in text
        assert f"Last confirmed (as of) {rule['as_of']}" in text
        for source in rule["sources"]:
            assert f'href="{source["url"]}"' in shown.text
        if rule.get("needs_confirmation"):
            assert "Needs confirmation" in text
    assert "US.ALT.CA_NY_WA, grade U, needs confirmation" in words


def test_an_unknown_rule_is_a_404_page_naming_it(client: Any) -> None:
    client.signup("x@example.org")
    r = client.http.get("/rules/US.NO.SUCH.RULE")
    assert r.status_code == 404
    assert "US.NO.SUCH.RULE" in html.unescape(r.text)


def test_next_actions_and_steps_and_timeline_are_shown(client: Any) -> None:
    page, report = _newcomer(client)
    words = _text(page)
    for action in report["next_actions"]:
        assert _text(html.escape(action["text"])) in words
    for step in report["steps"]:
        assert step["title"] in words
    for event in report["timeline"]:
        assert html.unescape(event["title"]) in words


def test_policy_changes_since_a_day_are_listed_like_the_cli_alert(client: Any) -> None:
    from imgpath.services.pathway import evaluate

    _newcomer(client)
    page = client.http.get("/pathway", params={"since": "2026-01-01"})
    assert page.status_code == 200
    words = _text(page.text)
    expected = evaluate(NEWCOMER, TODAY, changes_since=date(2026, 1, 1)).to_dict()["changes"]
    assert expected["items"], "the January 2026 travel ban began since 2026-01-01"
    assert "Changes since 2026-01-01 that touch you" in words
    for change in expected["items"]:
        assert f"{change['date']} ({change['kind']}): {_text(html.escape(change['text']))}" in words
    assert "US.VISA.TRAVELBAN.v2026_01" in words
    none = client.http.get("/pathway", params={"since": TODAY.isoformat()})
    assert "began, ended or changed since" in _text(none.text)


@pytest.mark.parametrize(
    ("since", "says"),
    [
        ("2027-01-01", "since: 2027-01-01 is after today"),
        ("yesterday", "since: 'yesterday' is not a date"),
    ],
)
def test_a_bad_since_day_is_a_422_naming_it(client: Any, since: str, says: str) -> None:
    _newcomer(client)
    r = client.http.get("/pathway", params={"since": since})
    assert r.status_code == 422
    assert says in html.unescape(r.text)


def test_the_rules_index_lists_every_rule_with_its_grade(client: Any) -> None:
    from imgpath.services.pathway_data import load_rulebook

    r = client.http.get("/rules")
    assert r.status_code == 200
    book = load_rulebook().rules
    assert f"{len(book)} rules" in _text(r.text)
    for rule_id, rule in book.items():
        assert f'href="/rules/{rule_id}"' in r.text
        assert rule.title
    for rule_id in list(book)[::25]:  # a sample of rule pages (each is checked to exist above)
        assert client.http.get(f"/rules/{rule_id}").status_code == 200


def test_the_page_matches_the_cli_plan_on_the_same_profile(client: Any, tmp_path: Any) -> None:
    """What ``imgpath plan --format json`` says for the same profile and day is on the page:
    every visa, state route, unknown item, cost, deadline, next action and question."""
    import json

    from typer.testing import CliRunner

    from imgpath.cli.main import app as cli

    page, _ = _newcomer(client)
    words = _text(page)
    profile = tmp_path / "me.json"
    profile.write_text(json.dumps(NEWCOMER), encoding="utf-8")
    run = CliRunner().invoke(
        cli, ["plan", str(profile), "--on", TODAY.isoformat(), "--format", "json"]
    )
    assert run.exit_code == 0, run.output
    plan = json.loads(run.stdout)
    for option in plan["visa_options"]:
        assert option["title"] in words
    for state in plan["licensure"]:
        assert f"{state['name']} ({state['state']})" in words
        for route in state["routes"]:
            for item in (*route["lacks"], *route["unknown"], *route["reasons"]):
                assert _text(html.escape(item["text"])) in words, item
    for line in plan["costs"]["lines"]:
        assert line["item"] in words
    for deadline in plan["deadlines"]:
        assert html.unescape(deadline["title"]) in words
    for action in plan["next_actions"]:
        assert _text(html.escape(action["text"])) in words
    for question in plan["questions"]:
        assert _text(html.escape(question["question"])) in words
    for rule_id in plan["rules"]:
        assert f'href="/rules/{rule_id}"' in page


def test_a_chosen_visa_that_is_closed_is_said_at_the_top(client: Any) -> None:
    client.signup("chiamaka@example.org")
    wants_j1 = {**NEWCOMER, "targets": {**NEWCOMER["targets"], "visa": "j1"}}
    assert client.call("PUT", "/api/profile", json=wants_j1).status_code == 200
    words = _text(client.http.get("/pathway").text)
    top = words.split("Next actions", 1)[0]
    assert (
        "Your profile names the J-1 exchange visitor, sponsored by ECFMG as the visa to use, but it is closed to you"
        in top
    )
    client.call(
        "PUT", "/api/profile", json={**NEWCOMER, "targets": {**NEWCOMER["targets"], "visa": "h1b"}}
    )
    assert "as the visa to use, but it is closed" not in _text(client.http.get("/pathway").text)
