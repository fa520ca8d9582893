"""Terrestrial AI data center: facility power from the accelerator count.

Per accelerator, the rack draws the GPU's TDP plus its share of the host (CPU, memory, NICs,
DPU) and of the in-rack NVLink switches, divided by the rack power-shelf efficiency; the
scale-out network adds a fraction of that; cooling and power distribution multiply by the PUE;
a maintenance/generation reserve (N+1) adds a fraction of provisioned capacity::

    rack_it_w      = gpus_per_rack * (tdp + host + switch) / eta_shelf
    it_w           = n * (tdp + host + switch) / eta_shelf * (1 + f_network)
    facility_w     = it_w * PUE * (1 + f_reserve)

Pure, numpy-vectorised, SI units; the generation (``"gb300"``) selects the
``compute.<generation>.*`` assumptions.

References
----------
.. [1] introl.com, "Why the NVIDIA GB300 NVL72 (Blackwell Ultra) matters" (2025): ~120 kW
   per rack; 18 compute trays ~6.5 kW, 9 switch trays 3.6 kW.
.. [2] Supermicro Blackwell solutions brochure via serversimply.com (2025): GB300 NVL72
   operating power ~132-140 kW per rack, 8 x 33 kW power shelves.
.. [3] Uptime Institute, Global Data Center Survey 2024 (average PUE 1.56).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

#: The accelerator generation used when none is given.
DEFAULT_GENERATION = "gb300"


def datacenter_keys(generation: str = DEFAULT_GENERATION) -> tuple[str, ...]:
    """Assumption keys read by :func:`datacenter_power` for an accelerator generation."""
    g = f"compute.{generation}"
    return (f"{g}.gpu_tdp", f"{g}.gpus_per_rack", f"{g}.host_power_per_gpu",
            f"{g}.switch_power_per_gpu", f"{g}.rack_power_conversion_efficiency",
            "datacenter.pue", "datacenter.network_power_fraction", "datacenter.reserve_fraction")


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def accelerator_it_power_w(gpu_tdp_w: ArrayLike, host_power_w: ArrayLike,
                           switch_power_w: ArrayLike,
                           conversion_efficiency: ArrayLike) -> FloatArray:
    """In-rack IT power drawn per accelerator (at the rack's AC input).

    Parameters
    ----------
    gpu_tdp_w : array_like
        Accelerator thermal design power [W].
    host_power_w : array_like
        Host share per accelerator: CPU, memory, NICs, DPU, storage, fans [W].
    switch_power_w : array_like
        In-rack scale-up switch share per accelerator [W].
    conversion_efficiency : array_like
        Rack power-shelf AC->DC efficiency [dimensionless].

    Returns
    -------
    numpy.ndarray
        IT power per accelerator [W].

    References
    ----------
    .. [1] introl.com (2025), GB300 NVL72 rack dissection (compute and switch tray power).
    """
    return (_f(gpu_tdp_w) + _f(host_power_w) + _f(switch_power_w)) / _f(conversion_efficiency)


def facility_power_from_it_w(it_power_w: ArrayLike, pue: ArrayLike,
                             reserve_fraction: ArrayLike) -> FloatArray:
    """Facility (grid) power: IT power x PUE x (1 + reserve).

    Parameters
    ----------
    it_power_w : array_like
        IT power [W].
    pue : array_like
        Power usage effectiveness [dimensionless], >= 1.
    reserve_fraction : array_like
        Maintenance / generation reserve as a fraction of load [dimensionless].

    Returns
    -------
    numpy.ndarray
        Provisioned facility power [W].

    References
    ----------
    .. [1] The Green Grid, "PUE: a comprehensive examination of the metric", White Paper 49, 2012.
    """
    return _f(it_power_w) * _f(pue) * (1.0 + _f(reserve_fraction))


@dataclass(frozen=True, slots=True)
class DatacenterPower:
    """Power of a terrestrial cluster, arrays over samples [W]: ``rack_it_power_w`` (one
    rack), ``it_power_per_accelerator_w`` (incl. scale-out network),
    ``facility_power_per_accelerator_w``, and ``facility_power_w`` for ``n_accelerators``."""

    rack_it_power_w: FloatArray
    it_power_per_accelerator_w: FloatArray
    facility_power_per_accelerator_w: FloatArray
    n_accelerators: FloatArray
    facility_power_w: FloatArray


def datacenter_power(n_accelerators: ArrayLike, p: Mapping[str, ArrayLike],
                     generation: str = DEFAULT_GENERATION) -> DatacenterPower:
    """Facility power for ``n_accelerators`` of a generation.

    Parameters
    ----------
    n_accelerators : array_like
        Number of accelerators [-].
    p : mapping
        SI arrays keyed by :func:`datacenter_keys` (as ``Registry.sample`` returns).
    generation : str
        Accelerator generation, selects ``compute.<generation>.*``.

    Returns
    -------
    DatacenterPower
        Rack, per-accelerator and facility power [W].
    """
    g = f"compute.{generation}"
    per_acc_rack = accelerator_it_power_w(p[f"{g}.gpu_tdp"], p[f"{g}.host_power_per_gpu"],
                                          p[f"{g}.switch_power_per_gpu"],
                                          p[f"{g}.rack_power_conversion_efficiency"])
    rack = per_acc_rack * _f(p[f"{g}.gpus_per_rack"])
    it_per_acc = per_acc_rack * (1.0 + _f(p["datacenter.network_power_fraction"]))
    fac_per_acc = facility_power_from_it_w(it_per_acc, p["datacenter.pue"],
                                           p["datacenter.reserve_fraction"])
    n = _f(n_accelerators)
    return DatacenterPower(rack, it_per_acc, fac_per_acc, n, n * fac_per_acc)


def facility_power_w(n_accelerators: ArrayLike, p: Mapping[str, ArrayLike],
                     generation: str = DEFAULT_GENERATION) -> FloatArray:
    """Provisioned facility power for ``n_accelerators`` [W] (see :func:`datacenter_power`)."""
    return datacenter_power(n_accelerators, p, generation).facility_power_w
