"""Tornado rows and monotonicity invariants of the cost models (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from terawatt.assumptions import load_assumptions
from terawatt.constants import J_PER_KWH
from terawatt.economics.service import cost_keys, cost_model
from terawatt.economics.tornado import tornado

REG = load_assumptions("seed", [])
MODEL = cost_model(REG)


def test_tornado_central_matches_the_cost_model_and_rows_are_sorted():
    t = tornado(REG, 2029.0)
    assert_allclose(t.ground_central, MODEL.usd_per_mtok(MODEL.ground.delivered_usd_per_w_s)[0])
    assert_allclose(
        t.orbit_central, MODEL.usd_per_mtok(MODEL.orbit(2029.0).delivered_usd_per_w_s)[0]
    )
    swings = [r.swing for r in t.rows]
    assert swings == sorted(swings, reverse=True)
    assert {r.key for r in t.rows} <= set(cost_keys())
    by_key = {r.key: r for r in t.rows}
    # more throughput per accelerator -> cheaper tokens on both sides
    tok = by_key["economics.reference_model.tokens_per_s_per_accelerator"]
    assert tok.ground_high < tok.ground_low and tok.orbit_high < tok.orbit_low
    # the launch price touches only orbit
    lp = by_key["costs.launch.price_base"]
    assert lp.ground_low == lp.ground_high and lp.orbit_high > lp.orbit_low


@given(st.floats(1.0, 1e5), st.floats(1.0, 1e5), st.floats(1.0, 1e3), st.floats(1.0, 1e3))
@settings(max_examples=50, deadline=None)
def test_orbit_cost_monotone_in_launch_price_and_specific_power(price1, price2, sp1, sp2):
    """Dearer launches never make orbit cheaper; lighter satellites never make it dearer."""
    lo_p, hi_p = sorted((price1, price2))
    lo_s, hi_s = sorted((sp1, sp2))
    a = MODEL.orbit(
        2030.0, launch_usd_per_kg=lo_p, specific_power_w_per_kg=hi_s
    ).delivered_usd_per_w_s
    b = MODEL.orbit(
        2030.0, launch_usd_per_kg=hi_p, specific_power_w_per_kg=hi_s
    ).delivered_usd_per_w_s
    c = MODEL.orbit(
        2030.0, launch_usd_per_kg=hi_p, specific_power_w_per_kg=lo_s
    ).delivered_usd_per_w_s
    assert a[0] <= b[0] * (1 + 1e-12) and b[0] <= c[0] * (1 + 1e-12)


@given(st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3))
@settings(max_examples=30, deadline=None)
def test_ground_cost_vectorised_rows_match_single_evaluations(us):
    """Sampling n cases at once equals n single evaluations (vectorisation invariant)."""
    from terawatt.economics.terrestrial import GROUND_KEYS, ground_cost

    keys = list(GROUND_KEYS)
    p = REG.sample(3, keys=keys)
    grid = np.array([0.04 + 0.2 * u for u in us]) / J_PER_KWH  # USD/kWh -> USD/J
    p["costs.power.grid_price"] = grid
    many = ground_cost(p).delivered_usd_per_w_s
    for i in range(3):
        one = ground_cost({k: v[i : i + 1] for k, v in p.items()}).delivered_usd_per_w_s
        assert_allclose(one[0], many[i], rtol=1e-12)
