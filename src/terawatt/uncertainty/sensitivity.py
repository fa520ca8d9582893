"""Variance-based (Sobol') sensitivity indices, the analysis half of the ``"sobol"`` design.

:func:`sobol_indices` wraps ``SALib.analyze.sobol.analyze`` (Saltelli 2002 / Jansen 1999
estimators, bootstrap confidence intervals); :func:`sobol_convergence` recomputes the indices
on the leading N' = 2^8, 2^9, ... base points of the same design (the Saltelli design stores
each base point's k+2 (or 2k+2) rows together, and a power-of-two prefix of a Sobol' sequence
is itself balanced), to show whether the estimates have settled.

References
----------
Saltelli, A. et al. (2008). Global Sensitivity Analysis: The Primer. Wiley.
doi:10.1002/9780470725184
Saltelli, A. et al. (2010). Variance based sensitivity analysis of model output. Design and
estimator for the total sensitivity index. Comput. Phys. Commun. 181, 259-270.
doi:10.1016/j.cpc.2009.09.018
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from terawatt.assumptions.sampling import Samples
from terawatt.errors import UserError

__all__ = ["SobolIndices", "sobol_convergence", "sobol_indices"]


@dataclass(frozen=True, slots=True)
class SobolIndices:
    """First-order (``s1``) and total (``st``) indices [-] per input, with the half-widths of
    their bootstrap confidence intervals at ``conf_level`` (``s1_conf``, ``st_conf``).
    ``s2``/``s2_conf`` (k, k) only when the design had second-order rows."""

    names: tuple[str, ...]
    s1: np.ndarray
    s1_conf: np.ndarray
    st: np.ndarray
    st_conf: np.ndarray
    n_base: int
    conf_level: float
    s2: np.ndarray | None = None
    s2_conf: np.ndarray | None = None

    def __post_init__(self) -> None:
        k = len(self.names)
        for name in ("s1", "s1_conf", "st", "st_conf"):
            if getattr(self, name).shape != (k,):
                raise ValueError(f"{name} must have shape ({k},)")

    def as_dict(self) -> dict[str, dict[str, float]]:
        """``{name: {"S1", "S1_conf", "ST", "ST_conf"}}`` for JSON output."""
        return {n: {"S1": float(self.s1[i]), "S1_conf": float(self.s1_conf[i]),
                    "ST": float(self.st[i]), "ST_conf": float(self.st_conf[i])}
                for i, n in enumerate(self.names)}


def _rows_per_base(samples: Samples) -> int:
    k = len(samples.keys)
    return 2 * k + 2 if samples.calc_second_order else k + 2


def sobol_indices(samples: Samples, y: np.ndarray, *, n_boot: int = 1000,
                  conf_level: float = 0.95, seed: int | None = None,
                  n_base: int | None = None) -> SobolIndices:
    """Sobol' indices of output ``y`` (one value per row of a ``"sobol"`` sample).

    Parameters
    ----------
    samples : Samples
        Drawn with ``method="sobol"``.
    y : array (rows,)
        Model output for each row [any unit].
    n_boot : int
        Bootstrap resamples for the confidence intervals [-].
    conf_level : float
        Confidence level of the intervals [-].
    seed : int, optional
        Seed of the bootstrap (same seed, same intervals).
    n_base : int, optional
        Use only the first ``n_base`` base points (a power of two <= samples.n).
    """
    if samples.method != "sobol":
        raise UserError(f"Sobol' indices need a 'sobol' sample, got method {samples.method!r}")
    y = np.asarray(y, dtype=float).reshape(-1)
    if y.shape[0] != samples.rows:
        raise UserError(f"output has {y.shape[0]} values; the sample has {samples.rows} rows")
    if not np.all(np.isfinite(y)):
        raise UserError("output has non-finite values; Sobol' indices need finite outputs")
    n_base = samples.n if n_base is None else int(n_base)
    if not 1 <= n_base <= samples.n or n_base & (n_base - 1):
        raise UserError(f"n_base = {n_base}; allowed: a power of two <= {samples.n}")
    y = y[: n_base * _rows_per_base(samples)]
    from SALib.analyze import sobol as salib_sobol  # heavy import, only when asked for

    # SALib seeds its bootstrap only for a truthy seed, so seed 0 gave different intervals on
    # every call: hand it a non-zero seed derived from ours (same seed, same intervals)
    if seed is not None:
        seed = int(np.random.SeedSequence(seed).generate_state(1)[0]) or 1
    res = salib_sobol.analyze(samples.salib_problem(), y,
                              calc_second_order=samples.calc_second_order,
                              num_resamples=n_boot, conf_level=conf_level,
                              print_to_console=False, seed=seed)
    s2 = s2_conf = None
    if samples.calc_second_order:
        s2, s2_conf = np.asarray(res["S2"]), np.asarray(res["S2_conf"])
    return SobolIndices(samples.keys, np.asarray(res["S1"]), np.asarray(res["S1_conf"]),
                        np.asarray(res["ST"]), np.asarray(res["ST_conf"]), n_base, conf_level,
                        s2, s2_conf)


def sobol_convergence(samples: Samples, y: np.ndarray, *, start: int = 256, n_boot: int = 200,
                      conf_level: float = 0.95, seed: int | None = None) -> list[SobolIndices]:
    """Indices at N' = ``start``, 2*start, ..., samples.n base points of the same design."""
    if start < 1 or start & (start - 1):
        raise UserError(f"start = {start}; allowed: a power of two")
    out = []
    n = start
    while n <= samples.n:
        out.append(sobol_indices(samples, y, n_boot=n_boot, conf_level=conf_level, seed=seed,
                                 n_base=n))
        n *= 2
    if not out:
        raise UserError(f"start = {start} is above the sample's base size {samples.n}")
    return out
