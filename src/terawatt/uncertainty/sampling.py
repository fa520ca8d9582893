"""Samples of every ranged assumption of a registry, each from its declared distribution.

The math (designs, inverse CDFs, :class:`Samples`) lives in
:mod:`terawatt.assumptions.sampling` so that ``Registry.sample`` shares the one code path;
this module adds the registry-level entry point. Methods: ``"random"`` (numpy Generator),
``"lhs"`` (``scipy.stats.qmc.LatinHypercube``), ``"sobol"`` (Saltelli design of
``SALib.sample.sobol.sample``: ``n`` is the base size N, a power of two, and the sample has
N*(k+2) rows, N*(2k+2) with ``calc_second_order=True``; analyse it with
:func:`terawatt.uncertainty.sensitivity.sobol_indices`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from terawatt.assumptions import Registry
from terawatt.assumptions.sampling import (
    DISTRIBUTIONS,
    METHODS,
    Marginal,
    Samples,
    draw,
    marginal,
    unit_design,
)

__all__ = ["DISTRIBUTIONS", "METHODS", "Marginal", "Samples", "draw", "marginal", "sample",
           "unit_design"]


def sample(reg: Registry, n: int, *, method: str = "random",
           rng: np.random.Generator | None = None, seed: int | None = None,
           keys: Iterable[str] | None = None, calc_second_order: bool = False) -> Samples:
    """Draw every ranged assumption of ``reg`` (or the ranged ones among ``keys``).

    Parameters
    ----------
    reg : Registry
        Resolved assumptions; only keys with a low < high range are sampled.
    n : int
        Number of draws [-] (for ``method="sobol"`` the base size N, a power of two).
    method : {"random", "lhs", "sobol"}
    rng, seed : give exactly one; the same seed gives the same samples.
    keys : optional subset of keys (those without a range are left out).
    calc_second_order : sobol only: add the rows for second-order indices.

    Returns
    -------
    Samples
        ``keys``, ``values_si`` (rows, k) [SI units], ``unit`` (rows, k) [-].
    """
    ranged = reg.ranged_keys() if keys is None else [k for k in keys if reg.get(k).has_range]
    margs = [marginal(reg.get(k)) for k in ranged]
    return draw(ranged, margs, n, method=method, rng=rng, seed=seed,
                calc_second_order=calc_second_order)
