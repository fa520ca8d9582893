"""The sampling math: unit-hypercube designs and each distribution's inverse CDF.

This is the one code path through which every random draw over the assumption ranges goes
(``Registry.sample``, the costs Monte Carlo, :mod:`terawatt.uncertainty.sampling`). It sits in
the assumptions layer so that the registry can use it; it knows nothing of the registry itself
(it takes :class:`Marginal` objects).

A design is drawn on the unit hypercube ``[0, 1)^k`` by one of :data:`METHODS` and mapped
column by column through the inverse CDF of each input's distribution:

- ``"random"``: independent uniforms from the ``numpy.random.Generator`` passed in;
- ``"lhs"``: Latin hypercube (``scipy.stats.qmc.LatinHypercube``, McKay et al. 1979);
- ``"sobol"``: Saltelli's extension of the scrambled Sobol' sequence
  (``SALib.sample.sobol.sample``) for Sobol' index estimation. ``n`` is the base sample size
  ``N`` and must be a power of two; the design has ``N * (k + 2)`` rows, or ``N * (2k + 2)``
  with ``calc_second_order=True``.

References
----------
Saltelli, A. et al. (2008). Global Sensitivity Analysis: The Primer. Wiley.
doi:10.1002/9780470725184
McKay, M. D., Beckman, R. J., Conover, W. J. (1979). A comparison of three methods for
selecting values of input variables in the analysis of output from a computer code.
Technometrics 21(2), 239-245. doi:10.2307/1268522
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats
from scipy.stats import qmc

from terawatt.assumptions.schema import DISTRIBUTIONS, Assumption
from terawatt.errors import UserError

#: names of the unit-hypercube designs
METHODS: tuple[str, ...] = ("random", "lhs", "sobol")

__all__ = ["DISTRIBUTIONS", "METHODS", "Marginal", "Samples", "draw", "marginal", "unit_design"]


# --------------------------------------------------------------------------------------------
# distributions
# --------------------------------------------------------------------------------------------
def _ppf_uniform(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    return np.asarray(stats.uniform(loc=low, scale=high - low).ppf(u))


def _ppf_triangular(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    c = (mode - low) / (high - low)
    return np.asarray(stats.triang(c, loc=low, scale=high - low).ppf(u))


def _ppf_loguniform(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    return np.asarray(stats.loguniform(low, high).ppf(u))


_PPF: dict[str, Callable[[np.ndarray, float, float, float], np.ndarray]] = {
    "uniform": _ppf_uniform,
    "triangular": _ppf_triangular,
    "loguniform": _ppf_loguniform,
}


@dataclass(frozen=True, slots=True)
class Marginal:
    """One uncertain input: ``low <= mode <= high`` (SI units) and its distribution.

    ``mode`` is the assumption's value; it shapes only the triangular distribution.
    """

    low: float
    mode: float
    high: float
    distribution: str = "uniform"

    def __post_init__(self) -> None:
        if self.distribution not in _PPF:
            raise UserError(f"distribution {self.distribution!r} is unknown "
                            f"(allowed: {', '.join(DISTRIBUTIONS)})")
        if not all(math.isfinite(v) for v in (self.low, self.mode, self.high)):
            raise UserError(f"marginal bounds must be finite, got {self.low}, {self.high}")
        if not self.low < self.high:
            raise UserError(f"marginal needs low < high, got low = {self.low:g}, "
                            f"high = {self.high:g}")
        if not self.low <= self.mode <= self.high:
            raise UserError(f"marginal mode {self.mode:g} is outside [{self.low:g}, "
                            f"{self.high:g}]")
        if self.distribution == "loguniform" and self.low <= 0:
            raise UserError(f"loguniform needs low > 0, got low = {self.low:g}")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF: map ``u`` in [0, 1] [-] to values in SI units."""
        return _PPF[self.distribution](np.asarray(u, dtype=float), self.low, self.mode,
                                       self.high)


def marginal(a: Assumption) -> Marginal:
    """The marginal of a ranged assumption, in SI units, with its declared distribution."""
    return Marginal(a.si_low, a.si, a.si_high, a.sampling_distribution)


# --------------------------------------------------------------------------------------------
# unit-hypercube designs
# --------------------------------------------------------------------------------------------
def _design_random(n: int, k: int, rng: np.random.Generator,
                   calc_second_order: bool) -> np.ndarray:
    # (k, n) drawn and transposed: each input's column is contiguous, so the inverse CDF can
    # overwrite it in place and the per-key arrays are views (one float64 per key and draw)
    return rng.random((k, n)).T


_LHS_RNG_KW = "rng" if "rng" in inspect.signature(qmc.LatinHypercube).parameters else "seed"


def _design_lhs(n: int, k: int, rng: np.random.Generator, calc_second_order: bool) -> np.ndarray:
    sampler = qmc.LatinHypercube(d=k, **{_LHS_RNG_KW: rng})
    return np.asarray(sampler.random(n))


def _design_sobol(n: int, k: int, rng: np.random.Generator,
                  calc_second_order: bool) -> np.ndarray:
    if n & (n - 1):
        raise UserError(f"sampling method 'sobol': n = {n}; allowed: a power of two "
                        "(the base sample size N; the design has N*(k+2) rows, "
                        "N*(2k+2) with second-order indices)")
    from SALib.sample import sobol as salib_sobol  # heavy import, only when asked for

    problem = {"num_vars": k, "names": [f"x{i}" for i in range(k)], "bounds": [[0.0, 1.0]] * k}
    seed = int(rng.integers(2**32))
    return np.asarray(salib_sobol.sample(problem, n, calc_second_order=calc_second_order,
                                         scramble=True, seed=seed))


_DESIGNS: dict[str, Callable[[int, int, np.random.Generator, bool], np.ndarray]] = {
    "random": _design_random,
    "lhs": _design_lhs,
    "sobol": _design_sobol,
}


def unit_design(n: int, k: int, method: str, rng: np.random.Generator, *,
                calc_second_order: bool = False) -> np.ndarray:
    """A design on the unit hypercube: (n, k), or (N*(k+2), k) / (N*(2k+2), k) for sobol."""
    if method not in _DESIGNS:
        raise UserError(f"sampling method {method!r} is unknown (allowed: {', '.join(METHODS)})")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise UserError(f"number of samples n = {n!r}; allowed: an integer >= 1")
    if k < 1:
        raise UserError("nothing to sample: no input carries a low/high range")
    return _DESIGNS[method](int(n), int(k), rng, calc_second_order)


# --------------------------------------------------------------------------------------------
# a drawn sample
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Samples:
    """Draws of ``keys``: ``values_si`` (rows, k) in SI units and ``unit`` (rows, k) in [0, 1]
    (``unit`` is None when the draw was made with ``keep_unit=False`` to save memory).

    ``n`` is the requested sample size; for ``method == "sobol"`` it is the base size N and
    ``rows`` is N*(k+2) (N*(2k+2) with ``calc_second_order``).
    """

    keys: tuple[str, ...]
    values_si: np.ndarray
    unit: np.ndarray | None
    marginals: tuple[Marginal, ...]
    method: str
    n: int
    calc_second_order: bool = False

    def __post_init__(self) -> None:
        k = len(self.keys)
        if self.values_si.ndim != 2 or self.values_si.shape[1] != k:
            raise ValueError(f"values_si has shape {self.values_si.shape}, expected (rows, {k})")
        if self.unit is not None and self.unit.shape != self.values_si.shape:
            raise ValueError("unit and values_si differ in shape")
        if len(self.marginals) != k:
            raise ValueError("one marginal per key is needed")

    @property
    def rows(self) -> int:
        return int(self.values_si.shape[0])

    def column(self, key: str) -> np.ndarray:
        """The SI draws of ``key``, shape (rows,)."""
        return self.values_si[:, self.keys.index(key)]

    def as_dict(self) -> dict[str, np.ndarray]:
        """``{key: SI array (rows,)}``, the form the vectorised models take (views, no copy)."""
        return {k: self.values_si[:, i] for i, k in enumerate(self.keys)}

    def salib_problem(self) -> dict[str, Any]:
        """The SALib problem spec of this sample (on the unit hypercube), for its analysers."""
        return {"num_vars": len(self.keys), "names": list(self.keys),
                "bounds": [[0.0, 1.0]] * len(self.keys)}


def draw(keys: Sequence[str], marginals: Sequence[Marginal], n: int, *,
         method: str = "random", rng: np.random.Generator | None = None,
         seed: int | None = None, calc_second_order: bool = False,
         keep_unit: bool = True) -> Samples:
    """Draw ``n`` samples of ``keys`` (one :class:`Marginal` each) by ``method``.

    Give either ``rng`` (a ``numpy.random.Generator``) or ``seed``; same seed, same samples.
    ``keep_unit=False`` maps the unit design in place (half the memory; ``Samples.unit`` is
    None).
    """
    if (rng is None) == (seed is None):
        raise ValueError("give exactly one of rng (a numpy Generator) or seed")
    if rng is None:
        rng = np.random.default_rng(seed)
    keys = tuple(keys)
    marginals = tuple(marginals)
    if len(keys) != len(marginals):
        raise ValueError("one marginal per key is needed")
    u = unit_design(n, len(keys), method, rng, calc_second_order=calc_second_order)
    values = u if not keep_unit else np.empty_like(u, order="F")
    for j, m in enumerate(marginals):
        values[:, j] = m.ppf(u[:, j])
    return Samples(keys, values, u if keep_unit else None, marginals, method, int(n),
                   calc_second_order)
