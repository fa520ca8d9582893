"""Radiators in low Earth orbit: net rejected heat flux, area and mass for a heat load.

A flat radiator panel of planform area ``A`` with ``sides`` radiating faces (1 or 2) emits
``sides * eps * sigma * (T^4 - T_sink^4)`` per m² of planform and absorbs, per m² of planform,

* direct sunlight on one face: ``alpha_s * S * cos(theta_sun)``,
* Earth albedo on every face: ``alpha_s * a * S * F_earth * f_alb``,
* Earth infrared on every face: ``eps * F_earth * OLR`` (IR absorptance = emittance, Kirchhoff),

where ``F_earth`` is the view factor from a face to the Earth and ``f_alb`` the orbit-average
fraction of the sub-solar albedo load. The panel is taken to stand with its faces parallel to
the nadir direction (edge-on to the Earth's centre), the usual geometry for free-standing
deployable radiators; each face then sees the Earth with the "vertical plate" view factor.

All functions are pure and numpy-vectorised, SI in and out.

References
----------
.. [1] D. G. Gilmore (ed.), *Spacecraft Thermal Control Handbook, Vol. I*, 2nd ed., The
   Aerospace Corporation / AIAA, 2002, ch. 2 (orbital environment, view factors to Earth).
   https://doi.org/10.2514/4.989117
.. [2] P. Fortescue, G. Swinerd, J. Stark (eds), *Spacecraft Systems Engineering*, 4th ed.,
   Wiley, 2011, ch. 11 (thermal control; Table 11.3 surface properties).
.. [3] Starcloud, "Why we should train AI in space" (white paper), 2024,
   https://starcloudinc.github.io/wp.pdf (633 W/m² net at 20 °C).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

#: Assumption keys read by :func:`radiator_sizing` (``thermal.toml``; the solar constant is
#: ``solar.solar_constant`` from ``solar.toml``, shared with the solar and satellite models).
RADIATOR_KEYS: tuple[str, ...] = (
    "thermal.stefan_boltzmann",
    "thermal.deep_space_temperature",
    "solar.solar_constant",
    "thermal.earth_olr",
    "thermal.earth_albedo",
    "thermal.earth_radius",
    "thermal.emissivity",
    "thermal.solar_absorptance",
    "thermal.albedo_illumination_factor",
    "thermal.sun_view_factor",
    "thermal.radiator_temperature",
    "thermal.radiator_sides",
    "thermal.radiator_areal_density",
    "thermal.loop_mass_fraction",
)


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def earth_view_factor_vertical_plate(altitude_m: ArrayLike,
                                     earth_radius_m: ArrayLike) -> FloatArray:
    """View factor from one face of a plate whose normal is horizontal to a spherical Earth.

    ``F = (arctan(1/sqrt(H²-1)) - sqrt(H²-1)/H²) / pi`` with ``H = (R + h) / R``; it tends to
    1/2 at the surface and to 0 far away.

    Parameters
    ----------
    altitude_m : array_like
        Altitude above the mean surface [m].
    earth_radius_m : array_like
        Earth radius [m].

    Returns
    -------
    numpy.ndarray
        View factor, one face to the Earth [dimensionless].

    References
    ----------
    .. [1] Gilmore (2002), Spacecraft Thermal Control Handbook Vol. I, ch. 2, view factor of a
       plate perpendicular to the local vertical ("vertical plate") to a sphere.
    """
    h = (_f(earth_radius_m) + _f(altitude_m)) / _f(earth_radius_m)
    root = np.sqrt(np.maximum(h * h - 1.0, 0.0))
    with np.errstate(divide="ignore"):
        return (np.arctan2(1.0, root) - root / (h * h)) / np.pi


def emitted_flux_w_per_m2(temp_k: ArrayLike, emissivity: ArrayLike, sides: ArrayLike,
                          stefan_boltzmann: ArrayLike, sink_temp_k: ArrayLike = 0.0) -> FloatArray:
    """Radiated flux per m² of planform: ``sides * eps * sigma * (T^4 - T_sink^4)``.

    Parameters
    ----------
    temp_k : array_like
        Radiating surface temperature [K].
    emissivity : array_like
        Hemispherical IR emittance [dimensionless].
    sides : array_like
        Radiating faces per panel, 1 or 2 [dimensionless].
    stefan_boltzmann : array_like
        Stefan-Boltzmann constant [W m^-2 K^-4].
    sink_temp_k : array_like, optional
        Background temperature [K]; 0 K by default (deep space at 2.7 K changes the flux by
        less than 1e-6 of it at room temperature).

    Returns
    -------
    numpy.ndarray
        Emitted flux per m² of planform [W/m²].

    References
    ----------
    .. [1] Fortescue et al. (2011), Spacecraft Systems Engineering, 4th ed., section 11.3.
    """
    t = _f(temp_k)
    ts = _f(sink_temp_k)
    return _f(sides) * _f(emissivity) * _f(stefan_boltzmann) * (t**4 - ts**4)


def absorbed_flux_w_per_m2(*, emissivity: ArrayLike, solar_absorptance: ArrayLike,
                           sides: ArrayLike, earth_view_factor: ArrayLike,
                           solar_irradiance_w_m2: ArrayLike, earth_olr_w_m2: ArrayLike,
                           earth_albedo: ArrayLike, albedo_illumination_factor: ArrayLike,
                           sun_view_factor: ArrayLike) -> FloatArray:
    """Environmental heat absorbed per m² of radiator planform (sun, albedo, Earth IR).

    Parameters
    ----------
    emissivity : array_like
        IR emittance = IR absorptance [dimensionless].
    solar_absorptance : array_like
        Solar absorptance of the coating [dimensionless].
    sides : array_like
        Radiating faces (each sees the Earth) [dimensionless].
    earth_view_factor : array_like
        View factor of one face to the Earth [dimensionless].
    solar_irradiance_w_m2 : array_like
        Solar irradiance at the spacecraft (AM0) [W/m²].
    earth_olr_w_m2 : array_like
        Earth outgoing long-wave radiation at the top of the atmosphere [W/m²].
    earth_albedo : array_like
        Earth Bond albedo [dimensionless].
    albedo_illumination_factor : array_like
        Orbit-average fraction of the sub-solar albedo load [dimensionless].
    sun_view_factor : array_like
        Cosine of the sun angle on the one sunlit face (0 = edge-on) [dimensionless].

    Returns
    -------
    numpy.ndarray
        Absorbed flux per m² of planform [W/m²].

    References
    ----------
    .. [1] Gilmore (2002), Spacecraft Thermal Control Handbook Vol. I, ch. 2 (environmental
       heat loads: direct solar, albedo, Earth IR).
    """
    s = _f(solar_irradiance_w_m2)
    f_e = _f(earth_view_factor)
    a_s = _f(solar_absorptance)
    direct = a_s * s * _f(sun_view_factor)
    albedo = a_s * _f(earth_albedo) * s * f_e * _f(albedo_illumination_factor)
    earth_ir = _f(emissivity) * f_e * _f(earth_olr_w_m2)
    return direct + _f(sides) * (albedo + earth_ir)


def radiator_area_m2(heat_w: ArrayLike, net_flux_w_m2: ArrayLike) -> FloatArray:
    """Planform area that rejects ``heat_w`` at a net flux (``inf`` if the flux is <= 0).

    Parameters
    ----------
    heat_w : array_like
        Heat load to reject [W].
    net_flux_w_m2 : array_like
        Net rejected flux per m² of planform [W/m²].

    Returns
    -------
    numpy.ndarray
        Radiator planform area [m²].

    References
    ----------
    .. [1] Fortescue et al. (2011), Spacecraft Systems Engineering, 4th ed., section 11.3.
    """
    q = _f(heat_w)
    net = _f(net_flux_w_m2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(net > 0, q / np.where(net > 0, net, 1.0), np.inf)


def radiator_mass_kg(area_m2: ArrayLike, areal_density_kg_m2: ArrayLike,
                     loop_mass_fraction: ArrayLike) -> FloatArray:
    """Radiator mass: panel area x areal density, plus the fluid loop as a fraction of it.

    Parameters
    ----------
    area_m2 : array_like
        Radiator planform area [m²].
    areal_density_kg_m2 : array_like
        Panel mass per m² of planform [kg/m²].
    loop_mass_fraction : array_like
        Cold plates, pumps, manifolds and fluid, as a fraction of panel mass [dimensionless].

    Returns
    -------
    numpy.ndarray
        Thermal-system mass [kg].

    References
    ----------
    .. [1] spacedc-mdao README (radiator areal mass 2-7 kg/m²), 2026,
       https://github.com/jman4162/spacedc-mdao
    """
    return _f(area_m2) * _f(areal_density_kg_m2) * (1.0 + _f(loop_mass_fraction))


@dataclass(frozen=True, slots=True)
class RadiatorSizing:
    """Radiator for a heat load (arrays broadcast over samples).

    Attributes: ``emitted_flux_w_per_m2``, ``absorbed_flux_w_per_m2``, ``net_flux_w_per_m2``
    (per m² of planform), ``earth_view_factor``, ``area_m2``, ``mass_kg``.
    """

    emitted_flux_w_per_m2: FloatArray
    absorbed_flux_w_per_m2: FloatArray
    net_flux_w_per_m2: FloatArray
    earth_view_factor: FloatArray
    area_m2: FloatArray
    mass_kg: FloatArray


def radiator_sizing(p: Mapping[str, ArrayLike], heat_w: ArrayLike,
                    altitude_m: ArrayLike) -> RadiatorSizing:
    """Size the radiator for ``heat_w`` with the ``thermal.*`` assumptions.

    Parameters
    ----------
    p : mapping
        SI arrays keyed by the assumption keys in :data:`RADIATOR_KEYS` (as returned by
        ``Registry.sample``).
    heat_w : array_like
        Heat load to reject [W].
    altitude_m : array_like
        Orbit altitude [m].

    Returns
    -------
    RadiatorSizing
        Fluxes [W/m²], Earth view factor [-], area [m²] and mass [kg].

    References
    ----------
    .. [1] Gilmore (2002), Spacecraft Thermal Control Handbook Vol. I, ch. 2.
    """
    f_e = earth_view_factor_vertical_plate(altitude_m, p["thermal.earth_radius"])
    emitted = emitted_flux_w_per_m2(p["thermal.radiator_temperature"], p["thermal.emissivity"],
                                    p["thermal.radiator_sides"], p["thermal.stefan_boltzmann"],
                                    p["thermal.deep_space_temperature"])
    absorbed = absorbed_flux_w_per_m2(
        emissivity=p["thermal.emissivity"],
        solar_absorptance=p["thermal.solar_absorptance"],
        sides=p["thermal.radiator_sides"],
        earth_view_factor=f_e,
        solar_irradiance_w_m2=p["solar.solar_constant"],
        earth_olr_w_m2=p["thermal.earth_olr"],
        earth_albedo=p["thermal.earth_albedo"],
        albedo_illumination_factor=p["thermal.albedo_illumination_factor"],
        sun_view_factor=p["thermal.sun_view_factor"],
    )
    net = emitted - absorbed
    area = radiator_area_m2(heat_w, net)
    mass = radiator_mass_kg(area, p["thermal.radiator_areal_density"],
                            p["thermal.loop_mass_fraction"])
    return RadiatorSizing(emitted, absorbed, net, _f(f_e), area, mass)
