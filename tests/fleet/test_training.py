"""Training centre (``terawatt train``, :mod:`terawatt.fleet.training`).

1. the learning curve against Wright (1936): each doubling of cumulative practice multiplies the
   time by the learning rate, and the packaged default is Wright's 80 %;
2. transfer between related task types; the greedy allocation only ever lowers multipliers;
3. training never lengthens the planned build time (Hypothesis, small goal, heuristic solver);
4. the skills file round-trips into ``fleet plan --skills``;
5. bad input: one line, exit 2.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import refused
from typer.testing import CliRunner

from terawatt.cli import app
from terawatt.fleet.expand import load_recipe
from terawatt.fleet.goal import parse_line
from terawatt.fleet.plan import make_plan
from terawatt.fleet.training import (
    apply_skills,
    load_skills,
    skills_toml,
    train,
    transfer_matrix,
    wright_multiplier,
)

SMALL_GOAL = ("build a factory making 1000 solar modules per day with 60 robots "
              "starting 2027-01-04")  # as tests/fleet/conftest.py
WRIGHT_1936_RATE = 0.80  # Wright 1936, doi:10.2514/8.155: 80 % per doubling (airframe labour)


def small_goal():
    import datetime as dt

    return parse_line(SMALL_GOAL, dt.date(2027, 1, 1))


# ------------------------------------------------------------------------------- 1. curve
def test_default_learning_rate_is_wrights(reg):
    a = reg.items["training.learning_rate"]
    assert a.value == WRIGHT_1936_RATE
    assert a.source.year == 1936 and "10.2514/8.155" in a.source.title
    assert a.low < a.value < a.high


@pytest.mark.parametrize("rate", [WRIGHT_1936_RATE, 0.7, 0.9])
def test_doubling_practice_multiplies_time_by_learning_rate(rate):
    p = np.array([1.0, 3.7, 1e3, 2.5e6])
    ratio = wright_multiplier(2 * p, 1.0, rate) / wright_multiplier(p, 1.0, rate)
    np.testing.assert_allclose(ratio, rate, rtol=0, atol=1e-9)
    assert wright_multiplier(7.0, 7.0, rate) == pytest.approx(1.0, abs=1e-12)
    # ten doublings: rate**10 (Wright's 80 %: 0.107 of the first unit's time)
    assert float(wright_multiplier(1024.0, 1.0, rate)) == pytest.approx(rate ** 10, abs=1e-9)


# ------------------------------------------------------------------------------- 2. model
def test_transfer_matrix_links_task_types_of_a_shared_phase():
    rec = load_recipe()
    t = transfer_matrix(rec, 0.33)
    idx = {k: i for i, k in enumerate(rec.tasks)}
    np.testing.assert_array_equal(np.diag(t), 1.0)
    np.testing.assert_array_equal(t, t.T)
    assert t[idx["steel"], idx["envelope"]] == 0.33  # both in 'structure'
    assert t[idx["survey"], idx["commissioning"]] == 0.0  # no shared phase


def test_training_only_lowers_multipliers_and_spends_the_budget(reg):
    tr = train(reg, robots=1000, days=5, target=small_goal())
    assert np.all(np.diff(tr.multiplier, axis=0) <= 1e-15)
    assert np.all(np.diff(tr.failure_rate, axis=0) <= 1e-15)
    hours = reg.value("training.practice_hours_per_day", "h")
    np.testing.assert_allclose(tr.allocated_h.sum(axis=1), 1000 * hours, rtol=1e-12)
    assert tr.work_content_h(5) < tr.work_content_h(0)
    floor = reg.si("training.min_time_multiplier")
    assert tr.multiplier.min() >= floor - 1e-15


# ------------------------------------------------------------------------------- 3. property
@pytest.fixture(scope="module")
def untrained(reg):
    return make_plan(small_goal(), reg, solver="heuristic", time_limit_s=2.0).summary


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(robots=st.integers(1, 30_000), days=st.integers(0, 3))
def test_training_never_lengthens_the_planned_build(reg, untrained, robots, days):
    goal = small_goal()
    tr = train(reg, robots=robots, days=days, target=goal)
    trained = make_plan(apply_skills(goal, tr.skills), reg, solver="heuristic",
                        time_limit_s=2.0).summary
    assert trained["makespan_h"] <= untrained["makespan_h"]
    assert trained["work_robot_h"] <= untrained["work_robot_h"] * (1 + 1e-12)


# ------------------------------------------------------------------------------- 4. round trip
def test_skills_file_round_trips(reg, tmp_path):
    tr = train(reg, robots=500, days=2, target=small_goal())
    path = tmp_path / "skills.toml"
    path.write_text(skills_toml(tr.skills, "test"), encoding="utf-8")
    back = load_skills(path)
    assert dict(back.levels) == dict(tr.skills.levels)
    for k, v in tr.skills.time_multiplier.items():
        assert back.time_multiplier[k] == v  # repr() of a float round-trips exactly


def test_fleet_plan_uses_the_skills_file_levels(tmp_path):
    skills = tmp_path / "skills.toml"
    skills.write_text("[skills.steel]\nlevel = 2\n\n[skills.concrete]\nlevel = 1\n"
                      "time_multiplier = 1.5\n", encoding="utf-8")
    base = ["fleet", "plan", SMALL_GOAL, "--solver", "heuristic", "--time-limit", "2",
            "--out", str(tmp_path / "runs"), "--json"]
    r0 = CliRunner().invoke(app, base)
    r1 = CliRunner().invoke(app, [*base, "--skills", str(skills)])
    assert r0.exit_code == 0 and r1.exit_code == 0, (r0.stderr, r1.stderr)
    s0, s1 = json.loads(r0.stdout), json.loads(r1.stdout)
    assert s0["skills"]["steel"]["level"] == 3 and s1["skills"]["steel"]["level"] == 2
    assert s1["skills"]["concrete"] == {"level": 1, "time_multiplier": 1.5}
    assert s1["skills"]["survey"]["level"] == 3  # not in the file: the goal's level
    assert s1["work_robot_h"] > s0["work_robot_h"]  # slower robots: more robot-hours
    saved = json.loads((Path(s1["run_folder"]) / "summary.json").read_text())
    assert saved["skills"]["steel"]["level"] == 2


def test_train_cli_writes_a_skills_file_that_fleet_plan_reads(tmp_path):
    r = CliRunner().invoke(app, ["train", "--robots", "10000", "--days", "2", "--target",
                                 SMALL_GOAL, "--time-limit", "2", "--out",
                                 str(tmp_path / "runs"), "--json"])
    assert r.exit_code == 0, r.stderr
    s = json.loads(r.stdout)
    c = s["completion"]
    assert c["makespan_h_with"] <= c["makespan_h_without"]
    assert c["with_training"] <= c["without_training"]  # ISO dates compare as text
    folder = Path(s["run_folder"])
    assert (folder / "skills.toml").is_file() and (folder / "summary.json").is_file()
    assert len(s["curves"]["day"]) == 3
    r2 = CliRunner().invoke(app, ["fleet", "plan", SMALL_GOAL, "--solver", "heuristic",
                                  "--time-limit", "2", "--skills", str(folder / "skills.toml"),
                                  "--out", str(tmp_path / "runs"), "--json"])
    assert r2.exit_code == 0, r2.stderr
    p = json.loads(r2.stdout)
    for task, v in s["tasks"].items():
        assert p["skills"][task]["level"] == v["level"]
        assert math.isclose(p["skills"][task]["time_multiplier"], v["time_multiplier"])
    assert p["completion"] == c["with_training"]


# ------------------------------------------------------------------------------- 5. refusals


def test_refuses_learning_rate_outside_0_1(tmp_path):
    for v in ("1.5", "1", "0", "-0.2"):
        refused(["train", "--set", f"training.learning_rate={v}", "--out", str(tmp_path)],
                "training.learning_rate", v)
    assert not any(tmp_path.iterdir())


def test_refuses_negative_robot_count(tmp_path):
    refused(["train", "--robots", "-5", "--out", str(tmp_path)], "--robots", "-5")
    refused(["train", "--robots", "0", "--out", str(tmp_path)], "--robots")
    refused(["train", "--days", "-1", "--out", str(tmp_path)], "--days")
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("text, needles", [
    ("[skills.welding]\nlevel = 2\n", ("skills.welding", "unknown task type", "steel")),
    ("[skills.steel]\nlevel = 4\n", ("skills.steel.level", "4", "0, 1, 2 or 3")),
    ("[skills.steel]\nlevel = -1\n", ("skills.steel.level", "-1")),
    ("[skills.steel]\nlevel = 2.0\n", ("skills.steel.level", "2.0")),
    ("[skills.steel]\nlevel = 2\ntime_multiplier = 0\n", ("time_multiplier", "> 0")),
    ("[skills.steel]\nlevel = 2\nspeed = 3\n", ("skills.steel", "allowed")),
    ("steel = 2\n", ("expected one table 'skills'",)),
])
def test_refuses_bad_skills_files(tmp_path, text, needles):
    path = tmp_path / "skills.toml"
    path.write_text(text, encoding="utf-8")
    refused(["fleet", "plan", SMALL_GOAL, "--skills", str(path), "--out",
             str(tmp_path / "runs")], str(path), *needles)
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_skills_below_the_recipe_minimum_are_refused(reg, tmp_path):
    path = tmp_path / "skills.toml"
    path.write_text("[skills.steel]\nlevel = 1\n", encoding="utf-8")  # steel needs level 2
    refused(["fleet", "plan", SMALL_GOAL, "--skills", str(path), "--out",
             str(tmp_path / "runs")], "fleet.skills.steel", ">= 2")


def test_apply_skills_keeps_the_goal_where_the_file_is_silent():
    goal = small_goal()
    goal = dataclasses.replace(goal, fleet=dataclasses.replace(goal.fleet, skills={"steel": 2}))
    out = apply_skills(goal, load_skills_from_levels({"concrete": 2}))
    assert out.fleet.level("steel") == 2 and out.fleet.level("concrete") == 2
    assert out.fleet.level("survey") == 3


def load_skills_from_levels(levels):
    from terawatt.fleet.training import Skills

    return Skills(levels, {})
