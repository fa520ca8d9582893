"""CP-SAT constraints: precedence with lags, cumulative per resource, release and deadlines."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from terawatt.scheduling.cpsat.variables import Variables
from terawatt.scheduling.problem import Problem


def add_precedence(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    src, dst, lag = p.arcs()
    for i, j, g in zip(src.tolist(), dst.tolist(), lag.tolist(), strict=True):
        m.Add(v.start[j] >= v.end[i] + g)


def add_resources(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    crew_r = p.crew_resource if p.has_crews else None
    for r in range(p.n_resources):
        ivs: list[cp_model.IntervalVar] = []
        dem: list[int] = []
        for i in np.flatnonzero(p.demands[:, r] > 0).tolist():
            if i in v.modes and r == crew_r:
                continue
            if i not in v.modes and p.durations[i] == 0:
                continue
            ivs.append(v.interval[i])
            dem.append(int(p.demands[i, r]))
        if r == crew_r:
            for _, lst in v.modes.items():
                for c, d, _, oiv in lst:
                    if d > 0:
                        ivs.append(oiv)
                        dem.append(int(c))
        if ivs and sum(dem) > p.capacities[r]:
            m.AddCumulative(ivs, dem, int(p.capacities[r]))


def add_time_windows(m: cp_model.CpModel, p: Problem, v: Variables) -> None:
    if p.deadline is not None:
        for i in np.flatnonzero(p.deadline >= 0).tolist():
            m.Add(v.end[i] <= int(p.deadline[i]))
    # release dates and fixed starts are in the start-variable domains (variables.py)
