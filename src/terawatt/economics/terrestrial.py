"""Cost of delivered compute power in a terrestrial AI data centre.

Per watt of IT (accelerator + server) power: annualised capital (accelerators over their life,
facility over its own), power (grid, on-site gas turbines, or solar + storage) for the energy
drawn at ``PUE x utilisation``, and other operating cost. Dividing by the utilisation gives the
cost per watt-second of *delivered* compute power. Pure, numpy-vectorised; SI in and out (a
cost per W per year is held as USD/(W*s) = USD/J).

References
----------
.. [1] Epoch AI, "Servers account for 60% of the total cost of ownership of a one-gigawatt AI
   data center", 2026, https://epoch.ai/data-insights/ai-datacenter-cost-breakdown
.. [2] A. McCalip, "Economics of Orbital vs Terrestrial Data Centers" (calculator), 2025,
   https://andrewmccalip.com/space-datacenters
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from terawatt.economics.learning import capital_recovery_factor

FloatArray = NDArray[np.float64]

FACILITY_KEYS: tuple[str, ...] = (
    "costs.ground.facility.electrical",
    "costs.ground.facility.mechanical",
    "costs.ground.facility.civil",
    "costs.ground.facility.network",
)

#: Assumption keys read by :func:`ground_cost`.
GROUND_KEYS: tuple[str, ...] = (
    "economics.discount_rate",
    "economics.utilisation",
    "economics.ground_power_option",
    "costs.ground.accelerators",
    "costs.ground.accelerator_life",
    *FACILITY_KEYS,
    "costs.ground.facility_life",
    "datacenter.pue",
    "datacenter.reserve_fraction",
    "costs.ground.other_opex",
    "costs.power.grid_price",
    "costs.power.turbine_capex",
    "costs.power.turbine_life",
    "costs.power.heat_rate",
    "costs.power.gas_price",
    "costs.power.solar_storage_lcoe",
)

POWER_OPTIONS: tuple[str, ...] = ("grid", "gas turbines", "solar + storage")


@dataclass(frozen=True, slots=True)
class GroundCost:
    """Terrestrial cost per W of IT power (arrays over samples), SI.

    ``capex_usd_per_w`` is the up-front capital (accelerators + facility + own power plant);
    the ``*_usd_per_w_s`` fields are annualised costs per W of IT capacity per second of
    calendar time, by component; ``delivered_usd_per_w_s`` divides their sum by the utilisation
    (cost per W-second of compute actually delivered).
    """

    capex_usd_per_w: FloatArray
    accelerators_usd_per_w_s: FloatArray
    facility_usd_per_w_s: FloatArray
    power_usd_per_w_s: FloatArray
    other_opex_usd_per_w_s: FloatArray
    total_usd_per_w_s: FloatArray
    delivered_usd_per_w_s: FloatArray
    power_option: NDArray[np.int64]


def facility_capex_usd_per_w(p: Mapping[str, np.ndarray]) -> FloatArray:
    """Shell, electrical, mechanical and network capex per W of IT power [USD/W] ([2])."""
    return np.sum([np.asarray(p[k], dtype=float) for k in FACILITY_KEYS], axis=0)


def power_cost_usd_per_w_s(
    p: Mapping[str, np.ndarray], option: np.ndarray
) -> tuple[FloatArray, FloatArray]:
    """Cost of power per W of IT power per second, and the power-plant capex per W of IT.

    The facility draws ``PUE x utilisation`` W per W of IT capacity on average.

    Parameters
    ----------
    p : mapping
        SI arrays for :data:`GROUND_KEYS`.
    option : numpy.ndarray
        0 grid, 1 on-site gas turbines, 2 solar + storage (see :data:`POWER_OPTIONS`).

    Returns
    -------
    tuple of numpy.ndarray
        (annualised power cost [USD/(W*s)], own power-plant capex [USD/W of IT]).

    References
    ----------
    .. [1] McCalip (2025): CCGT capex, heat rate, gas price; LCOE of the three options.
    """
    pue = np.asarray(p["datacenter.pue"], dtype=float)
    draw = pue * np.asarray(p["economics.utilisation"], dtype=float)  # W drawn per W of IT
    grid = draw * p["costs.power.grid_price"]
    plant_capex = (
        pue
        * (1.0 + np.asarray(p["datacenter.reserve_fraction"], dtype=float))
        * p["costs.power.turbine_capex"]
    )  # sized for the provisioned facility load
    gas = (
        plant_capex
        * capital_recovery_factor(p["economics.discount_rate"], p["costs.power.turbine_life"])
        + draw * p["costs.power.heat_rate"] * p["costs.power.gas_price"]
    )
    solar = draw * p["costs.power.solar_storage_lcoe"]
    cost = np.choose(option, [grid, gas, solar])
    capex = np.where(option == 1, plant_capex, 0.0)
    return np.asarray(cost, dtype=float), np.asarray(capex, dtype=float)


def ground_cost(p: Mapping[str, np.ndarray]) -> GroundCost:
    """Terrestrial cost of compute power per W of IT, by component.

    Parameters
    ----------
    p : mapping
        Assumption key -> SI array for every key in :data:`GROUND_KEYS`.

    Returns
    -------
    GroundCost
        Capex [USD/W] and annualised costs [USD/(W*s)] per W of IT capacity.

    References
    ----------
    .. [1] Epoch AI (2026): 1 GW IT, 38 B USD capex, 8.5 B USD/yr TCO with 5-yr IT and 14-yr
       facility lives.
    .. [2] McCalip (2025): facility components in USD/W, PUE, power options.
    """
    option = np.clip(
        np.rint(np.asarray(p["economics.ground_power_option"], dtype=float)), 0, 2
    ).astype(np.int64)
    r = p["economics.discount_rate"]
    accel = np.asarray(p["costs.ground.accelerators"], dtype=float)
    fac = facility_capex_usd_per_w(p)
    accel_a = accel * capital_recovery_factor(r, p["costs.ground.accelerator_life"])
    fac_a = fac * capital_recovery_factor(r, p["costs.ground.facility_life"])
    power_a, plant_capex = power_cost_usd_per_w_s(p, option)
    other = np.asarray(p["costs.ground.other_opex"], dtype=float) * np.ones_like(accel_a)
    total = accel_a + fac_a + power_a + other
    util = np.asarray(p["economics.utilisation"], dtype=float)
    return GroundCost(
        capex_usd_per_w=accel + fac + plant_capex,
        accelerators_usd_per_w_s=accel_a,
        facility_usd_per_w_s=fac_a,
        power_usd_per_w_s=power_a,
        other_opex_usd_per_w_s=other,
        total_usd_per_w_s=total,
        delivered_usd_per_w_s=total / util,
        power_option=option,
    )
