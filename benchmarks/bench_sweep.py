"""Benchmark: ``terawatt sweep`` over 1,000,000 samples of the whole stack (+ costs).

Prints samples/s of a full sweep (sampling, stack model, bindings, USD per token, Parquet
chunks, summary) with 2 local worker processes, the speed-up from 1 to 2 workers on a smaller
sweep, and the ratio against evaluating the same model one sample at a time (``--loop``
samples, each a one-row chunk, extrapolated linearly), all measured in this run.
Target: 1,000,000 samples in under 30 s on a 2-core machine.

Run:  python benchmarks/bench_sweep.py [--samples 1000000] [--chunk-size 20000] [--loop 200]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from terawatt.assumptions import load_assumptions
from terawatt.uncertainty import sweep as sw


def timed_sweep(reg, n: int, chunk: int, workers: int, base: Path) -> float:
    spec = sw.SweepSpec("seed", (), n, "random", 0, chunk)
    folder = base / f"{n}-{workers}"
    t0 = time.perf_counter()
    sw.run_sweep(reg, spec, folder, workers=workers)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=1_000_000)
    ap.add_argument("--chunk-size", type=int, default=20_000)
    ap.add_argument("--scaling-samples", type=int, default=200_000)
    ap.add_argument("--loop", type=int, default=200)
    a = ap.parse_args()
    reg = load_assumptions("seed")
    keys, values = sw.draw(reg, sw.SweepSpec("seed", (), a.loop, "random", 1, a.loop))
    sw.chunk_bytes(reg, keys, values[:1], 0)  # compile the numba kernels once
    t0 = time.perf_counter()
    for i in range(a.loop):
        sw.chunk_bytes(reg, keys, values[i:i + 1], i)
    per_sample_s = (time.perf_counter() - t0) / a.loop
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        t1 = timed_sweep(reg, a.scaling_samples, a.chunk_size, 1, base)
        t2 = timed_sweep(reg, a.scaling_samples, a.chunk_size, 2, base)
        big = timed_sweep(reg, a.samples, a.chunk_size, 2, base)
        size_mb = sum(p.stat().st_size for p in (base / f"{a.samples}-2").iterdir()) / 1e6
    print(f"sweep {a.samples:,} samples, 2 workers: {big:.1f} s = {a.samples / big:,.0f} "
          f"samples/s (target < 30 s); {size_mb:,.0f} MB of Parquet")
    print(f"{a.scaling_samples:,} samples: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s, "
          f"speed-up {t1 / t2:.2f}x")
    loop_total = per_sample_s * a.samples
    print(f"one sample at a time ({a.loop} measured, extrapolated): {per_sample_s * 1e3:.2f} ms"
          f"/sample = {loop_total:,.0f} s for {a.samples:,}; sweep is {loop_total / big:,.0f}x "
          "faster")


if __name__ == "__main__":
    main()
