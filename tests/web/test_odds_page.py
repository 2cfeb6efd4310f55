"""The odds page shows the funnel: applications -> interviews -> the Match as a plot and a table
beside it (interviews, chance and ERAS fees for each number of applications), the national rate
of the person's applicant type with its source, the figures with their grades, what was assumed
and what is not modelled, for the current model year.  Runs use the test settings' 2 small
stored Matches (odds_runs=2, odds_scale=0.05), not national ones."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from imgpath.market import DEFAULT_APPLICATIONS
from imgpath.web.app import create_app
from tests.web.conftest import PROFILE, TODAY, Client, make_settings


def _finished(client: Client, job: str) -> dict[str, Any]:
    for _ in range(240):
        state: dict[str, Any] = client.call("GET", f"/api/odds/{job}").json()
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.5)
    raise AssertionError(state)


def _text(page: str) -> str:
    """The page's text: tags removed, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_page_shows_the_funnel_table_national_rate_and_caveats(client: Client) -> None:
    client.signup("funnel@example.org")
    client.call("PUT", "/api/profile", json=PROFILE)
    page = client.http.get("/odds").text
    assert "NRMP's 2026 results" in page
    assert "2025" not in page
    r = client.http.post("/odds", data={"csrf_token": client.page_token("/odds"), "specialty": ""})
    assert r.status_code == 200  # after the redirect
    job = client.call("GET", "/api/export").json()["odds_runs"][0]["id"]
    state = _finished(client, job)
    assert state["status"] == "done", state
    answer = state["result"]
    fragment = client.http.get(f"/odds/jobs/{job}").text
    table = fragment[fragment.index('id="odds-funnel-table"') : fragment.index("</table>")]
    body = table[table.index("<tbody>") :]
    cells = [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    assert [int(c[0]) for c in cells] == list(DEFAULT_APPLICATIONS)  # one row per N, ascending
    for row, c in zip(answer["rows"], cells, strict=True):
        assert c[1] == str(row["usable_applications"])
        low, high = row["interviews_range"]
        assert c[2] == f"{row['interviews']:.1f} ({low:.1f}–{high:.1f})"
        p, (pl, ph) = row["p_match"], row["p_match_range"]
        assert c[3] == f"{round(100 * p)}% ({round(100 * pl)}%–{round(100 * ph)}%)"
        assert c[4] == f"${row['eras_fee_usd']:,.0f}"
    assert cells[0][4] == "$110"  # 10 programs at $11, ERAS 2026 fees
    text = _text(fragment)
    national = answer["national"]
    assert (
        f"NRMP's 2026 Main Match rate of {national['label']} was 56% (source: {national['source']})"
        in text
    )
    assert "applications → interviews → the Match" in text
    for line in (*answer["assumptions"], *answer["not_modelled"]):
        assert _text(line) in text
    for figure in answer["figures"]:
        shown = f"grade {figure['grade']}" + (
            " (needs confirmation)" if figure["grade"] in "LU" else ""
        )
        assert f"{shown}; source: {_text(figure['source'])}" in text
    assert 'aria-describedby="odds-description"' in fragment
    assert _text(answer["description"]) in text  # the plot in words beside it
    assert "2025" not in page
    # The page itself shows the same run once done.
    assert 'id="odds-funnel-table"' in client.http.get("/odds").text


def test_a_run_of_the_older_version_asks_to_compute_again(database: str, tmp_path: Path) -> None:
    app = create_app(make_settings(database, tmp_path / "data"), today=TODAY, start_worker=False)
    try:
        client = Client(app)
        me = client.signup("old@example.org")
        client.call("PUT", "/api/profile", json=PROFILE)
        queue = app.state.services.queue
        job = queue.submit(me["id"], {"specialty": "", "on": "2026-11-22", "runs": 2, "scale": 0.05,
                                      "ranks": None, "profile": PROFILE}, total=2)  # fmt: skip
        waiting = _text(client.http.get(f"/odds/jobs/{job}").text)
        assert "Waiting for a free worker." in waiting
        now = datetime.now(UTC)
        claimed = queue.store.claim(
            now=now, lease_until=now + timedelta(minutes=5), most_attempts=2
        )
        assert claimed is not None
        assert claimed["id"] == job
        fragment = client.http.get(f"/odds/jobs/{job}").text
        assert "Computing your funnel in 2 simulated national Matches." in _text(fragment)
        assert 'hx-trigger="every 1s"' in fragment  # the page keeps polling
        queue.store.renew(job, now + timedelta(minutes=5), done=1, total=2)
        fragment = client.http.get(f"/odds/jobs/{job}").text
        assert (
            "Building the stored simulated Matches (once per server; later runs reuse them): 1 of 2."
            in _text(fragment)
        )
        assert '<progress id="odds-progress" max="2" value="1">' in fragment
        old = {"specialty": "Internal Medicine", "by_ranks": [{"ranks": 5, "p_match": 0.5}]}
        queue.store.finish(job, status="done", result=old, plot=b"\x89PNG", done=2)
        state = client.call("GET", f"/api/odds/{job}").json()
        assert state["outdated"] is True
        assert state["result"] is None
        page = _text(client.http.get("/odds").text)
        assert "computed by an older version" in page
        assert "Compute your odds again" in page
    finally:
        app.state.close()
