"""``terawatt train``: the training centre (a thin wrapper over :mod:`terawatt.fleet.training`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from terawatt.cli import validate
from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.fleet.training import train_service


def train(
    *,
    robots: Annotated[int | None, typer.Option(
        "--robots", help="Robots practising (default: training.robots, 20,000).")] = None,
    days: Annotated[int | None, typer.Option(
        "--days", help="Days of practice (default: training.days, 30).")] = None,
    target: Annotated[str | None, typer.Option(
        "--target", help="Goal (one line or TOML file) whose build time the practice should "
                         "shorten; planned with and without the trained skills.")] = None,
    time_limit: Annotated[float, typer.Option(
        "--time-limit", help="Per plan solve (heuristic), in seconds (> 0).")] = 5.0,
    out: Annotated[Path, typer.Option("--out", help="Base folder of run folders.")] = Path("runs"),
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Train robots on the construction task types; write a skills file for 'fleet plan'."""
    validate.positive_seconds("--time-limit", time_limit)
    reg = registry(scenario, set_)
    s = train_service(reg, robots=robots, days=days, target=target, out=out,
                      time_limit_s=time_limit)
    if json_:
        emit_json(s)
        return
    c = console()
    t = Table(title=f"Training: {s['robots']:,} robots, {s['days']} days "
                    f"(learning rate {s['learning_rate']:.0%} per doubling)")
    for col in ("task type", "practice h", "time x (start -> end)", "failure rate", "level"):
        t.add_column(col)
    for task, v in s["tasks"].items():
        t.add_row(task, f"{v['allocated_h']:,.0f}",
                  f"{v['time_multiplier_start']:.3f} -> {v['time_multiplier']:.3f}",
                  f"{v['failure_rate']:.3%}", str(v["level"]))
    c.print(t)
    if "completion" in s:
        cd = s["completion"]
        c.print(f"Target: {s['target']}")
        c.print(f"  completion without training: {cd['without_training']} "
                f"({cd['makespan_h_without'] / 24:,.1f} days)")
        c.print(f"  completion with training:    {cd['with_training']} "
                f"({cd['makespan_h_with'] / 24:,.1f} days, {cd['days_saved']:,.1f} days saved)")
    c.print(f"skills file: {s['skills_file']}")
    c.print(f"run folder: {s['run_folder']}")
