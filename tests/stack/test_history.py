"""Backtest of the history scenario against sourced 2020-2024 observations.

Observed series (``terawatt/stack/data/*.csv``, citation in each header):
* global orbital launch attempts 2020-2024: 114, 146, 186, 223, 261 (SpaceQ after J. McDowell,
  research/macro.md);
* global PV installations 2020-2024: 139.4, 175, 240, 446, 577 GW (IEA-PVPS Snapshot reports
  2021-2025).

The history scenario anchors each ramp on the first and last observation (in-sample two-point
calibration), so the errors measure how well compound growth on quarterly steps reproduces the
years between. Tolerances: launches grew smoothly (+19-28 %/yr), so +/-10 % per year; PV
installations jumped +86 % in 2023 after +26-37 %/yr, which no constant-growth ramp through the
end points can follow within less than ~27 %, so +/-30 % per year.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import registry

from terawatt.stack import run_stack
from terawatt.stack.history import backtest, observed_series

TOLERANCE_REL = {"launches_global": 0.10, "pv_installations": 0.30}


@pytest.fixture(scope="module")
def errors():
    return {e.series.name: e for e in backtest(run_stack(registry("history")))}


def test_every_series_has_a_citation_header():
    for s in observed_series():
        assert s.source and s.unit and s.title
        assert len(s.years) == len(s.values) >= 3


def test_history_runs_2020_2025():
    res = run_stack(registry("history"))
    assert list(res.years) == list(range(2020, 2026))


@pytest.mark.parametrize("name", sorted(TOLERANCE_REL))
def test_backtest_error_within_tolerance(errors, name):
    e = errors[name]
    assert e.years == tuple(range(2020, 2025))
    assert np.all(np.abs(e.rel_error) <= TOLERANCE_REL[name]), e.records()


def test_launches_observed_values_match_published_table(errors):
    """The packaged CSV holds the published figures (SpaceQ after McDowell)."""
    e = errors["launches_global"]
    np.testing.assert_allclose(e.observed_si, [114, 146, 186, 223, 261])
