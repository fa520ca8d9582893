"""``terawatt fleet ...``: project scheduling commands (``fleet solve``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from terawatt.cli import validate
from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.cli.validate import Command, Group
from terawatt.errors import UserError
from terawatt.scheduling.settings import SolveSettings
from terawatt.scheduling.solve import SOLVERS, solve_instance, write_schedule

app = typer.Typer(cls=Group, help="Robot fleets: schedule projects (RCPSP with crews).",
                  no_args_is_help=True, add_completion=False)


@app.command("solve", cls=Command)
def solve_cmd(
    instance: Annotated[Path, typer.Argument(help="PSPLIB .sm or Patterson .rcp/.txt file.")],
    *,
    solver: Annotated[str, typer.Option("--solver", help="auto, cpsat or heuristic.")] = "auto",
    time_limit: Annotated[float, typer.Option("--time-limit",
                                              help="Wall-clock limit in seconds (> 0).")] = 10.0,
    schedules: Annotated[int, typer.Option("--schedules", help="Heuristic budget: "
                                           "schedule-generation passes (>= 1).")] = 1000,
    workers: Annotated[int, typer.Option(
        "--workers", help=f"CP-SAT worker threads (1..{validate.WORKERS_MAX}, or the CPU "
                          "count if larger).")] = 2,
    seed: Annotated[int, typer.Option("--seed",
                                      help=f"Random seed (0..{validate.SEED_MAX}).")] = 0,
    schedule_out: Annotated[Path | None, typer.Option(
        "--schedule-out", help="Write the schedule as JSON {starts: {id: t}, makespan}.")] = None,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Schedule a project file; print makespan, lower bounds, gap, status and runtime."""
    if solver not in SOLVERS:
        raise UserError(f"--solver: value {solver!r}; allowed: {', '.join(SOLVERS)}")
    validate.positive_seconds("--time-limit", time_limit)
    validate.int_range("--schedules", schedules, 1)
    validate.workers(workers)
    validate.seed(seed)
    reg = registry(scenario, set_)
    period_s = reg.value("scheduling.file_period", "s")
    p, r, bad = solve_instance(instance, solver, time_unit_s=period_s,
                               settings=SolveSettings.from_registry(reg), time_limit_s=time_limit,
                               n_schedules=schedules, workers=workers, seed=seed)
    if bad:  # pragma: no cover - a solver bug, never a user error
        raise RuntimeError(f"schedule failed the checker: {bad[0]}")
    out_path = write_schedule(schedule_out, p, r) if schedule_out is not None else None
    doc = {
        "instance": str(instance),
        "n_activities": p.n,
        "n_resources": p.n_resources,
        "solver": r.solver,
        "status": r.status.value,
        "makespan": r.makespan,
        "makespan_s": r.makespan_s,
        "lower_bound": r.lower_bound,
        "bounds": r.bounds,
        "gap": r.gap,
        "runtime_s": r.runtime_s,
        "n_schedules": r.n_schedules,
        "time_unit_s": p.time_unit_s,
        "checked": r.starts is not None,
        "schedule_out": str(out_path) if out_path else None,
    }
    if json_:
        emit_json(doc)
        return
    t = Table(title=f"{instance.name}: {p.n} activities, {p.n_resources} resources")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_row("status", r.status.value)
    t.add_row(escape("period [s]"), f"{p.time_unit_s:g}")
    t.add_row(escape("makespan [period]"), "-" if r.makespan is None else str(r.makespan))
    for k, v in r.bounds.items():
        t.add_row(escape(f"lower bound: {k} [period]"), str(v))
    t.add_row("gap", "-" if r.gap is None else f"{100 * r.gap:.1f} %")
    t.add_row("solver", r.solver)
    t.add_row("schedules / solutions", str(r.n_schedules))
    t.add_row(escape("runtime [s]"), f"{r.runtime_s:.2f}")
    t.add_row("checker", "feasible" if r.starts is not None else "no schedule")
    if out_path:
        t.add_row("schedule written", str(out_path))
    console().print(t)
