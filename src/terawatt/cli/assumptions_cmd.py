"""``terawatt assumptions [PREFIX]``: list assumptions with value, unit, range and source."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.errors import UserError


def assumptions(
    prefix: Annotated[str, typer.Argument(help="Only keys starting with this prefix.")] = "",
    *,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
) -> None:
    """List every assumption (value, unit, low/high range, source) of a scenario."""
    reg = registry(scenario, set_)
    keys = reg.keys(prefix)
    if not keys:
        raise UserError(f"no assumption key starts with {prefix!r}{reg.suggest(prefix)}")
    overridden = {o.key: o.origin for o in reg.overrides}
    if json_:
        emit_json({
            "scenario": reg.scenario,
            "assumptions": [
                {
                    "key": k,
                    "value": reg.get(k).value,
                    "unit": reg.get(k).unit,
                    "low": reg.get(k).low,
                    "high": reg.get(k).high,
                    "si_value": reg.get(k).si,
                    "si_unit": reg.get(k).si_unit,
                    "source": reg.get(k).source.model_dump(),
                    "note": reg.get(k).note,
                    "overridden_by": overridden.get(k),
                }
                for k in keys
            ],
        })
        return
    table = Table(title=f"Assumptions ({reg.scenario}): {len(keys)} of {len(reg)}")
    for col in ("key", "value", "unit", "low–high", "source"):
        table.add_column(col, overflow="fold")
    for k in keys:
        a = reg.get(k)
        rng = f"{a.low:g}–{a.high:g}" if a.low is not None and a.high is not None else ""
        mark = " *" if k in overridden else ""
        table.add_row(k + mark, f"{a.value:.6g}", a.unit, rng, a.source.cite())
    out = console()
    out.print(table)
    if overridden:
        out.print("* changed by the scenario or --set")
