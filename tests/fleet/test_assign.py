"""Robot assignment: every crew slot gets a robot, no robot is in two places at once."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terawatt.errors import UserError
from terawatt.fleet.assign import Battery, assign_robots, battery_cycle

BAT = Battery(runtime_h=4.0, trip_h=0.1, charge_h=0.9)


def overlaps(asg, starts, finishes):
    """Robot-level overlaps (two slots of one robot at the same time)."""
    act = np.repeat(np.arange(len(starts)), np.diff(asg.slot_ptr))
    bad = 0
    for r in np.unique(asg.robot):
        a = act[asg.robot == r]
        o = np.argsort(starts[a])
        s, f = starts[a][o], finishes[a][o]
        bad += int(np.sum(s[1:] < f[:-1]))
    return bad


def test_battery_cycle_from_published_pack(reg):
    """Optimus pack 2.3 kWh at ~0.45 kW of work (Tesla AI Day 2022): about 4-5 h of work."""
    b = battery_cycle(reg)
    assert 3.5 < b.runtime_h < 5.5
    assert 0 < b.duty < 1


def test_two_robots_two_jobs_in_sequence():
    asg = assign_robots(np.array([0, 5]), np.array([5, 9]), np.array([2, 2]), 2, BAT)
    assert sorted(asg.robots_of(0)) == sorted(asg.robots_of(1)) == [0, 1]
    assert asg.busy_h.tolist() == [9.0, 9.0]


def test_too_few_robots_refused():
    with pytest.raises(UserError, match="more crew slots"):
        assign_robots(np.array([0, 1]), np.array([5, 9]), np.array([2, 2]), 3, BAT)


def test_charge_trips_follow_duty_cycle():
    asg = assign_robots(np.array([0]), np.array([50]), np.array([1]), 1, BAT)
    assert asg.charge_trips[0] == 10  # 50 h / 5 h cycle


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20), st.integers(1, 4)),
                min_size=1, max_size=40))
def test_feasible_schedule_always_assigned(jobs):
    """Any schedule within the fleet gets every slot a robot with no double booking."""
    s = np.array([j[0] for j in jobs])
    f = s + np.array([j[1] for j in jobs])
    c = np.array([j[2] for j in jobs])
    # fleet = peak use of the schedule
    t = np.arange(0, f.max() + 1)
    peak = max(int(c[(s <= x) & (f > x)].sum()) for x in t)
    asg = assign_robots(s, f, c, peak, BAT)
    assert asg.n_slots == c.sum() and np.all(asg.robot >= 0)
    assert overlaps(asg, s, f) == 0


def test_small_plan_assignment(small_plan):
    p = small_plan
    asg = p.assignment
    assert asg.n_slots == int(p.crews.sum())
    assert overlaps(asg, p.starts, p.finishes) == 0
    assert asg.robot.max() < p.schedule.pool
