"""Lunar regolith plant: sourced composition, Δv, exact mass/energy balance, comparison."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from terawatt.assumptions import load_assumptions
from terawatt.physics.lunar import (
    O_PER_AL,
    O_PER_SI,
    LunarParams,
    compute_supplied_w,
    escape_speed_m_per_s,
    lunar_comparison,
    plant_output,
    refine,
    regolith_processed_kg,
)

KM_S = 1e3  # m/s per km/s
REG = load_assumptions(None)
SI_IN_SIO2 = 28.085 / 60.083  # mass fraction of Si in SiO2
AL_IN_AL2O3 = 2 * 26.9815 / 101.961


def test_si_al_fractions_match_lunar_sourcebook() -> None:
    """Lunar Sourcebook (Heiken et al. 1991) Table 7.15: average soils, SiO2 ~44-46 wt %
    (highland, Apollo 16), ~40.6-46 wt % (mare); Al2O3 ~24.5-28 (highland), ~10.5-17 (mare).
    Claim C17: 'about 20 % silicon'. Tolerance: the oxide ranges converted to elements."""
    for site, sio2, al2o3 in (("highland", (0.44, 0.46), (0.245, 0.28)),
                              ("mare", (0.406, 0.46), (0.105, 0.17))):
        si = REG.si(f"lunar.regolith.si_fraction_{site}")
        al = REG.si(f"lunar.regolith.al_fraction_{site}")
        assert sio2[0] * SI_IN_SIO2 - 1e-3 <= si <= sio2[1] * SI_IN_SIO2 + 1e-3
        assert al2o3[0] * AL_IN_AL2O3 - 1e-3 <= al <= al2o3[1] * AL_IN_AL2O3 + 1e-3
        assert abs(si - 0.20) <= 0.02  # C17's "about 20 %"


def test_stoichiometric_oxygen() -> None:
    """O2 freed per kg Si (SiO2) = 2x15.999/28.085 = 1.139; per kg Al (Al2O3) = 0.889."""
    assert_allclose(O_PER_SI, 1.1393, atol=1e-3)
    assert_allclose(O_PER_AL, 0.8894, atol=1e-3)


def test_lunar_escape_speed_matches_published() -> None:
    """NASA Moon fact sheet: escape velocity 2.38 km/s (tolerance 0.01 km/s), from DE430 GM
    and the IAU mean radius; the registry's launch Δv range brackets it."""
    v = escape_speed_m_per_s(REG.si("lunar.moon.gm"), REG.si("lunar.moon.radius"))
    assert_allclose(v, 2.38 * KM_S, atol=0.01 * KM_S)
    lo, hi = REG.low_high("lunar.launch.dv", "km/s")
    assert lo <= v / KM_S <= hi


def test_earth_leo_dv_against_vis_viva() -> None:
    """Earth surface to LEO: circular speed at 200 km (vis-viva, 7.78 km/s) plus 1.5-2.2 km/s
    gravity/drag losses = ~9.3-10 km/s (SMAD ch. 18); the lunar Δv is ~4x smaller."""
    gm, r = 3.986004418e14, 6378.137e3 + 200e3
    v_circ = np.sqrt(gm / r)
    assert_allclose(v_circ, 7.78 * KM_S, atol=0.01 * KM_S)
    dv = REG.si("lunar.launch.earth_leo_dv")
    assert v_circ + 1.5 * KM_S <= dv <= v_circ + 2.3 * KM_S
    assert dv / REG.si("lunar.launch.dv") > 3.5


def test_energy_floors_are_formation_enthalpies() -> None:
    """No electrolysis beats the enthalpy of formation: SiO2 910.7 kJ/mol -> 32.4 MJ/kg Si,
    Al2O3 1675.7 kJ/mol -> 31.05 MJ/kg Al (NIST-JANAF)."""
    assert REG.get("lunar.energy.si").min == pytest.approx(910.7e3 / 28.085 / 1e3, abs=0.1)
    assert REG.get("lunar.energy.al").min == pytest.approx(1675.7e3 / (2 * 26.9815) / 1e3,
                                                           abs=0.1)
    assert REG.low_high("lunar.energy.si", "MJ/kg")[0] >= 32.4
    assert REG.low_high("lunar.energy.al", "MJ/kg")[0] >= 31.05


def test_regolith_growth_closed_form() -> None:
    """One doubling of a 100 t seed at 5 /yr throughput: k m0 T2 / ln2 = 721.3 t."""
    yr = 3.15576e7
    g = np.log(2) / yr
    assert_allclose(regolith_processed_kg(1e5, g, 5 / yr, yr), 5 * 1e5 / np.log(2), rtol=1e-12)
    assert_allclose(regolith_processed_kg(1e5, 0.0, 5 / yr, 2 * yr), 1e6, rtol=1e-12)


def _params(draw: st.DrawFn) -> LunarParams:
    def rng(key: str) -> float:
        a = REG.get(key)
        return draw(st.floats(a.si_low, a.si_high, allow_nan=False))
    return LunarParams(
        growth_per_s=np.log(2) / rng("lunar.plant.doubling_time"),
        throughput_per_s=rng("lunar.plant.throughput"),
        si_fraction=draw(st.floats(0.19, 0.215)), al_fraction=draw(st.floats(0.055, 0.15)),
        si_yield=rng("lunar.extraction.si_yield"), al_yield=rng("lunar.extraction.al_yield"),
        energy_si_j_per_kg=rng("lunar.energy.si"), energy_al_j_per_kg=rng("lunar.energy.al"),
        energy_excavation_j_per_kg=rng("lunar.energy.excavation"),
        array_fab_j_per_m2=rng("lunar.fab.array_energy"),
        radiator_fab_j_per_kg=rng("lunar.fab.radiator_energy"),
        cell_si_kg_per_m2=rng("lunar.cell.si_areal_mass"),
        array_al_kg_per_m2=rng("lunar.array.al_areal_mass"),
        radiator_kg_per_m2=rng("lunar.radiator.areal_mass"),
        radiator_al_share=rng("lunar.radiator.al_share"),
        cell_efficiency=rng("lunar.cell.efficiency"),
        packing_factor=rng("lunar.array.packing_factor"),
        solar_constant_w_m2=1361.0, launch_speed_m_per_s=rng("lunar.launch.dv"),
        mass_driver_efficiency=rng("lunar.launch.mass_driver_efficiency"),
        delivered_fraction=rng("lunar.launch.delivered_fraction"),
    )


@settings(max_examples=200, deadline=None)
@given(data=st.data(), seed_t=st.floats(1.0, 1000.0), years=st.floats(-2.0, 15.0))
def test_mass_and_energy_balance_hold(data: st.DataObject, seed_t: float, years: float) -> None:
    """regolith = Si + Al + O2 + slag; E = excavation + electrolysis + fabrication + launch;
    Si and Al split exactly into their uses; nothing negative."""
    p = _params(data.draw)
    out = plant_output(seed_t * 1e3, years, p)
    scale = max(float(out.regolith_kg), 1.0)
    assert abs(float(out.mass_balance_residual_kg)) <= 1e-9 * scale
    assert_allclose(out.regolith_kg, out.si_kg + out.al_kg + out.oxygen_kg + out.slag_kg,
                    rtol=1e-12, atol=1e-9)
    assert_allclose(out.energy_j, out.energy_excavation_j + out.energy_electrolysis_j
                    + out.energy_fabrication_j + out.energy_launch_j, rtol=1e-12, atol=1e-6)
    assert_allclose(out.si_kg, out.si_in_arrays_kg + out.si_stock_kg, rtol=1e-12, atol=1e-9)
    assert_allclose(out.al_kg, out.al_in_arrays_kg + out.al_in_radiators_kg, rtol=1e-9,
                    atol=1e-6)
    assert_allclose(out.launched_kg, out.array_mass_kg + out.radiator_mass_kg, rtol=1e-12)
    for name in ("regolith_kg", "si_kg", "al_kg", "oxygen_kg", "slag_kg", "si_stock_kg",
                 "al_in_radiators_kg", "array_area_m2", "radiator_area_m2", "delivered_kg",
                 "energy_j", "energy_launch_j"):
        assert float(getattr(out, name)) >= -1e-9 * scale, name
    assert float(out.delivered_kg) <= float(out.launched_kg) + 1e-9
    assert float(out.launched_kg) <= float(out.si_kg + out.al_kg) * (1 + 1e-12) + 1e-9


@settings(max_examples=100, deadline=None)
@given(m=st.floats(0.0, 1e9), ca=st.floats(0.0, 1e12), cr=st.floats(0.0, 1e12),
       dca=st.floats(0.0, 1e11), dcr=st.floats(0.0, 1e11))
def test_more_lunar_supply_never_lowers_compute(m: float, ca: float, cr: float, dca: float,
                                                dcr: float) -> None:
    """W >= Earth-only M/m, monotone in lunar capacity, and Earth mass used = M exactly."""
    mt, ma, mr = 0.0435, 0.0142, 0.0087
    w = float(compute_supplied_w(m, mt, ma, mr, ca, cr))
    assert w >= m / mt * (1 - 1e-12)
    assert float(compute_supplied_w(m, mt, ma, mr, ca + dca, cr + dcr)) >= w * (1 - 1e-12)
    used = w * mt - min(ca, w) * ma - min(cr, w) * mr
    assert_allclose(used, m, rtol=1e-9, atol=1e-6)


def test_unlimited_lunar_supply_saves_array_and_radiator_mass() -> None:
    """With more lunar parts than satellites, Earth launches only m - m_a - m_r per W."""
    assert_allclose(compute_supplied_w(1e6, 0.04, 0.01, 0.01, 1e15, 1e15), 1e6 / 0.02)
    assert_allclose(compute_supplied_w(1e6, 0.04, 0.01, 0.01, 0.0, 0.0), 1e6 / 0.04)


def test_comparison_seed_scenario() -> None:
    """Nothing before the plant starts; afterwards the lunar option supports more compute."""
    reg = load_assumptions("seed")
    start = reg.value("lunar.plant.start_year", "yr")
    c = lunar_comparison(reg, np.array([start - 1, 2035.0, 2040.0]))
    assert c.compute_with_w[0] == pytest.approx(c.compute_without_w[0])
    assert np.all(c.compute_with_w[1:] > c.compute_without_w[1:])
    assert np.all(np.diff(c.compute_with_w) >= 0)
    ceiling = c.earth_launch_mass_kg / (c.satellite_mass_per_w_kg - c.array_mass_per_w_kg
                                        - c.radiator_mass_per_w_kg)
    assert np.all(c.compute_with_w <= ceiling * (1 + 1e-12))


def test_params_refuse_bad_values() -> None:
    p = LunarParams.from_registry(REG)
    with pytest.raises(ValueError, match="cell_si_kg_per_m2"):
        LunarParams(**{**{f: getattr(p, f) for f in p.__slots__},  # type: ignore[attr-defined]
                       "cell_si_kg_per_m2": 0.0})


def test_refine_zero_regolith() -> None:
    s = refine(0.0, 0.21, 0.14, 0.5, 0.4)
    assert float(s.si_kg + s.al_kg + s.oxygen_kg + s.slag_kg) == 0.0


def test_no_plant_and_no_output_before_the_seed_lands():
    """Before the landing (t < 0) the plant has no mass and makes nothing; at t = 0 it is the
    seed."""
    from terawatt.assumptions import load_assumptions
    from terawatt.physics.lunar import LunarParams, plant_output

    reg = load_assumptions("seed", [])
    seed = reg.si("lunar.plant.seed_mass")
    out = plant_output(seed, [-2.0, -0.5, 0.0], LunarParams.from_registry(reg))
    assert list(out.plant_mass_kg) == [0.0, 0.0, seed]
    assert not out.regolith_kg.any() and not out.launched_kg.any()
