"""Property-based fuzzing of the whole command line (issue 11).

Hypothesis generates option values, ``--set`` values, one-line goals, goal files, scenario
files, scheduling instances and damaged plan folders, and runs the real Typer application
in-process. Every run must end in one of two ways:

* exit 0 with a complete output (a JSON document that parses, or the expected files), or
* exit 2 with exactly one line on stderr that starts with ``error:``, no traceback, and no new
  file or folder anywhere under the output folder.

The example counts (410 in all) are sized for CI (about a minute on 2 cores); set
``TERAWATT_FUZZ_SCALE`` for a longer run.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from terawatt.cli import app


def fuzz(max_examples: int) -> settings:
    """Settings of every property here: no deadline (a valid plan takes seconds), a fixed
    derivation of examples so CI runs the same cases every time. ``TERAWATT_FUZZ_SCALE=K``
    multiplies the example counts for a longer run by hand."""
    scale = max(1, int(os.environ.get("TERAWATT_FUZZ_SCALE", "1")))
    return settings(max_examples=max_examples * scale, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

# --- generated pieces ---------------------------------------------------------------------
_NUMBER_TEXT = st.one_of(
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["nan", "inf", "-inf", "1e308", "-1e308", "1e-320", "0", "-0", "1_000",
                     "0x10", "1,5", "", " ", "٣", "10**10**10", "2**64", "1e999"]),
    st.text(max_size=12),
)
_UNIT_TEXT = st.sampled_from(["", " t", "t", " kg", "W/kg", " %", "%", " percent", " yr",
                              " launch/yr", " USD/kg", " m", "**2", " t t", "=6", " 6",
                              " W/m**2", " 1/yr", "(", " foo"])
_KEYS = st.sampled_from([
    "launch.payload_per_flight", "launch.launches_per_year", "solar.cell_efficiency",
    "satellite.array.specific_power", "orbital.failure_rate", "chips.h100.flops",
    "nonexistent.key", "launch", "", "satellite.design_life",
])


def _one_line_error(result) -> None:
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:"), lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def _check(result, out: Path | None = None, before: set[Path] | None = None) -> None:
    """Exit 0 with a complete output, or exit 2 with one line and nothing written."""
    assert result.exit_code in (0, 2), (result.exit_code, result.stderr, result.exception)
    if result.exit_code == 2:
        _one_line_error(result)
        if out is not None:
            assert set(out.rglob("*")) == (before or set()), "a failed run wrote files"


def _invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def _tree(path: Path) -> set[Path]:
    return set(path.rglob("*")) if path.exists() else set()


# --- option values ------------------------------------------------------------------------
@fuzz(40)
@given(year=_NUMBER_TEXT, samples=_NUMBER_TEXT, seed=_NUMBER_TEXT)
def test_costs_options(year, samples, seed):
    """``costs --year --samples --seed``: numbers of every kind, text, empty."""
    r = _invoke("costs", "--year", year, "--samples", samples, "--seed", seed, "--json")
    _check(r)
    if r.exit_code == 0:
        json.loads(r.stdout)


@fuzz(30)
@given(samples=_NUMBER_TEXT, seed=_NUMBER_TEXT)
def test_run_options(tmp_path_factory, samples, seed):
    """``run --samples --seed --out``: a failure writes nothing under --out."""
    out = tmp_path_factory.mktemp("runs")
    r = _invoke("run", "--samples", samples, "--seed", seed, "--out", str(out), "--json")
    _check(r, out, set())
    if r.exit_code == 0:
        folder = Path(json.loads(r.stdout)["run_folder"])
        assert (folder / "summary.json").is_file() and (folder / "report.html").is_file()


@fuzz(120)
@given(key=_KEYS, number=_NUMBER_TEXT, unit=_UNIT_TEXT,
       extra=st.sampled_from(["", "=5", " 6", "==", "=t"]))
def test_set_values(key, number, unit, extra):
    """``--set KEY=VALUE[unit]``: every value is a number and a unit, or one line."""
    r = _invoke("assumptions", "--set", f"{key}={number}{unit}{extra}", "--json")
    _check(r)
    if r.exit_code == 0:
        json.loads(r.stdout)


# --- files --------------------------------------------------------------------------------
_TOML_VALUE = st.one_of(
    _NUMBER_TEXT.map(json.dumps),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(['"150 t"', '"5=6"', "{ value = 1, unit = \"t\", low = 9, high = 1 }",
                     "{ value = 1 }", "[1, 2]", "true", '"nan"', "inf", "-inf", "nan",
                     '{ value = 0.5, unit = "", low = 0.2, high = 0.9 }']),
)


@fuzz(60)
@given(parent=st.sampled_from(['"seed"', '"baseline"', '"nope"', '"../x.toml"', "7", '""']),
       key=_KEYS, value=_TOML_VALUE, junk=st.sampled_from(["", "[set\n", "x = = 1\n",
                                                           "name = 3\n", "\x00"]))
def test_scenario_files(tmp_path_factory, parent, key, value, junk):
    """A scenario file with any parent, key and value: loads or is refused in one line."""
    d = tmp_path_factory.mktemp("scen")
    f = d / "case.toml"
    f.write_text(f'name = "case"\nparent = {parent}\n{junk}[set]\n"{key}" = {value}\n')
    r = _invoke("assumptions", "--scenario", str(f), "--json")
    _check(r)


_ACTIVITY_LINE = st.lists(st.integers(-3, 40).map(str) | st.sampled_from(["x", "", "1.5"]),
                          min_size=1, max_size=8).map(" ".join)


@fuzz(60)
@given(header=st.sampled_from(["4 2", "0 0", "3 1", "-1 2", "x", "", "1000000000 1"]),
       caps=st.sampled_from(["5 5", "5", "0 0", "-1 3", "a b", ""]),
       lines=st.lists(_ACTIVITY_LINE, max_size=6),
       suffix=st.sampled_from([".rcp", ".txt", ".sm", ".bin"]))
def test_scheduling_instances(tmp_path_factory, header, caps, lines, suffix):
    """``fleet solve FILE`` with a generated Patterson/PSPLIB-like file."""
    d = tmp_path_factory.mktemp("inst")
    f = d / f"gen{suffix}"
    f.write_text("\n".join([header, caps, *lines]) + "\n")
    r = _invoke("fleet", "solve", str(f), "--solver", "heuristic", "--schedules", "5",
                "--json")
    _check(r)
    if r.exit_code == 0:
        assert json.loads(r.stdout)["checked"] is True


# --- goals --------------------------------------------------------------------------------
_GOAL_RATE = st.sampled_from(["1000", "1,000", "2.5k", "1M", "0", "-5", "1e308", "inf",
                              "1000000000000", "nan", "abc", ""])
_GOAL_PRODUCT = st.sampled_from(["solar modules", "humanoid robots", "chip packages",
                                 "compute satellites", "bananas", ""])
_GOAL_TAIL = st.sampled_from(["", " with 0 robots", " with -3 robots", " with auto robots",
                              " by 2020-01-01", " by 2027-13-45", " starting 2027-01-04",
                              " with 99999999999 robots"])


@fuzz(40)
@given(rate=_GOAL_RATE, product=_GOAL_PRODUCT,
       per=st.sampled_from(["day", "hour", "year", "fortnight"]), tail=_GOAL_TAIL)
def test_one_line_goals(tmp_path_factory, rate, product, per, tail):
    """Generated one-line goals (sizes kept small or absurd): a plan or one line, and a
    refused goal leaves no folder."""
    out = tmp_path_factory.mktemp("plans")
    goal = f"build a factory making {rate} {product} per {per}{tail}"
    # keep valid goals small so the property stays fast: a cap on robots and solver budget
    r = _invoke("fleet", "plan", goal, "--out", str(out), "--solver", "heuristic", "--json")
    _check(r, out, set())


_SKILLS = st.sampled_from(['{ default = "abc" }', "{ default = 7 }", "{ default = -1 }",
                           "{ default = 2 }", "{ welding_on_mars = 2 }", "{ default = 2.5 }",
                           "[1]", '"x"'])


@fuzz(30)
@given(rate=st.sampled_from(["200", "inf", "1e308", "-1", '"x"', "0", "1e12"]),
       skills=_SKILLS, budget=st.sampled_from(["2e9", "-1", "nan", '"a lot"', "0"]),
       extra=st.sampled_from(["", "colour = \"red\"\n", "rate_per_day = 3\n"]))
def test_goal_files(tmp_path_factory, rate, skills, budget, extra):
    """TOML goal files with bad rates, skills, budgets and unknown or duplicate keys."""
    d = tmp_path_factory.mktemp("goal")
    f = d / "goal.toml"
    f.write_text(f'product = "solar module"\nrate_per_day = {rate}\nbudget_usd = {budget}\n'
                 f"{extra}[fleet]\ncount = 60\nskills = {skills}\n")
    out = d / "plans"
    r = _invoke("fleet", "plan", str(f), "--out", str(out), "--solver", "heuristic", "--json")
    _check(r, out, set())


# --- damaged plan folders -----------------------------------------------------------------
@pytest.fixture(scope="module")
def plan_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plan")
    r = _invoke("fleet", "plan", "build a factory making 1000 solar modules per day with 60 "
                "robots starting 2027-01-04", "--out", str(out), "--solver", "heuristic",
                "--json")
    assert r.exit_code == 0, r.stderr
    return Path(json.loads(r.stdout)["run_folder"])


@fuzz(30)
@given(data=st.data())
def test_damaged_plan_folders(plan_folder, tmp_path_factory, data):
    """``fleet explain`` and ``fleet simulate`` on a copy of a plan with one file truncated,
    replaced by random bytes, emptied or deleted: a result or one line, never a traceback,
    and a refused simulation writes nothing."""
    work = tmp_path_factory.mktemp("damaged") / plan_folder.name
    shutil.copytree(plan_folder, work)
    files = sorted(p for p in work.iterdir() if p.is_file())
    victim = data.draw(st.sampled_from(files), label="file")
    how = data.draw(st.sampled_from(["truncate", "random", "empty", "delete", "json"]),
                    label="damage")
    raw = victim.read_bytes()
    if how == "truncate":
        victim.write_bytes(raw[: data.draw(st.integers(0, max(0, len(raw) - 1)))])
    elif how == "random":
        victim.write_bytes(data.draw(st.binary(min_size=1, max_size=2048)))
    elif how == "empty":
        victim.write_bytes(b"")
    elif how == "delete":
        victim.unlink()
    else:
        victim.write_text('{"not": "a plan"}')
    r = _invoke("fleet", "explain", str(work), "--json")
    _check(r)
    before = _tree(work)
    r = _invoke("fleet", "simulate", str(work), "--json")
    _check(r, work, before)
