"""The odds chart people read: whole-number axis for programs ranked, a title that fits, every
chosen specialty drawn, and the same figures in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import pytest

from imgpath.services import plots

REPORT: dict[str, Any] = {
    "specialty": "Internal Medicine (Categorical)",
    "runs": 10,
    "by_ranks": [{"ranks": k, "p_match": p, "interval_90": [p - 0.1, p + 0.05]}
                 for k, p in ((1, 0.12), (5, 0.35), (10, 0.5), (15, 0.58), (20, 0.63))],
    "by_specialty": [{"specialty": s, "ranks": 15, "p_match": p, "interval_90": [p - 0.05, p + 0.05]}
                     for s, p in (("Internal Medicine (Categorical)", 0.58), ("Family Medicine", 0.61),
                                  ("Pediatrics", 0.4))],
}  # fmt: skip


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The figures the plot functions draw, kept open for inspection."""
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kept: list[Any] = []
    monkeypatch.setattr(plt, "close", lambda fig=None: kept.append(fig))
    return kept


def test_programs_ranked_axis_has_whole_numbers_and_every_specialty_is_drawn(
    figures: list[Any], tmp_path: Path
) -> None:
    title = "Internal Medicine (Categorical): chance of matching by programs ranked (10 simulated Matches)"
    plots.odds_plot(REPORT, tmp_path / "odds.png", title=title)
    [fig] = figures
    curve, bars = fig.axes
    ticks = [t for t in curve.get_xticks() if curve.get_xlim()[0] <= t <= curve.get_xlim()[1]]
    assert ticks
    assert all(float(t).is_integer() for t in ticks)
    assert [t.get_text().replace("\n", " ") for t in bars.get_yticklabels()] == [
        r["specialty"] for r in REPORT["by_specialty"]
    ]
    assert len(bars.patches) == len(REPORT["by_specialty"])
    fig.canvas.draw()  # every title inside the figure
    width = fig.bbox.width
    for text in (fig._suptitle, curve.title, bars.title):
        box = text.get_window_extent()
        assert box.x0 >= 0, text.get_text()
        assert box.x1 <= width, text.get_text()


def test_one_specialty_draws_one_panel_with_a_title_that_fits(
    figures: list[Any], tmp_path: Path
) -> None:
    single = {**REPORT, "by_specialty": REPORT["by_specialty"][:1]}
    plots.odds_plot(single, tmp_path / "odds.png", title="A" * 30 + " " + "B" * 30 + " " + "C" * 30)
    [fig] = figures
    [axis] = fig.axes
    fig.canvas.draw()
    box = axis.title.get_window_extent()
    assert box.x0 >= 0
    assert box.x1 <= fig.bbox.width
    assert [float(t).is_integer() for t in axis.get_xticks()] == [True] * len(axis.get_xticks())


def test_the_description_says_what_the_chart_shows() -> None:
    text = plots.describe_odds(REPORT)
    assert "1 programs: 12% (2% to 17%)" in text
    assert "20 programs: 63%" in text
    assert all(s["specialty"] in text for s in REPORT["by_specialty"])
    assert "10 simulated national Matches" in text


ANSWER: dict[str, Any] = {
    "specialty": "Family Medicine",
    "runs": 4,
    "model_year": 2026,
    "rows": [
        {"applications": 20, "interviews": 1.26, "interviews_range": [0.94, 1.61], "p_match": 0.214,
         "p_match_range": [0.15, 0.29]},
        {"applications": 80, "interviews": 4.96, "interviews_range": [3.7, 6.4], "p_match": 0.456,
         "p_match_range": [0.35, 0.552]},
    ],
    "national": {"label": "Non-US IMGs", "year": 2026, "published": 0.564},
}  # fmt: skip


def test_the_funnel_in_words_names_each_number_of_applications() -> None:
    text = plots.describe_funnel(ANSWER)
    assert (
        "20 applications: 1.3 interviews (0.9 to 1.6), 21% chance of matching (15% to 29%)" in text
    )
    assert (
        "80 applications: 5.0 interviews (3.7 to 6.4), 46% chance of matching (35% to 55%)" in text
    )
    assert "4 simulated Matches of the 2026 model" in text
    assert "NRMP's 2026 match rate of Non-US IMGs: 56%" in text
    unpublished = {**ANSWER, "national": {**ANSWER["national"], "published": None}}
    assert "dashed line" not in plots.describe_funnel(unpublished)


def test_the_funnel_plot_as_png_bytes() -> None:
    from imgpath.errors import NotFoundError

    assert plots.funnel_plot_bytes(ANSWER)[:4] == b"\x89PNG"
    with pytest.raises(NotFoundError, match="no result yet"):
        plots.funnel_plot_bytes(None)
