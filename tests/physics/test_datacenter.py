"""Terrestrial data-center power against published GB300 NVL72 rack figures."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from terawatt.assumptions import load_assumptions
from terawatt.physics.datacenter import (
    datacenter_keys,
    datacenter_power,
    facility_power_from_it_w,
    facility_power_w,
)


def _p(scenario: str = "baseline") -> dict[str, np.ndarray]:
    return load_assumptions(scenario).sample(1, keys=datacenter_keys())


def test_gb300_nvl72_rack_power_in_published_band():
    """GB300 NVL72 rack IT power: ~120 kW (introl.com 2025, after NVIDIA) to ~132-140 kW
    operating (Supermicro Blackwell brochure via serversimply.com, 2025). Our bottom-up sum of
    72 x (GPU TDP + host share + switch share) / shelf efficiency must lie in 120-142 kW."""
    rack = datacenter_power(1, _p()).rack_it_power_w
    assert 120e3 <= float(rack[0]) <= 142e3


def test_gpus_alone_exceed_100_kw():
    """Morgan Stanley via epium.com (2025): '72 such GPUs generate more than 100 kW from the
    GPUs alone' (72 x 1,400 W = 100.8 kW)."""
    reg = load_assumptions("baseline")
    assert 72 * reg.si("compute.gb300.gpu_tdp") > 100e3


def test_facility_power_is_linear_and_pue_scaled():
    p = _p()
    one = facility_power_w(1, p)
    assert_allclose(facility_power_w([110_000, 330_000], p), [110_000 * one[0], 330_000 * one[0]])
    assert_allclose(facility_power_from_it_w(100.0, 1.5, 0.1), 165.0)


def test_c11_inputs_exposed():
    """Claim C11 (110,000 GB300 ~ 300 MW; 330,000 ~ 1 GW) is judged by the audit; here only
    check that the model's figures are of that order (0.5x-2x), i.e. the inputs are sane."""
    p = _p()
    mw = facility_power_w([110_000, 330_000], p) / 1e6
    assert 150 < mw[0] < 600 and 500 < mw[1] < 2000


@settings(max_examples=50, deadline=None)
@given(pue=st.floats(1.0, 2.0), d=st.floats(0.0, 0.5), tdp=st.floats(500, 2000))
def test_more_overhead_never_lowers_power(pue, d, tdp):
    p = _p()
    p["compute.gb300.gpu_tdp"] = np.array([tdp])
    p["datacenter.pue"] = np.array([pue])
    a = facility_power_w(1000, p)
    p["datacenter.pue"] = np.array([pue + d])
    assert facility_power_w(1000, p)[0] >= a[0]
