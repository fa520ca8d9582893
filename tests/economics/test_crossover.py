"""Crossover year and break-evens are found by a solver; checked on analytic cases."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from tests.conftest import CHEAP_ORBIT

from terawatt.assumptions import load_assumptions
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.economics.crossover import crossover_year, first_root
from terawatt.economics.service import break_even, cost_model, cost_path


def test_first_root_finds_the_first_of_two_roots():
    """(x - 2)^2 - 1 has roots 1 and 3: the scan returns the first."""
    r = first_root(lambda x: (x - 2.0) ** 2 - 1.0, 0.0, 10.0)
    assert_allclose(r.value, 1.0, atol=1e-9)
    assert r.sign_at_lo == 1
    assert first_root(lambda x: x * x + 1.0, -5.0, 5.0).value is None


@given(st.floats(1.5, 50.0), st.floats(0.05, 1.0))
@settings(max_examples=30, deadline=None)
def test_crossover_of_exponential_decline_matches_closed_form(ratio, k):
    """Orbit cost a exp(-k (t - t0)) against a constant ground cost c crosses at
    t0 + ln(a / c) / k (Wright's law at constant cadence is such a curve in log time)."""
    t0, c = 2026.0, 10.0
    a = ratio * c
    t = crossover_year(lambda y: a * math.exp(-k * (y - t0)) - c, t0, t0 + 200.0)
    expected = t0 + math.log(ratio) / k
    assert t is not None
    assert abs(t - expected) < 1e-6


def test_crossover_is_first_year_when_already_cheaper_and_none_when_never():
    assert crossover_year(lambda y: -1.0, 2026, 2040) == 2026
    assert crossover_year(lambda y: 1.0, 2026, 2040) is None


# a cheap-orbit case in which a break-even exists (all inputs inside their published ranges)


def test_launch_price_break_even_matches_linear_solution():
    """Orbit cost is linear in the launch price, so the break-even is x0 - gap(x0) / slope;
    the solver must agree to 1e-6 USD/kg."""
    m = cost_model(load_assumptions("baseline", CHEAP_ORBIT))
    year = 2030.0
    be = break_even(m, "launch_usd_per_kg", year)
    g0 = m.cost_gap_usd_per_w_yr(year, launch_usd_per_kg=0.0)
    g1 = m.cost_gap_usd_per_w_yr(year, launch_usd_per_kg=1000.0)
    expected = -g0 / ((g1 - g0) / 1000.0)
    assert expected > 0
    assert be.value is not None
    assert_allclose(be.value, expected, atol=1e-6)
    assert abs(m.cost_gap_usd_per_w_yr(year, launch_usd_per_kg=be.value)) < 1e-8


def test_specific_power_break_even_is_launch_price_over_launch_cost_per_watt():
    """Launch cost per W = price / (W/kg): the W/kg break-even x satisfies
    price / x = break-even launch cost per W, i.e. x = price / (be_price / W/kg_now)."""
    m = cost_model(load_assumptions("baseline", CHEAP_ORBIT))
    year = 2030.0
    be_price = break_even(m, "launch_usd_per_kg", year).value
    be_sp = break_even(m, "specific_power_w_per_kg", year).value
    price = m.launch_price_usd_per_kg(year)[0]
    assert_allclose(be_sp, price / be_price * m.specific_power_w_per_kg[0], rtol=1e-8)


def test_model_crossover_year_is_where_costs_meet():
    """With a break-even launch price reached by learning, the path crosses over where the
    cost gap is zero (checked on the model itself)."""
    reg = load_assumptions(
        "baseline",
        [*CHEAP_ORBIT, "launch.launches_per_year=30000", "costs.launch.learning_rate=0.24"],
    )
    m = cost_model(reg)
    path = cost_path(m)
    assert path.crossover_year is not None
    assert abs(m.cost_gap_usd_per_w_yr(path.crossover_year)) < 1e-6
    before = math.floor(path.crossover_year)
    if before > path.years[0]:
        assert (
            path.orbit_usd_per_w_yr[int(before - path.years[0]) - 1] > path.ground_usd_per_w_yr[0]
        )


@pytest.mark.parametrize(
    "key,lo,hi", [("costs.orbit.bus", "5", "50"), ("costs.launch.price_base", "2000", "4000")]
)
def test_orbit_cost_rises_with_its_inputs(key, lo, hi):
    reg_lo = load_assumptions("seed", [f"{key}={lo}"])
    reg_hi = load_assumptions("seed", [f"{key}={hi}"])
    a = cost_model(reg_lo).orbit(2029.0).delivered_usd_per_w_s[0]
    b = cost_model(reg_hi).orbit(2029.0).delivered_usd_per_w_s[0]
    assert b > a


def test_launch_price_follows_wright_then_floor():
    """The price path falls with cumulative launched mass and never below the reuse cost floor;
    at the start it is the anchor price moved along the curve from the anchor's mass to the
    start mass (Wright 1936: c = c0 (M/M0)^-b)."""
    reg = load_assumptions("seed", [])
    m = cost_model(reg)
    prices = np.array([m.launch_price_usd_per_kg(y)[0] for y in m.years])
    assert np.all(np.diff(prices) <= 1e-9)
    assert np.all(prices >= m.launch_cost_floor_usd_per_kg()[0] - 1e-9)
    b = -np.log2(1 - reg.si("costs.launch.learning_rate"))
    start, anchor = (reg.si(f"costs.launch.cumulative_mass_{k}") for k in ("start", "base"))
    ratio = start / anchor
    assert_allclose(prices[0], reg.si("costs.launch.price_base") * ratio**-b, rtol=1e-12)
    assert m.ground.delivered_usd_per_w_s[0] * SECONDS_PER_YEAR > 0
