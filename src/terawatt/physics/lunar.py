"""A self-expanding lunar plant that turns regolith into solar arrays and radiators.

The plant refines silicon and aluminium from regolith by molten regolith electrolysis (MRE),
deposits thin-film Si cells on Al foil, rolls Al radiator panels, and throws both off the
Moon (mass driver) to the orbital data centres. Everything is per plant, SI units.

Growth (self-expansion with doubling time ``T2``, ``g = ln 2 / T2``)::

    m(t)      = m0 * exp(g t)                                   plant mass [kg]
    R(t)      = k * m0 * (exp(g t) - 1) / g                     regolith processed [kg]

with ``k`` the regolith throughput per kg of plant [1/s]. Refining (stoichiometric oxygen)::

    Si = R * w_Si * y_Si            Al = R * w_Al * y_Al
    O2 = Si * 2 M_O / M_Si + Al * 3 M_O / (2 M_Al)              oxygen freed from SiO2, Al2O3
    slag = R - Si - Al - O2                                     (mass balance, exact)

Products::

    A_array = min(Si / s_Si, Al * (1 - r) / s_Al)               [m²], s = areal masses
    Al_rad  = Al - A_array * s_Al;   A_rad = Al_rad / s_rad     [m²]
    launched = A_array (s_Si + s_Al) + Al_rad;  delivered = launched * f_del

Energy (exact sum)::

    E = R e_exc + Si e_Si + Al e_Al + A_array e_fab,array + Al_rad e_fab,rad
        + launched * v_launch² / (2 eta_md)

Lunar escape speed ``sqrt(2 GM/R) = 2.38 km/s`` against ~9.4 km/s from Earth's surface to LEO
is the reason to make heavy, simple parts (arrays, radiators) on the Moon.

References
----------
.. [1] G. H. Heiken, D. T. Vaniman, B. M. French (eds), *Lunar Sourcebook*, Cambridge
   University Press, 1991, Table 7.15.
.. [2] S. S. Schreiner, L. Sibille, J. A. Dominguez, J. A. Hoffman, "A parametric sizing model
   for Molten Regolith Electrolysis reactors to produce oxygen on the Moon", Adv. Space Res.
   57 (2016) 1585-1603, doi:10.1016/j.asr.2016.01.006.
.. [3] C. Horton, ..., A. Ignatiev, A. Freundlich, "First demonstration of photovoltaic diodes
   on lunar regolith-based substrate", Acta Astronautica 56 (2005) 537-545.
.. [4] G. A. Landis, M. A. Perino, "Lunar Production of Solar Cells", NASA TM-102102, 1989.
.. [5] NASA CP-2255, *Advanced Automation for Space Missions*, ch. 5, 1982.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.physics import satellite as sat

if TYPE_CHECKING:
    from terawatt.assumptions import Registry

FloatArray = NDArray[np.float64]

#: Molar masses [kg/mol] (IUPAC 2021 standard atomic weights).
M_O_KG_PER_MOL = 15.999e-3
M_SI_KG_PER_MOL = 28.085e-3
M_AL_KG_PER_MOL = 26.9815e-3
#: kg of O2 freed per kg of Si reduced from SiO2, and per kg of Al from Al2O3.
O_PER_SI = 2.0 * M_O_KG_PER_MOL / M_SI_KG_PER_MOL
O_PER_AL = 3.0 * M_O_KG_PER_MOL / (2.0 * M_AL_KG_PER_MOL)


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


# ------------------------------------------------------------------------------------------
# parts
# ------------------------------------------------------------------------------------------
def escape_speed_m_per_s(gm_m3_per_s2: ArrayLike, radius_m: ArrayLike) -> FloatArray:
    """Escape speed from a body's surface, ``sqrt(2 GM / R)``.

    Parameters
    ----------
    gm_m3_per_s2 : array_like
        Gravitational parameter [m³/s²].
    radius_m : array_like
        Surface radius [m].

    Returns
    -------
    numpy.ndarray
        Escape speed [m/s] (2.38 km/s for the Moon).

    References
    ----------
    .. [1] NASA GSFC Moon Fact Sheet (escape velocity 2.38 km/s).
    """
    return np.sqrt(2.0 * _f(gm_m3_per_s2) / _f(radius_m))


def plant_mass_kg(seed_mass_kg: ArrayLike, growth_per_s: ArrayLike,
                  duration_s: ArrayLike) -> FloatArray:
    """Plant mass after self-expansion, ``m0 exp(g t)`` [kg].

    Parameters
    ----------
    seed_mass_kg : array_like
        Landed seed mass [kg].
    growth_per_s : array_like
        Exponential growth rate ``ln 2 / doubling time`` [1/s].
    duration_s : array_like
        Time since the seed started [s]; negative times count as 0.

    References
    ----------
    .. [1] NASA CP-2255 (1982), ch. 5 (100 t seed, ~1 yr replication).
    """
    return _f(seed_mass_kg) * np.exp(_f(growth_per_s) * np.clip(_f(duration_s), 0.0, None))


def regolith_processed_kg(seed_mass_kg: ArrayLike, growth_per_s: ArrayLike,
                          throughput_per_s: ArrayLike, duration_s: ArrayLike) -> FloatArray:
    """Cumulative regolith processed, ``k m0 (exp(g t) - 1) / g`` (``k m0 t`` as g -> 0) [kg].

    Parameters
    ----------
    seed_mass_kg : array_like
        Landed seed mass [kg].
    growth_per_s : array_like
        Plant growth rate [1/s].
    throughput_per_s : array_like
        Regolith processed per kg of plant per second [1/s].
    duration_s : array_like
        Time since the seed started [s]; negative times count as 0.
    """
    g = _f(growth_per_s)
    t = np.clip(_f(duration_s), 0.0, None)
    gt = g * t
    small = np.abs(gt) < 1e-9
    factor = np.where(small, t, np.expm1(gt) / np.where(small, 1.0, g))
    return _f(throughput_per_s) * _f(seed_mass_kg) * factor


@dataclass(frozen=True, slots=True)
class RegolithSplit:
    """Regolith in and what comes out of the electrolysis, all [kg].

    ``regolith_kg = si_kg + al_kg + oxygen_kg + slag_kg`` holds exactly (slag is the rest:
    unreduced oxides plus Fe, Ti, Mg, Ca metal).
    """

    regolith_kg: FloatArray
    si_kg: FloatArray
    al_kg: FloatArray
    oxygen_kg: FloatArray
    slag_kg: FloatArray


def refine(regolith_kg: ArrayLike, si_fraction: ArrayLike, al_fraction: ArrayLike,
           si_yield: ArrayLike, al_yield: ArrayLike) -> RegolithSplit:
    """Split processed regolith into Si, Al, O2 (stoichiometric) and slag.

    Parameters
    ----------
    regolith_kg : array_like
        Regolith processed [kg].
    si_fraction, al_fraction : array_like
        Si and Al mass fractions of the regolith [dimensionless] (Lunar Sourcebook Table 7.15).
    si_yield, al_yield : array_like
        Fraction of that Si / Al recovered as refined metal [dimensionless].

    Returns
    -------
    RegolithSplit
        Masses [kg]; O2 = Si * 2 M_O/M_Si + Al * 3 M_O/(2 M_Al).

    References
    ----------
    .. [1] Heiken et al. (1991), Lunar Sourcebook, Table 7.15.
    .. [2] Schreiner et al. (2016), Adv. Space Res. 57, 1585.
    """
    r = np.clip(_f(regolith_kg), 0.0, None)
    si = r * np.clip(_f(si_fraction), 0.0, 1.0) * np.clip(_f(si_yield), 0.0, 1.0)
    al = r * np.clip(_f(al_fraction), 0.0, 1.0) * np.clip(_f(al_yield), 0.0, 1.0)
    o2 = si * O_PER_SI + al * O_PER_AL
    slag = r - si - al - o2
    return RegolithSplit(regolith_kg=r, si_kg=si, al_kg=al, oxygen_kg=o2, slag_kg=slag)


# ------------------------------------------------------------------------------------------
# the plant
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LunarParams:
    """Plant parameters in SI units (scalars or arrays over samples)."""

    growth_per_s: FloatArray
    throughput_per_s: FloatArray
    si_fraction: FloatArray
    al_fraction: FloatArray
    si_yield: FloatArray
    al_yield: FloatArray
    energy_si_j_per_kg: FloatArray
    energy_al_j_per_kg: FloatArray
    energy_excavation_j_per_kg: FloatArray
    array_fab_j_per_m2: FloatArray
    radiator_fab_j_per_kg: FloatArray
    cell_si_kg_per_m2: FloatArray
    array_al_kg_per_m2: FloatArray
    radiator_kg_per_m2: FloatArray
    radiator_al_share: FloatArray
    cell_efficiency: FloatArray
    packing_factor: FloatArray
    solar_constant_w_m2: FloatArray
    launch_speed_m_per_s: FloatArray
    mass_driver_efficiency: FloatArray
    delivered_fraction: FloatArray

    def __post_init__(self) -> None:
        for f in fields(self):
            v = _f(getattr(self, f.name))
            if np.any(~np.isfinite(v)) or np.any(v < 0):
                raise ValueError(f"LunarParams.{f.name} must be finite and >= 0")
            object.__setattr__(self, f.name, v)
        for name in ("cell_si_kg_per_m2", "array_al_kg_per_m2", "radiator_kg_per_m2",
                     "mass_driver_efficiency"):
            if np.any(getattr(self, name) <= 0):
                raise ValueError(f"LunarParams.{name} must be > 0")

    @classmethod
    def from_registry(cls, reg: Registry) -> LunarParams:
        """Central values of ``lunar.*`` (site chosen by ``lunar.regolith.highland``)."""
        site = "highland" if reg.si("lunar.regolith.highland") >= 0.5 else "mare"
        s = reg.si
        return cls(
            growth_per_s=_f(np.log(2.0) / s("lunar.plant.doubling_time")),
            throughput_per_s=_f(s("lunar.plant.throughput")),
            si_fraction=_f(s(f"lunar.regolith.si_fraction_{site}")),
            al_fraction=_f(s(f"lunar.regolith.al_fraction_{site}")),
            si_yield=_f(s("lunar.extraction.si_yield")),
            al_yield=_f(s("lunar.extraction.al_yield")),
            energy_si_j_per_kg=_f(s("lunar.energy.si")),
            energy_al_j_per_kg=_f(s("lunar.energy.al")),
            energy_excavation_j_per_kg=_f(s("lunar.energy.excavation")),
            array_fab_j_per_m2=_f(s("lunar.fab.array_energy")),
            radiator_fab_j_per_kg=_f(s("lunar.fab.radiator_energy")),
            cell_si_kg_per_m2=_f(s("lunar.cell.si_areal_mass")),
            array_al_kg_per_m2=_f(s("lunar.array.al_areal_mass")),
            radiator_kg_per_m2=_f(s("lunar.radiator.areal_mass")),
            radiator_al_share=_f(s("lunar.radiator.al_share")),
            cell_efficiency=_f(s("lunar.cell.efficiency")),
            packing_factor=_f(s("lunar.array.packing_factor")),
            solar_constant_w_m2=_f(s("solar.solar_constant")),
            launch_speed_m_per_s=_f(s("lunar.launch.dv")),
            mass_driver_efficiency=_f(s("lunar.launch.mass_driver_efficiency")),
            delivered_fraction=_f(s("lunar.launch.delivered_fraction")),
        )


@dataclass(frozen=True, slots=True)
class LunarOutput:
    """Cumulative output of the plant; arrays, SI units.

    Mass [kg]: ``regolith_kg = si_kg + al_kg + oxygen_kg + slag_kg`` (exact);
    ``si_kg = si_in_arrays_kg + si_stock_kg``; ``al_kg = al_in_arrays_kg + al_in_radiators_kg``;
    ``launched_kg = array_mass_kg + radiator_mass_kg``; ``delivered_kg`` arrive in orbit.
    Energy [J]: ``energy_j`` = excavation + electrolysis + fabrication + launch (exact).
    Areas [m²]: ``array_area_m2``, ``radiator_area_m2``; ``array_power_bol_w`` [W] at AM0.
    """

    plant_mass_kg: FloatArray
    regolith_kg: FloatArray
    si_kg: FloatArray
    al_kg: FloatArray
    oxygen_kg: FloatArray
    slag_kg: FloatArray
    si_in_arrays_kg: FloatArray
    si_stock_kg: FloatArray
    al_in_arrays_kg: FloatArray
    al_in_radiators_kg: FloatArray
    array_area_m2: FloatArray
    radiator_area_m2: FloatArray
    array_mass_kg: FloatArray
    radiator_mass_kg: FloatArray
    array_power_bol_w: FloatArray
    launched_kg: FloatArray
    delivered_kg: FloatArray
    energy_excavation_j: FloatArray
    energy_electrolysis_j: FloatArray
    energy_fabrication_j: FloatArray
    energy_launch_j: FloatArray
    energy_j: FloatArray

    @property
    def mass_balance_residual_kg(self) -> FloatArray:
        """``regolith - (Si + Al + O2 + slag)``: zero up to rounding."""
        return self.regolith_kg - (self.si_kg + self.al_kg + self.oxygen_kg + self.slag_kg)

    @property
    def energy_balance_residual_j(self) -> FloatArray:
        """``E - (excavation + electrolysis + fabrication + launch)``: zero up to rounding."""
        return self.energy_j - (self.energy_excavation_j + self.energy_electrolysis_j
                                + self.energy_fabrication_j + self.energy_launch_j)


def plant_output(seed_mass_kg: ArrayLike, years: ArrayLike, params: LunarParams) -> LunarOutput:
    """Cumulative regolith, metals, arrays, radiators, energy and exports of a lunar plant.

    Parameters
    ----------
    seed_mass_kg : array_like
        Landed seed mass [kg].
    years : array_like
        Time since the seed landed [yr] (Julian years; converted to s); <= 0 gives no
        output, and < 0 no plant either.
    params : LunarParams
        Plant parameters (SI).

    Returns
    -------
    LunarOutput
        Cumulative masses [kg], areas [m²], energy [J] (see the module docstring).

    References
    ----------
    .. [1] Schreiner et al. (2016); Landis & Perino (1989); NASA CP-2255 (1982), ch. 5.
    """
    p = params
    t_s = np.clip(_f(years), 0.0, None) * SECONDS_PER_YEAR
    m0 = np.clip(_f(seed_mass_kg), 0.0, None)
    regolith = regolith_processed_kg(m0, p.growth_per_s, p.throughput_per_s, t_s)
    split = refine(regolith, p.si_fraction, p.al_fraction, p.si_yield, p.al_yield)

    al_for_arrays = split.al_kg * (1.0 - np.clip(p.radiator_al_share, 0.0, 1.0))
    area = np.minimum(split.si_kg / p.cell_si_kg_per_m2, al_for_arrays / p.array_al_kg_per_m2)
    si_arr = area * p.cell_si_kg_per_m2
    al_arr = area * p.array_al_kg_per_m2
    al_rad = np.clip(split.al_kg - al_arr, 0.0, None)
    array_mass = si_arr + al_arr
    launched = array_mass + al_rad

    e_exc = split.regolith_kg * p.energy_excavation_j_per_kg
    e_el = split.si_kg * p.energy_si_j_per_kg + split.al_kg * p.energy_al_j_per_kg
    e_fab = area * p.array_fab_j_per_m2 + al_rad * p.radiator_fab_j_per_kg
    e_launch = launched * 0.5 * p.launch_speed_m_per_s ** 2 / p.mass_driver_efficiency
    return LunarOutput(
        plant_mass_kg=np.where(_f(years) >= 0.0, plant_mass_kg(m0, p.growth_per_s, t_s), 0.0)
        * np.ones_like(regolith),  # no plant before the seed lands
        regolith_kg=split.regolith_kg, si_kg=split.si_kg, al_kg=split.al_kg,
        oxygen_kg=split.oxygen_kg, slag_kg=split.slag_kg,
        si_in_arrays_kg=si_arr, si_stock_kg=split.si_kg - si_arr,
        al_in_arrays_kg=al_arr, al_in_radiators_kg=al_rad,
        array_area_m2=area, radiator_area_m2=al_rad / p.radiator_kg_per_m2,
        array_mass_kg=array_mass, radiator_mass_kg=al_rad,
        array_power_bol_w=area * p.solar_constant_w_m2 * p.cell_efficiency * p.packing_factor,
        launched_kg=launched, delivered_kg=launched * np.clip(p.delivered_fraction, 0.0, 1.0),
        energy_excavation_j=e_exc, energy_electrolysis_j=e_el, energy_fabrication_j=e_fab,
        energy_launch_j=e_launch, energy_j=e_exc + e_el + e_fab + e_launch,
    )


# ------------------------------------------------------------------------------------------
# with vs without the lunar supply
# ------------------------------------------------------------------------------------------
def compute_supplied_w(earth_mass_kg: ArrayLike, mass_per_w_kg: ArrayLike,
                       array_mass_per_w_kg: ArrayLike, radiator_mass_per_w_kg: ArrayLike,
                       array_capacity_w: ArrayLike, radiator_capacity_w: ArrayLike) -> FloatArray:
    """Compute power an Earth launch mass supports when the Moon supplies arrays and radiators.

    ``W`` satellites are flown; ``min(C_a, W)`` get lunar arrays and ``min(C_r, W)`` lunar
    radiators, so Earth launches ``M = W m - min(C_a, W) m_a - min(C_r, W) m_r``. The right-hand
    side ``f(W) = (M + min(C_a, W) m_a + min(C_r, W) m_r) / m`` is a minimum of four lines with
    slopes below 1, so the solution ``W = f(W)`` is the smallest of their four fixed points::

        W = min((M + C_a m_a + C_r m_r) / m, (M + C_r m_r) / (m - m_a),
                (M + C_a m_a) / (m - m_r), M / (m - m_a - m_r))

    Parameters
    ----------
    earth_mass_kg : array_like
        Earth launch mass for compute satellites [kg].
    mass_per_w_kg : array_like
        Whole satellite mass per W of compute, ``m`` [kg/W].
    array_mass_per_w_kg, radiator_mass_per_w_kg : array_like
        Array and radiator mass per W of compute, ``m_a``, ``m_r`` [kg/W]; ``m_a + m_r < m``.
    array_capacity_w, radiator_capacity_w : array_like
        Compute the lunar arrays (radiators) can equip, ``C_a``, ``C_r`` [W].

    Returns
    -------
    numpy.ndarray
        Compute power supplied [W]; ``M / m`` without lunar parts, never less with them.
    """
    m_e = np.clip(_f(earth_mass_kg), 0.0, None)
    m = _f(mass_per_w_kg)
    m_a = _f(array_mass_per_w_kg)
    m_r = _f(radiator_mass_per_w_kg)
    if np.any(m_a + m_r >= m) or np.any(m_a < 0) or np.any(m_r < 0):
        raise ValueError("need 0 <= array + radiator mass per W < satellite mass per W")
    c_a = np.clip(_f(array_capacity_w), 0.0, None)
    c_r = np.clip(_f(radiator_capacity_w), 0.0, None)
    supplied: FloatArray = np.minimum.reduce([  # numpy's stubs: ufunc.reduce gives Any
        (m_e + c_a * m_a + c_r * m_r) / m, (m_e + c_r * m_r) / (m - m_a),
        (m_e + c_a * m_a) / (m - m_r), m_e / (m - m_a - m_r) * np.ones_like(c_a + c_r)])
    return supplied


@dataclass(frozen=True, slots=True)
class LunarComparison:
    """Orbital compute added per year with and without the lunar supply (central case).

    Arrays over ``years``: ``earth_launch_mass_kg`` [kg/yr] for compute satellites;
    ``compute_without_w`` and ``compute_with_w`` [W added per yr]; lunar deliveries that year
    ``lunar_array_area_m2``, ``lunar_radiator_area_m2`` [m²]; ``array_capacity_w`` and
    ``radiator_capacity_w`` [W] the compute those parts equip; per-W masses [kg/W] and areas
    [m²/W]; ``plant_mass_kg`` and the plant's ``energy_j`` [J] that year.
    """

    years: FloatArray
    earth_launch_mass_kg: FloatArray
    compute_without_w: FloatArray
    compute_with_w: FloatArray
    lunar_array_area_m2: FloatArray
    lunar_radiator_area_m2: FloatArray
    array_capacity_w: FloatArray
    radiator_capacity_w: FloatArray
    satellite_mass_per_w_kg: float
    array_mass_per_w_kg: float
    radiator_mass_per_w_kg: float
    array_area_per_w_m2: float
    radiator_area_per_w_m2: float
    plant_mass_kg: FloatArray
    energy_j: FloatArray

    @property
    def gain(self) -> FloatArray:
        """``compute_with / compute_without`` [dimensionless]."""
        return self.compute_with_w / self.compute_without_w


def lunar_comparison(reg: Registry, years: ArrayLike,
                     generation: str = sat.DEFAULT_GENERATION) -> LunarComparison:
    """Compute added per calendar year with and without lunar arrays and radiators.

    The Earth launch mass per year is ``launch.payload_per_flight * launch.launches_per_year
    * orbital.launch_share`` (constant; the stack model's ramps are not applied here). The
    satellite is :func:`terawatt.physics.satellite.satellite_from_registry`; a lunar array
    needs ``eta_sat packing_sat / (eta_lunar packing_lunar)`` times its area. Lunar parts
    delivered in year ``y`` are the plant's output over ``[y - 1, y]``.
    """
    y = _f(years)
    budget = sat.satellite_from_registry(reg, generation)
    p_c = float(budget.compute_power_w[0])
    m_tot = float(budget.total_mass_kg[0]) / p_c
    m_a = float(budget.array_mass_kg[0]) / p_c
    m_r = float(budget.radiator_mass_kg[0]) / p_c
    lp = LunarParams.from_registry(reg)
    area_scale = (reg.si("satellite.array.cell_efficiency")
                  * reg.si("satellite.array.packing_factor")
                  / float(lp.cell_efficiency * lp.packing_factor))
    a_per_w = float(budget.array_area_m2[0]) / p_c * area_scale
    r_per_w = float(budget.radiator_area_m2[0]) / p_c

    start = reg.value("lunar.plant.start_year", "yr")
    seed = reg.si("lunar.plant.seed_mass")
    now = plant_output(seed, y - start, lp)
    before = plant_output(seed, y - 1.0 - start, lp)
    f_del = float(lp.delivered_fraction)
    arr = (now.array_area_m2 - before.array_area_m2) * f_del
    rad = (now.radiator_area_m2 - before.radiator_area_m2) * f_del
    cap_a = arr / a_per_w
    cap_r = rad / r_per_w

    m_earth = (reg.si("launch.payload_per_flight") * reg.value("launch.launches_per_year",
                                                               "launch/yr")
               * reg.si("orbital.launch_share")) * np.ones_like(y)
    return LunarComparison(
        years=y, earth_launch_mass_kg=m_earth, compute_without_w=m_earth / m_tot,
        compute_with_w=compute_supplied_w(m_earth, m_tot, m_a, m_r, cap_a, cap_r),
        lunar_array_area_m2=arr, lunar_radiator_area_m2=rad, array_capacity_w=cap_a,
        radiator_capacity_w=cap_r, satellite_mass_per_w_kg=m_tot, array_mass_per_w_kg=m_a,
        radiator_mass_per_w_kg=m_r,
        array_area_per_w_m2=a_per_w, radiator_area_per_w_m2=r_per_w,
        plant_mass_kg=now.plant_mass_kg, energy_j=now.energy_j - before.energy_j,
    )
