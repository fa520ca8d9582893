"""Launch: mass delivered to orbit per year, and the compute power that mass carries.

``mass_per_year = payload_per_flight * launches_per_year * (1 - failure_rate)``; compute
launched per year is that mass divided by the satellite's mass per watt of compute
(:func:`terawatt.physics.satellite.satellite_budget`). Pure, numpy-vectorised, SI units.

References
----------
.. [1] SpaceX, Falcon 9 vehicle page (22.8 t to LEO expendable),
   https://www.spacex.com/vehicles/falcon-9/
.. [2] B. Aguera y Arcas et al., "Towards a future space-based, highly scalable AI
   infrastructure system design" (Project Suncatcher), arXiv:2511.19468, 2025.
.. [3] SpaceX FCC application SAT-LOA-20260108-00016 (orbital data center; "100 kW/t",
   "1 Mt/yr -> 100 GW/yr"), 2026.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from terawatt.constants import SECONDS_PER_YEAR

FloatArray = NDArray[np.float64]

#: Assumption keys read by :func:`launch_budget`.
LAUNCH_KEYS: tuple[str, ...] = (
    "launch.payload_per_flight",
    "launch.launches_per_year",
    "launch.failure_rate",
)


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def mass_to_orbit_kg_per_s(payload_per_flight_kg: ArrayLike, launch_rate_per_s: ArrayLike,
                           failure_rate: ArrayLike) -> FloatArray:
    """Mass delivered to orbit per unit time.

    Parameters
    ----------
    payload_per_flight_kg : array_like
        Payload mass per flight [kg].
    launch_rate_per_s : array_like
        Flights per unit time [1/s] (the registry holds launches/yr; SI is 1/s).
    failure_rate : array_like
        Fraction of flights whose payload is lost [dimensionless].

    Returns
    -------
    numpy.ndarray
        Delivered mass rate [kg/s].

    References
    ----------
    .. [1] Suncatcher (arXiv:2511.19468, 2025), section 4.4: launched mass = flights x payload.
    """
    return _f(payload_per_flight_kg) * _f(launch_rate_per_s) * (1.0 - _f(failure_rate))


def compute_launched_w_per_s(mass_rate_kg_per_s: ArrayLike,
                             mass_per_compute_w_kg: ArrayLike) -> FloatArray:
    """Compute power delivered to orbit per unit time: mass rate / (kg per W of compute).

    Parameters
    ----------
    mass_rate_kg_per_s : array_like
        Delivered mass rate [kg/s].
    mass_per_compute_w_kg : array_like
        Satellite mass per watt of compute [kg/W].

    Returns
    -------
    numpy.ndarray
        Compute power launched per unit time [W/s].

    References
    ----------
    .. [1] SpaceX FCC application SAT-LOA-20260108-00016 (2026): "100 kW/t", "1 Mt/yr -> 100 GW/yr".
    """
    return _f(mass_rate_kg_per_s) / _f(mass_per_compute_w_kg)


def launches_needed_per_s(compute_w_per_s: ArrayLike, mass_per_compute_w_kg: ArrayLike,
                          payload_per_flight_kg: ArrayLike, failure_rate: ArrayLike) -> FloatArray:
    """Flights per unit time needed to deliver a compute-power rate (inverse of the above).

    Parameters
    ----------
    compute_w_per_s : array_like
        Compute power to deliver per unit time [W/s].
    mass_per_compute_w_kg : array_like
        Satellite mass per watt of compute [kg/W].
    payload_per_flight_kg : array_like
        Payload mass per flight [kg].
    failure_rate : array_like
        Fraction of flights lost [dimensionless].

    Returns
    -------
    numpy.ndarray
        Flight rate [1/s].
    """
    mass_rate = _f(compute_w_per_s) * _f(mass_per_compute_w_kg)
    return mass_rate / (_f(payload_per_flight_kg) * (1.0 - _f(failure_rate)))


@dataclass(frozen=True, slots=True)
class LaunchBudget:
    """Launch capacity (arrays over samples), SI: ``payload_per_flight_kg``,
    ``launch_rate_per_s``, ``failure_rate``, ``mass_to_orbit_kg_per_s``; the per-year views
    ``launches_per_year`` and ``mass_to_orbit_kg_per_yr`` use the Julian year (365.25 d)."""

    payload_per_flight_kg: FloatArray
    launch_rate_per_s: FloatArray
    failure_rate: FloatArray
    mass_to_orbit_kg_per_s: FloatArray

    @property
    def launches_per_year(self) -> FloatArray:
        return self.launch_rate_per_s * SECONDS_PER_YEAR

    @property
    def mass_to_orbit_kg_per_yr(self) -> FloatArray:
        return self.mass_to_orbit_kg_per_s * SECONDS_PER_YEAR


def launch_budget(p: Mapping[str, ArrayLike]) -> LaunchBudget:
    """Launch capacity from the ``launch.*`` assumptions.

    Parameters
    ----------
    p : mapping
        SI arrays keyed by :data:`LAUNCH_KEYS` (as ``Registry.sample`` returns):
        payload per flight [kg], launches per year in SI [1/s], failure rate [-].

    Returns
    -------
    LaunchBudget
        Payload, cadence and delivered mass rate [kg/s].
    """
    payload = _f(p["launch.payload_per_flight"])
    rate = _f(p["launch.launches_per_year"])
    fail = _f(p["launch.failure_rate"])
    return LaunchBudget(payload, rate, fail, mass_to_orbit_kg_per_s(payload, rate, fail))
