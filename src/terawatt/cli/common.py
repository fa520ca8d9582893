"""Shared pieces of the CLI: options, error handling, JSON and Rich output."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console

from terawatt.assumptions import Registry, load_assumptions
from terawatt.assumptions.loader import DEFAULT_SCENARIO
from terawatt.io.jsonsafe import dumps

ScenarioOpt = Annotated[
    str,
    typer.Option("--scenario", "-s",
                 help="Packaged scenario name (seed, baseline, …) or a TOML file."),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override an assumption: KEY=VALUE, VALUE may carry a unit (150t)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of tables.")]

DEFAULT = DEFAULT_SCENARIO


def registry(scenario: str, sets: list[str] | None) -> Registry:
    return load_assumptions(scenario, sets or [])


def console() -> Console:
    """A Rich console on stdout (plain text when stdout is not a terminal)."""
    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 120)


def emit_json(obj: Any) -> None:
    """Write ``obj`` as one JSON document on stdout (NaN/inf become null)."""
    sys.stdout.write(dumps(obj) + "\n")
