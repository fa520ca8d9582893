"""Break-evens over each driver's physical bounds: a value, or a reasoned 'none' (never a bare
null), checked against the model evaluated at the bound."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose
from tests.conftest import CHEAP_ORBIT

from terawatt.assumptions import load_assumptions
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.economics.breakeven import DRIVERS, break_even, orbit_terms_usd_per_w_yr
from terawatt.economics.service import cost_model

SEED = cost_model(load_assumptions("seed", []))


@pytest.mark.parametrize("driver", list(DRIVERS))
@pytest.mark.parametrize("year", [2026.0, 2029.0, 2035.0, 2040.0])
def test_every_driver_in_every_year_is_a_value_or_a_reasoned_none(driver, year):
    b = break_even(SEED, driver, year)
    assert b.text
    if b.value is None:
        assert b.text.startswith("none")
        assert f"{b.bound:.4g} {b.unit}" in b.text
        assert b.ratio_at_bound > 1.0
        assert f"{b.ratio_at_bound:.2f}x ground" in b.text
    else:
        assert b.lo <= b.value <= b.hi
        assert abs(SEED.cost_gap_usd_per_w_yr(year, **{DRIVERS[driver].keyword: b.value})) < 1e-6


def test_terms_add_up_to_the_delivered_orbit_cost():
    terms = orbit_terms_usd_per_w_yr(SEED, 2030.0)
    assert_allclose(
        sum(terms.values()),
        SEED.orbit(2030.0).delivered_usd_per_w_s[0] * SECONDS_PER_YEAR,
        rtol=1e-12,
    )


def test_physical_bounds_are_propellant_free_platform_and_array_only_satellite():
    reg = load_assumptions("seed", [])
    launch = break_even(SEED, "launch_usd_per_kg", 2030.0)
    assert_allclose(launch.bound, reg.value("costs.launch.propellant", "USD/kg"))
    assert break_even(SEED, "satellite_usd_per_w", 2030.0).bound == 0.0
    sp = break_even(SEED, "specific_power_w_per_kg", 2030.0)
    assert_allclose(
        sp.bound,
        reg.value("satellite.array.specific_power", "W/kg") / SEED.array_w_per_compute_w[0],
    )


def test_reasoned_none_reports_the_model_at_the_bound():
    """'none: even at 8 USD/kg, orbit is X x ground because ...': X is the model's own ratio
    with the launch price at the propellant floor, and the term named is the largest."""
    b = break_even(SEED, "launch_usd_per_kg", 2029.0)
    assert b.value is None
    orbit = SEED.orbit(2029.0, launch_usd_per_kg=b.bound).delivered_usd_per_w_s[0]
    ground = SEED.ground.delivered_usd_per_w_s[0]
    assert_allclose(b.ratio_at_bound, orbit / ground, rtol=1e-12)
    terms = orbit_terms_usd_per_w_yr(SEED, 2029.0, launch_usd_per_kg=b.bound)
    assert b.largest_term == max(terms, key=terms.get)


def test_cheap_orbit_has_values_on_the_right_side():
    """With cheap satellites a launch-price break-even exists below today's price and a W/kg
    break-even below the array-only bound; orbit is cheaper below / above them respectively."""
    m = cost_model(load_assumptions("baseline", CHEAP_ORBIT))
    lp = break_even(m, "launch_usd_per_kg", 2030.0)
    assert lp.value is not None and lp.bound < lp.value
    assert m.cost_gap_usd_per_w_yr(2030.0, launch_usd_per_kg=lp.value * 0.9) < 0
    sp = break_even(m, "specific_power_w_per_kg", 2030.0)
    assert sp.value is not None and sp.value <= sp.hi
    assert m.cost_gap_usd_per_w_yr(2030.0, specific_power_w_per_kg=sp.value * 1.1) < 0


def test_orbit_cheaper_everywhere_says_so():
    """Free accelerators, cheap platform, no failures: orbit wins even at the dear end."""
    m = cost_model(
        load_assumptions(
            "baseline",
            [*CHEAP_ORBIT, "orbital.failure_rate=0", "costs.orbit.compute_premium=1",
             "costs.orbit.bus=0", "costs.orbit.solar_array=0", "costs.orbit.radiator=0",
             "costs.ground.accelerators=0", "costs.orbit.ground_segment=0",
             "economics.ground_power_option=0", "costs.power.grid_price=0.25 USD/(kW*h)"],
        )
    )
    b = break_even(m, "satellite_usd_per_w", 2030.0)
    if b.value is None:
        assert b.text.startswith("none needed")
    else:
        assert b.value > 0


def test_unknown_driver_is_refused():
    with pytest.raises(ValueError, match="unknown driver"):
        break_even(SEED, "nope", 2030.0)
