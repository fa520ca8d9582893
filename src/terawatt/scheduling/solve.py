"""One interface to every scheduler: ``solve(problem, solver="auto" | "cpsat" | "heuristic")``.

``auto`` splits the project into independent parts first (activities linked by precedence or
by a resource that can actually run short), then solves each part: CP-SAT for small parts
(warm-started from a quick heuristic), the compiled heuristic for large ones followed by
CP-SAT warm-started from it when the part is small enough and time remains. "Small" and "small
enough" are :class:`~terawatt.scheduling.settings.SolveSettings`, read from the registry.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from terawatt.errors import UserError
from terawatt.io.atomic import write_atomic
from terawatt.scheduling.bounds import lower_bounds
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.cpsat import solve_cpsat
from terawatt.scheduling.heuristic.search import search
from terawatt.scheduling.problem import Problem, Result, Status
from terawatt.scheduling.settings import SolveSettings

__all__ = [
    "SOLVERS",
    "SolveSettings",
    "components",
    "schedule_json",
    "solve",
    "solve_instance",
    "write_schedule",
]

SOLVERS = ("auto", "cpsat", "heuristic")


def components(p: Problem) -> tuple[int, np.ndarray]:
    """Independent parts: (count, label per activity).

    Two activities are linked by a precedence arc, or by both using a resource whose total
    demand exceeds its capacity (a resource that can never run short couples nothing).
    """
    n = p.n
    src, dst, _ = p.arcs()
    rows = [src]
    cols = [dst]
    binding = np.flatnonzero(p.demands_for(None).sum(axis=0) > p.capacities)
    for r in binding.tolist():
        users = np.flatnonzero(p.demands_for(None)[:, r] > 0)
        if users.size > 1:
            rows.append(users[:-1])
            cols.append(users[1:])
    if p.fixed_starts is not None and np.any(p.fixed_starts >= 0):
        return 1, np.zeros(n, np.int64)
    r_ = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    c_ = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    g = coo_matrix((np.ones(r_.size, np.int8), (r_, c_)), shape=(n, n)).tocsr()
    k, lab = connected_components(g, directed=False)
    return int(k), lab.astype(np.int64)


def _heuristic(p: Problem, n_schedules: int, time_limit_s: float, seed: int,
               settings: SolveSettings) -> Result:
    t0 = time.perf_counter()
    b = lower_bounds(p)
    lb = max(b.values())
    sch, used = search(p, max(1, n_schedules), np.random.default_rng(seed), settings=settings,
                       lower_bound=lb, time_limit_s=time_limit_s)
    rt = time.perf_counter() - t0
    fin = sch.starts + sch.durations
    ok = True
    if p.deadline is not None:
        ok &= bool(np.all((p.deadline < 0) | (fin <= p.deadline)))
    if p.fixed_starts is not None and np.any(p.fixed_starts >= 0):
        # fixed activities may clash with each other or strand a predecessor: check it all
        ok &= not check_schedule(p, sch.starts, sch.crews if p.has_crews else None)
    if not ok:
        return Result(Status.UNKNOWN, None, lb, rt, None, None, "heuristic", used,
                      p.time_unit_s, b)
    crews = sch.crews if p.has_crews else None
    st = Status.OPTIMAL if sch.makespan <= lb else Status.FEASIBLE
    return Result(st, sch.makespan, lb, rt, sch.starts, crews, "heuristic", used,
                  p.time_unit_s, b)


def _better(a: Result, b: Result) -> Result:
    """The result with a schedule and the smaller makespan, carrying the best bound."""
    lb = max(a.lower_bound, b.lower_bound)
    bounds = {k: max(a.bounds.get(k, 0), b.bounds.get(k, 0)) for k in {*a.bounds, *b.bounds}}
    pick = a
    if a.makespan is None or (b.makespan is not None and b.makespan < a.makespan):
        pick = b
    st = pick.status
    if pick.makespan is not None and pick.makespan <= lb:
        st = Status.OPTIMAL
    elif a.status is Status.INFEASIBLE or b.status is Status.INFEASIBLE:
        st = Status.INFEASIBLE
    name = pick.solver if a.solver == b.solver else f"{a.solver}+{b.solver}"
    return Result(st, pick.makespan, lb, a.runtime_s + b.runtime_s, pick.starts, pick.crews,
                  name, a.n_schedules + b.n_schedules, pick.time_unit_s, bounds)


def _solve_one(p: Problem, solver: str, time_limit_s: float, n_schedules: int, workers: int,
               seed: int, settings: SolveSettings) -> Result:
    t0 = time.perf_counter()
    if solver == "heuristic":
        return _heuristic(p, n_schedules, time_limit_s, seed, settings)
    if solver == "cpsat" or p.n <= settings.cpsat_max_activities:
        hint = _heuristic(p, min(n_schedules, 50), time_limit_s * 0.1, seed, settings)
        if hint.status is Status.OPTIMAL:
            return hint
        left = max(0.05, time_limit_s - (time.perf_counter() - t0))
        res = solve_cpsat(p, time_limit_s=left, workers=workers, seed=seed,
                          hint=hint if hint.starts is not None else None)
        return _better(hint, res)
    # auto on a large part: heuristic, then CP-SAT warm-started if it is small enough
    warm_max = settings.warm_max_activities
    share = 0.5 if p.n <= warm_max else 1.0
    h = _heuristic(p, n_schedules, time_limit_s * share, seed, settings)
    left = time_limit_s - (time.perf_counter() - t0)
    if h.status is Status.OPTIMAL or p.n > warm_max or left < 1.0:
        return h
    return _better(h, solve_cpsat(p, time_limit_s=left, workers=workers, seed=seed,
                                  hint=h if h.starts is not None else None))


def solve(
    problem: Problem,
    solver: Literal["auto", "cpsat", "heuristic"] | str = "auto",
    *,
    settings: SolveSettings,
    time_limit_s: float = 10.0,
    n_schedules: int = 1000,
    workers: int = 2,
    seed: int = 0,
) -> Result:
    """Schedule a project.

    Parameters
    ----------
    problem : Problem
    solver : {"auto", "cpsat", "heuristic"}
        ``auto``: split into independent parts; CP-SAT for parts of at most
        ``settings.cpsat_max_activities`` activities, else the heuristic then warm-started
        CP-SAT for parts of at most ``settings.warm_max_activities`` activities while time
        remains.
    settings : SolveSettings
        Solver-selection thresholds and heuristic sizes
        (:meth:`SolveSettings.from_registry`).
    time_limit_s : float [s]
        Wall-clock budget (CP-SAT stops at it; the heuristic stops at it or at
        ``n_schedules``).
    n_schedules : int
        Heuristic budget: schedule-generation passes (Kolisch & Hartmann protocol).
    workers : int
        CP-SAT worker threads.
    seed : int
        Seed of every random choice (heuristic sampling, CP-SAT).

    Returns
    -------
    Result
        With ``lower_bound`` = max of the critical-path, resource and CP-SAT bounds.
    """
    if solver not in SOLVERS:
        raise UserError(f"solver {solver!r}; allowed: {', '.join(SOLVERS)}")
    if not (time_limit_s > 0):
        raise UserError(f"time limit {time_limit_s} s; allowed > 0")
    if n_schedules < 1:
        raise UserError(f"schedules {n_schedules}; allowed >= 1")
    t0 = time.perf_counter()
    if problem.n == 0:
        return Result(Status.OPTIMAL, 0, 0, 0.0, np.zeros(0, np.int64), None, solver, 0,
                      problem.time_unit_s, {"critical_path": 0, "resource": 0})
    if solver != "auto":
        return _solve_one(problem, solver, time_limit_s, n_schedules, workers, seed, settings)
    if problem.n > 200_000:  # one pass of the heuristic over everything is cheaper
        return _solve_one(problem, "auto", time_limit_s, n_schedules, workers, seed, settings)
    k, lab = components(problem)
    if k == 1:
        return _solve_one(problem, "auto", time_limit_s, n_schedules, workers, seed, settings)
    # independent parts: solve each, merge (largest first gets its share of the time)
    order = np.argsort(lab, kind="stable")
    cuts = np.flatnonzero(np.diff(lab[order])) + 1
    parts = np.split(order, cuts)
    sizes = np.array([len(x) for x in parts], dtype=float)
    starts = np.zeros(problem.n, np.int64)
    crews = np.zeros(problem.n, np.int64) if problem.has_crews else None
    mk = 0
    lb = 0
    used = 0
    all_opt = True
    names: set[str] = set()
    remaining = float(sizes.sum())
    for idx, sz in sorted(zip(parts, sizes, strict=True), key=lambda x: -x[1]):
        left = time_limit_s - (time.perf_counter() - t0)
        budget = max(0.05, left * sz / max(remaining, 1.0))
        remaining -= sz
        sub = problem.subset(idx)
        r = _solve_one(sub, "auto", budget, max(1, int(n_schedules)), workers, seed, settings)
        if r.starts is None:
            return Result(r.status, None, max(lb, r.lower_bound),
                          time.perf_counter() - t0, None, None, r.solver, used,
                          problem.time_unit_s, lower_bounds(problem))
        starts[idx] = r.starts
        if crews is not None and r.crews is not None:
            crews[idx] = r.crews
        mk = max(mk, int(r.makespan or 0))
        lb = max(lb, r.lower_bound)
        used += r.n_schedules
        all_opt &= r.status is Status.OPTIMAL
        names.add(r.solver)
    b = lower_bounds(problem)
    lb = max(lb, *b.values())
    st = Status.OPTIMAL if (all_opt or mk <= lb) else Status.FEASIBLE
    return Result(st, mk, lb, time.perf_counter() - t0, starts, crews,
                  "+".join(sorted(names)) + f" ({k} parts)", used, problem.time_unit_s, b)


# --------------------------------------------------------------------------- service API
def solve_instance(
    path: str | Path,
    solver: str = "auto",
    *,
    time_unit_s: float,
    settings: SolveSettings,
    time_limit_s: float = 10.0,
    n_schedules: int = 1000,
    workers: int = 2,
    seed: int = 0,
) -> tuple[Problem, Result, list[str]]:
    """Read a PSPLIB/Patterson file, solve it (see :func:`solve`) and check the schedule.

    Returns (problem, result, checker violations) — violations are empty for a valid schedule.
    """
    from terawatt.scheduling.readers import read_instance  # noqa: PLC0415 - keep solve import-light

    p = read_instance(path, time_unit_s=time_unit_s)
    r = solve(p, solver, settings=settings, time_limit_s=time_limit_s, n_schedules=n_schedules,
              workers=workers, seed=seed)
    bad = [] if r.starts is None else check_schedule(p, r.starts, r.crews)
    return p, r, bad


def schedule_json(p: Problem, r: Result) -> dict[str, Any]:
    """``{"starts": {"<id>": t, ...}, "makespan": m, ...}`` keyed by the file's activity ids."""
    if r.starts is None:
        raise UserError(f"{p.name}: no schedule to write (status {r.status.value})")
    ids = [str(x.item() if isinstance(x, np.generic) else x) for x in p.activity_ids]
    out: dict[str, Any] = {
        "starts": dict(zip(ids, r.starts.tolist(), strict=True)),
        "makespan": r.makespan,
        "time_unit_s": p.time_unit_s,
        "status": r.status.value,
        "lower_bound": r.lower_bound,
    }
    if r.crews is not None:
        out["crews"] = {k: c for k, c in zip(ids, r.crews.tolist(), strict=True) if c}
    return out


def write_schedule(path: str | Path, p: Problem, r: Result) -> Path:
    """Write :func:`schedule_json` atomically (temporary file in the same folder, rename)."""
    dest = Path(path)
    data = json.dumps(schedule_json(p, r), indent=1)
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(dest, (data + "\n").encode(), fsync=False)
    except OSError as exc:
        raise UserError(f"{dest}: cannot write schedule ({exc.strerror or exc})") from None
    return dest
