"""One error tree: services name fields; the command line words them as its flags."""

from __future__ import annotations

import pytest

from imgpath.catalog import parse_search
from imgpath.cli.errors import exit_code, worded
from imgpath.errors import CsrfError, FormError, ImgpathError, InvalidInputError, Problem
from imgpath.services.inputs import FormError as InputsFormError
from imgpath.web.errors import STATUSES, status_of


def test_form_and_csrf_errors_are_in_the_tree() -> None:
    assert issubclass(FormError, InvalidInputError)
    assert issubclass(CsrfError, ImgpathError)
    assert InputsFormError is FormError  # the old import path still works
    assert status_of(CsrfError("no token")) == 403 == STATUSES[CsrfError]
    assert status_of(FormError([Problem("state", "bad")])) == 422
    assert exit_code(FormError([Problem("runs", "must be at least 1")])) == 2


@pytest.mark.parametrize(
    ("problem", "words"),
    [
        (Problem("runs", "must be at least 1"), "--runs: must be at least 1"),
        (Problem("type", "'alien': use one of a, b"), "--type 'alien': use one of a, b"),
        (Problem("changes_since", "2026-12-01 is after"), "--changes-since: 2026-12-01 is after"),
        (Problem("school.country", "bad", "fix it"), "school.country: bad; fix it"),
        (
            Problem("sort", "sorting by fit needs a profile", "sort by name"),
            "--sort: sorting by fit needs a profile; sort by name; give one with --for PROFILE",
        ),
    ],
)
def test_the_cli_words_fields_as_flags(problem: Problem, words: str) -> None:
    assert worded(problem) == words


def test_one_search_parse_for_every_edge() -> None:
    query = parse_search(states=[" ny ", ""], regions=["Northeast"], types=["c"], visa=" H1B ")
    assert (query.states, query.regions, query.types, query.visa) == (
        ("NY",),
        ("northeast",),
        ("C",),
        "h1b",
    )
    assert parse_search(has_profile=False).sort == "name"
    assert parse_search(has_profile=True).sort == "fit"
    assert parse_search().sort == "fit"  # not known yet: the catalog falls back to name
    with pytest.raises(FormError) as caught:
        parse_search(sort="fit", has_profile=False)
    assert caught.value.by_field() == {
        "sort": "sorting by fit needs a profile; sort by name, state, specialty or code, or give a profile"
    }
    with pytest.raises(FormError) as caught:
        parse_search(states=["zz"], visa="f1", sort="size")
    assert set(caught.value.by_field()) == {"state", "visa", "sort"}
