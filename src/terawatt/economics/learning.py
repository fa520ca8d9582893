"""Learning curves and financing: Wright's law, bottom-up reusable-launch cost, capital recovery.

References
----------
.. [1] T. P. Wright, "Factors affecting the cost of airplanes", J. Aeronautical Sciences 3(4),
   122-128, 1936. https://doi.org/10.2514/8.155
.. [2] B. Aguera y Arcas et al., "Towards a future space-based, highly scalable AI
   infrastructure system design" (Project Suncatcher), arXiv:2511.19468, 2025, s2.4 and s4.4.
.. [3] W. Short, D. J. Packey, T. Holt, "A Manual for the Economic Evaluation of Energy
   Efficiency and Renewable Energy Technologies", NREL/TP-462-5173, 1995 (capital recovery
   factor). https://www.nrel.gov/docs/legosti/old/5173.pdf
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from terawatt.constants import SECONDS_PER_YEAR

FloatArray = NDArray[np.float64]


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def wright_exponent(learning_rate: ArrayLike) -> FloatArray:
    """Exponent ``b`` of Wright's law ``c = c0 (Q/Q0)^-b`` for a learning rate per doubling.

    Parameters
    ----------
    learning_rate : array_like
        Fractional cost drop per doubling of cumulative output, in [0, 1) [dimensionless].

    Returns
    -------
    numpy.ndarray
        ``b = -log2(1 - learning_rate)`` [dimensionless].

    References
    ----------
    .. [1] Wright (1936).
    """
    return -np.log2(1.0 - _f(learning_rate))


def wright_cost(
    cost0: ArrayLike, cumulative: ArrayLike, cumulative0: ArrayLike, learning_rate: ArrayLike
) -> FloatArray:
    """Unit cost after ``cumulative`` units when it was ``cost0`` at ``cumulative0``.

    Parameters
    ----------
    cost0 : array_like
        Unit cost at the reference cumulative output [any unit, e.g. USD/kg].
    cumulative : array_like
        Cumulative output [same count unit as ``cumulative0``].
    cumulative0 : array_like
        Reference cumulative output, > 0.
    learning_rate : array_like
        Cost drop per doubling [dimensionless].

    Returns
    -------
    numpy.ndarray
        Unit cost [unit of ``cost0``]; each doubling multiplies it by ``1 - learning_rate``.

    References
    ----------
    .. [1] Wright (1936); Suncatcher (2025) s2.4 fits ~20 % per doubling to SpaceX launch prices.
    """
    ratio = np.maximum(_f(cumulative), 1e-300) / _f(cumulative0)
    return _f(cost0) * ratio ** (-wright_exponent(learning_rate))


def reusable_launch_cost_usd_per_kg(
    vehicle_cost_usd_per_kg: ArrayLike,
    reuses: ArrayLike,
    refurbishment: ArrayLike,
    propellant_usd_per_kg: ArrayLike,
) -> FloatArray:
    """Bottom-up cost of a reusable launch per kg of payload.

    ``hardware / reuses + refurbishment * hardware + propellant``.

    Parameters
    ----------
    vehicle_cost_usd_per_kg : array_like
        Vehicle hardware cost per kg of payload if flown once [USD/kg].
    reuses : array_like
        Flights per vehicle, >= 1 [dimensionless].
    refurbishment : array_like
        Refurbishment cost per flight as a fraction of the hardware cost [dimensionless].
    propellant_usd_per_kg : array_like
        Propellant cost per kg of payload [USD/kg].

    Returns
    -------
    numpy.ndarray
        Launch cost [USD/kg].

    References
    ----------
    .. [1] Suncatcher (2025) s4.4: Starship ~460 USD/kg expendable, <= 60 USD/kg at 10x reuse,
       <= 15 USD/kg at 100x, propellant floor ~8 USD/kg.
    """
    hw = _f(vehicle_cost_usd_per_kg)
    return hw / np.maximum(_f(reuses), 1.0) + _f(refurbishment) * hw + _f(propellant_usd_per_kg)


def capital_recovery_factor(rate: ArrayLike, life_s: ArrayLike) -> FloatArray:
    """Annuity per unit of capital: ``r (1+r)^n / ((1+r)^n - 1)`` per year, returned per second.

    Parameters
    ----------
    rate : array_like
        Discount rate per year [dimensionless]; 0 gives straight-line ``1/n``.
    life_s : array_like
        Economic life [s].

    Returns
    -------
    numpy.ndarray
        Capital recovery factor [1/s] (multiply by
        :data:`terawatt.constants.SECONDS_PER_YEAR` for the usual per-year value).

    References
    ----------
    .. [1] Short, Packey & Holt (1995), NREL/TP-462-5173, eq. 4-3.
    """
    r = _f(rate)
    n = _f(life_s) / SECONDS_PER_YEAR
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (1.0 + r) ** n
        crf = np.where(np.abs(r) < 1e-12, 1.0 / n, r * g / (g - 1.0))
    return crf / SECONDS_PER_YEAR


def mean_survival_fraction(failure_rate_per_s: ArrayLike, life_s: ArrayLike) -> FloatArray:
    """Time-averaged fraction of units still working over a life with a constant failure rate.

    ``(1 - exp(-lambda T)) / (lambda T)``; 1 when ``lambda T`` = 0.

    Parameters
    ----------
    failure_rate_per_s : array_like
        Failure rate [1/s].
    life_s : array_like
        Service life [s].

    Returns
    -------
    numpy.ndarray
        Average surviving fraction [dimensionless].

    References
    ----------
    .. [1] P. D. T. O'Connor, A. Kleyner, *Practical Reliability Engineering*, 5th ed., Wiley,
       2012, ch. 2 (constant hazard rate, exponential survival).
    """
    x = _f(failure_rate_per_s) * _f(life_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x < 1e-9, 1.0 - x / 2.0, -np.expm1(-x) / x)
