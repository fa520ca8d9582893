"""PSPLIB / Patterson readers: known instance data, malformed files with line numbers, fuzz."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import PSPLIB

from terawatt.errors import UserError
from terawatt.scheduling.problem import Problem
from terawatt.scheduling.readers import read_instance

RCPSP = PSPLIB


def to_sm(p: Problem) -> str:
    """Write a problem in PSPLIB .sm layout (Kolisch & Sprecher 1997), for the reader test."""
    n, r = p.n, p.n_resources
    out = ["*" * 20, "file with basedata : test", "*" * 20,
           f"jobs (incl. supersource/sink ):  {n}", "RESOURCES",
           f"  - renewable                 :  {r}   R", "*" * 20,
           "PRECEDENCE RELATIONS:", "jobnr.    #modes  #successors   successors"]
    for i in range(n):
        s = p.succ_idx[p.succ_ptr[i]:p.succ_ptr[i + 1]] + 1
        out.append(f"   {i + 1}        1          {len(s)}  " + " ".join(map(str, s)))
    out += ["*" * 20, "REQUESTS/DURATIONS:",
            "jobnr. mode duration  " + " ".join(f"R {k + 1}" for k in range(r)), "-" * 20]
    for i in range(n):
        out.append(f"  {i + 1}      1     {p.durations[i]}    "
                   + " ".join(str(q) for q in p.demands[i]))
    out += ["*" * 20, "RESOURCEAVAILABILITIES:", "  " + "  ".join(f"R {k + 1}" for k in range(r)),
            "  " + "  ".join(str(c) for c in p.capacities), "*" * 20]
    return "\n".join(out) + "\n"


def test_patterson_j301_1():
    """j301_1 (= J30_1.txt): 32 activities, 4 resources with capacities 12 13 4 12
    (PSPLIB, Kolisch & Sprecher 1997)."""
    p = read_instance(RCPSP / "J30" / "J30_1.txt", time_unit_s=1.0)
    assert p.n == 32 and p.capacities.tolist() == [12, 13, 4, 12]
    assert p.activity_ids[0] == 1 and p.activity_ids[-1] == 32
    assert p.durations[1] == 8 and p.demands[1].tolist() == [4, 0, 0, 0]
    assert p.succ_idx[p.succ_ptr[0]:p.succ_ptr[1]].tolist() == [1, 2, 3]


def test_sm_matches_patterson(tmp_path):
    p = read_instance(RCPSP / "J30" / "J30_1.txt", time_unit_s=1.0)
    f = tmp_path / "j301_1.sm"
    f.write_text(to_sm(p))
    q = read_instance(f, time_unit_s=1.0)
    assert np.array_equal(p.durations, q.durations) and np.array_equal(p.demands, q.demands)
    assert np.array_equal(p.succ_idx, q.succ_idx) and np.array_equal(p.succ_ptr, q.succ_ptr)


def test_malformed_line_numbers(tmp_path):
    lines = (RCPSP / "J30" / "J30_1.txt").read_text().splitlines()
    bad = list(lines)
    bad[4] = bad[4].replace("3", "x", 1)
    f = tmp_path / "bad.txt"
    f.write_text("\n".join(bad))
    with pytest.raises(UserError, match=r"bad.txt:5: .*'x' is not an integer"):
        read_instance(f, time_unit_s=1.0)
    f.write_text("\n".join(lines[:10]))
    with pytest.raises(UserError, match=r"bad.txt:10: unexpected end of file"):
        read_instance(f, time_unit_s=1.0)
    bad = list(lines)
    bad[2] = bad[2].split()[0] + " 0 0 0 0 1 99"
    bad[2] = "0 0 0 0 0 1 99"
    f.write_text("\n".join(bad))
    with pytest.raises(UserError, match=r"bad.txt:3: activity 1: successor 99; allowed 1..32"):
        read_instance(f, time_unit_s=1.0)


def test_sm_multimode_refused(tmp_path):
    p = read_instance(RCPSP / "J30" / "J30_1.txt", time_unit_s=1.0)
    text = to_sm(p).replace("   2        1          ", "   2        3          ", 1)
    f = tmp_path / "mm.sm"
    f.write_text(text)
    with pytest.raises(UserError, match=r"mm.sm:11: activity 2: 3 modes; allowed: 1"):
        read_instance(f, time_unit_s=1.0)


def test_cycle_in_file(tmp_path):
    f = tmp_path / "cyc.rcp"
    f.write_text("3 1\n5\n0 0 1 2\n1 1 1 3\n1 1 1 2\n")
    with pytest.raises(UserError, match=r"cyc.rcp: precedence cycle 2 -> 3 -> 2"):
        read_instance(f, time_unit_s=1.0)


def test_demand_over_capacity_file(tmp_path):
    f = tmp_path / "cap.rcp"
    f.write_text("2 1\n5\n3 9 1 2\n0 0 0\n")
    with pytest.raises(UserError, match=r"activity 1: demand 9 of resource 'R1' exceeds"):
        read_instance(f, time_unit_s=1.0)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(
    st.text(alphabet="0123456789 \n-x", max_size=80),
    st.text(max_size=60),
    st.lists(st.integers(-3, 12), max_size=30).map(lambda v: " ".join(map(str, v))),
), suffix=st.sampled_from([".rcp", ".sm"]))
def test_fuzz_any_text_is_problem_or_one_line_error(tmp_path, text, suffix):
    f = tmp_path / f"fuzz{suffix}"
    f.write_text(text, encoding="utf-8")
    try:
        p = read_instance(f, time_unit_s=1.0)
    except UserError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("fuzz")
    else:
        assert isinstance(p, Problem)
