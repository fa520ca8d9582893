"""Lower bounds on the makespan: critical path and resource energy.

References
----------
Kolisch, R., Hartmann, S. (2006). Experimental investigation of heuristics for
resource-constrained project scheduling: An update. European Journal of Operational Research
174(1), 23-37 (deviations of heuristics are reported against the critical-path bound).
https://doi.org/10.1016/j.ejor.2005.01.065
"""

from __future__ import annotations

import numpy as np

from terawatt.scheduling.problem import Problem

__all__ = ["critical_path_bound", "lower_bounds", "resource_bound"]


def critical_path_bound(problem: Problem) -> int:
    """Length of the longest path (durations, lags, release dates, fixed starts) [period].

    For work-content activities the shortest duration (at ``crew_max``) is used.
    """
    if problem.n == 0:
        return 0
    return int(np.max(problem.earliest_start + problem.durations))


def resource_bound(problem: Problem) -> int:
    """Energy bound ``max_r ceil(sum_i d_i q_ir / C_r)`` [period].

    For work-content activities on the crew resource the energy ``c * ceil(w / c**e)`` is at
    least ``w * crew_min**(1 - e)`` for ``e <= 1``.
    """
    p = problem
    if p.n == 0 or p.n_resources == 0:
        return 0
    energy = (p.durations[:, None] * p.demands).sum(axis=0).astype(np.float64)
    if p.has_crews:
        assert p.crew_max is not None and p.crew_min is not None and p.work is not None
        m = p.crew_max > 0
        k = p.crew_resource
        cap_e = p.durations[m] * p.demands[m, k]
        energy[k] -= cap_e.sum()
        # c * ceil(w / c**e) >= w * c**(1-e) >= w * crew_min**(1-e) for e <= 1
        e_min = p.work[m] * p.crew_min[m].astype(np.float64) ** (1.0 - p.crew_exponent)
        energy[k] += e_min.sum()
        # crews change the duration, so the other columns use the shortest duration (already
        # in p.durations, duration at crew_max)
    cap = p.capacities.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        lb = np.where(cap > 0, np.ceil(energy / np.where(cap > 0, cap, 1) - 1e-9), 0)
    return int(lb.max())


def lower_bounds(problem: Problem) -> dict[str, int]:
    """Every cheap lower bound by name [period]: ``critical_path`` and ``resource``."""
    return {"critical_path": critical_path_bound(problem), "resource": resource_bound(problem)}
