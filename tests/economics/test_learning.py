"""Wright's law, capital recovery, survival and the bottom-up reusable launch cost."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.economics.learning import (
    capital_recovery_factor,
    mean_survival_fraction,
    reusable_launch_cost_usd_per_kg,
    wright_cost,
    wright_exponent,
)


def test_each_doubling_multiplies_cost_by_one_minus_learning_rate():
    """Wright (1936): c(2^k Q0) = c0 (1 - LR)^k."""
    k = np.arange(6)
    assert_allclose(wright_cost(3600.0, 600.0 * 2.0**k, 600.0, 0.20), 3600.0 * 0.8**k, rtol=1e-12)
    assert_allclose(wright_exponent(0.20), 0.321928, atol=1e-6)


@given(st.floats(0.01, 0.9), st.floats(1.0, 1e6), st.floats(1.0, 1e6))
def test_wright_cost_never_rises_with_cumulative_output(lr, q1, dq):
    assert wright_cost(100.0, q1 + dq, 1.0, lr) <= wright_cost(100.0, q1, 1.0, lr) * (1 + 1e-12)


def test_capital_recovery_factor_matches_annuity_tables():
    """Short, Packey & Holt (NREL/TP-462-5173, 1995), eq. 4-3: CRF(10 %, 10 yr) = 0.16275,
    CRF(8 %, 5 yr) = 0.25046; r = 0 gives straight-line 1/n."""
    yr = SECONDS_PER_YEAR
    assert_allclose(capital_recovery_factor(0.10, 10 * yr) * yr, 0.162745, atol=1e-6)
    assert_allclose(capital_recovery_factor(0.08, 5 * yr) * yr, 0.250456, atol=1e-6)
    assert_allclose(capital_recovery_factor(0.0, 4 * yr) * yr, 0.25, atol=1e-12)


def test_mean_survival_fraction_limits():
    """Constant hazard: average survival (1 - e^-x)/x; 1 at x = 0, 1/x for large x."""
    yr = SECONDS_PER_YEAR
    lam = 0.09 / yr
    assert_allclose(mean_survival_fraction(lam, 5 * yr), (1 - np.exp(-0.45)) / 0.45, rtol=1e-12)
    assert_allclose(mean_survival_fraction(0.0, 5 * yr), 1.0)
    assert_allclose(mean_survival_fraction(100 / yr, yr), 0.01, rtol=1e-6)


def test_reusable_launch_cost_matches_suncatcher_brackets():
    """Suncatcher (arXiv:2511.19468, s4.4): Starship ~460 USD/kg expendable, <= 60 USD/kg
    at 10x reuse, <= 15 USD/kg at 100x, propellant floor ~8 USD/kg (no refurbishment)."""
    hw, fuel = 452.0, 8.0
    assert_allclose(reusable_launch_cost_usd_per_kg(hw, 1, 0.0, fuel), 460.0, atol=1.0)
    assert reusable_launch_cost_usd_per_kg(hw, 10, 0.0, fuel) <= 60.0
    assert reusable_launch_cost_usd_per_kg(hw, 100, 0.0, fuel) <= 15.0
    assert reusable_launch_cost_usd_per_kg(hw, 1e9, 0.0, fuel) >= fuel
