"""Independent schedule checker: precedence with lags, every resource at every time.

It shares no code with the solvers.  Resource use is checked with an event sweep per resource
(sort the start/finish events, cumulative sum), O(n log n) and independent of the horizon
length (OR-Tools issue #3982 notes that a time-indexed check is O(horizon)).
"""

from __future__ import annotations

import numpy as np

from terawatt.scheduling.problem import Problem

__all__ = ["check_schedule"]

_MAX_PER_KIND = 5


def check_schedule(
    problem: Problem, starts: np.ndarray, crews: np.ndarray | None = None
) -> list[str]:
    """List every violated constraint of a schedule (empty list: the schedule is feasible).

    Parameters
    ----------
    problem : Problem
    starts : (n,) int [period]
        Start time of every activity.
    crews : (n,) int [robot], optional
        Crew size of work-content activities (ignored for fixed-duration ones); default
        ``crew_max``.

    Returns
    -------
    list of str
        One message per violation (at most a few per kind, then a count).
    """
    p = problem
    n = p.n
    out: list[str] = []
    st = np.asarray(starts)
    if st.shape != (n,):
        return [f"starts: shape {st.shape}; expected ({n},)"]
    if st.dtype.kind not in "iu":
        return [f"starts: dtype {st.dtype}; expected integers"]
    st = st.astype(np.int64)
    ids = p.activity_ids

    def report(kind: str, bad: np.ndarray, fmt) -> None:  # type: ignore[no-untyped-def]
        idx = np.flatnonzero(bad)
        for i in idx[:_MAX_PER_KIND]:
            out.append(fmt(int(i)))
        if idx.size > _MAX_PER_KIND:
            out.append(f"{kind}: {idx.size - _MAX_PER_KIND} more violations")

    # ---- crews and durations (recomputed here from work content, not taken from a solver)
    if p.has_crews:
        assert p.crew_min is not None and p.crew_max is not None and p.work is not None
        m = p.crew_max > 0
        c = p.crew_max.copy() if crews is None else np.asarray(crews, dtype=np.int64)
        if c.shape != (n,):
            return [f"crews: shape {c.shape}; expected ({n},)"]
        report("crew", m & ((c < p.crew_min) | (c > p.crew_max)),
                lambda i: f"activity {ids[i]}: crew {c[i]} outside "
                          f"{p.crew_min[i]}..{p.crew_max[i]}")
        c = np.where(m, np.clip(c, np.maximum(p.crew_min, 1), np.maximum(p.crew_max, 1)), 0)
        dur = p.durations.copy()
        w = p.work[m]
        dur[m] = np.ceil(w / c[m].astype(np.float64) ** p.crew_exponent - 1e-9).astype(np.int64)
        dem = p.demands.copy()
        dem[m, p.crew_resource] = c[m]
    else:
        dur = p.durations
        dem = p.demands
    fin = st + dur

    # ---- time windows
    report("start", st < 0, lambda i: f"activity {ids[i]}: start {st[i]} < 0")
    if p.release is not None:
        rel = p.release
        report("release", st < rel,
               lambda i: f"activity {ids[i]}: start {st[i]} before release {rel[i]}")
    if p.deadline is not None:
        dl = p.deadline
        report("deadline", (dl >= 0) & (fin > dl),
               lambda i: f"activity {ids[i]}: finish {fin[i]} after deadline {dl[i]}")
    if p.fixed_starts is not None:
        fx = p.fixed_starts
        report("fixed", (fx >= 0) & (st != fx),
               lambda i: f"activity {ids[i]}: start {st[i]} but fixed at {fx[i]}")

    # ---- precedence: start[j] >= finish[i] + lag for every arc
    if p.n_arcs:
        src = np.repeat(np.arange(n), np.diff(p.succ_ptr))
        dst = p.succ_idx
        need = fin[src] + p.succ_lag
        bad = st[dst] < need
        k = np.flatnonzero(bad)
        for e in k[:_MAX_PER_KIND]:
            out.append(
                f"precedence {ids[src[e]]} -> {ids[dst[e]]} (lag {p.succ_lag[e]}): "
                f"start {st[dst[e]]} < {need[e]}"
            )
        if k.size > _MAX_PER_KIND:
            out.append(f"precedence: {k.size - _MAX_PER_KIND} more violations")

    # ---- resources: event sweep per resource
    runs = dur > 0
    for r in range(p.n_resources):
        use = runs & (dem[:, r] > 0)
        if not np.any(use):
            continue
        q = dem[use, r]
        t = np.concatenate([st[use], fin[use]])
        delta = np.concatenate([q, -q])
        # at equal times finishes (-) come before starts (+): intervals are half-open
        order = np.lexsort((delta, t))
        level = np.cumsum(delta[order])
        cap = p.capacities[r]
        over = np.flatnonzero(level > cap)
        if over.size:
            times = np.unique(t[order][over])
            for tt in times[:_MAX_PER_KIND]:
                peak = level[over][t[order][over] == tt].max()
                out.append(
                    f"resource {p.resource_names[r]!r}: use {peak} > capacity {cap} at t={tt}"
                )
            if times.size > _MAX_PER_KIND:
                out.append(f"resource {p.resource_names[r]!r}: {times.size - _MAX_PER_KIND} "
                           "more over-capacity times")
    return out
