"""Heuristic search: priority rules, biased random sampling, forward-backward improvement and
an activity-list genetic algorithm, all over the compiled schedule-generation schemes.

Every pass of a schedule-generation scheme (forward or backward) counts as one schedule, as in
the Kolisch & Hartmann protocol.

References
----------
Kolisch, R., Hartmann, S. (2006). Experimental investigation of heuristics for
resource-constrained project scheduling: An update. EJOR 174(1), 23-37.
Tormos, P., Lova, A. (2001). A competitive heuristic solution technique for
resource-constrained project scheduling. Annals of Operations Research 102, 65-81.
Valls, V., Ballestin, F., Quintanilla, S. (2005). Justification and RCPSP: A technique that
pays. EJOR 165(2), 375-386. https://doi.org/10.1016/j.ejor.2004.04.008
Hartmann, S. (1998). A competitive genetic algorithm for resource-constrained project
scheduling. Naval Research Logistics 45(7), 733-750.
Drexl, A. (1991). Scheduling of project networks by job assignment. Management Science
37(12), 1590-1602 (regret-based biased random sampling).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from terawatt.scheduling.heuristic import kernels as K
from terawatt.scheduling.problem import Problem, _forward_pass
from terawatt.scheduling.settings import SolveSettings

__all__ = ["Prepared", "Schedule", "prepare", "priority", "search"]


@dataclass(frozen=True, slots=True)
class Schedule:
    starts: np.ndarray
    durations: np.ndarray
    crews: np.ndarray
    makespan: int
    order: np.ndarray  # activity list that reproduces it with the serial SGS


@dataclass(frozen=True, slots=True)
class Prepared:
    """The problem's arrays in the layout the kernels take."""

    p: Problem
    dur: np.ndarray
    dem_ptr: np.ndarray
    dem_res: np.ndarray
    dem_q: np.ndarray
    crew_pos: np.ndarray  # index into dem_q of the crew entry, -1 if none
    release: np.ndarray
    fixed: np.ndarray
    no_fixed: np.ndarray
    zeros: np.ndarray
    work: np.ndarray
    cmin: np.ndarray
    cmax: np.ndarray
    crew_res: int
    npred: np.ndarray
    rank: np.ndarray
    h0: int
    crew_candidates: int  # crew sizes tried per work-content activity in the serial SGS


def prepare(p: Problem, crew_candidates: int) -> Prepared:
    """Lay out ``p`` for the kernels; ``crew_candidates`` is
    :attr:`~terawatt.scheduling.settings.SolveSettings.crew_candidates`."""
    n = p.n
    dem = p.demands_for(None) if p.has_crews else p.demands
    if p.has_crews:
        assert p.crew_max is not None
        m = p.crew_max > 0
        dem = dem.copy()
        dem[m, p.crew_resource] = np.maximum(dem[m, p.crew_resource], 1)
    nz_i, nz_r = np.nonzero(dem)
    dem_ptr = np.zeros(n + 1, np.int64)
    np.cumsum(np.bincount(nz_i, minlength=n), out=dem_ptr[1:])
    dem_res = nz_r.astype(np.int64)
    dem_q = dem[nz_i, nz_r].astype(np.int64)
    crew_pos = np.full(n, -1, np.int64)
    if p.has_crews:
        hit = np.flatnonzero(dem_res == p.crew_resource)
        crew_pos[nz_i[hit]] = hit
        assert p.crew_max is not None
        crew_pos[p.crew_max == 0] = -1
    zeros = np.zeros(n, np.int64)
    rank = np.empty(n, np.int64)
    rank[p.topo_order] = np.arange(n)
    fixed = p.fixed_starts if p.fixed_starts is not None else np.full(n, -1, np.int64)
    cp = int(np.max(p.earliest_start + p.durations)) if n else 0
    return Prepared(
        p=p,
        dur=p.durations.astype(np.int64),
        dem_ptr=dem_ptr,
        dem_res=dem_res,
        dem_q=dem_q,
        crew_pos=crew_pos,
        release=p.release if p.release is not None else zeros,
        fixed=fixed.astype(np.int64),
        no_fixed=np.full(n, -1, np.int64),
        zeros=zeros,
        work=p.work if p.work is not None else np.zeros(n),
        cmin=p.crew_min if p.crew_min is not None else zeros,
        cmax=p.crew_max if p.crew_max is not None else zeros,
        crew_res=-1 if p.crew_resource is None else int(p.crew_resource),
        npred=np.diff(p.pred_ptr).astype(np.int64),
        rank=rank,
        h0=2 * cp + 64,
        crew_candidates=int(crew_candidates),
    )


def _latest_finish(p: Problem, horizon: int) -> np.ndarray:
    """Latest finish times for a horizon (backward critical-path pass) [period]."""
    # tail[i] = max over successors j of (lag + d_j + tail[j]): the longest path after i ends,
    # computed as earliest starts of the reversed project (predecessor CSR as successors)
    order_rev = p.topo_order[::-1].copy()
    tail = _forward_pass(order_rev, p.pred_ptr, p.pred_idx, p.pred_lag, p.durations,
                         np.zeros(p.n, np.int64))
    return horizon - tail


def priority(p: Problem, rule: str) -> np.ndarray:
    """Priority values, smaller is better: ``lft``, ``lst``, ``mts``, ``grpw``, ``spt``."""
    if rule in ("lft", "lst"):
        lf = _latest_finish(p, int(np.max(p.earliest_start + p.durations)) if p.n else 0)
        return (lf - (p.durations if rule == "lst" else 0)).astype(np.float64)
    if rule == "grpw":
        src = np.repeat(np.arange(p.n), np.diff(p.succ_ptr))
        g = p.durations.astype(np.float64).copy()
        np.add.at(g, src, p.durations[p.succ_idx])
        return -g
    if rule == "mts":
        return -_total_successors(p).astype(np.float64)
    if rule == "spt":
        return p.durations.astype(np.float64)
    raise ValueError(f"unknown priority rule {rule!r}")


def _total_successors(p: Problem) -> np.ndarray:
    """Number of (transitive) successors; exact with bit sets up to 4,096 activities, else the
    number of successors within 3 levels."""
    n = p.n
    if n <= 4096:
        reach = np.zeros((n, n), dtype=bool)
        for i in p.topo_order[::-1]:
            s = p.succ_idx[p.succ_ptr[i]:p.succ_ptr[i + 1]]
            if s.size:
                reach[i] = reach[s].any(axis=0)
                reach[i, s] = True
        return reach.sum(axis=1)
    cnt = np.diff(p.succ_ptr).astype(np.int64)
    src = np.repeat(np.arange(n), cnt)
    tot = cnt.copy()
    lvl = cnt.copy()
    for _ in range(2):
        nxt = np.zeros(n, np.int64)
        np.add.at(nxt, src, lvl[p.succ_idx])
        lvl = nxt
        tot += lvl
    return tot


# --------------------------------------------------------------------------- passes
def forward(a: Prepared, order: np.ndarray, *, crews: np.ndarray | None = None) -> Schedule:
    """One serial-SGS pass (1 schedule)."""
    cmin, cmax = (a.cmin, a.cmax) if crews is None else (crews, crews)
    s, d, c, mk = K.serial_sgs(order, a.dur, a.dem_ptr, a.dem_res, a.dem_q, a.p.capacities,
                               a.p.pred_ptr, a.p.pred_idx, a.p.pred_lag, a.release, a.fixed,
                               a.work, cmin, cmax, a.crew_res, a.p.crew_exponent,
                               a.crew_candidates, a.h0)
    return Schedule(s, d, c, int(mk), order)


def parallel(a: Prepared, keys: np.ndarray) -> Schedule:
    """One parallel-SGS pass (1 schedule)."""
    s, d, c, mk = K.parallel_sgs(keys.astype(np.float64), a.dur, a.dem_ptr, a.dem_res,
                                 a.dem_q, a.p.capacities, a.p.pred_ptr, a.p.pred_idx,
                                 a.p.pred_lag, a.p.succ_ptr, a.p.succ_idx, a.p.succ_lag,
                                 a.release, a.fixed, a.work, a.cmin, a.cmax, a.crew_res,
                                 a.p.crew_exponent, a.h0)
    order = np.lexsort((a.rank, s))
    return Schedule(s, d, c, int(mk), order)


def justify(a: Prepared, sch: Schedule) -> Schedule:
    """Forward-backward improvement (double justification): right-justify every activity in
    decreasing order of finish time, then left-justify in increasing order of start time
    (2 schedules). The result is never worse than the input when nothing is fixed."""
    fin = sch.starts + sch.durations
    border = np.lexsort((-a.rank, -fin))
    dem_q = a.dem_q
    has_c = a.crew_pos >= 0
    if np.any(has_c):
        dem_q = dem_q.copy()
        dem_q[a.crew_pos[has_c]] = sch.crews[has_c]
    zc = a.zeros
    bs, bd, _, bmk = K.serial_sgs(border, sch.durations, a.dem_ptr, a.dem_res, dem_q,
                                  a.p.capacities, a.p.succ_ptr, a.p.succ_idx, a.p.succ_lag,
                                  zc, a.no_fixed, a.work, zc, zc, -1, 1.0, 1, a.h0)
    fstart = bmk - bs - bd
    forder = np.lexsort((a.rank, fstart))
    new = forward(a, forder, crews=np.where(has_c, sch.crews, 0) if np.any(has_c) else None)
    if new.makespan <= sch.makespan:
        return Schedule(new.starts, new.durations, new.crews, new.makespan,
                        np.lexsort((a.rank, new.starts)))
    return sch


# --------------------------------------------------------------------------- search
def search(
    p: Problem,
    n_schedules: int,
    rng: np.random.Generator,
    *,
    settings: SolveSettings,
    rules: tuple[str, ...] = ("lft", "lst", "mts", "grpw"),
    pop_size: int = 40,
    lower_bound: int = 0,
    time_limit_s: float = float("inf"),
) -> tuple[Schedule, int]:
    """Best schedule within about ``n_schedules`` SGS passes; returns (schedule, passes used).

    Phases: each priority rule with the serial SGS (crews by earliest finish, and every crew
    at the geometric mean of its range) and the parallel SGS, each justified; then
    regret-based biased random sampling with the LFT rule, justified, filling a population;
    then a steady-state genetic algorithm (two-point crossover, neighbour-swap mutation,
    every child justified). Stops early at ``lower_bound`` or after ``time_limit_s`` [s]
    (at least one schedule is always made). ``settings`` gives the crew sizes tried per
    activity and the size up to which the parallel scheme is tried (it retries every waiting
    activity at each decision time, which grows quadratically on large saturated projects).
    """
    t_end = time.perf_counter() + time_limit_s
    a = prepare(p, settings.crew_candidates)
    K.seed_numba(int(rng.integers(2**31 - 1)))
    used = 0
    pop: list[Schedule] = []
    best: Schedule | None = None
    large = p.n > 20_000

    def add(s: Schedule) -> None:
        nonlocal best
        if best is None or s.makespan < best.makespan:
            best = s
        pop.append(s)

    mid = None
    if p.has_crews:
        mid = np.where(a.cmax > 0, np.round(np.sqrt(a.cmin * a.cmax.astype(np.float64))),
                       0).astype(np.int64)
        mid = np.clip(mid, a.cmin, a.cmax)
    pri = {r: priority(p, r) for r in ((("lft",)) if large else rules)}
    for key in pri.values():
        if best is not None and (used >= n_schedules or time.perf_counter() > t_end):
            break
        keyed = key + a.rank * 1e-9 * (1 + np.abs(key).max())
        lst = K.list_from_keys(keyed, p.succ_ptr, p.succ_idx, a.npred)
        s = forward(a, lst)
        used += 1
        if mid is not None and used < n_schedules:
            # second crew policy: every crew at the geometric mean of its range (less energy
            # than the earliest-finish choice when the crew resource is the bottleneck)
            s_mid = forward(a, lst, crews=mid)
            used += 1
            if s_mid.makespan < s.makespan:
                s = s_mid
        if used + 2 <= n_schedules:
            s = justify(a, s)
            used += 2
        add(s)
        if used + 3 <= n_schedules and p.n <= settings.parallel_sgs_max_activities:
            s2 = justify(a, parallel(a, keyed))
            used += 3
            add(s2)
    assert best is not None
    if large:
        # big projects: iterate justification on the best while it improves
        while used + 2 <= n_schedules and time.perf_counter() < t_end:
            s = justify(a, best)
            used += 2
            if s.makespan >= best.makespan:
                break
            best = s
        return best, used
    lft = pri["lft"]
    while (len(pop) < pop_size and used + 3 <= n_schedules and best.makespan > lower_bound
           and time.perf_counter() < t_end):
        lst = K.rbrs_list(lft, p.succ_ptr, p.succ_idx, a.npred, 1.0)
        add(justify(a, forward(a, lst)))
        used += 3
    n = p.n
    pop.sort(key=lambda s: s.makespan)
    pop = pop[:pop_size]
    while (used + 3 <= n_schedules and best.makespan > lower_bound
           and time.perf_counter() < t_end):
        i, j = rng.integers(len(pop), size=2)
        k, m = rng.integers(len(pop), size=2)
        mother = pop[min(i, j)]
        father = pop[min(k, m)]
        q1, q2 = np.sort(rng.integers(0, n + 1, size=2))
        child = K.crossover2(mother.order, father.order, q1, q2)
        child = K.mutate(child, a.rank, p.succ_ptr, p.succ_idx, 0.05)
        s = justify(a, forward(a, child))
        used += 3
        if s.makespan < pop[-1].makespan or (s.makespan == pop[-1].makespan
                                              and rng.random() < 0.5):
            pop[-1] = s
            pop.sort(key=lambda x: x.makespan)
        if s.makespan < best.makespan:
            best = s
    return best, used
