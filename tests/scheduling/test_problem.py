"""Problem model and checker: hand-reasoned toy cases and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from terawatt.errors import UserError
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.problem import Problem, ProblemBuilder


def toy() -> Problem:
    b = ProblemBuilder(time_unit_s=3600.0, name="toy")
    b.add_resource("robots", 10)
    b.add_activity("dig", 3, {"robots": 4})
    b.add_activity("pour", 2, {"robots": 6})
    b.add_activity("wire", 4, {"robots": 7})
    b.add_precedence("dig", "pour", lag=1)
    return b.build()


def test_builder_arrays_and_derived():
    p = toy()
    assert p.n == 3 and p.n_resources == 1 and p.n_arcs == 1
    assert list(p.activity_ids) == ["dig", "pour", "wire"]
    assert p.earliest_start.tolist() == [0, 4, 0]
    assert p.pred_idx.tolist() == [0] and p.pred_ptr.tolist() == [0, 0, 1, 1]


def test_checker_toy():
    p = toy()
    # dig 0-3 (4), wire 3-7 (7): 4+7 > 10 so wire after dig; pour at 7 with lag 1 ok (>=4)
    assert check_schedule(p, np.array([0, 7, 3])) == []
    # pour at 3 violates the lag (needs 4); wire at 0 overlaps dig: 11 > 10
    errs = check_schedule(p, np.array([0, 3, 0]))
    assert any("precedence dig -> pour" in e for e in errs)
    assert any("resource 'robots': use 11 > capacity 10 at t=0" in e for e in errs)
    # touching intervals are fine (half-open): dig ends at 3, wire starts at 3
    assert check_schedule(p, np.array([0, 9, 3])) == []


def test_cycle_named():
    b = ProblemBuilder(time_unit_s=1.0, name="cyc")
    b.add_resource("r", 1)
    for a in "abcd":
        b.add_activity(a, 1)
    b.add_precedence("a", "b")
    b.add_precedence("b", "c")
    b.add_precedence("c", "b")
    b.add_precedence("c", "d")
    with pytest.raises(UserError, match=r"cycle b -> c -> b"):
        b.build()


def test_unknown_id_and_over_capacity_and_deadline():
    b = ProblemBuilder(time_unit_s=1.0, name="x")
    b.add_resource("r", 2)
    b.add_activity("a", 1, {"r": 3})
    with pytest.raises(UserError, match=r"activity a: demand 3 of resource 'r' exceeds its capa"):
        b.build()
    b = ProblemBuilder(time_unit_s=1.0, name="x")
    b.add_resource("r", 2)
    b.add_activity("a", 5)
    b.add_activity("b", 2, deadline=6)
    b.add_precedence("a", "zz")
    with pytest.raises(UserError, match="unknown activity id 'zz'"):
        b.build()
    b = ProblemBuilder(time_unit_s=1.0, name="x")
    b.add_resource("r", 2)
    b.add_activity("a", 5)
    b.add_activity("b", 2, deadline=6)
    b.add_precedence("a", "b", lag=1)
    with pytest.raises(UserError, match="deadline 6 is impossible; earliest feasible finish 8"):
        b.build()


def test_negative_and_one_line():
    with pytest.raises(UserError) as e:
        Problem.from_arrays([1, -2], [[0], [0]], [1], time_unit_s=1.0)
    assert "\n" not in str(e.value) and "duration -2" in str(e.value)
    with pytest.raises(UserError, match="time_unit_s"):
        Problem.from_arrays([1], [[0]], [1], time_unit_s=0.0)


def test_crews_duration_and_check():
    b = ProblemBuilder(time_unit_s=60.0, crew_exponent=0.5)
    b.add_resource("robots", 4)
    b.add_activity("w", work=8, crew=(1, 4), crew_resource="robots")
    b.add_activity("v", 1, {"robots": 1})
    p = b.build()
    assert p.durations.tolist() == [4, 1]  # 8 / 4**0.5 = 4
    assert p.durations_for(np.array([1, 0])).tolist() == [8, 1]
    assert check_schedule(p, np.array([0, 4]), np.array([4, 0])) == []
    assert check_schedule(p, np.array([0, 0]), np.array([3, 0])) == []  # ceil(8/sqrt3)=5
    errs = check_schedule(p, np.array([0, 0]), np.array([4, 0]))
    assert errs and "use 5 > capacity 4" in errs[0]


def test_fixed_starts_validated():
    p = toy()
    q = p.with_fixed_starts(np.array([2, -1, -1]))
    assert q.earliest_start.tolist() == [2, 6, 0]
    assert check_schedule(q, np.array([0, 7, 3]))[0].startswith("activity dig: start 0 but fixed")
    with pytest.raises(UserError, match="fixed start 3 is impossible"):
        p.with_fixed_starts(np.array([-1, 3, -1]))


def test_large_chain_fast():
    n = 200_000
    p = Problem.from_arrays(np.ones(n, int), np.ones((n, 1), int), [1],
                            pred=np.arange(n - 1), succ=np.arange(1, n), time_unit_s=1.0)
    assert p.earliest_start[-1] == n - 1
    assert check_schedule(p, np.arange(n)) == []
