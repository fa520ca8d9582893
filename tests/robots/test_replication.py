"""The robot economy: the fleet plan of a robot factory sets the stack model's replication.

The doubling time the stack model shows while factories bind must equal the one computed
directly from the fleet plan (:func:`doubling_time_from_plan`: the dominant eigenvalue of one
step's linear map), and a change that moves the plan's build time moves both.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from terawatt.assumptions import load_assumptions
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.robots.replication import (
    FACTORIES_ONLY,
    doubling_time_from_plan,
    plan_factory,
    replication_from,
    robot_years,
    run_stack_planned,
)
from terawatt.stack.model import RobotFactory

#: every robot input but the factories made ample, so that factory capacity binds
AMPLE = list(FACTORIES_ONLY)


def _stack_doubling_yr(reg) -> float:
    res = run_stack_planned(reg, marginal=False)
    assert set(res.binding_by_year("robots")[-3:]) == {"factories"}
    g = res.step("robot_growth_per_s")[-4:, 0]
    return float(np.mean(math.log(2.0) / g)) / SECONDS_PER_YEAR


def test_stack_doubling_equals_plan_and_both_move_with_the_plan():
    base = load_assumptions("seed").with_sets(AMPLE)
    slower = base.with_sets(["fleet.crew.exponent=0.7"])    # less work per added robot
    out = []
    for reg in (base, slower):
        direct = replication_from(reg)
        stack = _stack_doubling_yr(reg)
        assert stack == pytest.approx(direct.doubling_time_s / SECONDS_PER_YEAR, rel=1e-6)
        out.append((direct.factory.build_time_s, stack))
    (b0, d0), (b1, d1) = out
    assert b1 > b0 * 1.2            # the plan's build time moved ...
    assert d1 > d0 * 1.1            # ... and so did the stack's doubling time


def test_plan_factory_uses_the_plan_and_is_cached():
    reg = load_assumptions("seed")
    f = plan_factory(reg)
    assert plan_factory(load_assumptions("seed")) is f
    assert "fleet plan" in f.source
    assert f.capacity_per_s * 86400 == pytest.approx(200.0)      # two 100/day lines
    assert 0 < f.crew <= reg.value("robots.factory.fleet", "robot")
    assert 30 * 86400 < f.build_time_s < 10 * SECONDS_PER_YEAR
    other = plan_factory(reg.with_sets(["fleet.crew.exponent=0.7"]))
    assert other is not f and other.build_time_s != f.build_time_s


def test_continuous_limit():
    f = RobotFactory(build_time_s=SECONDS_PER_YEAR, crew=100.0,
                     capacity_per_s=1e5 / SECONDS_PER_YEAR)
    r = doubling_time_from_plan(f, 0.1, 12 * SECONDS_PER_YEAR, SECONDS_PER_YEAR / 1e5)
    assert r.doubling_time_s == pytest.approx(r.doubling_time_continuous_s, rel=1e-3)
    # a = s cap / (crew T) = 100/yr^2: r ~ 10/yr, doubling ~ 0.069 yr
    assert r.doubling_time_continuous_s / SECONDS_PER_YEAR == pytest.approx(0.0693, rel=0.01)


def test_fallback_differs_from_plan():
    """Without a plan the registry fallbacks are used; the planned run differs."""
    from terawatt.stack import run_stack

    reg = load_assumptions("seed").with_sets(AMPLE)
    a = run_stack(reg, marginal=False).step("robots")[-1, 0]
    b = run_stack_planned(reg, marginal=False).step("robots")[-1, 0]
    assert a != pytest.approx(b, rel=1e-3)


def test_robot_years_seed():
    res = run_stack_planned(load_assumptions("seed"), marginal=False)
    rows = robot_years(res)
    assert [r["year"] for r in rows] == [int(y) for y in res.years]
    for r in rows:
        assert r["robots"] >= 0 and r["robots_construction"] <= r["robots"]
        assert r["robot_doubling_time_yr"] > 0
        assert r["bottleneck_robots"] in ("factories", "chips", "materials", "power")


def test_cli_run_shows_robots_by_year(cli):
    r = cli("run", "--no-save", "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert "fleet plan" in doc["robot_factory"]["source"]
    for row in doc["years"]:
        assert row["robots"] > 0 and row["robot_doubling_time_yr"] > 0
        assert row["bottleneck_robots"]
    t = cli("run", "--no-save")
    assert t.exit_code == 0, t.stderr
    assert "Robots building robots" in t.stdout and "doubling time (yr)" in t.stdout


def test_a_trained_crew_never_builds_the_factory_slower_and_shortens_the_doubling():
    """The training centre's skills, planned into the reference robot factory, never lengthen
    its build time (Wright's law only lowers task times), and the doubling time of robots
    building robots follows the build time down."""
    for days in ("1", "30"):
        reg = load_assumptions("seed").with_sets([f"training.days={days}"])
        plain, trained = replication_from(reg), replication_from(reg, trained=True)
        assert trained.factory.build_time_s <= plain.factory.build_time_s * (1 + 1e-9)
        assert trained.doubling_time_s <= plain.doubling_time_s * (1 + 1e-9)
    assert trained.factory.build_time_s < 0.9 * plain.factory.build_time_s
    assert "trained" in trained.factory.source


def test_the_trained_crew_switch_moves_the_stacks_doubling_time_with_the_plan():
    """robots.factory.trained_crew = 1: the stack runs on the trained plan, and its doubling
    time (factories binding) equals the trained plan's, below the untrained one."""
    base = load_assumptions("seed").with_sets(AMPLE)
    switched = base.with_sets(["robots.factory.trained_crew=1"])
    trained = replication_from(base, trained=True).doubling_time_s / SECONDS_PER_YEAR
    assert replication_from(switched).doubling_time_s / SECONDS_PER_YEAR == pytest.approx(trained)
    assert _stack_doubling_yr(switched) == pytest.approx(trained, rel=1e-6)
    assert _stack_doubling_yr(switched) < _stack_doubling_yr(base)
