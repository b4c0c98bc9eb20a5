"""The rerun scope form validates what staff enter."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from skizzen.steps.scope import RerunScope


@pytest.mark.parametrize(
    "kwargs",
    [{"mode": "sketches"}, {"mode": "call"}, {"mode": "received"}, {"mode": "nope"}],
    ids=["sketches-empty", "call-missing", "range-missing", "unknown-mode"],
)
def test_incomplete_scopes_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValidationError):
        RerunScope(**kwargs)


def test_date_bounds_are_inclusive_days() -> None:
    lo, hi = RerunScope(
        mode="received", received_from=date(2021, 3, 1), received_to=date(2021, 3, 31)
    ).date_bounds()
    assert lo is not None and hi is not None
    assert lo.isoformat() == "2021-03-01T00:00:00+00:00"
    assert hi.isoformat().startswith("2021-03-31T23:59:59")
