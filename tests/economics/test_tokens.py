"""USD per million tokens from USD per delivered W-year."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from terawatt.assumptions import load_assumptions
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.economics.service import cost_model, cost_path
from terawatt.economics.tokens import usd_per_million_tokens


def test_usd_per_million_tokens_by_hand():
    """10 USD per W-year on a 1.8 kW accelerator making 12,000 tokens/s:
    10 x 1800 / (12,000 x 31,557,600 s) x 1e6 = 0.04753 USD per million tokens."""
    v = usd_per_million_tokens(10.0 / SECONDS_PER_YEAR, 1800.0, 12_000.0)
    assert_allclose(v, 10 * 1800 / (12_000 * SECONDS_PER_YEAR) * 1e6, rtol=1e-12)
    assert_allclose(v, 0.047533, atol=1e-6)


def test_throughput_gain_divides_token_cost_on_both_sides():
    """A per-year throughput gain (newer accelerators) divides USD/Mtok in that year, on the
    ground and in orbit alike; USD per W-year is unchanged."""
    reg = load_assumptions("seed", [])
    years = np.arange(2026.0, 2031.0)
    flat = cost_path(cost_model(reg, years=years))
    gain = np.array([1.0, 1.0, 2.0, 2.5, 4.0])
    faster = cost_path(cost_model(reg, years=years, tokens_gain=gain))
    assert_allclose(faster.ground_usd_per_mtok, flat.ground_usd_per_mtok / gain, rtol=1e-12)
    assert_allclose(faster.orbit_usd_per_mtok, flat.orbit_usd_per_mtok / gain, rtol=1e-12)
    assert_allclose(faster.orbit_usd_per_w_yr, flat.orbit_usd_per_w_yr)
