"""Usefulness = intelligence x chips x dexterity: decomposition, sourced rates, effects."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from terawatt.assumptions import load_assumptions
from terawatt.robots.usefulness import (
    FACTORS,
    UsefulnessParams,
    factor,
    growth_rate_per_yr,
    task_reach,
    task_time_multiplier,
    usefulness,
)

REG = load_assumptions(None)
P = UsefulnessParams.from_registry(REG)
YEARS = np.arange(2025.0, 2041.0)


def test_product_and_log_decomposition() -> None:
    u = usefulness(YEARS, P)
    assert_allclose(u.usefulness, u.intelligence * u.chips * u.dexterity, rtol=1e-12)
    total = sum(u.log_contribution(f) for f in FACTORS)
    assert_allclose(total, np.log(u.usefulness), rtol=1e-12, atol=1e-12)
    shares = u.shares()
    assert_allclose(sum(shares[f][1:] for f in FACTORS), 1.0, rtol=1e-12)
    assert np.all(np.isnan(shares["chips"][:1]))  # base year: ln U = 0
    assert_allclose(u.usefulness[0], 1.0)


def test_sourced_doubling_times_reproduced() -> None:
    """Ho et al. 2024: algorithmic progress halves compute every ~8 months (5-14);
    Hobbhahn & Besiroglu 2022: FLOP/s per $ doubles every 2.46 yr (2.07-2.95).
    Each factor doubles in ln2/g years (tolerance 1e-9 yr)."""
    assert REG.value("usefulness.intelligence.doubling_time", "month") == 8
    assert REG.low_high("usefulness.intelligence.doubling_time", "month") == (5, 14)
    assert REG.value("usefulness.chips.doubling_time", "yr") == pytest.approx(2.46)
    assert REG.low_high("usefulness.chips.doubling_time", "yr") == pytest.approx((2.07, 2.95))
    for name, t2_yr in (("intelligence", 8 / 12), ("chips", 2.46),
                        ("dexterity", REG.value("usefulness.dexterity.doubling_time", "yr"))):
        g = getattr(P, f"{name}_growth_per_yr")
        assert_allclose(np.log(2) / g, t2_yr, atol=1e-9)
        assert_allclose(factor(g, P.base_year + t2_yr, P.base_year), 2.0, rtol=1e-12)


def test_growth_rate_refuses_nonpositive() -> None:
    with pytest.raises(ValueError):
        growth_rate_per_yr(0.0)


@settings(max_examples=200, deadline=None)
@given(u=st.floats(1e-6, 1e12), du=st.floats(0.0, 1e6), e=st.floats(0.0, 2.0))
def test_more_usefulness_never_slows_a_task(u: float, du: float, e: float) -> None:
    t1 = float(task_time_multiplier(u, e))
    t2 = float(task_time_multiplier(u * (1 + du), e))
    assert t2 <= t1 * (1 + 1e-12)
    assert t1 > 0


def test_task_time_doubling() -> None:
    """U doubles -> task time x 2^-e (e = 0.2: 0.8706)."""
    assert_allclose(task_time_multiplier(2.0, 0.2), 2 ** -0.2, rtol=1e-12)


@settings(max_examples=200, deadline=None)
@given(u=st.floats(1e-6, 1e12), k=st.floats(1.0, 1e6), s0=st.floats(0.001, 0.999),
       w=st.floats(0.1, 10.0))
def test_task_reach_is_a_monotone_share(u: float, k: float, s0: float, w: float) -> None:
    r1 = float(task_reach(u, s0, w))
    r2 = float(task_reach(u * k, s0, w))
    assert 0.0 <= r1 <= r2 <= 1.0


def test_task_reach_anchor_and_midpoint() -> None:
    """s(U=1) = s0; s = 1/2 at ln U50 = w ln(1/s0 - 1)."""
    assert_allclose(task_reach(1.0, 0.05, 3.0), 0.05, rtol=1e-12)
    assert_allclose(task_reach(np.exp(3.0 * np.log(19.0)), 0.05, 3.0), 0.5, rtol=1e-12)


def test_params_validation() -> None:
    with pytest.raises(ValueError, match="reach_share_base"):
        UsefulnessParams(2025.0, P.intelligence_growth_per_yr, P.chips_growth_per_yr,
                         P.dexterity_growth_per_yr, P.task_time_elasticity, np.float64(1.0),
                         P.reach_width)
    with pytest.raises(KeyError):
        usefulness(YEARS, P).log_contribution("luck")
