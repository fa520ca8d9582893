"""CP-SAT worker portfolio: two full searches at 2 workers, proving the hardest j30 instances."""

from __future__ import annotations

import csv

import pytest
from ortools.sat.python import cp_model
from tests.conftest import PSPLIB

from terawatt.assumptions import load_registry
from terawatt.scheduling.checker import check_schedule
from terawatt.scheduling.cpsat.solver import set_portfolio
from terawatt.scheduling.problem import Status
from terawatt.scheduling.readers import read_instance
from terawatt.scheduling.settings import SolveSettings
from terawatt.scheduling.solve import solve

SETTINGS = SolveSettings.from_registry(load_registry())  # scheduling.* of the registry

RCPSP = PSPLIB
BKS = {r["instance"]: int(r["bks"])
       for r in csv.DictReader((RCPSP / "bks.csv").read_text().splitlines())}


def test_two_workers_run_two_full_searches():
    params = cp_model.CpSolver().parameters
    set_portfolio(params, 2)
    assert params.num_full_subsolvers == 2
    assert list(params.subsolvers) == ["no_lp_lean", "default_lp"]


@pytest.mark.parametrize("workers", [1, 4])
def test_other_worker_counts_keep_the_default(workers):
    params = cp_model.CpSolver().parameters
    set_portfolio(params, workers)
    assert params.num_full_subsolvers == 0
    assert list(params.subsolvers) == []


@pytest.mark.slow
def test_hard_j30_proven_with_two_workers():
    """J30_442 (PSPLIB j3045_2: resource factor 1, strength 0.2), one of the 5 j30 instances
    CP-SAT's default 2-worker portfolio left unproven after 60 s, is proven optimal at the
    published optimum (PSPLIB j30opt.sm, bks.csv), tolerance 0 periods."""
    f = "J30_442.txt"
    p = read_instance(RCPSP / "J30" / f, time_unit_s=1.0)
    r = solve(p, "cpsat", time_limit_s=60, workers=2, seed=442, settings=SETTINGS)
    assert r.status is Status.OPTIMAL
    assert r.makespan == BKS[f] and r.lower_bound == BKS[f]
    assert check_schedule(p, r.starts) == []
