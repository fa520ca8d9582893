"""Exogenous capacity ramps of the stack model's sectors, vectorised over (time, samples).

Every function here is pure numpy: time enters as a column ``year`` of shape (T, 1) (calendar
years, the mid-point convention is "start of the step"), parameters as SI arrays of shape (n,)
from :meth:`terawatt.assumptions.Registry.sample`; results have shape (T, n). The time loop in
:mod:`terawatt.stack.model` only handles the stocks (pools, backlogs, satellites); everything
that does not depend on a stock is computed here in one shot.

Ramp convention (:func:`ramp`): a capacity is log-linear between ``base`` at ``base_year`` and
``target`` at ``target_year`` (compound growth, as in Wright/Moore-style extrapolations; Nagy et
al. 2013 find production grows exponentially), then grows at ``growth_after`` per year; before
``base_year`` it stays at ``base`` (so raising any ramp parameter never lowers a capacity).

References
----------
.. [1] B. Nagy, J. D. Farmer, Q. M. Bui, J. E. Trancik, "Statistical Basis for Predicting
   Technological Progress", PLOS ONE 8(2): e52669, 2013. doi:10.1371/journal.pone.0052669
.. [2] Epoch AI, "Can AI scaling continue through 2030?", 2024 (power, chips, packaging and HBM
   as separate constraints). https://epoch.ai/blog/can-ai-scaling-continue-through-2030
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from terawatt.constants import SECONDS_PER_YEAR

FloatArray = NDArray[np.float64]

#: the suffixes of the five keys that define one ramp
RAMP_FIELDS: tuple[str, ...] = ("base", "base_year", "target", "target_year", "growth_after")


def ramp_keys(prefix: str) -> tuple[str, ...]:
    """Assumption keys of the ramp stored under ``prefix`` (e.g. ``"pvmfg.global"``)."""
    return tuple(f"{prefix}.{f}" for f in RAMP_FIELDS)


def ramp(year: FloatArray, base: FloatArray, base_year_s: FloatArray, target: FloatArray,
         target_year_s: FloatArray, growth_after_per_s: FloatArray) -> FloatArray:
    """A capacity that grows log-linearly from ``base`` to ``target``, then at a steady rate.

    Parameters
    ----------
    year : numpy.ndarray
        Calendar year of each step, shape (T, 1) [year].
    base, target : numpy.ndarray
        Capacity at ``base_year`` and at ``target_year``, shape (n,) [any rate, SI].
    base_year_s, target_year_s : numpy.ndarray
        The two calendar years as SI time since year 0 [s] (registry keys in ``yr``).
    growth_after_per_s : numpy.ndarray
        Fractional growth after ``target_year`` [1/s] (registry keys in ``1/yr``).

    Returns
    -------
    numpy.ndarray
        Capacity at each step, shape (T, n) [same unit as ``base``]. A ``base`` of zero ramps
        linearly instead (log-linear growth from zero is undefined).

    References
    ----------
    .. [1] Nagy et al. 2013 (exponential growth of production), see module docstring.
    """
    y0 = base_year_s / SECONDS_PER_YEAR
    y1 = target_year_s / SECONDS_PER_YEAR
    g_after = growth_after_per_s * SECONDS_PER_YEAR
    span = np.maximum(y1 - y0, 1e-9)
    x = np.clip((year - y0) / span, 0.0, 1.0)   # flat before base_year: never extrapolate back
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(base > 0, target / np.where(base > 0, base, 1.0), 1.0)
        loglin = np.where(base > 0, base * ratio ** x, target * np.clip(x, 0.0, 1.0))
    after = target * (1.0 + g_after) ** np.maximum(year - y1, 0.0)
    return np.where(year <= y1, loglin, after)


def ramp_from(p: Mapping[str, FloatArray], prefix: str, year: FloatArray) -> FloatArray:
    """:func:`ramp` with its five parameters read from ``p`` under ``prefix``."""
    base, y0, target, y1, g = (p[k] for k in ramp_keys(prefix))
    return ramp(year, base, y0, target, y1, g)


def fab_ramp(year: FloatArray, capacity: FloatArray, start_year_s: FloatArray,
             lag_s: FloatArray, ramp_s: FloatArray) -> FloatArray:
    """Output of new fab capacity: nothing until construction ends, then a linear ramp.

    Parameters
    ----------
    year : numpy.ndarray
        Calendar year of each step, shape (T, 1) [year].
    capacity : numpy.ndarray
        Full output once ramped [wafer/s].
    start_year_s : numpy.ndarray
        Construction start [s since year 0].
    lag_s : numpy.ndarray
        Construction time before first wafers [s] (TSMC quotes 2-3 years per fab).
    ramp_s : numpy.ndarray
        Time from first wafers to full output [s].

    Returns
    -------
    numpy.ndarray
        Wafer starts [wafer/s], shape (T, n).

    References
    ----------
    .. [1] CNBC 2024 on TSMC Arizona Fab 21 (ground broken 2021, volume production 2025).
    """
    first = (start_year_s + lag_s) / SECONDS_PER_YEAR
    frac = np.clip((year - first) / np.maximum(ramp_s / SECONDS_PER_YEAR, 1e-9), 0.0, 1.0)
    return capacity * frac


def flops_per_w(year: FloatArray, p: Mapping[str, FloatArray]) -> FloatArray:
    """FLOP/s per watt of accelerator power of the generation in volume production.

    GB300 until AI5 reaches volume, then AI5, AI6 and successors every ``cadence`` years, each
    multiplying FLOP/s per W by its gain (roadmap, claim C16).

    Parameters
    ----------
    year : numpy.ndarray
        Calendar year, shape (T, 1) [year].
    p : mapping
        SI arrays for the ``chips.gen.*`` keys.

    Returns
    -------
    numpy.ndarray
        [FLOP/s/W], shape (T, n).

    References
    ----------
    .. [1] NVIDIA GB300 NVL72 specifications (FP8 dense per GPU); Tesla AI5/AI6 roadmap posts
       (Musk, Nov 2025); Epoch AI trends in ML hardware energy efficiency.
    """
    fpw0 = p["chips.gen.gb300.flops"] / p["compute.gb300.gpu_tdp"]
    y5 = p["chips.gen.ai5.year"] / SECONDS_PER_YEAR
    y6 = p["chips.gen.ai6.year"] / SECONDS_PER_YEAR
    cadence = np.maximum(p["chips.gen.successor.cadence"] / SECONDS_PER_YEAR, 1e-9)
    n_succ = np.floor(np.maximum(year - y6, 0.0) / cadence)
    gain = (np.where(year >= y5, p["chips.gen.ai5.flops_per_w_gain"], 1.0)
            * np.where(year >= y6, p["chips.gen.ai6.flops_per_w_gain"], 1.0)
            * p["chips.gen.successor.flops_per_w_gain"] ** n_succ)
    return fpw0 * gain


class PreparedFab:
    """:func:`fab_ramp` with its per-sample constants computed once (same values, tested)."""

    __slots__ = ("capacity", "first", "span", "uniform")

    def __init__(self, capacity: FloatArray, start_year_s: FloatArray, lag_s: FloatArray,
                 ramp_s: FloatArray) -> None:
        self.capacity = np.asarray(capacity, dtype=float)
        self.first = np.asarray((start_year_s + lag_s) / SECONDS_PER_YEAR, dtype=float)
        self.span = np.asarray(np.maximum(ramp_s / SECONDS_PER_YEAR, 1e-9), dtype=float)
        self.uniform = bool(self.first.size and np.ptp(self.first) == 0
                            and np.ptp(self.span) == 0)

    def at(self, year: float) -> FloatArray:
        """Wafer starts at calendar year ``year`` (scalar) for every sample [wafer/s], (n,)."""
        if self.uniform:
            frac = min(max((year - float(self.first.flat[0])) / float(self.span.flat[0]), 0.0),
                       1.0)
            return self.capacity * frac
        return self.capacity * np.clip((year - self.first) / self.span, 0.0, 1.0)


class PreparedFlopsPerW:
    """:func:`flops_per_w` with its per-sample constants computed once (same values, tested)."""

    __slots__ = ("fpw0", "y5", "y6", "cadence", "g5", "g6", "gs", "uniform", "cache")

    def __init__(self, p: Mapping[str, FloatArray]) -> None:
        self.fpw0 = p["chips.gen.gb300.flops"] / p["compute.gb300.gpu_tdp"]
        self.y5 = np.asarray(p["chips.gen.ai5.year"] / SECONDS_PER_YEAR, dtype=float)
        self.y6 = np.asarray(p["chips.gen.ai6.year"] / SECONDS_PER_YEAR, dtype=float)
        self.cadence = np.asarray(np.maximum(p["chips.gen.successor.cadence"] / SECONDS_PER_YEAR,
                                             1e-9), dtype=float)
        self.g5 = p["chips.gen.ai5.flops_per_w_gain"]
        self.g6 = p["chips.gen.ai6.flops_per_w_gain"]
        self.gs = p["chips.gen.successor.flops_per_w_gain"]
        self.uniform = bool(self.y5.size and np.ptp(self.y5) == 0 and np.ptp(self.y6) == 0
                            and np.ptp(self.cadence) == 0)
        self.cache: dict[tuple[float, bool, bool], FloatArray] = {}

    def _at(self, year: float) -> FloatArray:
        n_succ = np.floor(np.maximum(year - self.y6, 0.0) / self.cadence)
        gain = (np.where(year >= self.y5, self.g5, 1.0)
                * np.where(year >= self.y6, self.g6, 1.0) * self.gs ** n_succ)
        return self.fpw0 * gain

    def at(self, year: float) -> FloatArray:
        """FLOP/s per W at calendar year ``year`` (scalar) for every sample [FLOP/s/W], (n,).

        The operations of :func:`flops_per_w`, in its order. When the generation years are the
        same in every sample the value changes only with the generation, so it is computed once
        per generation and shared (read-only).
        """
        if not self.uniform:
            return self._at(year)
        y6 = float(self.y6.flat[0])
        key = (float(np.floor(max(year - y6, 0.0) / float(self.cadence.flat[0]))),
               year >= float(self.y5.flat[0]), year >= y6)
        out = self.cache.get(key)
        if out is None:
            out = self.cache[key] = self._at(year)
            out.flags.writeable = False
        return out


class PreparedRamp:
    """:func:`ramp` with its per-sample constants computed once, for fast evaluation per step.

    Same values as :func:`ramp` (tested); when the two years are the same in every sample the
    position along the ramp is one scalar per step and each evaluation costs ~3 array ops.
    """

    __slots__ = ("base", "target", "y0", "y1", "g", "lb", "lr", "lg", "zero", "uniform",
                 "any_zero", "any_nonpos_target", "inv_span")

    def __init__(self, base: FloatArray, base_year_s: FloatArray, target: FloatArray,
                 target_year_s: FloatArray, growth_after_per_s: FloatArray) -> None:
        self.base = np.asarray(base, dtype=float)
        self.target = np.asarray(target, dtype=float)
        self.y0 = np.asarray(base_year_s, dtype=float) / SECONDS_PER_YEAR
        self.y1 = np.asarray(target_year_s, dtype=float) / SECONDS_PER_YEAR
        self.g = np.asarray(growth_after_per_s, dtype=float) * SECONDS_PER_YEAR
        self.zero = self.base <= 0
        self.any_zero = bool(np.any(self.zero))
        with np.errstate(divide="ignore", invalid="ignore"):
            self.lb = np.log(np.where(self.zero, 1.0, self.base))
            self.lr = np.log(np.where(self.target > 0, self.target, 1.0)) - self.lb
        self.lg = np.log1p(np.maximum(self.g, -1 + 1e-12))
        self.inv_span = 1.0 / np.maximum(self.y1 - self.y0, 1e-9)
        self.any_nonpos_target = bool(np.any(self.target <= 0))
        self.uniform = bool(np.ptp(self.y0) == 0 and np.ptp(self.y1) == 0) if self.y0.size else True

    @classmethod
    def from_p(cls, p: Mapping[str, FloatArray], prefix: str) -> PreparedRamp:
        return cls(*(p[k] for k in ramp_keys(prefix)))

    def at(self, year: float) -> FloatArray:
        """Capacity at calendar year ``year`` (scalar) for every sample, shape (n,)."""
        if not self.uniform:
            x = np.clip((year - self.y0) * self.inv_span, 0.0, 1.0)
            after = self.lg * np.maximum(year - self.y1, 0.0)
            out = np.exp(self.lb + x * self.lr + after)
            if self.any_nonpos_target:
                out = np.where(self.target <= 0, np.where(x <= 0, self.base, 0.0), out)
            if self.any_zero:
                out = np.where(self.zero, self.target * x * np.exp(after), out)
            return out
        y0, y1 = float(self.y0.flat[0]), float(self.y1.flat[0])
        # in place (one new array per call: fewer fresh pages per step); same values as
        # exp(lb + x * lr) and target * exp(lg * (year - y1))
        if year <= y1:
            x = min(max((year - y0) / max(y1 - y0, 1e-9), 0.0), 1.0)
            out = self.lr * x
            out += self.lb
            np.exp(out, out=out)
            if self.any_nonpos_target:
                out = np.where(self.target <= 0, self.base if x <= 0 else 0.0, out)
            if self.any_zero:
                out = np.where(self.zero, self.target * x, out)
            return out
        out = self.lg * (year - y1)
        np.exp(out, out=out)
        out *= self.target
        return out
