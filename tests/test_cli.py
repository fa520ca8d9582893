"""CLI edge: exit codes and one-line errors."""

from __future__ import annotations

import json


def test_assumptions_json(cli):
    r = cli("assumptions", "reference", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert {a["key"] for a in data["assumptions"]} >= {"reference.cny_per_usd"}


def test_assumptions_table(cli):
    r = cli("assumptions", "reference")
    assert r.exit_code == 0
    assert "reference.cny_per_usd" in r.stdout


def test_unknown_key_exit_2_one_line(cli):
    r = cli("assumptions", "--set", "reference.cny_per_usdd=7")
    assert r.exit_code == 2
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "did you mean 'reference.cny_per_usd'" in lines[0]


def test_unknown_scenario_exit_2(cli):
    r = cli("assumptions", "--scenario", "nope")
    assert r.exit_code == 2
    assert "unknown scenario 'nope'" in r.stderr


def test_python_dash_m_runs():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "terawatt", "assumptions", "reference", "--json"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["assumptions"]
