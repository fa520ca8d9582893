"""Fixtures of the web tests: run folders made by the CLI, and the app over them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from terawatt.cli import app as cli_app

#: A small plan (~260 activities, ~1 s with the heuristic).
PLAN_GOAL = ("build a factory making 400 solar modules per day with 50 robots starting "
             "2027-01-04")
PLAN_ARGS = ["fleet", "plan", PLAN_GOAL, "--solver", "heuristic", "--time-limit", "1"]
#: The smallest Sobol' sweep (base N = 8; a few seconds), without the claims audit.
SWEEP_ARGS = ["sweep", "--samples", "8", "--method", "sobol", "--claims-samples", "0",
              "--workers", "1"]


def make_runs(base: Path, *commands: list[str]) -> Path:
    """Run each CLI command with ``--out base --json`` in-process; every one must succeed."""
    runner = CliRunner()
    for args in commands:
        r = runner.invoke(cli_app, [*args, "--out", str(base), "--json"],
                          catch_exceptions=False)
        assert r.exit_code == 0, (args, r.stderr)
    return base


@pytest.fixture(scope="session")
def plan_runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runs folder holding one fleet plan."""
    return make_runs(tmp_path_factory.mktemp("plan-runs"), PLAN_ARGS)


@pytest.fixture(scope="session")
def runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runs folder with one run of each kind: a fleet plan, a stack run and a Sobol' sweep."""
    return make_runs(tmp_path_factory.mktemp("runs"), PLAN_ARGS, ["run"], SWEEP_ARGS)


@pytest.fixture(scope="session")
def client(runs_dir: Path):
    """The app on ``runs_dir`` through FastAPI's test client."""
    from fastapi.testclient import TestClient

    from terawatt.web.app import create_app

    return TestClient(create_app(runs_dir))
