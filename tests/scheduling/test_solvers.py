"""Solvers on known optima (PSPLIB j30), hand-reasoned toys, crews, fixed starts, scale."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from tests.conftest import PSPLIB

from terawatt.assumptions import load_registry
from terawatt.scheduling.bounds import lower_bounds
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.generator import generate_project
from terawatt.scheduling.problem import ProblemBuilder, Status
from terawatt.scheduling.readers import read_instance
from terawatt.scheduling.settings import SolveSettings
from terawatt.scheduling.solve import components, solve

SETTINGS = SolveSettings.from_registry(load_registry())  # scheduling.* of the registry

RCPSP = PSPLIB
BKS = {r["instance"]: int(r["bks"])
       for r in csv.DictReader((RCPSP / "bks.csv").read_text().splitlines())}


@pytest.mark.parametrize("k", [1, 14, 49, 97, 145, 193, 241, 290, 337, 433])
def test_cpsat_j30_optimum(k):
    """CP-SAT reaches and proves the published j30 optimum (PSPLIB j30opt.sm via the OR&S
    solutions update; all j30 optima are proven), tolerance 0 periods."""
    f = f"J30_{k}.txt"
    p = read_instance(RCPSP / "J30" / f, time_unit_s=1.0)
    r = solve(p, "cpsat", time_limit_s=30, workers=1, settings=SETTINGS)
    assert r.status is Status.OPTIMAL
    assert r.makespan == BKS[f] and r.lower_bound == BKS[f]
    assert check_schedule(p, r.starts) == []


@pytest.mark.parametrize(("f", "tol"), [("J30/J30_1.txt", 0.0), ("J30/J30_200.txt", 0.05),
                                        ("J120/J120_1.txt", 0.08), ("J120/J120_300.txt", 0.08)])
def test_heuristic_near_bks(f, tol):
    """Heuristic at 1,000 schedules within a few % of the best-known makespan
    (bks.csv, OR&S solutions update Sep 2024)."""
    p = read_instance(RCPSP / f, time_unit_s=1.0)
    r = solve(p, "heuristic", n_schedules=1000, seed=1, settings=SETTINGS)
    assert check_schedule(p, r.starts) == []
    bks = BKS[f.split("/")[1]]
    assert bks <= r.makespan <= bks * (1 + tol)
    assert r.makespan >= max(lower_bounds(p).values())


def toy_two_machines():
    b = ProblemBuilder(time_unit_s=60.0, name="toy")
    b.add_resource("robots", 3)
    b.add_activity("a", 4, {"robots": 2})
    b.add_activity("b", 4, {"robots": 2})
    b.add_activity("c", 2, {"robots": 1})
    b.add_precedence("a", "c", lag=1)
    return b.build()


@pytest.mark.parametrize("solver", ["cpsat", "heuristic", "auto"])
def test_toy_hand_reasoned(solver):
    """a and b cannot overlap (2+2 > 3): 8 periods; c (1 robot) runs beside b after a+lag:
    a 0-4, c 5-7, b 4-8 -> makespan 8."""
    p = toy_two_machines()
    r = solve(p, solver, time_limit_s=5, settings=SETTINGS)
    assert r.makespan == 8 and check_schedule(p, r.starts) == []
    assert r.makespan_s == 480.0


def test_bounds_toy():
    p = toy_two_machines()
    b = lower_bounds(p)
    assert b["critical_path"] == 7  # a 4 + lag 1 + c 2
    assert b["resource"] == 6  # ceil((4*2 + 4*2 + 2*1) / 3)


def test_crews_choose_size():
    """24 robot-periods of work, e = 1: with 8 robots free it takes 3 periods; a second
    activity needing 4 robots for 3 periods forces a crew of 4 (6 periods) or waiting."""
    b = ProblemBuilder(time_unit_s=3600.0, crew_exponent=1.0)
    b.add_resource("robots", 8)
    b.add_activity("w", work=24, crew=(1, 8), crew_resource="robots")
    p = b.build()
    for s in ("cpsat", "heuristic"):
        r = solve(p, s, settings=SETTINGS)
        assert r.makespan == 3 and r.crews is not None and r.crews[0] == 8
    b.add_activity("x", 6, {"robots": 4})
    p = b.build()
    for s in ("cpsat", "heuristic"):
        r = solve(p, s, settings=SETTINGS)
        assert r.makespan == 6 and check_schedule(p, r.starts, r.crews) == []


def test_fixed_starts_honoured():
    p = toy_two_machines().with_fixed_starts(np.array([-1, 0, -1]))
    # b fixed at 0-4; a cannot overlap it (2 + 2 > 3): a 4-8, c after lag 1: 9-11
    for s in ("cpsat", "heuristic"):
        r = solve(p, s, settings=SETTINGS)
        assert r.starts[1] == 0 and check_schedule(p, r.starts) == []
        assert r.makespan == 11


def test_components_split():
    b = ProblemBuilder(time_unit_s=1.0)
    b.add_resource("r", 2)
    b.add_resource("big", 100)
    for a in "abcd":
        b.add_activity(a, 2, {"big": 1})
    b.add_activity("e", 2, {"r": 2})
    b.add_precedence("a", "b")
    b.add_precedence("c", "d")
    p = b.build()
    k, _ = components(p)
    assert k == 3  # 'big' never runs short, so it couples nothing
    r = solve(p, "auto", settings=SETTINGS)
    assert r.makespan == 4 and r.status is Status.OPTIMAL and check_schedule(p, r.starts) == []


def test_generated_100k_fast():
    p = generate_project(100_000, 3_000, np.random.default_rng(3), n_zones=4)
    r = solve(p, "heuristic", n_schedules=3, time_limit_s=60, settings=SETTINGS)
    assert check_schedule(p, r.starts, r.crews) == []
    assert r.makespan >= r.lower_bound == max(lower_bounds(p).values())


def test_settings_come_from_the_registry():
    """Every SolveSettings field is its scheduling.* assumption; --set changes it; a count that
    is not a whole number >= 1 is refused (one-line UserError naming the key)."""
    from dataclasses import asdict

    from terawatt.errors import UserError
    from terawatt.scheduling.settings import SETTING_KEYS

    reg = load_registry()
    assert asdict(SETTINGS) == {f: reg.value(k, "dimensionless") for f, k in SETTING_KEYS.items()}
    moved = SolveSettings.from_registry(reg.with_sets(["scheduling.auto.cpsat_max_activities=7"]))
    assert moved.cpsat_max_activities == 7
    with pytest.raises(UserError, match="scheduling.heuristic.crew_candidates"):
        SolveSettings.from_registry(reg.with_sets(["scheduling.heuristic.crew_candidates=2.5"]))
    with pytest.raises(ValueError, match="warm_max_activities"):
        SolveSettings(300, 0, 5000, 6)


def test_auto_thresholds_choose_the_solver():
    """j301_1 (32 activities): within cpsat_max_activities auto runs CP-SAT after its
    heuristic hint and proves the optimum 43 (PSPLIB j30opt.sm); with both auto thresholds
    below 32 it runs the heuristic alone (no CP-SAT bound)."""
    from dataclasses import replace

    p = read_instance(RCPSP / "J30" / "J30_1.txt", time_unit_s=1.0)
    r = solve(p, "auto", time_limit_s=20, settings=SETTINGS)
    assert "cpsat" in r.solver and "cpsat" in r.bounds and r.makespan == 43
    small = replace(SETTINGS, cpsat_max_activities=1, warm_max_activities=1)
    h = solve(p, "auto", time_limit_s=20, settings=small)
    assert h.solver == "heuristic" and "cpsat" not in h.bounds
    assert check_schedule(p, h.starts) == []
