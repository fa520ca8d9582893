"""Cost of delivered compute power in an orbital data centre.

Per watt of compute (accelerator) power in orbit: satellite manufacturing (bus, solar array
sized for the orbit's sunlit fraction, radiators, the accelerators at a flight premium), launch
(USD/kg over the system's specific power in W/kg), one-off insurance, annualised over the
satellite's design life, plus ground segment; divided by utilisation, by the fraction of the
year the compute runs (eclipses), by the average fraction of accelerators that survive
radiation and wear over the life (no repair in orbit) and by the fraction of the output the
downlink delivers (``costs.orbit.delivery_availability``, 1 unless a case says otherwise).

Pure, numpy-vectorised; SI in and out (USD/(W*s) = USD per W per second).

References
----------
.. [1] B. Aguera y Arcas et al., "Towards a future space-based, highly scalable AI
   infrastructure system design" (Project Suncatcher), arXiv:2511.19468, 2025, s2.4
   (launched-power price = specific mass x launch price / life).
.. [2] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (calculator), 2025,
   https://andrewmccalip.com/space-datacenters (satellite USD/W, GPU failure rate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from terawatt.economics.learning import capital_recovery_factor, mean_survival_fraction

FloatArray = NDArray[np.float64]

#: Assumption keys read by :func:`orbit_cost` (launch price and W/kg are passed in).
ORBIT_KEYS: tuple[str, ...] = (
    "economics.discount_rate",
    "economics.utilisation",
    "costs.ground.accelerators",
    "costs.orbit.bus",
    "costs.orbit.solar_array",
    "costs.orbit.radiator",
    "costs.orbit.compute_premium",
    "satellite.design_life",
    "orbital.failure_rate",
    "costs.orbit.ground_segment",
    "costs.orbit.insurance_rate",
    "costs.orbit.delivery_availability",
)


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class OrbitCost:
    """Orbital cost per W of compute power (arrays), SI.

    ``platform_usd_per_w`` (bus + array + radiators) and ``compute_usd_per_w`` make the
    satellite's manufacturing cost; ``launch_usd_per_w`` is launch price / specific power; the
    ``*_usd_per_w_s`` fields are annualised; ``delivered_usd_per_w_s`` is per W-second of
    compute actually delivered (after utilisation and failures).
    """

    platform_usd_per_w: FloatArray
    compute_usd_per_w: FloatArray
    launch_usd_per_w: FloatArray
    insurance_usd_per_w: FloatArray
    capex_usd_per_w: FloatArray
    annualised_usd_per_w_s: FloatArray
    ground_segment_usd_per_w_s: FloatArray
    survival_fraction: FloatArray
    delivered_usd_per_w_s: FloatArray


def launched_power_price_usd_per_w_s(
    specific_power_w_per_kg: ArrayLike, launch_usd_per_kg: ArrayLike, life_s: ArrayLike
) -> FloatArray:
    """Suncatcher's launched-power price: launch cost per W spread evenly over the life.

    Parameters
    ----------
    specific_power_w_per_kg : array_like
        Power per kg of launched satellite [W/kg].
    launch_usd_per_kg : array_like
        Launch price [USD/kg].
    life_s : array_like
        Satellite life [s].

    Returns
    -------
    numpy.ndarray
        Launch cost per W per second of life [USD/(W*s)] (x SECONDS_PER_YEAR x 1000 = USD/kW/yr).

    References
    ----------
    .. [1] Suncatcher (2025) s2.4: Starlink-v2-mini-like satellite, 5-yr life: ~14,700 USD/kW/yr
       at 3,600 USD/kg, ~810 at 200 USD/kg (launch only; no build, chips or ground).
    """
    return _f(launch_usd_per_kg) / _f(specific_power_w_per_kg) / _f(life_s)


def platform_capex_usd_per_w(
    p: Mapping[str, np.ndarray], array_w_per_compute_w: ArrayLike
) -> FloatArray:
    """Bus + solar array + radiators per W of compute [USD/W].

    Parameters
    ----------
    p : mapping
        SI arrays for :data:`ORBIT_KEYS`.
    array_w_per_compute_w : array_like
        Array power (BOL, in sunlight) per W of continuous compute [dimensionless]; > 1 because
        the array also charges batteries for eclipse and covers conversion losses.

    Returns
    -------
    numpy.ndarray
        Platform capex [USD/W of compute].
    """
    return (
        _f(p["costs.orbit.bus"])
        + _f(p["costs.orbit.solar_array"]) * _f(array_w_per_compute_w)
        + _f(p["costs.orbit.radiator"])
    )


def orbit_cost(
    p: Mapping[str, np.ndarray],
    *,
    launch_usd_per_kg: ArrayLike,
    specific_power_w_per_kg: ArrayLike,
    array_w_per_compute_w: ArrayLike,
    compute_availability: ArrayLike = 1.0,
    platform_usd_per_w: ArrayLike | None = None,
) -> OrbitCost:
    """Orbital cost of compute power per W, by component.

    Parameters
    ----------
    p : mapping
        Assumption key -> SI array for :data:`ORBIT_KEYS`.
    launch_usd_per_kg : array_like
        Launch price in the year of launch [USD/kg].
    specific_power_w_per_kg : array_like
        Compute power per kg of launched satellite (whole system) [W/kg].
    array_w_per_compute_w : array_like
        Array power per W of compute [dimensionless].
    compute_availability : array_like
        Fraction of the year the compute runs (sunlit fraction when it stops in eclipse)
        [dimensionless].
    platform_usd_per_w : array_like, optional
        Replace the bus + array + radiator cost (used by break-even solves) [USD/W].

    Returns
    -------
    OrbitCost
        Capex [USD/W], annualised [USD/(W*s)] and delivered cost.

    References
    ----------
    .. [1] Suncatcher (2025) s2.4; McCalip (2025).
    """
    if platform_usd_per_w is None:
        platform = platform_capex_usd_per_w(p, array_w_per_compute_w)
    else:
        platform = _f(platform_usd_per_w) * np.ones_like(_f(p["costs.orbit.bus"]))
    compute = _f(p["costs.ground.accelerators"]) * _f(p["costs.orbit.compute_premium"])
    launch = _f(launch_usd_per_kg) / _f(specific_power_w_per_kg)
    insurance = _f(p["costs.orbit.insurance_rate"]) * (platform + compute + launch)
    capex = platform + compute + launch + insurance
    life = _f(p["satellite.design_life"])
    annual = capex * capital_recovery_factor(p["economics.discount_rate"], life)
    ground = _f(p["costs.orbit.ground_segment"]) * np.ones_like(annual)
    survival = mean_survival_fraction(p["orbital.failure_rate"], life)
    delivered = (annual + ground) / (
        _f(p["economics.utilisation"])
        * survival
        * _f(compute_availability)
        * _f(p["costs.orbit.delivery_availability"])
    )
    return OrbitCost(
        platform_usd_per_w=platform,
        compute_usd_per_w=compute,
        launch_usd_per_w=launch,
        insurance_usd_per_w=insurance,
        capex_usd_per_w=capex,
        annualised_usd_per_w_s=annual,
        ground_segment_usd_per_w_s=ground,
        survival_fraction=survival,
        delivered_usd_per_w_s=delivered,
    )
