"""CP-SAT variables: one start/end and interval per activity; optional intervals per crew mode.

References
----------
Perron, L., Didier, F. OR-Tools CP-SAT (Google). https://developers.google.com/optimization
Lan, L., Berkhout, J. (2025). PyJobShop: Solving scheduling problems with constraint
programming in Python. https://arxiv.org/abs/2502.13483
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from terawatt.scheduling.problem import Problem, crew_durations

MAX_CREW_MODES = 16  # modes per work-content activity (Pareto crews; beyond it a spread)


@dataclass
class Variables:
    """All decision variables of the model."""

    start: list[cp_model.IntVar]
    end: list[cp_model.IntVar]
    interval: list[cp_model.IntervalVar]
    # work-content activities: i -> list of (crew, duration, literal, optional interval)
    modes: dict[int, list[tuple[int, int, cp_model.IntVar, cp_model.IntervalVar]]] = field(
        default_factory=dict)
    makespan: cp_model.IntVar | None = None


def crew_modes(p: Problem, i: int) -> list[tuple[int, int]]:
    """Non-dominated (crew, duration) pairs of a work-content activity: for each duration the
    smallest crew achieving it."""
    assert p.crew_min is not None and p.crew_max is not None and p.work is not None
    cs = np.arange(p.crew_min[i], p.crew_max[i] + 1)
    ds = crew_durations(np.full(cs.shape, p.work[i]), cs, p.crew_exponent)
    best: dict[int, int] = {}
    for c, d in zip(cs.tolist(), ds.tolist(), strict=True):
        if d not in best:
            best[d] = c
    modes = sorted((c, d) for d, c in best.items())
    # keep Pareto: a larger crew must give a strictly shorter duration
    pareto: list[tuple[int, int]] = []
    for c, d in modes:
        if not pareto or d < pareto[-1][1]:
            pareto.append((c, d))
    if len(pareto) > MAX_CREW_MODES:
        k = np.unique(np.round(np.linspace(0, len(pareto) - 1, MAX_CREW_MODES)).astype(int))
        pareto = [pareto[j] for j in k]
    return pareto


def make_variables(m: cp_model.CpModel, p: Problem, horizon: int) -> Variables:
    n = p.n
    es = p.earliest_start
    # latest start from the longest path to the end (tail) and the horizon
    from terawatt.scheduling.heuristic.search import _latest_finish  # noqa: PLC0415

    lf = _latest_finish(p, horizon)
    start: list[cp_model.IntVar] = []
    end: list[cp_model.IntVar] = []
    interval: list[cp_model.IntervalVar] = []
    modes: dict[int, list] = {}
    fixed = p.fixed_starts
    crew_act = (p.crew_max > 0) if p.has_crews and p.crew_max is not None else np.zeros(n, bool)
    for i in range(n):
        lo = int(es[i])
        if crew_act[i]:
            md = crew_modes(p, i)
            dmin = min(d for _, d in md)
            dmax = max(d for _, d in md)
            hi = max(lo, int(lf[i]) - dmin)
            if fixed is not None and fixed[i] >= 0:
                lo = hi = int(fixed[i])
            s = m.NewIntVar(lo, hi, f"s{i}")
            e = m.NewIntVar(lo + dmin, hi + dmax, f"e{i}")
            size = m.NewIntVarFromDomain(cp_model.Domain.FromValues([d for _, d in md]),
                                         f"d{i}")
            iv = m.NewIntervalVar(s, size, e, f"iv{i}")
            lst = []
            for c, d in md:
                lit = m.NewBoolVar(f"x{i}_{c}")
                oiv = m.NewOptionalIntervalVar(s, d, e, lit, f"ov{i}_{c}")
                m.Add(size == d).OnlyEnforceIf(lit)
                lst.append((c, d, lit, oiv))
            m.AddExactlyOne([x[2] for x in lst])
            modes[i] = lst
        else:
            d = int(p.durations[i])
            hi = max(lo, int(lf[i]) - d)
            if fixed is not None and fixed[i] >= 0:
                lo = hi = int(fixed[i])
            s = m.NewIntVar(lo, hi, f"s{i}")
            e = m.NewIntVar(lo + d, hi + d, f"e{i}")
            iv = m.NewIntervalVar(s, d, e, f"iv{i}")
        start.append(s)
        end.append(e)
        interval.append(iv)
    return Variables(start, end, interval, modes)
