"""A compute satellite's mass and power budget from its parts -> W of compute per kg.

Power (all per satellite, SI)::

    P_day   = (P_compute + P_bus) / eta_pc                       load drawn from the array in sun
    P_ecl   = (f_ecl * P_compute + P_bus) / eta_pc                load drawn from the battery
    E_batt  = P_ecl * t_ecl                                       worst eclipse [J]
    P_eol   = P_day + E_batt / (eta_rt * t_day)                   array output at end of life
    P_bol   = P_eol / (1 - d) ** life                             array rating at beginning of life

with ``t_ecl`` the longest eclipse and ``t_day = period - t_ecl`` (SMAD section 11.4 sizing).
Masses::

    array     = P_bol / (array W/kg at BOL);  area = P_bol / (S * eta_cell * packing * Id)
    radiator  = radiator.py for the waste heat P_day (all delivered power ends as heat)
    battery   = E_batt / (DoD * specific energy)
    compute   = P_compute / (payload W/kg of the accelerator generation)
    total     = (array + radiator + battery + compute)
                / (1 - structure - avionics - propulsion - comms)

System specific power = P_compute / total [W/kg]. The budget is linear in ``P_compute`` (no
fixed masses), so W/kg does not depend on satellite size. The orbit enters only through
``sunlit_fraction`` (for the compute availability), ``max_eclipse_s`` and
``orbital_period_s``; :func:`satellite_from_registry` gets them from
:mod:`terawatt.physics.orbit`.

References
----------
.. [1] J. R. Wertz, W. J. Larson (eds), *Space Mission Analysis and Design*, 3rd ed.,
   Microcosm/Kluwer, 1999, section 11.4 (array and battery sizing) and Appendix A
   (subsystem mass fractions).
.. [2] B. Aguera y Arcas et al., "Towards a future space-based, highly scalable AI
   infrastructure system design" (Project Suncatcher), arXiv:2511.19468, 2025 (Table 1:
   Starlink V2 mini, 575 kg, ~105 m², ~28 kW).
.. [3] Starcloud, "Why we should train AI in space" (white paper), 2024.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.physics import orbit
from terawatt.physics.radiator import RADIATOR_KEYS, radiator_sizing

if TYPE_CHECKING:
    from terawatt.assumptions import Registry

FloatArray = NDArray[np.float64]

#: The accelerator generation flown when none is given (selects ``compute.<gen>.*``).
DEFAULT_GENERATION = "gb300"

_SAT_KEYS: tuple[str, ...] = (
    "satellite.altitude",
    "satellite.compute_power",
    "satellite.bus_power_fraction",
    "satellite.power_conversion_efficiency",
    "satellite.eclipse_compute_fraction",
    "satellite.design_life",
    "satellite.array.specific_power",
    "satellite.array.cell_efficiency",
    "satellite.array.packing_factor",
    "satellite.array.inherent_degradation",
    "satellite.array.degradation_per_year",
    "satellite.battery.specific_energy",
    "satellite.battery.depth_of_discharge",
    "satellite.battery.round_trip_efficiency",
    "satellite.fraction.structure",
    "satellite.fraction.avionics",
    "satellite.fraction.propulsion",
    "satellite.fraction.comms",
)

#: Orbit-selection keys read by :func:`satellite_from_registry`.
ORBIT_KEYS: tuple[str, ...] = ("satellite.sun_synchronous", "satellite.ltan",
                               "satellite.inclination")


def satellite_keys(generation: str = DEFAULT_GENERATION) -> tuple[str, ...]:
    """Assumption keys :func:`satellite_budget` reads (pass them to ``Registry.sample``)."""
    return _SAT_KEYS + RADIATOR_KEYS + (f"compute.{generation}.flight_specific_power",)


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


# ------------------------------------------------------------------------------------------
# parts
# ------------------------------------------------------------------------------------------
def array_areal_power_w_per_m2(solar_irradiance_w_m2: ArrayLike, cell_efficiency: ArrayLike,
                               packing_factor: ArrayLike,
                               inherent_degradation: ArrayLike) -> FloatArray:
    """Array output per m² at BOL: ``S * eta_cell * packing * Id``.

    Parameters
    ----------
    solar_irradiance_w_m2 : array_like
        Solar irradiance at AM0 [W/m²].
    cell_efficiency : array_like
        Cell efficiency at AM0, BOL [dimensionless].
    packing_factor : array_like
        Cell area / array area [dimensionless].
    inherent_degradation : array_like
        Operating losses (temperature, wiring, pointing) [dimensionless].

    Returns
    -------
    numpy.ndarray
        Array power per m² of array [W/m²].

    References
    ----------
    .. [1] Wertz & Larson (1999), SMAD 3rd ed., section 11.4, eq. 11-6 to 11-8.
    """
    return (_f(solar_irradiance_w_m2) * _f(cell_efficiency) * _f(packing_factor)
            * _f(inherent_degradation))


def life_degradation(degradation_per_s: ArrayLike, life_s: ArrayLike) -> FloatArray:
    """End-of-life / beginning-of-life power ratio ``(1 - d) ** life`` with ``d`` per year.

    Parameters
    ----------
    degradation_per_s : array_like
        Fractional loss per unit time, in SI [1/s] (the registry holds 1/yr).
    life_s : array_like
        Design life [s].

    Returns
    -------
    numpy.ndarray
        EOL/BOL power ratio [dimensionless].

    References
    ----------
    .. [1] Wertz & Larson (1999), SMAD 3rd ed., eq. 11-9 (life degradation).
    """
    years = _f(life_s) / SECONDS_PER_YEAR
    return (1.0 - _f(degradation_per_s) * SECONDS_PER_YEAR) ** years


def battery_mass_kg(eclipse_energy_j: ArrayLike, specific_energy_j_per_kg: ArrayLike,
                    depth_of_discharge: ArrayLike) -> FloatArray:
    """Battery mass for an eclipse energy at a depth of discharge.

    Parameters
    ----------
    eclipse_energy_j : array_like
        Energy drawn in the longest eclipse [J].
    specific_energy_j_per_kg : array_like
        Pack specific energy [J/kg].
    depth_of_discharge : array_like
        Allowed depth of discharge [dimensionless].

    Returns
    -------
    numpy.ndarray
        Battery mass [kg].

    References
    ----------
    .. [1] Wertz & Larson (1999), SMAD 3rd ed., eq. 11-11 (battery capacity).
    """
    return _f(eclipse_energy_j) / (_f(depth_of_discharge) * _f(specific_energy_j_per_kg))


# ------------------------------------------------------------------------------------------
# the budget
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SatelliteBudget:
    """Mass and power budget of one satellite; arrays over samples, SI units.

    Masses [kg]: ``total_mass_kg`` and its parts ``array_mass_kg``, ``radiator_mass_kg``,
    ``compute_mass_kg``, ``battery_mass_kg``, ``structure_mass_kg``, ``avionics_mass_kg``,
    ``propulsion_mass_kg``, ``comms_mass_kg``. Power [W]: ``compute_power_w``,
    ``bus_power_w``, ``array_power_bol_w``, ``array_power_eol_w``, ``heat_load_w``. Energy:
    ``battery_energy_j`` [J]. Areas [m²]: ``array_area_m2``, ``radiator_area_m2``.
    ``radiator_net_flux_w_per_m2`` [W/m²]; ``compute_availability`` [-] (the fraction of the
    year the compute runs); ``specific_power_w_per_kg`` (W of compute per kg of satellite);
    ``mass_per_mw_kg`` (kg per MW of compute); ``average_specific_power_w_per_kg``
    (availability-weighted).
    """

    compute_power_w: FloatArray
    bus_power_w: FloatArray
    array_power_bol_w: FloatArray
    array_power_eol_w: FloatArray
    heat_load_w: FloatArray
    battery_energy_j: FloatArray
    array_area_m2: FloatArray
    radiator_area_m2: FloatArray
    radiator_net_flux_w_per_m2: FloatArray
    array_mass_kg: FloatArray
    radiator_mass_kg: FloatArray
    compute_mass_kg: FloatArray
    battery_mass_kg: FloatArray
    structure_mass_kg: FloatArray
    avionics_mass_kg: FloatArray
    propulsion_mass_kg: FloatArray
    comms_mass_kg: FloatArray
    total_mass_kg: FloatArray
    compute_availability: FloatArray

    @property
    def specific_power_w_per_kg(self) -> FloatArray:
        """W of compute per kg of satellite (0 when the mass is infinite or zero)."""
        m = self.total_mass_kg
        ok = np.isfinite(m) & (m > 0)
        return np.where(ok, self.compute_power_w / np.where(ok, m, 1.0), 0.0)

    @property
    def mass_per_mw_kg(self) -> FloatArray:
        """kg of satellite per MW of compute (inf when there is no compute)."""
        mw = self.compute_power_w / 1e6
        return np.where(mw > 0, self.total_mass_kg / np.where(mw > 0, mw, 1.0), np.inf)

    @property
    def average_specific_power_w_per_kg(self) -> FloatArray:
        return self.specific_power_w_per_kg * self.compute_availability

    def mass_parts_kg(self) -> dict[str, FloatArray]:
        """The masses that add up to ``total_mass_kg``, by part name."""
        return {
            "array": self.array_mass_kg, "radiator": self.radiator_mass_kg,
            "compute": self.compute_mass_kg, "battery": self.battery_mass_kg,
            "structure": self.structure_mass_kg, "avionics": self.avionics_mass_kg,
            "propulsion": self.propulsion_mass_kg, "comms": self.comms_mass_kg,
        }


def satellite_budget(p: Mapping[str, ArrayLike], sunlit_fraction: ArrayLike,
                     max_eclipse_s: ArrayLike, orbital_period_s: ArrayLike,
                     generation: str = DEFAULT_GENERATION) -> SatelliteBudget:
    """Mass and power budget of a compute satellite, vectorised over samples.

    Parameters
    ----------
    p : mapping
        SI arrays keyed by :func:`satellite_keys` (as ``Registry.sample`` returns).
    sunlit_fraction : array_like
        Mean fraction of the year in sunlight [dimensionless].
    max_eclipse_s : array_like
        Longest eclipse per orbit over the year [s]; 0 for an orbit never in shadow.
    orbital_period_s : array_like
        Orbital period [s].
    generation : str
        Accelerator generation of the payload (selects ``compute.<generation>.*``).

    Returns
    -------
    SatelliteBudget
        Masses [kg], powers [W], areas [m²] and derived W/kg, kg/MW.

    References
    ----------
    .. [1] Wertz & Larson (1999), SMAD 3rd ed., section 11.4 and Appendix A.
    """
    p_c = _f(p["satellite.compute_power"])
    eta = _f(p["satellite.power_conversion_efficiency"])
    f_ecl = _f(p["satellite.eclipse_compute_fraction"])
    p_bus = p_c * _f(p["satellite.bus_power_fraction"])
    t_ecl = np.clip(_f(max_eclipse_s), 0.0, None)
    t_day = np.maximum(_f(orbital_period_s) - t_ecl, 1.0)

    p_day = (p_c + p_bus) / eta
    p_ecl = (f_ecl * p_c + p_bus) / eta
    e_batt = p_ecl * t_ecl
    p_eol = p_day + e_batt / (_f(p["satellite.battery.round_trip_efficiency"]) * t_day)
    p_bol = p_eol / life_degradation(p["satellite.array.degradation_per_year"],
                                     p["satellite.design_life"])

    areal = array_areal_power_w_per_m2(p["solar.solar_constant"],
                                       p["satellite.array.cell_efficiency"],
                                       p["satellite.array.packing_factor"],
                                       p["satellite.array.inherent_degradation"])
    array_area = p_bol / areal
    array_mass = p_bol / _f(p["satellite.array.specific_power"])

    heat = p_day  # everything the array delivers to the bus ends as heat in the radiators
    rad = radiator_sizing(p, heat, p["satellite.altitude"])
    m_batt = battery_mass_kg(e_batt, p["satellite.battery.specific_energy"],
                             p["satellite.battery.depth_of_discharge"])
    m_compute = p_c / _f(p[f"compute.{generation}.flight_specific_power"])

    fr = {k: _f(p[f"satellite.fraction.{k}"]) for k in ("structure", "avionics", "propulsion",
                                                        "comms")}
    f_sum = sum(fr.values())
    parts = array_mass + rad.mass_kg + m_batt + m_compute
    with np.errstate(divide="ignore"):
        total = np.where(f_sum < 1.0, parts / np.where(f_sum < 1.0, 1.0 - f_sum, 1.0), np.inf)

    sun = np.clip(_f(sunlit_fraction), 0.0, 1.0)
    availability = sun + (1.0 - sun) * f_ecl
    return SatelliteBudget(
        compute_power_w=p_c * np.ones_like(total), bus_power_w=p_bus * np.ones_like(total),
        array_power_bol_w=p_bol * np.ones_like(total),
        array_power_eol_w=p_eol * np.ones_like(total),
        heat_load_w=heat * np.ones_like(total), battery_energy_j=e_batt * np.ones_like(total),
        array_area_m2=array_area * np.ones_like(total), radiator_area_m2=rad.area_m2,
        radiator_net_flux_w_per_m2=rad.net_flux_w_per_m2,
        array_mass_kg=array_mass * np.ones_like(total), radiator_mass_kg=rad.mass_kg,
        compute_mass_kg=m_compute * np.ones_like(total), battery_mass_kg=m_batt,
        structure_mass_kg=_share(total, fr["structure"]),
        avionics_mass_kg=_share(total, fr["avionics"]),
        propulsion_mass_kg=_share(total, fr["propulsion"]),
        comms_mass_kg=_share(total, fr["comms"]),
        total_mass_kg=total, compute_availability=availability * np.ones_like(total),
    )


def _share(total_kg: FloatArray, fraction: FloatArray) -> FloatArray:
    """``total * fraction`` with 0 (not NaN) for a zero fraction of an infinite total."""
    safe_total = np.where(fraction > 0, total_kg, 0.0)
    return safe_total * fraction


def compute_power_per_launch_w(budget: SatelliteBudget,
                               payload_per_flight_kg: ArrayLike) -> FloatArray:
    """Compute power one flight carries if its payload mass is filled with satellites.

    Mass-limited (volume and dispenser mass are not modelled): ``payload * W/kg``.

    Parameters
    ----------
    budget : SatelliteBudget
        The satellite design.
    payload_per_flight_kg : array_like
        Payload mass per flight [kg].

    Returns
    -------
    numpy.ndarray
        Compute power per launch [W].
    """
    return _f(payload_per_flight_kg) * budget.specific_power_w_per_kg


# ------------------------------------------------------------------------------------------
# registry-level wrapper (orbit figures from terawatt.physics.orbit)
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OrbitFigures:
    """The orbit quantities the budget needs, for one configured orbit."""

    altitude_m: float
    inclination_rad: float
    sun_synchronous: bool
    mean_sunlit_fraction: float
    min_sunlit_fraction: float
    max_eclipse_s: float
    orbital_period_s: float
    eclipse_days_per_year: float


def orbit_figures(altitude_m: float, inclination_rad: float | None,
                  ltan_h: float | None, constants: orbit.OrbitConstants) -> OrbitFigures:
    """Sunlit fraction, worst eclipse and period of a circular orbit (from orbit.py).

    ``inclination_rad=None`` means sun-synchronous at ``ltan_h`` (local time of the
    ascending node [h]); ``constants`` are the registry's
    (:meth:`terawatt.physics.orbit.OrbitConstants.from_registry`).
    """
    sso = inclination_rad is None
    inc = (float(orbit.sso_inclination_rad(altitude_m, constants=constants)) if sso
           else float(inclination_rad))  # type: ignore[arg-type]
    res = orbit.annual_sunlit_fraction(altitude_m, inc, ltan_h=ltan_h if sso else None,
                                       constants=constants)
    return OrbitFigures(
        altitude_m=float(altitude_m), inclination_rad=inc, sun_synchronous=sso,
        mean_sunlit_fraction=float(np.mean(res.mean_sunlit_fraction)),
        min_sunlit_fraction=float(np.min(res.min_sunlit_fraction)),
        max_eclipse_s=float(np.max(res.max_eclipse_duration_s)),
        orbital_period_s=float(np.mean(res.orbital_period_s)),
        eclipse_days_per_year=float(np.mean(res.eclipse_days_per_year)),
    )


def registry_orbit(reg: Registry) -> OrbitFigures:
    """The orbit configured by ``satellite.altitude``, ``satellite.sun_synchronous``,
    ``satellite.ltan`` and ``satellite.inclination``."""
    const = orbit.OrbitConstants.from_registry(reg)
    alt = reg.si("satellite.altitude")
    if reg.si("satellite.sun_synchronous") >= 0.5:
        return orbit_figures(alt, None, reg.value("satellite.ltan", "hour"), const)
    return orbit_figures(alt, reg.si("satellite.inclination"), None, const)


def satellite_from_registry(reg: Registry, generation: str = DEFAULT_GENERATION,
                            orbit_fig: OrbitFigures | None = None) -> SatelliteBudget:
    """The central-case satellite budget (n = 1) of a registry, orbit from orbit.py."""
    fig = orbit_fig if orbit_fig is not None else registry_orbit(reg)
    p = reg.sample(1, keys=satellite_keys(generation))
    return satellite_budget(p, fig.mean_sunlit_fraction, fig.max_eclipse_s,
                            fig.orbital_period_s, generation)
