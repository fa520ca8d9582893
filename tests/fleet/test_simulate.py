"""Execution: every activity exactly once, precedence never violated, production ramps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terawatt.constants import SECONDS_PER_HOUR
from terawatt.fleet.simulate import SimConfig, precedence_violations, simulate
from terawatt.scheduling.settings import SolveSettings


def cfg(reg, **kw):
    base = dict(replan_time_limit_s=0.5, horizon_days=30)
    base.update(kw)
    return SimConfig.from_registry(reg, **base)


def test_config_figures_come_from_the_registry(reg):
    """SimConfig has no figures of its own: they are the registry's (scenario and --set
    included), with the engine's settings for re-planning; only run settings default."""
    c = SimConfig.from_registry(reg.with_sets(["fleet.robot.mtbf=123 h",
                                               "fleet.production.horizon=2 yr"]))
    assert c.mtbf_h == pytest.approx(123.0) and c.horizon_days == pytest.approx(730.5)
    assert c.mttr_h == reg.value("fleet.robot.mttr", "h")
    assert c.solve_settings == SolveSettings.from_registry(reg)
    assert (c.seed, c.replan) == (0, True)
    with pytest.raises(TypeError):
        SimConfig()  # type: ignore[call-arg]


def test_calm_run_matches_plan(reg, small_data):
    """No randomness: the simulated project follows the plan's list order and never beats
    the critical path."""
    r = simulate(small_data, cfg(reg, duration_cv=0.0, mtbf_h=1e12, late_probability=0.0))
    assert r.summary["executed_once"] and r.summary["done"] == small_data.n
    assert precedence_violations(small_data, r.start_s, r.finish_s) == 0
    assert r.summary["simulated_makespan_h"] >= small_data.summary["critical_path_h"] - 1e-6
    assert r.summary["breakdowns"] == 0 and r.summary["replans"] == 0


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), mtbf=st.floats(20, 2000), late=st.floats(0, 0.6))
def test_disruptions_never_break_precedence(reg, small_data, seed, mtbf, late):
    """Breakdowns and late deliveries (with re-planning) never violate precedence, and every
    activity is executed exactly once."""
    r = simulate(small_data, cfg(reg, seed=seed, mtbf_h=mtbf, late_probability=late,
                                 max_replans=3))
    assert np.all(r.executions == 1)
    assert precedence_violations(small_data, r.start_s, r.finish_s) == 0
    assert np.all(r.finish_s >= r.start_s)


def test_time_is_seconds(reg, small_data):
    r = simulate(small_data, cfg(reg, duration_cv=0.0, mtbf_h=1e12, late_probability=0.0,
                                 replan=False))
    # planned hours x 3600 s = simulated seconds when nothing goes wrong
    assert r.finish_s.max() / SECONDS_PER_HOUR <= small_data.col("finish_h").max() * 1.5


def test_production_ramps_to_rated(reg, small_data):
    r = simulate(small_data, cfg(reg, duration_cv=0.0, mtbf_h=1e12, late_probability=0.0,
                                 ramp_up_days=10, horizon_days=40, replan=False))
    prod = r.production
    rated = small_data.summary["rated_output_per_day"]
    assert prod["output"].iloc[-1] == rated
    assert np.all(np.diff(prod["output"].to_numpy()) >= -1e-9)  # ramp never goes down


def test_same_seed_same_result(reg, small_data):
    a = simulate(small_data, cfg(reg, seed=3, max_replans=2))
    b = simulate(small_data, cfg(reg, seed=3, max_replans=2))
    assert np.array_equal(a.finish_s, b.finish_s)


def test_humanoid_output_joins_the_fleet(reg):
    """Robots building robots (claim C20): a humanoid factory's output joins the fleet."""
    import datetime as dt

    from terawatt.fleet.goal import parse_line
    from terawatt.fleet.plan import make_plan, plan_data

    g = parse_line("build a factory making 50 humanoid robots per day with 60 robots "
                   "starting 2027-01-04", dt.date(2027, 1, 1))
    d = plan_data(make_plan(g, reg, solver="heuristic", time_limit_s=1.0))
    r = simulate(d, cfg(reg, duration_cv=0.0, mtbf_h=1e12, late_probability=0.0, replan=False,
                        horizon_days=20))
    assert r.summary["robots_joined"] == int(r.summary["produced"])
    assert r.summary["fleet_final"] == 60 + r.summary["robots_joined"] > 60
    fleet = r.production["fleet"].to_numpy()
    assert np.all(np.diff(fleet) >= 0)
