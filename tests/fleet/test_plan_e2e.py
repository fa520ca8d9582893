"""End to end: one-line goal -> plan -> simulate -> explain on a small factory; monotone
fleet size; bad input refused."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terawatt.errors import UserError
from terawatt.fleet.explain import explain_plan
from terawatt.fleet.goal import parse_line
from terawatt.fleet.plan import grid_sizes, load_plan, make_plan, plan_goal, robots_auto
from terawatt.fleet.simulate import simulate_plan
from terawatt.scheduling.checker import check_schedule

GOAL = "build a factory making 500 solar modules per day with 60 robots starting 2027-01-04"


def test_goal_to_plan_to_simulation_to_explanation(reg, tmp_path):
    res = plan_goal(GOAL, reg, solver="heuristic", time_limit_s=2.0, out=tmp_path)
    data = load_plan(res["folder"])
    # the engine's independent checker accepts the saved schedule
    prob = data.problem()
    assert check_schedule(prob, data.col("start_h"), data.col("crew")) == []
    # every crew slot has a named robot
    assert len(data.robot) == int(data.col("crew").sum()) and data.robot.min() >= 0
    sim = simulate_plan(res["folder"], reg, seed=2, mtbf_h=30.0, late_probability=0.3,
                        replan_time_limit_s=0.5, horizon_days=10, max_replans=3)
    s = sim["summary"]
    assert s["breakdowns"] > 0 and s["replans"] >= 1
    assert s["executed_once"] and s["done"] == data.n
    assert s["precedence_violations"] == 0
    doc = explain_plan(res["folder"], "B1/clearing_grading")
    assert doc["simulation"] is not None
    assert doc["activity"]["label"] == "B1/clearing_grading"
    assert doc["critical_path"]["activities"][-1]["finish_h"] == data.col("finish_h").max()


def _goal(robots):
    return parse_line("build a factory making 300 solar modules per day "
                      f"with {robots} robots starting 2027-01-04", dt.date(2027, 1, 1))


@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(40, 90), st.integers(1, 40))
def test_more_robots_never_later(reg, n, extra):
    """The planned completion is non-increasing in the fleet size (enforced, see plan.py)."""
    a = make_plan(_goal(n), reg, solver="heuristic", time_limit_s=1.0)
    b = make_plan(_goal(n + extra), reg, solver="heuristic", time_limit_s=1.0)
    assert b.summary["makespan_h"] <= a.summary["makespan_h"]


def test_grid_is_fixed_and_nested():
    assert set(grid_sizes(50)) <= set(grid_sizes(80))
    assert np.all(np.diff(grid_sizes(1000)) > 0)


def test_robots_auto_curve_is_monotone(reg):
    g = _goal(10).with_robots(None)
    rec, curve = robots_auto(g, reg, time_limit_s=0.5, points=5)
    mk = [c["makespan_h"] for c in curve]
    assert all(b <= a for a, b in zip(mk, mk[1:], strict=False))
    assert rec in [c["robots"] for c in curve]


def test_deadline_cannot_be_met_names_earliest(reg):
    g = parse_line("build a factory making 300 solar modules per day with 60 robots by "
                   "2027-02-01 starting 2027-01-04", dt.date(2027, 1, 1))
    with pytest.raises(UserError, match=r"cannot be met .* earliest completion \d{4}-\d\d-\d\d"):
        make_plan(g, reg, solver="heuristic", time_limit_s=1.0)


def test_too_few_robots_refused(reg):
    with pytest.raises(UserError, match="robots"):
        make_plan(_goal(2), reg, solver="heuristic", time_limit_s=1.0)


def test_report_shows_auto_curve_and_simulation(reg, small_data):
    """The HTML report carries the Gantt, the --robots auto curve and simulated vs planned."""
    from terawatt.fleet.simulate import SimConfig, simulate
    from terawatt.report.fleet_report import fleet_report

    g = _goal(10).with_robots(None)
    _, curve = robots_auto(g, reg, time_limit_s=0.5, points=3)
    small_data.summary["curve"] = curve
    try:
        sim = simulate(small_data, SimConfig.from_registry(reg, replan=False, horizon_days=5))
        html = fleet_report(small_data, sim)
    finally:
        small_data.summary["curve"] = []
    for title in ("Construction phases", "Drill-down by building", "Fleet size trade-off",
                  "Simulated vs planned", "Resource utilisation"):
        assert title in html
