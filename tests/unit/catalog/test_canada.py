"""Canada: the bundled CaRMS 2025 R-1 streams (815), with the IMG streams marked."""

from __future__ import annotations

from collections import Counter

from imgpath.catalog import CanadaQuery
from imgpath.services.canada import canada_streams, search_canada


def test_the_bundled_list_has_815_streams_and_marks_who_may_apply() -> None:
    streams = canada_streams()
    assert len(streams) == 815
    open_to = Counter(s.open_to for s in streams)
    # 185 "IMG Stream for IMG", 5 Nova Scotian and 1 New Brunswicker IMG streams
    assert open_to["IMG"] == 191
    assert open_to["All"] == 163
    assert open_to["CMG"] == 456
    assert open_to["MOTP/MMTP"] == 5


def test_an_img_sees_img_streams_first_and_never_cmg_only_ones() -> None:
    result = search_canada(CanadaQuery(disciplines=("family medicine",), limit=0))
    assert result.total == len(result.streams) > 0
    assert all(s.img_eligible for s in result.streams)
    flags = [s.img_stream for s in result.streams]
    assert flags == sorted(flags, reverse=True)
    assert result.img_streams == sum(flags)
    only = search_canada(CanadaQuery(disciplines=("family medicine",), img_only=True, limit=0))
    assert only.total == result.img_streams
    everything = search_canada(CanadaQuery(all_streams=True, limit=0))
    assert everything.total == 815
    data = result.to_dict()
    assert data["country"] == "CA"
    assert "CaRMS" in data["source"]
    assert data["streams"][0]["img_stream"] is True
