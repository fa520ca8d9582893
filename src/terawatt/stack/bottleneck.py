"""Bottleneck attribution: binding term, slack of the others, marginal gain of each constraint.

For a sector whose output is ``min(term_1, ..., term_K)`` (Leontief), the *binding* term is the
smallest; the *slack* of term ``j`` is ``term_j / min - 1`` (0 for the binding term, 0.05 for a
term 5 % above it); the *marginal gain* of a constraint is the extra installed compute (W of
accelerator power, ground + orbit) at the end of a step if that constraint had been 10 % larger
during the step (:data:`terawatt.stack.model.CONSTRAINTS`). Across samples, the share of
samples in which each term binds is reported (e.g. "power binds in 80 % of 2028 samples").

References
----------
.. [1] Epoch AI, "Can AI scaling continue through 2030?", 2024 (constraints checked in turn:
   power, chips, data, latency). https://epoch.ai/blog/can-ai-scaling-continue-through-2030
.. [2] research/macro.md section 5 (binding input = argmin of Leontief ratios; slack;
   marginal value from relaxing each constraint).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class SectorBottleneck:
    """Binding-term record of one sector.

    Attributes
    ----------
    sector : str
    terms : tuple of str
        Names of the terms of the sector's min(), in order.
    unit : str
        What the terms measure.
    values : numpy.ndarray
        Term values, shape (T, K, n) [unit].
    binding : numpy.ndarray
        Index of the binding term, shape (T, n).
    slack : numpy.ndarray
        ``term / min - 1``, shape (T, K, n) [-] (inf when the min is 0 and the term is not).
    share : numpy.ndarray
        Share of samples in which each term binds, shape (T, K) [-].
    """

    sector: str
    terms: tuple[str, ...]
    unit: str
    values: FloatArray
    binding: IntArray
    slack: FloatArray
    share: FloatArray

    def binding_names(self) -> list[str]:
        """The term binding in most samples at each step."""
        return [self.terms[int(i)] for i in np.argmax(self.share, axis=1)]


#: terms within this relative distance of the minimum count as tied
TIE_REL: float = 1e-9


def attribute(sector: str, terms: tuple[str, ...], unit: str,
              values: FloatArray) -> SectorBottleneck:
    """Binding term, slack and binding shares from the term values (T, K, n).

    Among terms tied with the minimum (within :data:`TIE_REL`, relative) the *last* declared
    binds: the first term of a sector is what it is given (chips offered, wafers), the later
    ones its capacities (power, launch) or the demand for its output (``deployable``), and when
    an allocation fills a capacity exactly it is the capacity, not the chips, that limits it.
    """
    low = np.min(values, axis=1, keepdims=True)
    tied = values <= low + np.abs(low) * TIE_REL
    K = len(terms)
    binding = K - 1 - np.argmax(tied[:, ::-1, :], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        slack = np.where(low > 0, values / low - 1.0,
                         np.where(values > 0, np.inf, 0.0))
    share = np.stack([(binding == j).mean(axis=1) for j in range(K)], axis=1)
    return SectorBottleneck(sector, terms, unit, values, binding, slack, share)


def rank_marginal(gains_w: FloatArray, constraints: tuple[str, ...]) -> list[tuple[str, float]]:
    """Constraints sorted by median marginal gain (largest first) for one step.

    Parameters
    ----------
    gains_w : numpy.ndarray
        Gains of one step, shape (K, n) [W].
    constraints : tuple of str
        Names, length K.
    """
    med = np.median(gains_w, axis=1)
    order = np.argsort(-med, kind="stable")
    return [(constraints[int(j)], float(med[j])) for j in order]
