"""Satellite mass/power budget: a published satellite, hand-checked parts, and invariants."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from terawatt.assumptions import load_assumptions
from terawatt.constants import J_PER_KWH, J_PER_WH, SECONDS_PER_YEAR
from terawatt.physics.satellite import (
    array_areal_power_w_per_m2,
    battery_mass_kg,
    compute_power_per_launch_w,
    life_degradation,
    satellite_budget,
    satellite_keys,
)

REF = Path(__file__).resolve().parents[1] / "reference"
GM = 3.986004418e14  # IERS 2010 conventions, Earth GM [m^3/s^2]
R_E = 6378.137e3  # WGS-84 equatorial radius [m]


def _cylinder_orbit(alt_m: float) -> tuple[float, float]:
    """Kepler period and the longest eclipse (beta = 0, cylindrical shadow): P * asin(R/r)/pi."""
    r = R_E + alt_m
    period = 2 * np.pi * np.sqrt(r**3 / GM)
    return period, period * np.arcsin(R_E / r) / np.pi


def _p(scenario: str = "baseline", **over: float) -> dict[str, np.ndarray]:
    p = dict(load_assumptions(scenario).sample(1, keys=satellite_keys()))
    for k, v in over.items():
        p[k.replace("__", ".")] = np.array([v])
    return p


def _budget(p, sunlit=0.96, alt=650e3):
    period, ecl = _cylinder_orbit(alt)
    return satellite_budget(p, sunlit, ecl, period)


def test_starlink_v2_mini():
    """Starlink V2 mini: ~740 kg, 27 kW, 116 m2 of array -> 36.5 W/kg (McCalip 2025,
    andrewmccalip.com/space-datacenters); 575 kg dry 'optimized', ~105 m2, ~28 kW (est.)
    (Suncatcher, arXiv 2511.19468, Table 1). With the parts set in
    tests/reference/starlink_v2_mini.toml (a comms payload instead of compute; parts values
    inside the packaged ranges, declared there as a calibration) and the payload sized so the
    array is 116 m2, the model must give 27.5 kW +-20 % of array power, 740 kg +-20 % of
    launch mass (our budget includes propellant, so the wet 740 kg is the comparable figure),
    and array-W/kg of 36.5 +-20 %. Orbit 550 km / 53 deg, longest eclipse from a cylindrical
    shadow at beta = 0 (35.6 min)."""
    over = tomllib.loads((REF / "starlink_v2_mini.toml").read_text())["set"]
    reg = load_assumptions("baseline").with_values(over, "starlink_v2_mini.toml")
    p = dict(reg.sample(1, keys=satellite_keys()))
    p["satellite.compute_power"] = np.array([1000.0])
    period, ecl = _cylinder_orbit(550e3)
    b1 = satellite_budget(p, 0.69, ecl, period)
    scale = 116.0 / b1.array_area_m2[0]  # the budget is linear in payload power
    power_w = b1.array_power_bol_w[0] * scale
    mass_kg = b1.total_mass_kg[0] * scale
    assert abs(power_w - 27.5e3) <= 0.2 * 27.5e3
    assert abs(mass_kg - 740.0) <= 0.2 * 740.0
    assert abs(power_w / mass_kg - 36.5) <= 0.2 * 36.5


def test_array_areal_power():
    """Starcloud white paper (2024): 22 % cells with 90 % packing at 1361 W/m2 give
    ~270 W/m2 (1 GW electric on ~3.7 km2, research/orbital.md calc); exact arithmetic."""
    assert_allclose(array_areal_power_w_per_m2(1361.0, 0.22, 0.9, 1.0), 269.5, atol=0.1)


def test_life_degradation_and_battery():
    """SMAD eq. 11-9: L_d = (1 - d)^life; 2.5 %/yr over 5 yr = 0.881. Battery: 1 kWh at
    30 % DoD and 150 Wh/kg = 22.2 kg (SMAD eq. 11-11)."""
    assert_allclose(life_degradation(0.025 / SECONDS_PER_YEAR, 5 * SECONDS_PER_YEAR), 0.975**5,
                    rtol=1e-12)
    assert_allclose(battery_mass_kg(J_PER_KWH, 150 * J_PER_WH, 0.3), 1 / (0.3 * 0.15),
                    rtol=1e-12)


def test_budget_mass_adds_up_and_is_linear():
    b = _budget(_p())
    parts = sum(v[0] for v in b.mass_parts_kg().values())
    assert_allclose(parts, b.total_mass_kg[0], rtol=1e-12)
    b2 = _budget(_p(satellite__compute_power=2 * 100e3))
    assert_allclose(b2.total_mass_kg, 2 * b.total_mass_kg, rtol=1e-12)
    assert_allclose(b.mass_per_mw_kg, 1e6 / b.specific_power_w_per_kg, rtol=1e-12)
    assert_allclose(compute_power_per_launch_w(b, 100e3), 100e3 * b.specific_power_w_per_kg)


def test_no_eclipse_no_battery_and_availability():
    p = _p(satellite__eclipse_compute_fraction=0.0)
    b = satellite_budget(p, 1.0, 0.0, 5800.0)
    assert b.battery_mass_kg[0] == 0.0 and b.compute_availability[0] == 1.0
    b = satellite_budget(p, 0.6, 2100.0, 5700.0)
    assert_allclose(b.compute_availability, 0.6)


def test_vectorised_over_samples():
    reg = load_assumptions("seed")
    p = reg.sample(2000, np.random.default_rng(3), keys=satellite_keys(), method="uniform")
    b = satellite_budget(p, 0.96, 1180.0, 5860.0)
    assert b.specific_power_w_per_kg.shape == (2000,)
    assert np.all(b.specific_power_w_per_kg > 0)


@settings(max_examples=60, deadline=None)
@given(w_kg=st.floats(20, 500), f=st.floats(1.0, 3.0), rho=st.floats(0.5, 10.0),
       g=st.floats(0.1, 1.0), t=st.floats(280, 380), ecl=st.floats(0.0, 1.0))
def test_lighter_array_or_radiator_never_lowers_w_per_kg(w_kg, f, rho, g, t, ecl):
    base = dict(satellite__array__specific_power=w_kg, thermal__radiator_areal_density=rho,
                thermal__radiator_temperature=t, satellite__eclipse_compute_fraction=ecl)
    w0 = _budget(_p(**base)).specific_power_w_per_kg[0]
    lighter_array = dict(base, satellite__array__specific_power=w_kg * f)
    lighter_rad = dict(base, thermal__radiator_areal_density=rho * g)
    assert _budget(_p(**lighter_array)).specific_power_w_per_kg[0] >= w0 * (1 - 1e-12)
    assert _budget(_p(**lighter_rad)).specific_power_w_per_kg[0] >= w0 * (1 - 1e-12)


def test_satellite_from_registry_uses_orbit():
    """Needs terawatt.physics.orbit: a dawn-dusk SSO at 650 km is in sunlight ~96 % of the year
    (research/orbital.md calc: 96.0 %)."""
    pytest.importorskip("terawatt.physics.orbit")
    from terawatt.physics.satellite import registry_orbit, satellite_from_registry

    reg = load_assumptions("baseline")
    fig = registry_orbit(reg)
    assert 0.94 <= fig.mean_sunlit_fraction <= 0.98
    b = satellite_from_registry(reg, orbit_fig=fig)
    assert_allclose(b.compute_availability, fig.mean_sunlit_fraction)


def test_degenerate_designs_give_no_warnings():
    """No compute, a radiator that cannot reject heat (net flux <= 0) or bus fractions that
    leave no mass for anything give 0 W/kg or infinite mass, never NaN or a warning."""
    b = _budget(_p(satellite__compute_power=0.0))
    assert b.specific_power_w_per_kg[0] == 0.0 and np.isinf(b.mass_per_mw_kg[0])
    b = _budget(_p(thermal__radiator_temperature=150.0, satellite__fraction__comms=0.0))
    assert np.isinf(b.total_mass_kg[0]) and b.specific_power_w_per_kg[0] == 0.0
    assert b.comms_mass_kg[0] == 0.0
    b = _budget(_p(satellite__fraction__structure=0.9))
    assert np.isinf(b.total_mass_kg[0]) and b.specific_power_w_per_kg[0] == 0.0


@settings(max_examples=40, deadline=None)
@given(e1=st.floats(0.0, 2200.0), e2=st.floats(0.0, 2200.0), f=st.floats(0.0, 1.0))
def test_shorter_eclipse_never_lowers_w_per_kg(e1, e2, f):
    """A shorter worst eclipse needs no more battery and no more array (SMAD 11.4)."""
    short, long_ = sorted((e1, e2))
    p = _p(satellite__eclipse_compute_fraction=f)
    a = satellite_budget(p, 0.9, short, 5800.0).specific_power_w_per_kg[0]
    b = satellite_budget(p, 0.9, long_, 5800.0).specific_power_w_per_kg[0]
    assert a >= b * (1 - 1e-12)
