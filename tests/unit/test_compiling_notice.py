"""A command that must compile says so, once: the notice shows until the work has finished once
on this machine (for this version of the engines), and a failed run does not count."""

from __future__ import annotations

from pathlib import Path

import pytest

from imgpath.cli.progress import compiling
from imgpath.services.engine_warmup import is_compiled


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))  # where the markers go


def test_the_notice_shows_until_the_work_has_finished_once(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert not is_compiled("odds")
    with pytest.raises(RuntimeError), compiling("odds", spinner=False):
        raise RuntimeError  # the work failed: it may not have compiled everything
    assert "Compiling the market simulation" in capsys.readouterr().err
    assert not is_compiled("odds")
    with compiling("odds", spinner=False):
        pass
    assert "first run on this machine" in capsys.readouterr().err
    assert is_compiled("odds")
    assert not is_compiled("match")  # each part on its own
    with compiling("odds", spinner=False):
        pass
    assert capsys.readouterr().err == ""


def test_a_bad_instance_is_refused_and_the_engine_not_marked(tmp_path: Path) -> None:
    from imgpath.cli.main import main

    bad = tmp_path / "bad.json"
    bad.write_text('{"programs": {}, "applicants": {"a": {"rol": ["NOPE"]}}}', encoding="utf-8")
    assert main(["match", str(bad)]) == 2
    assert not is_compiled("match")
