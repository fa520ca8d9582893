"""``terawatt fleet solve``: output, schedule file, one-line errors with exit code 2."""

from __future__ import annotations

import json

import numpy as np
from tests.conftest import PSPLIB

from terawatt.assumptions import load_assumptions
from terawatt.constants import SECONDS_PER_HOUR
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.readers import read_instance

J30_1 = PSPLIB / "J30" / "J30_1.txt"


def test_solve_json_and_schedule_out(cli, tmp_path):
    """j301_1 optimum 43 (PSPLIB j30opt.sm)."""
    out = tmp_path / "sched.json"
    r = cli("fleet", "solve", str(J30_1), "--solver", "cpsat", "--time-limit", "20",
            "--schedule-out", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["makespan"] == 43 and doc["status"] == "optimal" and doc["lower_bound"] == 43
    assert doc["makespan_s"] == 43 * SECONDS_PER_HOUR  # scheduling.file_period = 1 h
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


def test_thresholds_come_from_the_registry(cli, monkeypatch):
    """The solver thresholds are the registry's scheduling.* values, passed to the engine:
    a --set reaches it, and with both auto thresholds below j301_1's 32 activities auto runs
    the heuristic alone instead of CP-SAT after it."""
    from terawatt.cli import fleet_cmd
    from terawatt.scheduling.settings import SETTING_KEYS, SolveSettings

    seen = []
    real = fleet_cmd.solve_instance

    def spy(*args, **kwargs):
        seen.append(kwargs["settings"])
        return real(*args, **kwargs)

    monkeypatch.setattr(fleet_cmd, "solve_instance", spy)
    r = cli("fleet", "solve", str(J30_1), "--json")
    assert r.exit_code == 0, r.stderr
    reg = load_assumptions("seed", [])
    assert seen[-1] == SolveSettings.from_registry(reg)
    assert {f: getattr(seen[-1], f) for f in SETTING_KEYS} == {
        f: reg.value(k, "dimensionless") for f, k in SETTING_KEYS.items()}
    assert "cpsat" in json.loads(r.stdout)["solver"]
    sets = ["--set", "scheduling.auto.cpsat_max_activities=20",
            "--set", "scheduling.auto.warm_max_activities=30",
            "--set", "scheduling.heuristic.parallel_sgs_max_activities=40",
            "--set", "scheduling.heuristic.crew_candidates=3"]
    r = cli("fleet", "solve", str(J30_1), "--json", *sets)
    assert r.exit_code == 0, r.stderr
    assert seen[-1] == SolveSettings(20, 30, 40, 3)
    doc = json.loads(r.stdout)
    assert doc["solver"] == "heuristic" and "cpsat" not in doc["bounds"]
    r = cli("fleet", "solve", str(J30_1), "--set", "scheduling.heuristic.crew_candidates=2.5")
    assert r.exit_code == 2 and "scheduling.heuristic.crew_candidates" in r.stderr
