"""CLI: terawatt fleet plan / simulate / explain, --json, and exit code 2 on bad input."""

from __future__ import annotations

import json

import pytest

GOAL = "build a factory making 400 solar modules per day with 50 robots starting 2027-01-04"


def test_plan_simulate_explain_json(cli, tmp_path):
    r = cli("fleet", "plan", GOAL, "--solver", "heuristic", "--time-limit", "1", "--out",
            str(tmp_path), "--json")
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    folder = doc["run_folder"]
    assert doc["activities"] > 50 and doc["robots"] == 50
    for f in ("plan.parquet", "summary.json", "report.html", "assignments.parquet"):
        assert (tmp_path / folder.split("/")[-1] / f).exists()
    r = cli("fleet", "simulate", folder, "--seed", "3", "--json")
    assert r.exit_code == 0, r.stderr
    s = json.loads(r.stdout)
    assert s["executed_once"] and s["precedence_violations"] == 0
    r = cli("fleet", "explain", folder, "3", "--json")
    assert r.exit_code == 0, r.stderr
    e = json.loads(r.stdout)
    assert e["activity"]["activity"] == 3 and e["critical_path"]["length"] >= 2
    r = cli("fleet", "explain", folder)
    assert r.exit_code == 0 and "Critical path" in r.stdout


@pytest.mark.parametrize(("args", "msg"), [
    (["make me a factory"], "accepted form"),
    (["build a factory making 10 toasters per day with 5 robots"], "unknown product"),
    (["build a factory making 10 solar modules per day with 0 robots"], "zero robots"),
    (["build a factory making 400 solar modules per day with 50 robots by 2027-01-20 "
      "starting 2027-01-04", "--solver", "heuristic", "--time-limit", "1"], "earliest"),
    ([GOAL, "--robots", "none"], "robots"),
])
def test_bad_input_exit_2(cli, tmp_path, args, msg):
    r = cli("fleet", "plan", *args, "--out", str(tmp_path))
    assert r.exit_code == 2
    assert msg in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_explain_not_a_plan(cli, tmp_path):
    r = cli("fleet", "explain", str(tmp_path))
    assert r.exit_code == 2 and "not a fleet plan" in r.stderr
