"""The report's cost histogram stays bounded whatever amount was read."""

from __future__ import annotations

import pytest

from skizzen.outputs.report import COST_STEP, COST_TOP, cost_bins


@pytest.mark.parametrize(
    ("costs", "last_edge", "placed"),
    [
        pytest.param([], 850_000.0, [], id="no-costs-default-frame"),
        pytest.param([300_000.0], 850_000.0, [300_000.0], id="normal-unchanged"),
        pytest.param([1_000_000.0], 1_050_000.0, [1_000_000.0], id="above-frame-below-top"),
        pytest.param(
            [300_000.0, 5e9],
            COST_TOP + 2 * COST_STEP,
            [300_000.0, COST_TOP + 1.5 * COST_STEP],
            id="misread-billions-in-overflow-bin",
        ),
    ],
)
def test_cost_bins(costs: list[float], last_edge: float, placed: list[float]) -> None:
    edges, got = cost_bins(costs)
    assert edges[-1] == last_edge
    assert got == placed
    assert len(edges) <= COST_TOP // COST_STEP + 3  # never one bin per 50,000 € of a misread
    assert all(edges[0] <= p < edges[-1] for p in got)
