"""Scale benchmark: a generated 1,000,000-activity / 30,000-robot project.

Usage::

    python benchmarks/bench_million.py                    # 1,000,000 activities
    python benchmarks/bench_million.py --n 200000 --schedules 3

Measures generation + validation, heuristic scheduling (serial SGS with the LFT rule, then
forward-backward improvement) and the independent checker: wall time and peak resident memory
(``resource.getrusage``), with tracemalloc peaks of the scheduling step if ``--tracemalloc``.
Baseline measured in the same run: a plain-Python serial SGS (numpy resource profile, no
numba) on a 5,000-activity project of the same generator, extrapolated linearly to the full
size, and the compiled scheduler on that same slice.
Targets (issue 4): under 2 minutes and 8 GiB, schedule verified by the checker.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np

from terawatt.assumptions import load_assumptions
from terawatt.scheduling.bounds import lower_bounds
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.generator import generate_project
from terawatt.scheduling.heuristic import kernels as K
from terawatt.scheduling.heuristic.search import priority
from terawatt.scheduling.problem import Problem
from terawatt.scheduling.settings import SolveSettings
from terawatt.scheduling.solve import solve


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30


def python_serial_sgs(p: Problem) -> int:
    """Plain-Python serial SGS with a numpy profile (LFT order, crews fixed at crew_max)."""
    pri = priority(p, "lft")
    order = K.list_from_keys(pri + p.topo_order.argsort() * 1e-9 * pri.max(), p.succ_ptr,
                             p.succ_idx, np.diff(p.pred_ptr))
    dem = p.demands_for(None)
    dur = p.durations
    horizon = int(dur.sum()) + int(p.succ_lag.sum()) + 1
    free = np.tile(p.capacities, (min(horizon, 200_000), 1))
    start = np.zeros(p.n, np.int64)
    for i in order.tolist():
        t = 0
        for k in range(p.pred_ptr[i], p.pred_ptr[i + 1]):
            j = p.pred_idx[k]
            t = max(t, int(start[j] + dur[j] + p.pred_lag[k]))
        d = int(dur[i])
        q = dem[i]
        if d:
            while True:
                win = free[t:t + d]
                bad = np.flatnonzero((win < q).any(axis=1))
                if bad.size == 0:
                    break
                t += int(bad[0]) + 1
            free[t:t + d] -= q
        start[i] = t
    return int((start + dur).max())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--robots", type=int, default=30_000)
    ap.add_argument("--zones", type=int, default=40)
    ap.add_argument("--schedules", type=int, default=22,
                    help="SGS passes: LFT with two crew policies (2), then forward-backward "
                    "passes (2 each) while they improve")
    ap.add_argument("--baseline-n", type=int, default=5_000)
    ap.add_argument("--tracemalloc", action="store_true")
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    reg = load_assumptions("seed", [])
    e = reg.value("fleet.crew.exponent", "dimensionless")
    settings = SolveSettings.from_registry(reg)
    rng = np.random.default_rng(a.seed)

    # warm the compiled kernels (cached on disk after the first run)
    small = generate_project(2_000, 100, np.random.default_rng(0), n_zones=2,
                             crew_exponent=e)
    solve(small, "heuristic", settings=settings, n_schedules=3)

    t0 = time.perf_counter()
    p = generate_project(a.n, a.robots, rng, n_zones=a.zones, crew_exponent=e)
    t_gen = time.perf_counter() - t0
    if a.tracemalloc:
        tracemalloc.start()
    t0 = time.perf_counter()
    r = solve(p, "heuristic", settings=settings, n_schedules=a.schedules, time_limit_s=600)
    t_solve = time.perf_counter() - t0
    tm_peak = tracemalloc.get_traced_memory()[1] / 2**30 if a.tracemalloc else float("nan")
    if a.tracemalloc:
        tracemalloc.stop()
    t0 = time.perf_counter()
    bad = check_schedule(p, r.starts, r.crews)
    t_check = time.perf_counter() - t0
    lb = lower_bounds(p)
    rss = peak_rss_gib()

    # baseline on a slice of the same generator, scaled to the same robots per activity
    nb = a.baseline_n
    rb = max(10, a.robots * nb // a.n)
    pb = generate_project(nb, rb, np.random.default_rng(a.seed),
                          n_zones=max(1, a.zones * nb // a.n), crew_exponent=e)
    t0 = time.perf_counter()
    mk_py = python_serial_sgs(pb)
    t_py = time.perf_counter() - t0
    t0 = time.perf_counter()
    rb_ = solve(pb, "heuristic", settings=settings, n_schedules=1, time_limit_s=600)
    t_nb = time.perf_counter() - t0
    t_py_ext = t_py * a.n / nb
    total = t_gen + t_solve + t_check

    print(f"project: {p.n:,} activities, {p.n_arcs:,} arcs, {p.n_resources} resources, "
          f"{a.robots:,} robots, crews on {int((p.crew_max > 0).sum()):,} activities")
    print(f"generate + validate   {t_gen:8.2f} s")
    print(f"schedule (heuristic)  {t_solve:8.2f} s   {r.n_schedules} SGS passes, status "
          f"{r.status.value}")
    print(f"check (independent)   {t_check:8.2f} s   violations: {len(bad)}")
    print(f"total                 {total:8.2f} s   target < 120 s: "
          f"{'met' if total < 120 else 'MISSED'}")
    print(f"peak RSS              {rss:8.2f} GiB target < 8 GiB: "
          f"{'met' if rss < 8 else 'MISSED'}")
    if a.tracemalloc:
        print(f"tracemalloc peak (schedule step) {tm_peak:.2f} GiB")
    print(f"makespan {r.makespan} periods ({r.makespan_s / 86400:.1f} days at "
          f"{p.time_unit_s:g} s/period); lower bounds {lb}; gap "
          f"{100 * (r.gap or 0):.2f} %")
    print(f"baseline: plain-Python serial SGS on {nb:,} activities {t_py:.2f} s "
          f"(makespan {mk_py}); compiled on the same {nb:,}: {t_nb:.3f} s (makespan "
          f"{rb_.makespan}, {rb_.n_schedules} pass)")
    print(f"  speed-up on the slice: {t_py / t_nb:.0f}x; Python extrapolated to {a.n:,}: "
          f"{t_py_ext:.0f} s -> compiled scheduling step is {t_py_ext / t_solve:.0f}x faster "
          f"(with {r.n_schedules} passes vs 1)")


if __name__ == "__main__":
    main()
