"""Shared pieces of the CLI: options, error handling, JSON and Rich output."""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console

from terawatt.assumptions import Registry, load_assumptions
from terawatt.assumptions.loader import DEFAULT_SCENARIO

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


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        return _jsonable(obj.item())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def emit_json(obj: Any) -> None:
    """Write ``obj`` as one JSON document on stdout (NaN/inf become null)."""
    sys.stdout.write(json.dumps(_jsonable(obj), indent=2, allow_nan=False) + "\n")
