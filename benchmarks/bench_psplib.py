"""PSPLIB benchmark: j30 optimality with CP-SAT; j60/j90/j120 deviations (heuristic and CP-SAT).

Usage::

    python benchmarks/bench_psplib.py --data DIR            # everything (long)
    python benchmarks/bench_psplib.py --sets j120 --heuristic 5000 --no-cpsat
    python benchmarks/bench_psplib.py --sets j30 --j30-limit 60 --workers 2
    python benchmarks/bench_psplib.py --sets j60 --every 10  # every 10th instance only

Prints a table per set: average deviation of the makespan from the critical-path lower bound
(the Kolisch & Hartmann measure) and from the best-known values (bks.csv), optimal counts and
run times, next to published reference figures. Per-instance rows go to --csv.

Data: ``--data DIR`` is a folder with ``J30/ J60/ J90/ J120/`` (Patterson files ``J30_k.txt``)
and ``bks.csv``, laid out as in the PyJobShop Experiments repository's ``data/`` folder (MIT
licence; instances from PSPLIB, https://www.om-db.wi.tum.de/psplib/, best-known values from the
OR&S solutions update, https://www.projectmanagement.ugent.be/research/data). Without it the
benchmark runs on the 14 instances the tests ship in ``tests/data/psplib`` (a smoke run: the
published set averages need the full sets).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from terawatt.assumptions import load_assumptions
from terawatt.scheduling.bounds import critical_path_bound
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.problem import Status
from terawatt.scheduling.readers import read_instance
from terawatt.scheduling.settings import SolveSettings
from terawatt.scheduling.solve import solve

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "psplib"
SIZES = {"j30": 480, "j60": 480, "j90": 480, "j120": 600}

# Published reference figures (research/fleet.md; "unverified" where the note says so).
REFERENCE = {
    ("j30", "cpsat"): "PyJobShop study (900 s, 8 threads?): 480/480 optimal, median 0.02 s, "
                      "max 30.5 s",
    ("j60", "cpsat"): "PyJobShop study (900 s): 435/480 optimal",
    ("j90", "cpsat"): "PyJobShop study (900 s): 401/480 optimal",
    ("j120", "cpsat"): "PyJobShop study (900 s): 291/600 optimal, mean gap to BKS 1.47 %",
    ("j120", 1000): "BKS 28.96 %",
    ("j120", 5000): "best published heuristics ~33-34 % at 5,000 (unverified); BKS 28.96 %",
    ("j60", 5000): "best published ~10.5-10.7 % at 50,000 (unverified); BKS 10.37 %",
    ("j90", 5000): "BKS 9.43 %",
    ("j60", 1000): "BKS 10.37 %",
    ("j90", 1000): "BKS 9.43 %",
}


def load_bks(data: Path) -> dict[str, int]:
    rows = csv.DictReader((data / "bks.csv").read_text().splitlines())
    return {r["instance"]: int(r["bks"]) for r in rows}


def run(args: argparse.Namespace) -> None:
    data: Path = args.data
    if not (data / "bks.csv").is_file():
        sys.exit(f"error: {data}: no bks.csv here; --data takes a folder with J30/ J60/ J90/ "
                 "J120/ and bks.csv (see the module docstring for where to get them)")
    bks = load_bks(data)
    settings = SolveSettings.from_registry(load_assumptions("baseline"))
    print(f"PSPLIB data: {data}")
    rows: list[dict] = []
    summary: list[tuple] = []
    for name in args.sets:
        n_inst = SIZES[name]
        ks = [k for k in range(1, n_inst + 1)
              if (data / name.upper() / f"{name.upper()}_{k}.txt").is_file()]
        if not ks:
            print(f"{name}: no instances in {data / name.upper()}; skipped")
            continue
        if len(ks) < n_inst:
            print(f"{name}: {len(ks)} of {n_inst} instances present in {data}")
        if args.first:
            ks = ks[: args.first]
        methods: list[tuple[str, object, float]] = []
        if name == "j30":
            if not args.no_cpsat:
                methods.append(("cpsat", None, args.j30_limit))
            for s in args.heuristic if args.j30_heuristic else []:
                methods.append(("heuristic", s, 0.0))
        else:
            for s in args.heuristic:
                methods.append(("heuristic", s, 0.0))
            if not args.no_cpsat:
                methods.append(("cpsat", None, args.cpsat_limit))
        for solver, budget, limit in methods:
            sel = ks if solver == "heuristic" or name == "j30" else ks[:: args.every]
            dev_cp, dev_bks, times = [], [], []
            n_opt = n_eq = n_bad = 0
            bks_cp = []
            t_set = time.perf_counter()
            for k in sel:
                f = f"{name.upper()}_{k}.txt"
                p = read_instance(data / name.upper() / f, time_unit_s=1.0)
                cp = critical_path_bound(p)
                if solver == "heuristic":
                    r = solve(p, "heuristic", settings=settings, n_schedules=int(budget),
                              time_limit_s=1e9, seed=k)
                else:
                    r = solve(p, "cpsat", settings=settings, time_limit_s=limit,
                              workers=args.workers, seed=k)
                ok = r.starts is not None and check_schedule(p, r.starts) == []
                n_bad += not ok
                mk = r.makespan if r.makespan is not None else float("nan")
                dev_cp.append((mk - cp) / cp)
                dev_bks.append((mk - bks[f]) / bks[f])
                bks_cp.append((bks[f] - cp) / cp)
                times.append(r.runtime_s)
                n_opt += r.status is Status.OPTIMAL
                n_eq += mk == bks[f]
                rows.append({"set": name, "instance": f, "solver": solver,
                             "budget": budget or f"{limit:g}s", "makespan": r.makespan,
                             "lower_bound": r.lower_bound, "cp_bound": cp, "bks": bks[f],
                             "status": r.status.value, "runtime_s": round(r.runtime_s, 4),
                             "n_schedules": r.n_schedules, "checked": ok})
                if args.progress and len(times) % 10 == 0:
                    print(f"  {name} {solver} {budget or limit}: {len(times)}/{len(sel)} "
                          f"dev CP {100 * np.nanmean(dev_cp):.2f} %", file=sys.stderr,
                          flush=True)
            label = (f"heuristic {budget} sched" if solver == "heuristic"
                     else f"CP-SAT {limit:g} s, {args.workers} workers")
            summary.append((
                name, label, len(sel), 100 * float(np.nanmean(dev_cp)),
                100 * float(np.nanmean(dev_bks)), 100 * float(np.mean(bks_cp)), n_opt, n_eq,
                n_bad, statistics.median(times), max(times), time.perf_counter() - t_set,
                REFERENCE.get((name, budget if solver == "heuristic" else "cpsat"), ""),
            ))
            print_table(summary[-1:], header=len(summary) == 1)
    print()
    print("Summary")
    print_table(summary, header=True)
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        with args.csv.open("w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)


def print_table(summary: list[tuple], header: bool) -> None:
    if header:
        print(f"{'set':5} {'method':28} {'n':>4} {'devCP%':>7} {'devBKS%':>8} {'bksCP%':>7} "
              f"{'opt':>4} {'=BKS':>5} {'bad':>4} {'med s':>7} {'max s':>7} {'total s':>8}  "
              "published")
    for s in summary:
        print(f"{s[0]:5} {s[1]:28} {s[2]:4d} {s[3]:7.2f} {s[4]:8.2f} {s[5]:7.2f} {s[6]:4d} "
              f"{s[7]:5d} {s[8]:4d} {s[9]:7.3f} {s[10]:7.2f} {s[11]:8.1f}  {s[12]}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA,
                    help="folder with J30/ J60/ J90/ J120/ and bks.csv (default: the tests' "
                    "14-instance subset)")
    ap.add_argument("--sets", type=lambda s: s.split(","), default=["j30", "j60", "j90", "j120"])
    ap.add_argument("--heuristic", type=lambda s: [int(x) for x in s.split(",") if x],
                    default=[1000, 5000], help="schedule budgets, comma-separated")
    ap.add_argument("--j30-limit", type=float, default=60.0, help="CP-SAT limit on j30 [s]")
    ap.add_argument("--cpsat-limit", type=float, default=10.0,
                    help="CP-SAT limit on j60/j90/j120 [s]")
    ap.add_argument("--every", type=int, default=10,
                    help="CP-SAT on j60/j90/j120: every k-th instance (time)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--first", type=int, default=0, help="only the first N instances per set")
    ap.add_argument("--no-cpsat", action="store_true")
    ap.add_argument("--j30-heuristic", action="store_true", help="also run the heuristic on j30")
    ap.add_argument("--progress", action="store_true")
    ap.add_argument("--csv", type=Path, default=None)
    run(ap.parse_args())


if __name__ == "__main__":
    main()
