"""Which sketch supersedes which: the same project by acronym or a title alike. The links
over a whole corpus (replies, senders, applicants) are scored in tests/e2e/test_corpus.py."""

from __future__ import annotations

from typing import Any

import pytest

from skizzen.steps import versions


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"akronym": "VeDi", "projekttitel": "x"}, {"akronym": "vedi", "projekttitel": "y"}, True),
        (
            {"projekttitel": "Dorfladen digital in A"},
            {"projekttitel": "Dorfladen digital in A."},
            True,
        ),
        (
            {"projekttitel": "Dorfladen digital"},
            {"projekttitel": "Rufbus für alle Ortsteile"},
            False,
        ),
        ({"projekttitel": None}, {"projekttitel": None}, False),
    ],
    ids=["acronym", "title-punctuation", "other-project", "nothing-known"],
)
def test_same_project(a: dict[str, Any], b: dict[str, Any], same: bool) -> None:
    assert versions._same_project(a, b) is same
