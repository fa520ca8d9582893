"""Shared test helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from terawatt.cli import app

PSPLIB = Path(__file__).resolve().parent / "data" / "psplib"  # instances and provenance


@pytest.fixture
def cli():
    """Run the CLI in-process: ``cli("physics", "--json")`` returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


# a cheap-orbit case in which a break-even exists (all inputs inside their published ranges)
CHEAP_ORBIT = [
    "costs.orbit.bus=3",
    "costs.orbit.solar_array=1",
    "costs.orbit.radiator=0.5",
    "orbital.failure_rate=0.03",
    "costs.orbit.compute_premium=1",
    "costs.orbit.insurance_rate=0",
    "satellite.design_life=10 yr",
    "economics.ground_power_option=1",
    "costs.power.gas_price=8",
]


def refused(args: list[str], *needles: str) -> str:
    """Run the CLI in-process: exit 2, one ``error:`` line on stderr, no traceback, nothing
    on stdout; every needle in the line. Returns the line."""
    r = CliRunner().invoke(app, args)
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 2, (r.exit_code, r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert "Traceback" not in r.stderr + r.stdout and r.stdout == ""
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def strict_loads(text: str):
    """``json.loads`` that refuses NaN, Infinity and -Infinity (not JSON, RFC 8259)."""
    def _refuse(name: str):
        raise ValueError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=_refuse)
