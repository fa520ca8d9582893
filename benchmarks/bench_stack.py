"""Benchmark: the stack model at 100,000 samples x 60 quarterly steps, vectorised vs a loop.

Prints the time of one vectorised run (every state an array of shape (n,), Python loop over
time steps only) and the time of a plain per-sample Python loop over the *same* model
(``simulate`` called with one sample at a time), measured in the same process on a subset of
samples and extrapolated linearly to all samples (the loop's cost is the same for every
sample). Targets (issue 3): < 2 s on one core for 100,000 x 60, and >= 50x the loop.

Run:  python benchmarks/bench_stack.py [--samples 100000] [--loop-samples 200]
Sampling the inputs (registry draws, satellite budget) is timed separately and not part of
the model time. Marginal gains and per-sector term records are switched off (``detail=False,
marginal=False``) and only the four headline series are kept, as a Monte Carlo sweep would;
with them on, the model costs ~(1 + 8) step evaluations per step.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from terawatt.assumptions import load_assumptions
from terawatt.stack import model, service

RECORD = ("terrestrial_compute_w", "orbital_compute_w", "stranded_accelerators",
          "mass_to_orbit_kg")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=100_000)
    ap.add_argument("--loop-samples", type=int, default=200)
    ap.add_argument("--scenario", default="seed")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    reg = load_assumptions(args.scenario)
    year = service.time_axis_from(reg)
    t0 = time.perf_counter()
    p, design = service.sample_inputs(reg, args.samples, np.random.default_rng(1), "uniform")
    t_sample = time.perf_counter() - t0

    times, cpu = [], []
    for _ in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        run = model.simulate(p, design, year, detail=False, marginal=False, record=RECORD)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    t_vec = min(times)

    m = min(args.loop_samples, args.samples)
    t0 = time.perf_counter()
    loop_total = np.empty((len(year), m))
    for i in range(m):
        pi = {k: v[i:i + 1] for k, v in p.items()}
        di = model.Design(*(np.asarray(getattr(design, f))[i:i + 1]
                            for f in ("mass_per_compute_w_kg", "array_w_per_compute_w",
                                      "compute_w_per_satellite", "facility_w_per_accelerator_w")))
        ri = model.simulate(pi, di, year, detail=False, marginal=False, record=RECORD)
        loop_total[:, i] = ri.series["terrestrial_compute_w"][:, 0]
    t_loop_subset = time.perf_counter() - t0
    t_loop = t_loop_subset * args.samples / m

    # the loop and the vectorised run compute the same numbers
    np.testing.assert_allclose(loop_total, run.series["terrestrial_compute_w"][:, :m], rtol=1e-9)

    cpus = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else {0}
    print(f"stack model, scenario {args.scenario}: {args.samples:,} samples x {len(year)} steps")
    print(f"  input sampling (not in model time):     {t_sample:8.3f} s")
    print(f"  vectorised run (best of {args.repeat}), wall:    {t_vec:8.3f} s   target < 2 s")
    print(f"  vectorised run, CPU time of this process: {min(cpu):8.3f} s   (one core; wall time "
          "includes waiting for the CPU when the machine is shared)")
    print(f"  per-sample loop, measured on {m} samples: {t_loop_subset:8.3f} s")
    print(f"  per-sample loop, extrapolated to all:   {t_loop:8.1f} s")
    print(f"  speed-up vectorised / loop:             {t_loop / t_vec:8.0f} x   target >= 50 x")
    print(f"  (numpy single-threaded element-wise ops; {len(cpus)} CPU(s) visible; load "
          f"average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
