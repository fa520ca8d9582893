"""Sweeps: chunk contents, resume after an interruption, a Dask cluster losing a worker."""

from __future__ import annotations

import hashlib
import os
import signal
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from terawatt.assumptions import load_assumptions
from terawatt.economics import service as econ
from terawatt.stack import model
from terawatt.stack.bottleneck import attribute
from terawatt.uncertainty import sweep as sw


@pytest.fixture(scope="module")
def reg():
    return load_assumptions("seed")


def _spec(n=240, chunk=60, seed=3):
    return sw.SweepSpec(scenario="seed", sets=(), n_samples=n, method="random", seed=seed,
                        chunk_size=chunk)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted([*folder.glob("chunk-*.parquet"), *folder.glob("inputs-*.parquet")])}


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_chunk_columns_and_binding_rule(reg, tmp_path):
    spec = _spec(n=50, chunk=20)
    doc = sw.run_sweep(reg, spec, tmp_path / "s")
    files = sorted((tmp_path / "s").glob("chunk-*.parquet"))
    assert [f.name for f in files] == ["chunk-00000.parquet", "chunk-00001.parquet",
                                       "chunk-00002.parquet"]
    df = pq.read_table(files[2]).to_pandas()
    assert sorted(df["sample"].unique()) == list(range(40, 50))
    assert df["year"].min() == 2026 and df["year"].max() == 2040
    assert (df["ground_compute_w"] > 0).all() and (df["orbital_compute_w"] >= 0).all()
    assert set(df["binding_terrestrial"].unique()) <= {"chips", "power", "construction"}
    assert doc["years"] == list(range(2026, 2041))
    fan = doc["fan_chart"]["ground_compute_w"]
    assert all(a <= b <= c for a, b, c in zip(fan["p05"], fan["p50"], fan["p95"], strict=True))
    for shares in doc["binding_share"].values():
        assert np.allclose(np.sum(list(shares.values()), axis=0), 1.0)
    # the binding rule is the stack's own (stack.bottleneck.attribute)
    values = np.random.default_rng(0).choice([1.0, 2.0, 3.0], size=(4, 3, 50))
    ref = attribute("x", ("a", "b", "c"), "W", values).binding
    assert np.array_equal(sw.binding(values), ref)


def test_costs_match_the_cost_model(reg):
    keys = tuple(k for k in econ.cost_keys() if reg.get(k).has_range)
    rng = np.random.default_rng(1)
    vals = np.column_stack([rng.uniform(reg.get(k).si_low, reg.get(k).si_high, 5) for k in keys])
    p = sw._parameters(reg, keys, vals)
    years = np.arange(2026, 2041)
    ground, orbit = sw._costs(reg, p, years)
    m = econ.cost_model(reg, p=p, years=years.astype(float))
    for i, y in enumerate(years):
        ref = m.usd_per_mtok(m.orbit(float(y)).delivered_usd_per_w_s, float(y))
        np.testing.assert_allclose(orbit[i], ref, rtol=1e-12)
        np.testing.assert_allclose(ground[i], m.usd_per_mtok(m.ground.delivered_usd_per_w_s,
                                                             float(y)), rtol=1e-12)


def test_folder_name_is_deterministic(reg):
    a = sw.sweep_folder_name(_spec(), reg)
    assert a == sw.sweep_folder_name(_spec(), reg) and a.startswith("sweep-seed-")
    assert a != sw.sweep_folder_name(_spec(seed=4), reg)
    assert a != sw.sweep_folder_name(_spec(), reg.with_sets(["launch.failure_rate=0.05"]))


def test_interrupted_run_resumes_to_the_same_result(reg, tmp_path):
    spec = _spec()
    whole = tmp_path / "whole"
    ref = sw.run_sweep(reg, spec, whole)

    part = tmp_path / "part"

    def stop(done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sw.run_sweep(reg, spec, part, progress=stop)
    assert sorted(sw.completed_chunks(part)) == [0, 1] and not _leftovers(part)
    assert not (part / "summary.json").exists()
    seen = []
    doc = sw.run_sweep(reg, spec, part, progress=lambda d, t: seen.append(d))
    assert seen[0] == 2 and seen[-1] == 4  # resumed: chunks 0 and 1 were skipped
    assert _hashes(part) == _hashes(whole) and doc == ref
    # a lost chunk or inputs file is made again, identical
    (part / "chunk-00001.parquet").unlink()
    (part / "inputs-00002.parquet").unlink()
    sw.run_sweep(reg, spec, part)
    assert _hashes(part) == _hashes(whole)
    assert (part / "summary.json").read_bytes() == (whole / "summary.json").read_bytes()


def test_process_pool_gives_the_same_chunks(reg, tmp_path):
    spec = _spec(n=120, chunk=30)
    sw.run_sweep(reg, spec, tmp_path / "one", workers=1)
    sw.run_sweep(reg, spec, tmp_path / "two", workers=2)
    assert _hashes(tmp_path / "one") == _hashes(tmp_path / "two")
    assert ((tmp_path / "one" / "summary.json").read_bytes()
            == (tmp_path / "two" / "summary.json").read_bytes())


def test_dask_cluster_survives_a_killed_worker(reg, tmp_path):
    distributed = pytest.importorskip("distributed")
    import dask

    spec = _spec(n=320, chunk=40)
    sw.run_sweep(reg, spec, tmp_path / "local")
    # fork: workers start in ~2 s instead of ~7 s (spawn re-imports numpy, numba, terawatt)
    with dask.config.set({"distributed.worker.multiprocessing-method": "fork"}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                     host="127.0.0.1", dashboard_address=None) as cluster:
        client = sw.connect(cluster.scheduler_address, 10.0)
        try:
            pids = client.run(os.getpid)
            killed = []

            def kill_one(done, total):
                if done == 3 and not killed:
                    pid = next(iter(pids.values()))
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)

            sw.run_sweep(reg, spec, tmp_path / "dask", client=client, progress=kill_one)
        finally:
            client.close()
    assert killed
    assert _hashes(tmp_path / "dask") == _hashes(tmp_path / "local")
    assert len(_hashes(tmp_path / "dask")) == 2 * spec.n_chunks  # chunk and inputs files
    assert not _leftovers(tmp_path / "dask")
    assert ((tmp_path / "dask" / "summary.json").read_bytes()
            == (tmp_path / "local" / "summary.json").read_bytes())
    assert model.SECTORS  # the chunk layout names every sector


def test_bad_input_is_one_user_error(reg, tmp_path):
    from terawatt.errors import UserError

    with pytest.raises(UserError, match="--samples: value 0"):
        _spec(n=0)
    with pytest.raises(UserError, match="--method: value 'halton'"):
        sw.SweepSpec("seed", (), 10, "halton", 0, 5)
    with pytest.raises(UserError, match="--chunk-size"):
        _spec(chunk=0)
