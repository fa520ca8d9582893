"""``terawatt fleet solve``: output, schedule file, one-line errors with exit code 2."""

from __future__ import annotations

import importlib
import json

import numpy as np
from tests.conftest import PSPLIB

from terawatt.assumptions import load_assumptions
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.readers import read_instance

solve_mod = importlib.import_module("terawatt.scheduling.solve")
J30_1 = PSPLIB / "J30" / "J30_1.txt"


def test_solve_json_and_schedule_out(cli, tmp_path):
    """j301_1 optimum 43 (PSPLIB j30opt.sm)."""
    out = tmp_path / "sched.json"
    r = cli("fleet", "solve", str(J30_1), "--solver", "cpsat", "--time-limit", "20",
            "--schedule-out", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["makespan"] == 43 and doc["status"] == "optimal" and doc["lower_bound"] == 43
    assert doc["makespan_s"] == 43 * 3600.0
    sched = json.loads(out.read_text())
    assert sched["makespan"] == 43 and set(sched["starts"]) == {str(i) for i in range(1, 33)}
    p = read_instance(J30_1, time_unit_s=1.0)
    starts = np.array([sched["starts"][str(i)] for i in range(1, 33)])
    assert check_schedule(p, starts) == []


def test_solve_table(cli):
    r = cli("fleet", "solve", str(J30_1), "--solver", "heuristic", "--schedules", "200")
    assert r.exit_code == 0, r.stderr
    assert "makespan [period]" in r.stdout and "critical_path" in r.stdout
    assert "runtime [s]" in r.stdout and "period [s]" in r.stdout


def test_errors_exit_2(cli, tmp_path):
    bad = tmp_path / "bad.rcp"
    bad.write_text("3 1\n5\n0 0 1 2\n1 1 1 3\n1 x 1 2\n")
    r = cli("fleet", "solve", str(bad))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1 and "bad.rcp:5:" in r.stderr
    cyc = tmp_path / "cyc.rcp"
    cyc.write_text("3 1\n5\n0 0 1 2\n1 1 1 3\n1 1 1 2\n")
    r = cli("fleet", "solve", str(cyc))
    assert r.exit_code == 2 and "cycle 2 -> 3 -> 2" in r.stderr
    over = tmp_path / "over.rcp"
    over.write_text("2 1\n5\n3 9 1 2\n0 0 0\n")
    r = cli("fleet", "solve", str(over))
    assert r.exit_code == 2 and "exceeds its capacity 5" in r.stderr
    r = cli("fleet", "solve", str(J30_1), "--solver", "magic")
    assert r.exit_code == 2 and "allowed: auto, cpsat, heuristic" in r.stderr
    r = cli("fleet", "solve", str(tmp_path / "missing.sm"))
    assert r.exit_code == 2 and "cannot read" in r.stderr


def test_thresholds_match_assumptions():
    reg = load_assumptions("seed", [])
    assert solve_mod.AUTO_CPSAT_MAX == reg.value("scheduling.auto.cpsat_max_activities",
                                                 "dimensionless")
    assert solve_mod.AUTO_WARM_MAX == reg.value("scheduling.auto.warm_max_activities",
                                                "dimensionless")
    from terawatt.scheduling.heuristic import N_CREW_CANDIDATES
    from terawatt.scheduling.heuristic.search import PARALLEL_SGS_MAX

    assert PARALLEL_SGS_MAX == reg.value("scheduling.heuristic.parallel_sgs_max_activities",
                                         "dimensionless")

    assert N_CREW_CANDIDATES == reg.value("scheduling.heuristic.crew_candidates",
                                                 "dimensionless")
