"""``terawatt sweep``: JSON output, resume, one-line refusals (exit 2)."""

from __future__ import annotations

import json
import socket
import time

import pytest


def test_sweep_json_and_resume(cli, tmp_path):
    args = ("sweep", "--samples", "60", "--chunk-size", "25", "--method", "random",
            "--workers", "1", "--claims-samples", "0", "--out", str(tmp_path), "--json")
    first = cli(*args)
    assert first.exit_code == 0, first.output
    doc = json.loads(first.stdout)
    assert doc["chunks"] == 3 and doc["chunks_skipped"] == 0
    folder = tmp_path / doc["folder"].rsplit("/", 1)[-1]
    assert sorted(p.name for p in folder.glob("chunk-*")) == [
        "chunk-00000.parquet", "chunk-00001.parquet", "chunk-00002.parquet"]
    again = json.loads(cli(*args).stdout)
    assert again["chunks_skipped"] == 3 and again["fan_chart"] == doc["fan_chart"]
    assert again["analysis"] == doc["analysis"] and doc["analysis"]["sobol"] is None
    assert doc["analysis"]["claims"] is None and not (folder / "claims-verdicts.parquet").exists()
    assert json.loads((folder / "analysis.json").read_text()) == doc["analysis"]
    assert (folder / "report.html").is_file()
    table = cli(*args[:-1])
    assert table.exit_code == 0 and "ground P5 / P50 / P95" in table.stdout
    assert "crossover" in table.stdout and "PRIM, outcome orbit-cheaper-2030" in table.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--samples", "0"), "error: --samples: value 0; allowed: an integer >= 1"),
    (("--method", "halton"), "error: --method: value 'halton'; allowed: sobol, lhs, random"),
    (("--set", "launch.failure_rate=2"), "error: --set"),
    (("--outcome", "cheap"), "error: --outcome: value 'cheap'; allowed: orbit-cheaper-2030"),
    (("--claims-samples", "-1"), "error: --claims-samples: value -1; allowed: an integer >= 0"),
])
def test_bad_input_is_one_line(cli, tmp_path, args, message):
    r = cli("sweep", "--out", str(tmp_path), *args)
    assert r.exit_code == 2
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1
    assert not list(tmp_path.iterdir())


def test_dead_scheduler_is_refused_quickly(cli, tmp_path):
    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.perf_counter()
    r = cli("sweep", "--samples", "10", "--scheduler", f"tcp://127.0.0.1:{port}",
            "--out", str(tmp_path))
    assert time.perf_counter() - t0 < 10
    assert r.exit_code == 2
    assert r.stderr == (f"error: --scheduler tcp://127.0.0.1:{port}: no Dask scheduler "
                        "answered within 5 s\n")


@pytest.mark.parametrize(("spec", "message"), [
    ('{ value = 100, unit = "t", low = 150, high = 60 }', "low 150 is above high 60"),
    ('{ value = 100, unit = "t", low = 60, high = 150, distribution = "gauss" }',
     "'gauss' is not a known distribution"),
])
def test_bad_scenario_ranges_are_one_line(tmp_path, spec, message):
    """A sweep over a scenario with a reversed range or an unknown distribution: one line on
    stderr, exit 2, within 10 s, and no sweep folder."""
    from tests.conftest import refused

    f = tmp_path / "case.toml"
    f.write_text(f'name = "case"\nparent = "seed"\n[set]\n"launch.payload_per_flight" = {spec}\n')
    out = tmp_path / "runs"
    t0 = time.perf_counter()
    refused(["sweep", "--scenario", str(f), "--samples", "64", "--out", str(out)], message)
    assert time.perf_counter() - t0 < 10.0
    assert not out.exists() or list(out.iterdir()) == []
