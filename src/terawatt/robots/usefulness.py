"""Robot usefulness = intelligence x chips x dexterity, and what it does to tasks.

Each factor grows exponentially from 1 at the base year ``t0`` (claim C20)::

    f_i(t) = exp(g_i (t - t0)),   g_i = ln 2 / T2_i              [1/yr]
    U(t)   = f_I f_C f_D;          ln U = sum_i g_i (t - t0)      (the log-decomposition)

Effects::

    task time multiplier  tau(t) = U^(-e)                        (e >= 0: never slower)
    task reach            s(t)   = 1 / (1 + exp(-(ln U - ln U50) / w)),
                          ln U50 = w ln(1/s0 - 1)                 (s = s0 at U = 1)

Time is in calendar years here (the growth rates are quoted per year); ``t - t0`` and the
doubling times are in years.

References
----------
.. [1] A. Ho et al. (Epoch AI), "Algorithmic progress in language models", arXiv:2403.05812,
   2024 (compute to reach a fixed performance halves every ~8 months, 95 % CI 5-14).
.. [2] M. Hobbhahn, T. Besiroglu (Epoch AI), "Trends in GPU price-performance", 2022
   (FLOP/s per $ doubles every 2.46 yr; ML GPUs 2.07 yr).
.. [3] E. Erdil et al. (Epoch AI), "GATE: An integrated assessment model for AI automation",
   arXiv:2503.04941, 2025 (automation as a function of effective compute).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

if TYPE_CHECKING:
    from terawatt.assumptions import Registry

FloatArray = NDArray[np.float64]

#: The three factors, in the order of claim C20.
FACTORS: tuple[str, ...] = ("intelligence", "chips", "dexterity")

USEFULNESS_KEYS: tuple[str, ...] = (
    "usefulness.base_year",
    *(f"usefulness.{f}.doubling_time" for f in FACTORS),
    "usefulness.task_time_elasticity",
    "usefulness.reach.share_base",
    "usefulness.reach.width",
)


def _f(x: ArrayLike) -> FloatArray:
    return np.asarray(x, dtype=np.float64)


def growth_rate_per_yr(doubling_time_yr: ArrayLike) -> FloatArray:
    """``g = ln 2 / T2`` [1/yr] from a doubling time [yr] (> 0)."""
    t2 = _f(doubling_time_yr)
    if np.any(t2 <= 0):
        raise ValueError("doubling time must be > 0")
    return np.log(2.0) / t2


def factor(growth_per_yr: ArrayLike, years: ArrayLike, base_year: ArrayLike) -> FloatArray:
    """One capability factor ``exp(g (t - t0))`` [dimensionless], 1 at ``t0``.

    Parameters
    ----------
    growth_per_yr : array_like
        Exponential growth rate [1/yr].
    years : array_like
        Calendar year ``t`` [yr].
    base_year : array_like
        Index year ``t0`` [yr].
    """
    return np.exp(_f(growth_per_yr) * (_f(years) - _f(base_year)))


def task_time_multiplier(usefulness: ArrayLike, elasticity: ArrayLike) -> FloatArray:
    """Task time relative to ``U = 1``: ``U^(-e)`` [dimensionless].

    Parameters
    ----------
    usefulness : array_like
        Usefulness index U (> 0) [dimensionless].
    elasticity : array_like
        Elasticity of task time to usefulness, ``e >= 0`` [dimensionless].
    """
    e = _f(elasticity)
    if np.any(e < 0):
        raise ValueError("elasticity must be >= 0 (more usefulness never slows a task)")
    return np.exp(-e * np.log(_f(usefulness)))


def task_reach(usefulness: ArrayLike, share_base: ArrayLike, width: ArrayLike) -> FloatArray:
    """Share of task types within reach: a logistic in ``ln U`` [dimensionless].

    Parameters
    ----------
    usefulness : array_like
        Usefulness index U (> 0) [dimensionless].
    share_base : array_like
        Share of task types within reach at ``U = 1``, in (0, 1) [dimensionless].
    width : array_like
        Logistic width in ``ln U`` (> 0) [dimensionless].

    References
    ----------
    .. [1] Erdil et al. (2025), GATE, arXiv:2503.04941 (tasks automated vs effective compute).
    """
    s0 = _f(share_base)
    w = _f(width)
    ln_u50 = w * np.log(1.0 / s0 - 1.0)
    z = (np.log(_f(usefulness)) - ln_u50) / w
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow


@dataclass(frozen=True, slots=True)
class UsefulnessParams:
    """Growth rates [1/yr], base year [yr] and effect parameters [dimensionless]."""

    base_year: float
    intelligence_growth_per_yr: FloatArray
    chips_growth_per_yr: FloatArray
    dexterity_growth_per_yr: FloatArray
    task_time_elasticity: FloatArray
    reach_share_base: FloatArray
    reach_width: FloatArray

    def __post_init__(self) -> None:
        s0 = _f(self.reach_share_base)
        if np.any((s0 <= 0) | (s0 >= 1)):
            raise ValueError("reach_share_base must lie in (0, 1)")
        if np.any(_f(self.reach_width) <= 0):
            raise ValueError("reach_width must be > 0")
        if np.any(_f(self.task_time_elasticity) < 0):
            raise ValueError("task_time_elasticity must be >= 0")

    @classmethod
    def from_registry(cls, reg: Registry) -> UsefulnessParams:
        """Central values of ``usefulness.*``."""
        g = {f: growth_rate_per_yr(reg.value(f"usefulness.{f}.doubling_time", "yr"))
             for f in FACTORS}
        return cls(
            base_year=reg.value("usefulness.base_year", "yr"),
            intelligence_growth_per_yr=g["intelligence"], chips_growth_per_yr=g["chips"],
            dexterity_growth_per_yr=g["dexterity"],
            task_time_elasticity=_f(reg.si("usefulness.task_time_elasticity")),
            reach_share_base=_f(reg.si("usefulness.reach.share_base")),
            reach_width=_f(reg.si("usefulness.reach.width")),
        )


@dataclass(frozen=True, slots=True)
class Usefulness:
    """Usefulness over time and its parts; arrays over ``years`` [dimensionless].

    ``usefulness = intelligence * chips * dexterity``; ``log_contribution(f)`` is ``ln f`` so
    the three contributions add to ``ln usefulness``; ``task_time`` is the task-time
    multiplier ``U^(-e)``; ``task_reach`` the share of task types within reach.
    """

    years: FloatArray
    intelligence: FloatArray
    chips: FloatArray
    dexterity: FloatArray
    usefulness: FloatArray
    task_time: FloatArray
    task_reach: FloatArray

    def log_contribution(self, name: str) -> FloatArray:
        """``ln f`` of one factor (``"intelligence"``, ``"chips"`` or ``"dexterity"``)."""
        if name not in FACTORS:
            raise KeyError(f"unknown factor {name!r} (allowed: {', '.join(FACTORS)})")
        return np.log(getattr(self, name))

    def shares(self) -> dict[str, FloatArray]:
        """Each factor's share of ``ln U`` (NaN at the base year, where ln U = 0)."""
        ln_u = np.log(self.usefulness)
        with np.errstate(divide="ignore", invalid="ignore"):
            return {f: np.where(ln_u != 0, self.log_contribution(f) / ln_u, np.nan)
                    for f in FACTORS}


def usefulness(years: ArrayLike, params: UsefulnessParams) -> Usefulness:
    """Usefulness index, its factors and its effects on task time and task reach.

    Parameters
    ----------
    years : array_like
        Calendar years [yr].
    params : UsefulnessParams
        Growth rates and effect parameters.

    Returns
    -------
    Usefulness
        Factors, U, task-time multiplier and task reach [dimensionless].

    References
    ----------
    .. [1] Ho et al. (2024); Hobbhahn & Besiroglu (2022); Erdil et al. (2025).
    """
    y = _f(years)
    t0 = params.base_year
    f_i = factor(params.intelligence_growth_per_yr, y, t0)
    f_c = factor(params.chips_growth_per_yr, y, t0)
    f_d = factor(params.dexterity_growth_per_yr, y, t0)
    u = f_i * f_c * f_d
    return Usefulness(
        years=y, intelligence=f_i, chips=f_c, dexterity=f_d, usefulness=u,
        task_time=task_time_multiplier(u, params.task_time_elasticity),
        task_reach=task_reach(u, params.reach_share_base, params.reach_width),
    )
