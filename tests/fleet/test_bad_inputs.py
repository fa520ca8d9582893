"""Bad goals and damaged run folders: each is refused with one :class:`UserError` line naming the
file, the key or table, the value and what is allowed, and through the CLI with exit code 2,
one ``error:`` line, no traceback and nothing written.

1. goals too large to plan (size counted before any array is made) and non-finite rates;
2. goal-file ``skills`` and every other key (unknown keys, wrong types, ranges);
3. damaged plan and simulation folders (truncated, foreign, missing, wrong columns/types);
4. two simulations of the same plan at the same moment.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import refused

from terawatt.errors import UserError
from terawatt.fleet.expand import (
    check_size,
    expand,
    load_template,
    project_size,
    skill_efficiency,
)
from terawatt.fleet.explain import explain, explain_plan
from terawatt.fleet.folders import PLAN_FILES, read_plan
from terawatt.fleet.goal import MAX_ROBOTS, SKILL_LEVELS, Fleet, Goal, load_goal, parse_line
from terawatt.fleet.plan import load_plan, make_plan, save_plan
from terawatt.fleet.simulate import load_simulation, simulate_plan
from terawatt.io import runfolder

SMALL_GOAL = ("build a factory making 1000 solar modules per day with 60 robots "
              "starting 2027-01-04")  # as in conftest.py
START = dt.date(2027, 1, 4)
HUGE = "build a factory making 1000000000000 solar modules per day with 5000 robots"


# --------------------------------------------------------------------------- helpers
def tree(folder: Path) -> list[str]:
    """Every file and folder below ``folder`` (to show that nothing was written)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))




def raises(fn: Callable[[], object], *needles: str) -> str:
    """``fn()`` raises a one-line UserError holding every needle; returns its message."""
    with pytest.raises(UserError) as exc:
        fn()
    msg = str(exc.value)
    assert "\n" not in msg
    for n in needles:
        assert n in msg, (n, msg)
    return msg


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory, small_data) -> Path:
    """A plan folder of the small goal (written once; tests damage copies of it)."""
    folder = tmp_path_factory.mktemp("plan") / "20270104T000000-fleet-solar_module"
    folder.mkdir()
    save_plan(small_data, folder)
    return folder


@pytest.fixture(scope="module")
def sim_dir(tmp_path_factory, plan_dir, reg) -> Path:
    """A plan folder with one finished simulation inside."""
    folder = tmp_path_factory.mktemp("sim") / plan_dir.name
    shutil.copytree(plan_dir, folder)
    simulate_plan(folder, reg, seed=0, max_replans=2)
    return folder


@pytest.fixture
def copy(tmp_path) -> Callable[[Path], Path]:
    def make(src: Path) -> Path:
        dst = tmp_path / src.name
        shutil.copytree(src, dst)
        return dst
    return make


# 1 --------------------------------------------------------------------------- size limit
@pytest.mark.parametrize("text", [
    "build a factory making 1000 solar modules per day with 60 robots",
    "build a factory making 50000 humanoid robots per day with 3000 robots",
    "build a factory making 1200 chip packages per day",
    "build a factory making 100 compute satellites per day",
])
def test_size_count_is_exact(reg, text):
    """The count made before any array is exactly what the expansion builds."""
    goal = parse_line(text, START)
    size = project_size(goal, reg)
    p = expand(goal, reg)
    assert (size.activities, size.arcs, size.lines, size.buildings) == \
        (p.n, p.pred.shape[0], p.n_lines, p.n_buildings)


@pytest.mark.parametrize(("rate", "needles"), [
    ("1000000000000", ["value 1e+12 solar_module per day", "4.35e+8 lines",
                       "1.09e+11 activities", "~66,000 GiB to plan",
                       "allowed: at most 2,000,000 activities (~1.5 GiB to plan, ~4.3 GiB to "
                       "simulate), i.e. a rate up to 1.83e+7 solar_module per day"]),
    ("100000000", ["value 1e+08", "43,479 lines", "1.09e+7 activities"]),
])
def test_too_large_refused_before_allocating(reg, rate, needles):
    goal = parse_line(HUGE.replace("1000000000000", rate), START)
    msg = raises(lambda: expand(goal, reg), "goal: key 'rate_per_day'", *needles)
    raises(lambda: make_plan(goal, reg, solver="heuristic"), "activities")
    # the largest rate the message allows is within the limit, one line more is not
    lines = int(re.search(r"\(([\d,]+) lines of", msg)[1].replace(",", ""))
    per_line = load_template("solar_module").figures["line_output"].value
    ok = Goal(product="solar_module", rate_per_day=lines * per_line, start=START)
    assert project_size(ok, reg).activities <= reg.si("fleet.limits.max_activities")
    more = Goal(product="solar_module", rate_per_day=(lines + 1) * per_line, start=START)
    assert project_size(more, reg).activities > reg.si("fleet.limits.max_activities")


def test_limit_is_a_parameter(reg):
    goal = parse_line(SMALL_GOAL, START)
    assert check_size(goal, reg).activities == 256
    raises(lambda: expand(goal, reg, max_activities=100), "needs 1 line and 256 activities",
           "at most 100 activities", "no solar_module factory")


def test_too_large_cli_writes_nothing(tmp_path):
    refused(["fleet", "plan", HUGE, "--out", str(tmp_path / "runs")], "goal: key 'rate_per_day'",
            "activities", "GiB", "allowed: at most 2,000,000 activities")
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(("value", "needles"), [
    ("inf", ["value inf", "a finite number > 0"]),
    ("nan", ["value nan", "a finite number > 0"]),
    ("-inf", ["value -inf"]),
    ("1e308", ["value 1e+308", "1.09e+307 activities", "at most 2,000,000 activities"]),
    ("0", ["value 0"]),
    ("-5", ["value -5"]),
    ('"1000"', ["value '1000'", "a finite number > 0"]),
    ("true", ["value True"]),
])
def test_goal_file_rate_refused(tmp_path, reg, value, needles):
    f = tmp_path / "goal.toml"
    f.write_text(f'product = "solar module"\nrate_per_day = {value}\nstart = 2027-01-04\n'
                 "[fleet]\ncount = 60\n")

    def plan():
        return make_plan(load_goal(str(f)), reg, solver="heuristic")

    raises(plan, f"{f}: key 'rate_per_day'", *needles)
    refused(["fleet", "plan", str(f), "--out", str(tmp_path / "runs")], f"{f}:", *needles)
    assert not (tmp_path / "runs").exists()


def test_line_rate_overflowing_to_inf_refused():
    text = f"build a factory making 1{'0' * 400} solar modules per day with 50 robots"
    raises(lambda: parse_line(text, START), "key 'rate_per_day': value inf", "finite")


@pytest.mark.parametrize("robots", ["1000000000000", "100000000000000000000"])
def test_too_many_robots_refused(tmp_path, robots):
    text = SMALL_GOAL.replace("60 robots", f"{robots} robots")
    raises(lambda: parse_line(text, START), "key 'robots'", f"at most {MAX_ROBOTS:,} robots")
    refused(["fleet", "plan", text, "--out", str(tmp_path / "runs")], "at most 1,000,000 robots")
    assert not (tmp_path / "runs").exists()


# 2 --------------------------------------------------------------------------- goal files
GOAL_FILE = """product = "solar module"
rate_per_day = 1000
start = 2027-01-04
{top}
[fleet]
count = 60
{fleet}
"""
TASKS = "commissioning, concrete, default, earthworks, electrical, envelope"


@pytest.mark.parametrize(("top", "fleet", "needles"), [
    ("", 'skills = { default = "abc" }',
     ["key 'fleet.skills.default': value 'abc'", "skill level 0, 1, 2 or 3"]),
    ("", "skills = { default = 7 }", ["key 'fleet.skills.default': value 7", "0, 1, 2 or 3"]),
    ("", "skills = { default = 2.0 }", ["key 'fleet.skills.default': value 2.0"]),
    ("", "skills = { default = true }", ["key 'fleet.skills.default': value True"]),
    ("", "skills = { steel = -1 }", ["key 'fleet.skills.steel': value -1"]),
    ("", "skills = { weldingx = 2 }", ["key 'fleet.skills.weldingx': unknown task type",
                                       f"allowed: {TASKS}"]),
    ("", 'skills = "expert"', ["key 'fleet.skills': value 'expert'", "a table with keys"]),
    ("", "skills = { steel = 1 }", ["key 'fleet.skills.steel': value 1", "allowed: >= 2"]),
    ("", "skills = { default = 0 }", ["key 'fleet.skills.default': value 0", "allowed: >= 2"]),
    ("budget_usd = -5", "", ["key 'budget_usd': value -5.0", "a finite number >= 0"]),
    ("budget_usd = inf", "", ["key 'budget_usd': value inf", "a finite number >= 0"]),
    ('budget_usd = "lots"', "", ["key 'budget_usd': value 'lots'", "a finite number >= 0"]),
    ("colour = 'red'", "", ["key 'colour': unknown field", "allowed: budget_usd, deadline"]),
    ("", "speed = 2", ["key 'fleet.speed': unknown field", "allowed: battery_kwh"]),
    ("site = { name = 'A', country = 'X' }", "", ["key 'site.country': unknown field"]),
    ("site = 5", "", ["key 'site': value 5", "a string or a table"]),
    ("site = { name = 5 }", "", ["key 'site.name': value 5", "a string"]),
    ("name = 7", "", ["key 'name': value 7", "a string"]),
    ("equipment = { bulldozer = 2 }", "", ["key 'equipment.bulldozer': unknown equipment",
                                           "allowed: concrete_pump, crane"]),
    ("equipment = { crane = 2.5 }", "", ["key 'equipment.crane': value 2.5", "whole number"]),
    ("equipment = { crane = true }", "", ["key 'equipment.crane': value True"]),
    ("equipment = 3", "", ["key 'equipment': value 3", "a table"]),
    ("", 'walk_speed_m_s = "fast"', ["key 'fleet.walk_speed_m_s': value 'fast'",
                                     "a finite number > 0"]),
    ("", "battery_kwh = -1", ["key 'fleet.battery_kwh': value -1.0", "> 0"]),
    ("", "charge_kw = nan", ["key 'fleet.charge_kw': value nan", "finite"]),
    ("deadline = 2026-01-01", "", ["key 'deadline': value 2026-01-01", "a date after"]),
    ("deadline = 'soon'", "", ["key 'deadline': value 'soon'", "a date YYYY-MM-DD"]),
])
def test_goal_file_key_refused(tmp_path, reg, top, fleet, needles):
    f = tmp_path / "goal.toml"
    f.write_text(GOAL_FILE.format(top=top, fleet=fleet))

    def plan():
        return make_plan(load_goal(str(f)), reg, solver="heuristic")

    raises(plan, f"{f}", *needles)
    refused(["fleet", "plan", str(f), "--out", str(tmp_path / "runs")], str(f), *needles)
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize(("fleet", "needles"), [
    ("count = 60.5", ["key 'fleet.count': value 60.5"]),
    ("count = true", ["key 'fleet.count': value True"]),
    ("count = 'many'", ["key 'fleet.count': value 'many'"]),
    ("count = 0", ["key 'fleet.count': value 0", "zero robots"]),
    ("count = 2000000", ["key 'fleet.count': value 2,000,000", "at most 1,000,000"]),
])
def test_goal_file_count_refused(tmp_path, fleet, needles):
    f = tmp_path / "goal.toml"
    f.write_text(GOAL_FILE.format(top="", fleet="").replace("count = 60", fleet))
    raises(lambda: load_goal(str(f)), str(f), *needles)


def test_goal_file_product_must_be_text(tmp_path):
    f = tmp_path / "goal.toml"
    f.write_text(GOAL_FILE.format(top="", fleet="").replace('"solar module"', "3"))
    raises(lambda: load_goal(str(f)), f"{f}: key 'product': value 3; allowed: a string")


def test_skill_levels_exist_in_the_registry(reg):
    """Every allowed level has a speed: 0 none, 1 and 2 from the assumptions, 3 the expert."""
    eff = [skill_efficiency(reg, lvl) for lvl in SKILL_LEVELS]
    assert eff[0] == 0.0 and eff[-1] == 1.0 and all(0 < e < 1 for e in eff[1:-1])
    assert eff == sorted(eff)


def test_fleet_refuses_unknown_task_and_bad_level():
    raises(lambda: Fleet(skills={"welding": 2}), "'fleet.skills.welding': unknown task type")
    raises(lambda: Fleet(skills={"steel": True}), "'fleet.skills.steel': value True")
    raises(lambda: Fleet(default_level=4), "'fleet.skills.default': value 4")


def test_good_goal_file_still_accepted(tmp_path):
    f = tmp_path / "goal.toml"
    f.write_text(GOAL_FILE.format(
        top='budget_usd = 2e9\nsite = { name = "Austin", location = "TX" }\n'
            "equipment = { crane = 3 }",
        fleet="walk_speed_m_s = 1.5\nskills = { default = 2, commissioning = 3, steel = 3 }"))
    g = load_goal(str(f))
    assert g.source == str(f) and g.fleet.level("steel") == 3 and g.fleet.level("survey") == 2
    assert g.budget_usd == 2e9 and g.equipment == {"crane": 3}


# 3 --------------------------------------------------------------------------- damaged folders
def _table(name: str, fn: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / name
        fn(pd.read_parquet(path)).to_parquet(path, index=False)
    return damage


def _summary(fn: Callable[[dict], None]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        doc = json.loads((folder / "summary.json").read_text())
        fn(doc)
        (folder / "summary.json").write_text(json.dumps(doc))
    return damage


def _truncate(name: str, size: int) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        with open(folder / name, "r+b") as fh:
            fh.truncate(size)
    return damage


def _write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data)


def _set(frame: pd.DataFrame, col: str, value: object, row: int = 0) -> pd.DataFrame:
    frame[col] = frame[col].copy()
    frame.loc[row, col] = value
    return frame


PLAN_DAMAGE = {
    "plan truncated": (_truncate("plan.parquet", 100), "plan.parquet: not a readable Parquet"),
    "plan empty": (_truncate("plan.parquet", 0), "plan.parquet: not a readable Parquet"),
    "arcs foreign": (_write("arcs.parquet", b"PAR1 this is a text file, not Parquet\n"),
                     "arcs.parquet: not a readable Parquet"),
    "assignments csv": (_write("assignments.parquet", b"activity,robot\n0,1\n"),
                        "assignments.parquet: not a readable Parquet"),
    "summary broken": (_write("summary.json", b'{"goal": '), "summary.json: not readable as JSON"),
    "summary binary": (_write("summary.json", b"\xff\xfe\x00"), "summary.json: not readable"),
    "summary a list": (_write("summary.json", b"[1, 2]"), "summary.json: value [1, 2]"),
    "summary no model": (_summary(lambda d: d.pop("model")), "summary.json: key 'model' is "
                                                              "missing"),
    "summary bad pool": (_summary(lambda d: d["model"].update(pool="x")),
                         "summary.json: key 'model.pool': value 'x'"),
    "summary nan stretch": (_summary(lambda d: d["model"].update(stretch=float("nan"))),
                            "summary.json: key 'model.stretch': value nan"),
    "summary bad start": (_summary(lambda d: d.update(start="soon")),
                          "summary.json: key 'start': value 'soon'"),
    "summary activities": (_summary(lambda d: d.update(activities=999)),
                           "plan.parquet: 256 rows but summary.json has activities = 999"),
    "summary equipment": (_summary(lambda d: d["model"].update(equipment_capacity=[1])),
                          "key 'model.equipment_capacity'"),
    "plan missing": (lambda f: (f / "plan.parquet").unlink(), "plan.parquet: missing"),
    "arcs missing": (lambda f: (f / "arcs.parquet").unlink(), "arcs.parquet: missing"),
    "assignments a folder": (lambda f: ((f / "assignments.parquet").unlink(),
                                        (f / "assignments.parquet").mkdir()),
                             "assignments.parquet: a folder, not a file"),
    "column dropped": (_table("plan.parquet", lambda t: t.drop(columns=["crew"])),
                       "plan.parquet: column 'crew' is missing"),
    "column as text": (_table("plan.parquet", lambda t: t.assign(crew=t["crew"].astype(str))),
                       "plan.parquet: column 'crew': type"),
    "column as float": (_table("arcs.parquet", lambda t: t.astype(float)),
                        "arcs.parquet: column 'pred': type double; allowed: integer"),
    "rows dropped": (_table("plan.parquet", lambda t: t.iloc[:-5]),
                     "plan.parquet: 251 rows but summary.json has activities = 256"),
    "arc rows dropped": (_table("arcs.parquet", lambda t: t.iloc[:-1]),
                         "arcs.parquet: 368 rows but summary.json has precedences = 369"),
    "arc out of range": (_table("arcs.parquet", lambda t: _set(t, "succ", 256)),
                         "arcs.parquet: column 'succ': value 256 in row 0; allowed: an activity"),
    "kind out of range": (_table("plan.parquet", lambda t: _set(t, "kind", 99)),
                          "plan.parquet: column 'kind': value 99 in row 0; allowed: 0..18"),
    "negative work": (_table("plan.parquet", lambda t: _set(t, "work_rh", -1.0)),
                      "column 'work_rh': value -1.0"),
    "crew above max": (_table("plan.parquet", lambda t: _set(t, "crew", 999)),
                       "column 'crew': value 999 in row 0"),
    "robot out of pool": (_table("assignments.parquet", lambda t: _set(t, "robot", 10_000)),
                          "assignments.parquet: column 'robot': value 10000"),
    "slots reordered": (_table("assignments.parquet", lambda t: t.iloc[::-1]),
                        "assignments.parquet: column 'activity' is not sorted"),
    "null values": (_table("plan.parquet", lambda t: t.astype({"crew": "Int32"}).pipe(
        _set, "crew", None)), "plan.parquet: column 'crew': 1 missing values"),
}


@pytest.mark.parametrize("case", list(PLAN_DAMAGE))
def test_damaged_plan_refused(copy, plan_dir, case):
    damage, needle = PLAN_DAMAGE[case]
    folder = copy(plan_dir)
    damage(folder)
    before = tree(folder)
    raises(lambda: load_plan(folder), needle, "allowed:")
    refused(["fleet", "simulate", str(folder)], needle)
    refused(["fleet", "explain", str(folder)], needle)
    assert tree(folder) == before  # no simulation folder, no partial output


def test_good_plan_folder_loads(plan_dir, small_data):
    data = load_plan(plan_dir)
    assert data.n == small_data.n == 256
    assert np.array_equal(data.slot_ptr, small_data.slot_ptr)
    assert np.array_equal(data.robot, small_data.robot)
    assert data.table.dtypes.equals(small_data.table.dtypes)
    assert data.names == small_data.names


def _stack_folder(root: Path) -> Path:
    f = root / "20270104T000000-seed"
    f.mkdir()
    for name in ("summary.json", "assumptions.json"):
        (f / name).write_text("{}")
    pd.DataFrame({"t": [0.0]}).to_parquet(f / "timeseries.parquet")
    return f


@pytest.mark.parametrize(("make", "needle"), [
    (lambda root, sim: root / "nowhere", "nowhere: no such folder; allowed: a plan folder"),
    (lambda root, sim: (root / "plan.txt", (root / "plan.txt").write_text("x"))[0],
     "plan.txt: not a folder"),
    (lambda root, sim: root, "not a fleet plan folder (none of its files)"),
    (lambda root, sim: _stack_folder(root), "a stack run folder (made by 'terawatt run'), not a "
                                            "fleet plan folder"),
    (lambda root, sim: next(sim.glob("*-simulation-seed0")),
     "a fleet simulation folder (its plan folder is"),
])
def test_not_a_plan_folder_refused(tmp_path, sim_dir, make, needle):
    path = make(tmp_path, sim_dir)
    raises(lambda: load_plan(path), needle, "holds summary.json, plan.parquet")
    before = tree(tmp_path)
    refused(["fleet", "simulate", str(path)], needle)
    refused(["fleet", "explain", str(path)], needle)
    assert tree(tmp_path) == before


SIM_DAMAGE = {
    "activities truncated": (_truncate("activities.parquet", 50),
                             "activities.parquet: not a readable Parquet"),
    "events foreign": (_write("events.parquet", b"not parquet"),
                       "events.parquet: not a readable Parquet"),
    "production missing": (lambda f: (f / "production.parquet").unlink(),
                           "production.parquet: missing"),
    "summary broken": (_write("summary.json", b"{"), "summary.json: not readable as JSON"),
    "summary no run_folder": (_summary(lambda d: d.pop("run_folder")),
                              "summary.json: key 'run_folder' is missing"),
    "activity rows": (_table("activities.parquet", lambda t: t.iloc[:10]),
                      "activities.parquet: 10 rows (summary.json: 256) for a plan of 256"),
    "event column": (_table("events.parquet", lambda t: t.drop(columns=["event"])),
                     "events.parquet: column 'event' is missing"),
    "event activity": (_table("events.parquet", lambda t: _set(t, "activity", 5000)),
                       "events.parquet: column 'activity': value 5000"),
}


@pytest.mark.parametrize("case", list(SIM_DAMAGE))
def test_damaged_simulation_refused(copy, sim_dir, case):
    damage, needle = SIM_DAMAGE[case]
    folder = copy(sim_dir)
    damage(next(folder.glob("*-simulation-seed0")))
    before = tree(folder)
    raises(lambda: load_simulation(folder), needle, "allowed:")
    refused(["fleet", "explain", str(folder)], needle)
    assert tree(folder) == before


def test_explain_skips_a_simulation_still_running(copy, sim_dir):
    """A simulation that is still running holds an empty reserved folder: explain uses the
    latest finished one instead of refusing."""
    folder = copy(sim_dir)
    (folder / "29991231T235959-simulation-seed7").mkdir()
    doc = explain_plan(folder, "3")
    assert doc["simulation"].endswith("-simulation-seed0")
    assert "activity_simulated" in doc


# 4 --------------------------------------------------------------------------- concurrency
def test_two_simulations_at_the_same_moment(copy, plan_dir, reg, monkeypatch):
    """Both succeed, with distinct complete folders, even when started in the same second."""
    folder = copy(plan_dir)
    fixed = dt.datetime(2027, 1, 4, 12, 0, 0, tzinfo=dt.UTC)

    class _Clock:  # both runs see the same time stamp, so their names collide
        UTC = dt.UTC

        class datetime:  # noqa: N801 - stands in for the datetime module's class
            @staticmethod
            def now(tz: object = None) -> dt.datetime:
                return fixed

    monkeypatch.setattr(runfolder, "_dt", _Clock)
    barrier = threading.Barrier(2)
    out: list[object] = [None, None]

    def run(k: int) -> None:
        barrier.wait()
        try:
            out[k] = simulate_plan(folder, reg, seed=0, max_replans=2)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            out[k] = exc

    threads = [threading.Thread(target=run, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, dict) for r in out), out
    names = {Path(r["folder"]).name for r in out}  # type: ignore[index]
    assert names == {"20270104T120000-simulation-seed0", "20270104T120000-simulation-seed0-2"}
    sims = [p for p in folder.iterdir() if p.is_dir()]
    assert len(sims) == 2 and not [p for p in folder.iterdir() if p.name.startswith(".")]
    for p in sims:
        assert sorted(x.name for x in p.iterdir()) == [
            "activities.parquet", "events.parquet", "production.parquet", "summary.json"]
    assert load_simulation(folder) is not None


@pytest.mark.slow
def test_two_simulate_commands_at_once(copy, plan_dir):
    """Two ``terawatt fleet simulate`` processes of the same plan, same seed, same moment."""
    folder = copy(plan_dir)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    cmd = [sys.executable, "-m", "terawatt", "fleet", "simulate", str(folder), "--json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
             for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [r[1].decode()[-500:] for r in results]
    runs = {json.loads(r[0])["run_folder"] for r in results}
    assert len(runs) == 2 and all(Path(r).is_dir() for r in runs)
    for r in runs:
        assert (Path(r) / "summary.json").is_file() and (Path(r) / "report.html").is_file()


# --------------------------------------------------------------------------- fuzz
@st.composite
def damages(draw: st.DrawFn) -> tuple[str, str, object]:
    name = draw(st.sampled_from(PLAN_FILES))
    op = draw(st.sampled_from(["truncate", "random", "delete", "drop"]))
    arg: object = None
    if op == "truncate":
        arg = draw(st.floats(0.0, 1.0, exclude_max=True))
    elif op == "random":
        arg = draw(st.binary(max_size=4096))
    elif op == "drop":
        arg = draw(st.integers(0, 40))
    return name, op, arg


def _apply(folder: Path, name: str, op: str, arg: object) -> None:
    path = folder / name
    if op == "truncate":
        with open(path, "r+b") as fh:
            fh.truncate(int(path.stat().st_size * float(arg)))  # type: ignore[arg-type]
    elif op == "random":
        path.write_bytes(arg)  # type: ignore[arg-type]
    elif op == "delete":
        path.unlink()
    elif name.endswith(".json"):  # drop a key of the summary or of its model
        doc = json.loads(path.read_text())
        keys = [("", k) for k in doc] + [("model", k) for k in doc["model"]] + \
            [("names", k) for k in doc["names"]]
        where, key = keys[int(arg) % len(keys)]  # type: ignore[call-overload]
        (doc[where] if where else doc).pop(key)
        path.write_text(json.dumps(doc))
    else:
        t = pd.read_parquet(path)
        t.drop(columns=[t.columns[int(arg) % len(t.columns)]]).to_parquet(  # type: ignore
            path, index=False)


@settings(max_examples=30, deadline=None)
@given(damages())
def test_fuzz_damaged_plan_folder(plan_dir, damage):
    """Whatever the damage, ``load_plan`` returns a plan that explain can use, or raises a
    one-line UserError naming a file of the folder: never another exception."""
    name, op, arg = damage
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / plan_dir.name
        shutil.copytree(plan_dir, folder)
        _apply(folder, name, op, arg)
        try:
            data = read_plan(folder)
        except UserError as exc:
            assert "\n" not in str(exc) and str(folder) in str(exc)
        else:
            explain(data, 3)


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**400), 10**400), st.integers(-3, 5),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.dates(), st.lists(st.integers(0, 3), max_size=3),
    st.sampled_from(["solar module", "humanoids", "auto", "2027-01-04", "steel", "3"]))


@st.composite
def goal_tables(draw: st.DrawFn) -> dict[str, object]:
    """A goal file's table: mostly the real keys, some unknown ones, values of any type."""
    keys = ["product", "rate_per_day", "start", "deadline", "budget_usd", "name", "colour"]
    doc: dict[str, object] = {"product": "solar module", "rate_per_day": 1000}
    for k in draw(st.lists(st.sampled_from(keys), max_size=3, unique=True)):
        doc[k] = draw(_VALUES)
    if draw(st.booleans()):
        fleet_keys = ["count", "walk_speed_m_s", "battery_kwh", "charge_kw", "speed"]
        fleet = {k: draw(_VALUES) for k in draw(st.lists(st.sampled_from(fleet_keys),
                                                          max_size=2, unique=True))}
        if draw(st.booleans()):
            tasks = ["default", "steel", "survey", "welding"]
            fleet["skills"] = draw(st.one_of(_VALUES, st.dictionaries(
                st.sampled_from(tasks), _VALUES, max_size=2)))
        doc["fleet"] = fleet
    for key, allowed in (("site", ["name", "location", "country"]),
                         ("equipment", ["crane", "forklift", "bulldozer"])):
        if draw(st.booleans()):
            doc[key] = draw(st.one_of(_VALUES, st.dictionaries(st.sampled_from(allowed), _VALUES,
                                                               max_size=2)))
    return doc


@settings(max_examples=60, deadline=None)
@given(goal_tables())
def test_fuzz_goal_tables(reg, doc):
    """Any goal-file table either gives a goal that can be counted (and refused above the
    limit), or is refused with one UserError line naming the file: never another exception."""
    from terawatt.fleet.goal import goal_from_mapping

    try:
        goal = goal_from_mapping(doc, "g.toml", START)
        size = check_size(goal, reg)
        if size.activities <= 5_000:
            expand(goal, reg)
    except UserError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("g.toml:"), str(exc)
