"""Build and solve the CP-SAT model; warm start from a heuristic schedule (AddHint)."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from terawatt.scheduling.bounds import lower_bounds
from terawatt.scheduling.cpsat.constraints import (
    add_precedence,
    add_resources,
    add_time_windows,
)
from terawatt.scheduling.cpsat.objective import minimise_makespan
from terawatt.scheduling.cpsat.variables import make_variables
from terawatt.scheduling.problem import Problem, Result, Status

_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.MODEL_INVALID: Status.UNKNOWN,
    cp_model.UNKNOWN: Status.UNKNOWN,
}

# A full search without the LP relaxation and without the disjunctive constraints CP-SAT
# derives from each cumulative: the lean clause-learning search that proves the hardest j30
# instances (resource factor 1, strength 0.2), where the cumulative's LP relaxation is weak and
# only slows each node down.
_LEAN_SEARCH = (
    'subsolver_params { name: "no_lp_lean" linearization_level: 0 '
    "use_disjunctive_constraint_in_cumulative: false }"
)


def set_portfolio(params: cp_model.SatParameters, workers: int) -> None:
    """Choose what the CP-SAT workers run.

    With 2 workers, CP-SAT's default runs one LP-based full search and interleaves large
    neighbourhood search on the other thread; that left 5 of the 480 j30 instances unproven
    after 60 s. Two full searches instead (no neighbourhood search), the lean one above and
    the default LP-based one, prove all 480 within 60 s each (docs/scheduling.md), and gave
    j120 makespans at 10 s no worse than the default's (every 10th instance: 3.33 % against
    3.62 % above the best known). Other worker counts keep CP-SAT's own portfolio (not
    measured on this 2-core machine).
    """
    if workers == 2:
        params.merge_text_format(_LEAN_SEARCH)
        params.num_full_subsolvers = 2
        params.subsolvers.extend(["no_lp_lean", "default_lp"])


@contextmanager
def _stop_on_ctrl_c(solver: cp_model.CpSolver) -> Iterator[None]:
    """While CP-SAT searches, Ctrl-C stops the search and is raised as KeyboardInterrupt when
    it returns (the solver's Python binding would otherwise swallow the interrupt and the
    caller would go on with the partial result). Only in the main thread, where Python runs
    signal handlers, and only where Ctrl-C is Python's default (else the embedding program
    has its own handling)."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield
        return
    hits: list[int] = []

    def on_sigint(signum: int, _frame: Any) -> None:
        hits.append(signum)
        solver.stop_search()

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if hits:
        raise KeyboardInterrupt


def solve_cpsat(
    p: Problem,
    *,
    time_limit_s: float,
    workers: int,
    seed: int = 0,
    hint: Result | None = None,
    upper_bound: int | None = None,
) -> Result:
    """Solve exactly with OR-Tools CP-SAT (interval variables, one cumulative per resource).

    Parameters
    ----------
    p : Problem
    time_limit_s : float [s]
        Wall-clock limit of the search.
    workers : int
        CP-SAT search workers (threads); what they run is chosen by :func:`set_portfolio`.
    seed : int
        CP-SAT random seed.
    hint : Result, optional
        A feasible schedule (e.g. the heuristic's) used as a warm start and horizon.
    upper_bound : int [period], optional
        Horizon when there is no hint (default: sum of durations after the critical path).
    """
    t0 = time.perf_counter()
    bounds = lower_bounds(p)
    lb = max(bounds.values())
    if hint is not None and hint.makespan is not None:
        ub = int(hint.makespan)
    elif upper_bound is not None:
        ub = int(upper_bound)
    else:
        ub = int(np.max(p.earliest_start + p.durations)) + int(p.durations.sum()) + \
            int(p.succ_lag.sum())
    m = cp_model.CpModel()
    v = make_variables(m, p, ub)
    add_precedence(m, p, v)
    add_resources(m, p, v)
    add_time_windows(m, p, v)
    minimise_makespan(m, p, v, lb, ub)
    if hint is not None and hint.starts is not None:
        for i in range(p.n):
            m.AddHint(v.start[i], int(hint.starts[i]))
        if hint.crews is not None:
            for i, lst in v.modes.items():
                for c, _, lit, _ in lst:
                    m.AddHint(lit, int(c == hint.crews[i]))
        m.AddHint(v.makespan, int(hint.makespan))  # type: ignore[arg-type]
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = max(0.01, float(time_limit_s))
    s.parameters.num_workers = max(1, int(workers))
    set_portfolio(s.parameters, s.parameters.num_workers)
    s.parameters.random_seed = int(seed)
    # Ctrl-C is ours, not CP-SAT's: its own SIGINT handler ends the search quietly (the caller
    # then carries on as if the time limit had passed) and afterwards resets SIGINT to the
    # default action, so a second Ctrl-C killed the process without clean-up.
    s.parameters.catch_sigint_signal = False
    counter = _Count()
    with _stop_on_ctrl_c(s):
        code = s.Solve(m, counter)
    status = _STATUS.get(code, Status.UNKNOWN)
    rt = time.perf_counter() - t0
    if status in (Status.OPTIMAL, Status.FEASIBLE):
        starts = np.array([s.Value(x) for x in v.start], dtype=np.int64)
        crews = None
        if p.has_crews:
            crews = np.zeros(p.n, np.int64)
            for i, lst in v.modes.items():
                for c, _, lit, _ in lst:
                    if s.Value(lit):
                        crews[i] = c
        mk = int(s.Value(v.makespan))
        cp_bound = int(np.ceil(s.BestObjectiveBound() - 1e-9))
        if status is Status.OPTIMAL:
            cp_bound = mk
        bounds["cpsat"] = cp_bound
        return Result(status, mk, max(bounds.values()), rt, starts, crews, "cpsat",
                      max(1, counter.n), p.time_unit_s, bounds)
    if status is Status.INFEASIBLE:
        return Result(status, None, lb, rt, None, None, "cpsat", 0, p.time_unit_s, bounds)
    # unknown: keep the hint if there was one
    if hint is not None and hint.starts is not None:
        return Result(Status.FEASIBLE, hint.makespan, lb, rt, hint.starts, hint.crews,
                      "cpsat(hint)", hint.n_schedules, p.time_unit_s, bounds)
    return Result(Status.UNKNOWN, None, lb, rt, None, None, "cpsat", 0, p.time_unit_s, bounds)


class _Count(cp_model.CpSolverSolutionCallback):
    """Counts the improving solutions found (reported as ``n_schedules``)."""

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def on_solution_callback(self) -> None:
        self.n += 1
