"""Bad command-line options: one line ``error: ...`` on stderr, exit code 2, no traceback, and
nothing written (``--out`` / ``--schedule-out`` / plan folders stay empty)."""

from __future__ import annotations

import json
import os
import stat
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from tests.conftest import PSPLIB
from typer.testing import CliRunner

from terawatt.assumptions import load_assumptions
from terawatt.cli import app
from terawatt.cli.costs_cmd import MC_MEMORY_BYTES, mc_bytes_per_sample
from terawatt.cli.validate import SEED_MAX
from terawatt.scheduling import readers

J30_1 = PSPLIB / "J30" / "J30_1.txt"
GOAL = "build a factory making 1000 solar modules per day with 50 robots"


def invoke(*args: str):
    """Run the CLI in-process, catching exceptions (a traceback would be a failure here)."""
    return CliRunner().invoke(app, list(args))


def refused(r, *needles: str) -> str:
    """Exit 2, exactly one non-empty line on stderr starting with ``error:``, nothing on
    stdout, no traceback; returns the line."""
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and r.stderr.count("\n") == 1, r.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in r.stderr + r.stdout
    assert r.stdout == ""
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def empty(folder: Path) -> bool:
    return not any(folder.iterdir())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    d = tmp_path / "out"
    d.mkdir()
    return d


def _seed_cmd(name: str, out: Path) -> list[str]:
    return {
        "run": ["run", "--samples", "2", "--out", str(out)],
        "costs": ["costs", "--samples", "2"],
        "fleet solve": ["fleet", "solve", str(J30_1), "--schedule-out", str(out / "s.json")],
        "fleet plan": ["fleet", "plan", GOAL, "--out", str(out)],
        "fleet simulate": ["fleet", "simulate", str(out)],
    }[name]


# 1 --------------------------------------------------------------------------- seeds
@pytest.mark.parametrize("cmd", ["run", "costs", "fleet solve", "fleet plan", "fleet simulate"])
@pytest.mark.parametrize("seed", ["-1", str(SEED_MAX + 1), "-99999999999999999999"])
def test_seed_out_of_range(cmd, seed, out):
    line = refused(invoke(*_seed_cmd(cmd, out), "--seed", seed), "--seed", seed,
                   f"0..{SEED_MAX}")
    assert "CP-SAT" in line  # why the range stops at 2**31 - 1
    assert empty(out)


def test_largest_seed_works_with_cp_sat():
    r = invoke("fleet", "solve", str(J30_1), "--solver", "cpsat", "--seed", str(SEED_MAX),
               "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["makespan"] == 43


# 2 --------------------------------------------------------------------------- costs --year
@pytest.mark.parametrize("year", ["nan", "inf", "-inf", "1900", "3000", "2030.5", "1e400"])
def test_costs_year_outside_the_horizon(year):
    refused(invoke("costs", "--year", year), "--year", "allowed: a whole year 2026..2040",
            "run.start_year..run.end_year")


def test_costs_year_horizon_comes_from_the_registry():
    refused(invoke("costs", "--set", "run.end_year=2035", "--year", "2036"), "value 2036",
            "2026..2035")


# 3 --------------------------------------------------------------------------- costs --samples
def _samples_limit() -> tuple[int, int]:
    from terawatt.economics.service import cost_keys

    per = mc_bytes_per_sample(len(cost_keys()), 15)  # seed scenario: 2026..2040
    return per, MC_MEMORY_BYTES // per


def test_costs_samples_bounded_by_memory():
    per, top = _samples_limit()
    line = refused(invoke("costs", "--samples", "1000000000"), "--samples", "1,000,000,000",
                   f"2..{top:,}", f"{per:,} B per draw", "GiB")
    assert "would need ~" in line
    refused(invoke("costs", "--samples", str(top + 1)), f"2..{top:,}")


@pytest.mark.parametrize("n", ["0", "1", "-5"])
def test_costs_samples_zero_one_negative(n):
    refused(invoke("costs", "--samples", n), "--samples", f"value {n}", "allowed: 2..")


def test_memory_estimate_bounds_the_measured_peak():
    """The estimate per draw is at least the peak tracemalloc sees for the Monte Carlo."""
    from terawatt.economics.service import central_stack, cost_keys, monte_carlo, stack_paths

    reg = load_assumptions("seed", [])
    years, lpy, gain = stack_paths(central_stack(reg))
    n = 20_000
    tracemalloc.start()
    try:
        monte_carlo(reg, 2029.0, n, np.random.default_rng(0), years=years,
                    launches_per_year=lpy, tokens_gain=gain)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak / n <= mc_bytes_per_sample(len(cost_keys()), len(years))


# 4 --------------------------------------------------------------------------- usage errors
@pytest.mark.parametrize(("args", "needles"), [
    (["costs", "--samples", "abc"], ["error: --samples: 'abc' is not a valid integer"]),
    (["costs", "--year", "x"], ["error: --year: 'x' is not a valid number"]),
    (["run", "--seed", "1.5"], ["--seed: '1.5' is not a valid integer"]),
    (["fleet", "solve"], ["terawatt fleet solve", "missing argument", "--help"]),
    (["run", "--bogus"], ["terawatt run", "no such option: --bogus"]),
    (["costs", "--samples"], ["terawatt costs", "'--samples' requires an argument"]),
    (["nocommand"], ["no such command 'nocommand'"]),
    (["fleet", "nocommand"], ["terawatt fleet", "no such command 'nocommand'"]),
    (["fleet", "solve", "a", "b"], ["unexpected extra argument"]),
    (["run", "--no-save=3"], ["terawatt run", "'--no-save' does not take a value"]),
])
def test_usage_errors_are_one_line(args, needles, out):
    refused(invoke(*args, *(["--out", str(out)] if args[0] == "run" else [])), *needles)
    assert empty(out)


@pytest.mark.parametrize("args", [["--help"], ["costs", "--help"], ["fleet", "solve", "--help"]])
def test_help_still_works(args):
    r = invoke(*args)
    assert r.exit_code == 0 and "Usage" in r.stdout and r.stderr == ""


# 5 --------------------------------------------------------------------------- instance files
def test_solve_refuses_devices_fifos_and_directories(tmp_path, out):
    fifo = tmp_path / "pipe.rcp"
    os.mkfifo(fifo)
    cases = [(fifo, "a named pipe"), (tmp_path, "a directory")]
    if Path("/dev/urandom").exists():
        cases.append((Path("/dev/urandom"), "a character device"))
        link = tmp_path / "random.sm"
        link.symlink_to("/dev/urandom")
        cases.append((link, "a character device"))
    for path, kind in cases:
        refused(invoke("fleet", "solve", str(path), "--schedule-out", str(out / "s.json")),
                kind, "allowed: a PSPLIB .sm or Patterson .rcp/.txt text file")
    assert stat.S_ISFIFO(fifo.stat().st_mode) and empty(out)


def test_solve_refuses_binary_content(tmp_path, out):
    f = tmp_path / "bin.rcp"
    f.write_bytes(b"3 1\n5\n\x00\x01\x02")
    refused(invoke("fleet", "solve", str(f), "--schedule-out", str(out / "s.json")),
            "bin.rcp:3: binary content (byte 0x00)")
    g = tmp_path / "latin1.sm"
    g.write_bytes(b"PRECEDENCE RELATIONS\n\xe9\n")
    refused(invoke("fleet", "solve", str(g)), "latin1.sm:2: not UTF-8 text")
    assert empty(out)


def test_solve_refuses_files_above_the_size_limit(tmp_path, out):
    assert readers.MAX_FILE_BYTES == readers.MAX_ACTIVITIES * readers.BYTES_PER_ACTIVITY
    big = tmp_path / "big.rcp"
    with big.open("wb") as fh:  # sparse: nothing is actually written
        fh.truncate(readers.MAX_FILE_BYTES + 1)
    refused(invoke("fleet", "solve", str(big), "--schedule-out", str(out / "s.json")),
            f"{readers.MAX_FILE_BYTES + 1:,} bytes", f"at most {readers.MAX_FILE_BYTES:,}",
            "1,000,000 activities")
    assert empty(out)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")
def test_size_limit_is_checked_while_reading(monkeypatch):
    """A regular file whose size says 0 (Linux /proc) is still cut at the limit."""
    maps = Path("/proc/self/maps")
    assert maps.stat().st_size == 0 and len(maps.read_bytes()) > 100
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    with pytest.raises(readers.UserError, match="more than 100 bytes"):
        readers.read_instance(maps, time_unit_s=1.0, fmt="patterson")


# 6 --------------------------------------------------------------------------- other numbers
@pytest.mark.parametrize(("option", "value", "needle"), [
    ("--time-limit", "nan", "finite number of seconds > 0"),
    ("--time-limit", "inf", "finite number of seconds > 0"),
    ("--time-limit", "0", "finite number of seconds > 0"),
    ("--time-limit", "-1", "finite number of seconds > 0"),
    ("--schedules", "0", "a whole number >= 1"),
    ("--schedules", "-3", "a whole number >= 1"),
    ("--workers", "0", "a whole number 1.."),
    ("--workers", "-2", "a whole number 1.."),
    ("--workers", "99999999999", "a whole number 1.."),
])
def test_solve_numeric_options(option, value, needle, out):
    refused(invoke("fleet", "solve", str(J30_1), option, value, "--schedule-out",
                   str(out / "s.json")), option, needle)
    assert empty(out)


@pytest.mark.parametrize(("args", "needles"), [
    (["--time-limit", "nan"], ["--time-limit", "finite number of seconds > 0"]),
    (["--time-limit", "inf"], ["--time-limit", "finite number of seconds > 0"]),
    (["--time-limit", "0"], ["--time-limit", "finite number of seconds > 0"]),
    (["--time-limit", "-5"], ["--time-limit", "finite number of seconds > 0"]),
    (["--robots", "0"], ["--robots", "value 0"]),
    (["--robots", "-3"], ["--robots", "value -3"]),
    (["--robots", "nan"], ["--robots", "'nan'"]),
])
def test_plan_numeric_options(args, needles, out):
    refused(invoke("fleet", "plan", GOAL, *args, "--out", str(out)), *needles)
    assert empty(out)


@pytest.mark.parametrize("top", ["0", "-1"])
def test_costs_top(top):
    refused(invoke("costs", "--top", top), "--top", f"value {top}", ">= 1")


@pytest.mark.parametrize("n", ["0", "-1", "5001"])
def test_run_samples(n, out):
    refused(invoke("run", "--samples", n, "--out", str(out)), "--samples", "1 to 5,000")
    assert empty(out)


# good inputs --------------------------------------------------------------------------------
def test_good_inputs_still_work():
    r = invoke("costs", "--year", "2030", "--json")
    assert r.exit_code == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["tornado"]["year"] == 2030 and {b["year"] for b in d["break_evens"]} == {2030}
    assert d["monte_carlo"] is None
    r = invoke("costs", "--year", "2040", "--top", "1", "--samples", "2", "--seed", "0",
               "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["monte_carlo"]["samples"] == 2
    r = invoke("fleet", "solve", str(J30_1), "--solver", "heuristic", "--schedules", "10",
               "--workers", "1", "--time-limit", "0.5", "--json")
    assert r.exit_code == 0, r.stderr
