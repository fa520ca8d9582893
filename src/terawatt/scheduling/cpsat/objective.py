"""CP-SAT objective: minimise the makespan (latest finish over activities without successors)."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from terawatt.scheduling.cpsat.variables import Variables
from terawatt.scheduling.problem import Problem


def minimise_makespan(m: cp_model.CpModel, p: Problem, v: Variables, lb: int, ub: int) -> None:
    mk = m.NewIntVar(lb, max(lb, ub), "makespan")
    sinks = np.flatnonzero(np.diff(p.succ_ptr) == 0).tolist()
    for i in sinks:
        m.Add(mk >= v.end[i])
    v.makespan = mk
    m.Minimize(mk)
