"""Shared test helpers."""

from __future__ import annotations

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
