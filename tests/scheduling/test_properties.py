"""Hypothesis invariants on random small projects: every schedule feasible, CP-SAT (proven
optimal) never worse than the heuristic, every makespan at least every lower bound."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.assumptions import load_registry
from terawatt.scheduling.bounds import lower_bounds
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.problem import Problem, Status
from terawatt.scheduling.settings import SolveSettings
from terawatt.scheduling.solve import solve

SETTINGS = SolveSettings.from_registry(load_registry())  # scheduling.* of the registry


@st.composite
def projects(draw):
    n = draw(st.integers(1, 9))
    r = draw(st.integers(1, 3))
    cap = np.array(draw(st.lists(st.integers(1, 6), min_size=r, max_size=r)))
    dur = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)))
    dem = np.array([[draw(st.integers(0, int(c))) for c in cap] for _ in range(n)]).reshape(n, r)
    arcs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                   st.integers(0, 2)), max_size=2 * n))
    arcs = [(a, b, g) for a, b, g in arcs if a < b]  # acyclic by construction
    src = np.array([a for a, _, _ in arcs], dtype=np.int64)
    dst = np.array([b for _, b, _ in arcs], dtype=np.int64)
    lag = np.array([g for _, _, g in arcs], dtype=np.int64)
    rel = np.array(draw(st.lists(st.integers(0, 4), min_size=n, max_size=n)))
    kw = {}
    if draw(st.booleans()):
        crew = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
        cmax = np.where(crew, np.array([draw(st.integers(1, int(cap[0]))) for _ in range(n)]),
                        0)
        cmin = np.where(crew, np.array([draw(st.integers(1, int(c))) if c else 0
                                        for c in cmax]), 0)
        work = np.where(crew, np.array([float(draw(st.integers(0, 12))) for _ in range(n)]),
                        np.nan)
        kw = dict(work=work, crew_min=cmin, crew_max=cmax, crew_resource=0,
                  crew_exponent=draw(st.sampled_from([0.5, 0.8, 1.0])))
    return Problem.from_arrays(dur, dem, cap, pred=src, succ=dst, lag=lag, release=rel,
                               time_unit_s=60.0, **kw)


@settings(max_examples=60, deadline=None)
@given(p=projects(), seed=st.integers(0, 1000))
def test_schedules_feasible_and_ordered(p, seed):
    lbs = lower_bounds(p)
    h = solve(p, "heuristic", n_schedules=60, seed=seed, settings=SETTINGS)
    c = solve(p, "cpsat", time_limit_s=5, workers=1, seed=seed, settings=SETTINGS)
    for r in (h, c):
        assert r.starts is not None
        assert check_schedule(p, r.starts, r.crews) == []
        assert r.makespan >= max(lbs.values())
        assert r.makespan >= r.lower_bound
    if c.status is Status.OPTIMAL:
        assert c.makespan <= h.makespan


@settings(max_examples=40, deadline=None)
@given(p=projects(), seed=st.integers(0, 1000), data=st.data())
def test_fixed_starts_replanning(p, seed, data):
    """Fix a random subset of a feasible schedule (re-planning): CP-SAT must find a schedule
    keeping them; any heuristic schedule keeps them and is feasible."""
    base = solve(p, "cpsat", time_limit_s=5, workers=1, seed=seed, settings=SETTINGS)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=p.n, max_size=p.n)))
    crew_fixed = {}
    if p.has_crews:  # fix the crew of fixed work-content activities too
        cmin = p.crew_min.copy()
        cmax = p.crew_max.copy()
        m = mask & (p.crew_max > 0)
        cmin[m] = cmax[m] = base.crews[m]
        crew_fixed = dict(crew_min=cmin, crew_max=cmax)
    src, dst, lag = p.arcs()
    q = Problem.from_arrays(
        p.durations if not p.has_crews else np.zeros(p.n, np.int64), p.demands, p.capacities,
        pred=src, succ=dst, lag=lag, release=p.release, time_unit_s=p.time_unit_s,
        fixed_starts=np.where(mask, base.starts, -1),
        **({} if not p.has_crews else dict(work=p.work, crew_resource=0,
                                             crew_exponent=p.crew_exponent, **crew_fixed)))
    c = solve(q, "cpsat", time_limit_s=5, workers=1, seed=seed, settings=SETTINGS)
    assert c.starts is not None and check_schedule(q, c.starts, c.crews) == []
    assert np.all(c.starts[mask] == base.starts[mask])
    for solver in ("heuristic", "auto"):
        h = solve(q, solver, n_schedules=30, seed=seed, time_limit_s=5, settings=SETTINGS)
        if h.starts is not None:
            assert check_schedule(q, h.starts, h.crews) == []
            assert np.all(h.starts[mask] == base.starts[mask])
