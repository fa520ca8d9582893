"""Monte Carlo over the cost ranges: reproducible, ordered quantiles, responds to inputs."""

from __future__ import annotations

import numpy as np

from terawatt.assumptions import load_assumptions
from terawatt.economics.service import monte_carlo


def test_same_seed_same_answer_and_ordered_quantiles():
    reg = load_assumptions("seed", [])
    a = monte_carlo(reg, 2029.0, 500, np.random.default_rng(7))
    b = monte_carlo(reg, 2029.0, 500, np.random.default_rng(7))
    assert a == b
    for k in ("orbit_usd_per_mtok", "ground_usd_per_mtok", "ratio_orbit_over_ground"):
        q = a[k]
        assert q["p05"] <= q["p50"] <= q["p95"]
    assert 0.0 <= a["p_orbit_cheaper"] <= 1.0


def test_cheaper_orbit_inputs_raise_the_share_of_draws_where_orbit_wins():
    """Free launch and cheap satellites with long lives make orbit win in some draws.

    Bus cost and design life are pinned (low = high): a point value on the edge of its range
    is sampled uniformly over the whole range (the default distribution), which would not be
    "cheap" or "long-lived" any more."""
    base = load_assumptions("seed", [])
    cheap = load_assumptions(
        "seed",
        [
            "costs.launch.price_base=1 USD/kg",
            "costs.launch.vehicle_cost=0",
            "costs.launch.propellant=0",
        ],
    ).with_values(
        {
            "costs.orbit.bus": {"value": 3, "low": 3, "high": 3},
            "satellite.design_life": {"value": 10, "low": 10, "high": 10},
        },
        "test",
    )
    p0 = monte_carlo(base, 2029.0, 400, np.random.default_rng(1))["p_orbit_cheaper"]
    p1 = monte_carlo(cheap, 2029.0, 400, np.random.default_rng(1))["p_orbit_cheaper"]
    assert p1 > p0
