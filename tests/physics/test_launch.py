"""Launch mass to orbit against published flight records and the FCC filing's arithmetic."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from terawatt.assumptions import load_assumptions
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.physics.launch import (
    LAUNCH_KEYS,
    compute_launched_w_per_s,
    launch_budget,
    launches_needed_per_s,
    mass_to_orbit_kg_per_s,
)


def test_starlink_2025_mass_to_orbit():
    """123 Starlink Falcon 9 flights in 2025 carried >3,000 satellites (Space.com tallies after
    McDowell; research/macro.md), each 575-800 kg (Starlink V2 mini, Suncatcher Table 1 /
    SpaceX). Our 123 x packaged Falcon 9 reusable payload x (1 - failure rate) must fall
    within 3,000 x 575 kg .. 3,300 x 800 kg."""
    reg = load_assumptions("baseline")
    rate = 123 / SECONDS_PER_YEAR
    m = mass_to_orbit_kg_per_s(reg.si("launch.falcon9_reusable_payload"), rate,
                               reg.si("launch.failure_rate")) * SECONDS_PER_YEAR
    assert 3000 * 575 <= float(m) <= 3300 * 800


def test_fcc_filing_arithmetic():
    """SpaceX FCC filing SAT-LOA-20260108-00016 (2026): '100 kW/t' and '1 Mt/yr -> 100 GW/yr'.
    1e9 kg/yr at 0.01 kg/W gives 100 GW/yr (exact)."""
    w = compute_launched_w_per_s(1e9 / SECONDS_PER_YEAR, 1e-2) * SECONDS_PER_YEAR
    assert_allclose(w, 100e9, rtol=1e-12)


def test_seed_c01_mass():
    """Claim C01 (10,000 launches/yr) with Starship V3 (100 t, company statement): ~1 Mt/yr
    before losses; the seed scenario's delivered mass is 1 Mt x (1 - failure rate)."""
    reg = load_assumptions("seed")
    b = launch_budget(reg.sample(1, keys=LAUNCH_KEYS))
    assert_allclose(b.launches_per_year, 10_000)
    assert_allclose(b.mass_to_orbit_kg_per_yr, 1e9 * (1 - reg.si("launch.failure_rate")))


def test_set_payload_changes_mass():
    """--set launch.payload_per_flight=150t (the issue's example) scales delivered mass."""
    a = launch_budget(load_assumptions("seed").sample(1, keys=LAUNCH_KEYS))
    b = launch_budget(load_assumptions("seed", ["launch.payload_per_flight=150t"])
                      .sample(1, keys=LAUNCH_KEYS))
    assert_allclose(b.mass_to_orbit_kg_per_yr / a.mass_to_orbit_kg_per_yr, 1.5)


@settings(max_examples=50, deadline=None)
@given(payload=st.floats(1e3, 2e5), n=st.floats(1, 3e4), fail=st.floats(0, 0.5),
       kg_per_w=st.floats(1e-3, 0.1))
def test_launches_needed_inverts_compute_launched(payload, n, fail, kg_per_w):
    rate = n / SECONDS_PER_YEAR
    w = compute_launched_w_per_s(mass_to_orbit_kg_per_s(payload, rate, fail), kg_per_w)
    assert_allclose(launches_needed_per_s(w, kg_per_w, payload, fail), rate, rtol=1e-9)
    # more payload or more flights never deliver less
    assert mass_to_orbit_kg_per_s(payload * 1.1, rate, fail) >= mass_to_orbit_kg_per_s(
        payload, rate, fail)


def test_vectorised():
    reg = load_assumptions("seed")
    p = reg.sample(500, np.random.default_rng(0), keys=LAUNCH_KEYS, method="triangular")
    assert launch_budget(p).mass_to_orbit_kg_per_yr.shape == (500,)
