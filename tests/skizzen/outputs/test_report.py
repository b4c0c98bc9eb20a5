"""The report's cost histogram stays bounded whatever amount was read; the workbook's cost
bands are its bins."""

from __future__ import annotations

import pytest

from skizzen.outputs.stats import COST_STEP, COST_TOP, CostBand, cost_bands, cost_bins


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
        pytest.param([-5.0], 850_000.0, [-5.0], id="negative-in-underflow-bin"),
        pytest.param([-1e9], 850_000.0, [-COST_STEP / 2], id="misread-negative-placed"),
    ],
)
def test_cost_bins(costs: list[float], last_edge: float, placed: list[float]) -> None:
    edges, got = cost_bins(costs)
    assert edges[-1] == last_edge
    assert got == placed
    assert len(edges) <= COST_TOP // COST_STEP + 4  # never one bin per 50,000 € of a misread
    assert all(edges[0] <= p < edges[-1] for p in got)


@pytest.mark.parametrize(
    ("costs", "first", "last"),
    [
        pytest.param(
            [], CostBand(0, COST_STEP, 0, 0), CostBand(800_000, 850_000, 0, 0), id="empty"
        ),
        pytest.param(
            [210_000.0, 199_999.0, 600_000.0],
            CostBand(0, COST_STEP, 0, 0),
            CostBand(800_000, 850_000, 0, 0),
            id="frame-edges",
        ),
        pytest.param(
            [5e9],
            CostBand(0, COST_STEP, 0, 0),
            CostBand(COST_TOP + COST_STEP, None, 0, 1),
            id="overflow",
        ),
        pytest.param(
            [-5.0], CostBand(None, 0, 0, 1), CostBand(800_000, 850_000, 0, 0), id="underflow"
        ),
    ],
)
def test_cost_bands(costs: list[float], first: CostBand, last: CostBand) -> None:
    bands = cost_bands(costs)
    assert (bands[0], bands[-1]) == (first, last)
    assert sum(b.total for b in bands) == len(costs)
    assert len(bands) == len(cost_bins(costs)[0]) - 1


@pytest.mark.parametrize(
    ("cost", "low", "inside"),
    [
        pytest.param(199_999.0, 150_000, 0, id="below-frame"),
        pytest.param(200_000.0, 200_000, 1, id="frame-start"),
        pytest.param(600_000.0, 600_000, 1, id="frame-end-inside"),
        pytest.param(600_001.0, 600_000, 0, id="above-frame"),
    ],
)
def test_cost_band_of_one_cost(cost: float, low: float, inside: int) -> None:
    (band,) = [b for b in cost_bands([cost]) if b.total]
    assert band.low == low and band.inside == inside and band.outside == 1 - inside
