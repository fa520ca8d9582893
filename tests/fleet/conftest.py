"""Shared fixtures of the fleet orchestrator tests: one small planned factory per session."""

from __future__ import annotations

import datetime as dt

import pytest

from terawatt.assumptions import load_assumptions
from terawatt.fleet.goal import parse_line
from terawatt.fleet.plan import make_plan, plan_data

SMALL_GOAL = ("build a factory making 1000 solar modules per day with 60 robots "
              "starting 2027-01-04")


@pytest.fixture(scope="session")
def reg():
    return load_assumptions("seed")


@pytest.fixture(scope="session")
def small_plan(reg):
    goal = parse_line(SMALL_GOAL, dt.date(2027, 1, 1))
    return make_plan(goal, reg, solver="heuristic", time_limit_s=2.0)


@pytest.fixture(scope="session")
def small_data(small_plan):
    return plan_data(small_plan)
