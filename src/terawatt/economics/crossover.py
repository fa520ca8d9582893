"""Root-finding on the cost models: crossover time and break-even values of a driver.

Both scan a bracket for the first sign change of a scalar function and refine it with
Brent's method (:func:`scipy.optimize.brentq`), so a non-monotone function returns its first
root in the bracket and a function with no sign change returns ``None``.

References
----------
.. [1] R. P. Brent, *Algorithms for Minimization without Derivatives*, Prentice-Hall, 1973,
   ch. 4 (zero finding).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq


@dataclass(frozen=True, slots=True)
class Root:
    """A root of ``fn`` in [lo, hi]; ``value`` is None when ``fn`` keeps one sign there.

    ``sign_at_lo`` is the sign of ``fn(lo)`` (+1, 0 or -1), useful to say on which side of the
    root a condition holds.
    """

    value: float | None
    lo: float
    hi: float
    sign_at_lo: int
    evaluations: int


def first_root(
    fn: Callable[[float], float],
    lo: float,
    hi: float,
    *,
    n_scan: int = 16,
    log: bool = False,
    xtol: float = 1e-9,
    rtol: float = 1e-10,
) -> Root:
    """First zero crossing of ``fn`` on [lo, hi] (scan then Brent).

    Parameters
    ----------
    fn : callable
        Scalar function of one float.
    lo, hi : float
        Bracket, lo < hi (both > 0 when ``log``).
    n_scan : int
        Number of scan intervals (linear or logarithmic spacing).
    log : bool
        Scan on a logarithmic grid (for drivers spanning decades, e.g. USD/kg).
    xtol, rtol : float
        Tolerances passed to :func:`scipy.optimize.brentq`.

    Returns
    -------
    Root
    """
    if not lo < hi:
        raise ValueError(f"bracket [{lo}, {hi}] is empty")
    grid = np.geomspace(lo, hi, n_scan + 1) if log else np.linspace(lo, hi, n_scan + 1)
    calls = 0

    def f(x: float) -> float:
        nonlocal calls
        calls += 1
        return float(fn(float(x)))

    prev_x = float(grid[0])
    prev = f(prev_x)
    sign0 = int(np.sign(prev))
    if prev == 0.0:
        return Root(prev_x, lo, hi, 0, calls)
    for x in grid[1:]:
        cur = f(float(x))
        if cur == 0.0:
            return Root(float(x), lo, hi, sign0, calls)
        if np.sign(cur) != np.sign(prev) and np.isfinite(cur) and np.isfinite(prev):
            root = brentq(f, prev_x, float(x), xtol=xtol * max(1.0, abs(float(x))), rtol=rtol)
            return Root(float(root), lo, hi, sign0, calls)
        prev_x, prev = float(x), cur
    return Root(None, lo, hi, sign0, calls)


def crossover_year(
    diff: Callable[[float], float],
    first_year: float,
    last_year: float,
    *,
    n_scan: int | None = None,
) -> float | None:
    """Fractional year at which ``diff(t) = orbit cost - ground cost`` first turns <= 0.

    Parameters
    ----------
    diff : callable
        Cost difference as a continuous function of the (fractional) calendar year.
    first_year, last_year : float
        Years of the run.
    n_scan : int, optional
        Scan intervals (default: one per year).

    Returns
    -------
    float or None
        ``first_year`` if orbit is already no dearer then, the crossover time found by Brent's
        method, or None if orbit stays dearer through ``last_year``.
    """
    if diff(first_year) <= 0.0:
        return float(first_year)
    n = n_scan or max(1, int(round(last_year - first_year)))
    # xtol is relative to |x| ~ 2000: 1e-14 keeps the root within ~1e-11 yr (fast learning
    # makes the gap steep in time)
    root = first_root(diff, first_year, last_year, n_scan=n, xtol=1e-14)
    return root.value
