"""``terawatt fleet plan|simulate|explain``: the orchestrator commands (thin wrappers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from terawatt.cli import validate
from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.cli.validate import Command
from terawatt.fleet.explain import explain_plan
from terawatt.fleet.plan import parse_date, plan_goal
from terawatt.fleet.simulate import simulate_plan
from terawatt.report.fleet_report import write_fleet_report

GoalArg = Annotated[str, typer.Argument(
    help='A one-line goal ("build a factory making 1000 solar modules per day with 5000 '
         'robots by 2027-06-01") or a TOML goal file.')]
PlanArg = Annotated[Path, typer.Argument(help="A plan run folder (made by 'fleet plan').")]


def _table(title: str, rows: list[tuple[str, Any]]) -> Table:
    t = Table(title=title, show_header=False)
    t.add_column("", style="bold")
    t.add_column("")
    for k, v in rows:
        t.add_row(k, f"{v:,.4g}" if isinstance(v, float) else str(v))
    return t


def plan(
    goal: GoalArg,
    *,
    robots: Annotated[str | None, typer.Option(
        "--robots", help="Fleet size, or 'auto' for the fleet-size trade-off curve.")] = None,
    start: Annotated[str | None, typer.Option(
        "--start", help="Construction start date YYYY-MM-DD (default: the goal's, else today).")
    ] = None,
    solver: Annotated[str, typer.Option("--solver", help="auto, cpsat or heuristic.")] = "auto",
    time_limit: Annotated[float, typer.Option(
        "--time-limit", help="Per solve, in seconds (> 0).")] = 10.0,
    seed: Annotated[int, typer.Option(
        "--seed", help=f"Random seed of the heuristic (0..{validate.SEED_MAX}).")] = 0,
    out: Annotated[Path, typer.Option("--out", help="Base folder of run folders.")] = Path("runs"),
    skills: Annotated[Path | None, typer.Option(
        "--skills", help="Skills file (made by 'terawatt train'): its levels and measured "
                         "time multipliers override the goal's skills.")] = None,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Plan a factory build: schedule every activity and give every crew slot a named robot."""
    validate.positive_seconds("--time-limit", time_limit)
    validate.seed(seed)
    reg = registry(scenario, set_)
    start_d = parse_date(start, "--start") if start else None
    res = plan_goal(goal, reg, robots=robots, start=start_d, solver=solver,
                    time_limit_s=time_limit, seed=seed, out=out, report=write_fleet_report,
                    skills=skills)
    s = res["summary"]
    if json_:
        emit_json({"run_folder": res["folder"], **{k: v for k, v in s.items() if k != "model"}})
        return
    c = console()
    c.print(_table(f"Plan: {s['goal']}", [
        ("completion", s["completion"]), ("deadline", s["deadline"] or "-"),
        ("construction days", s["makespan_days"]),
        ("earliest possible (critical path)", s["earliest_possible"]),
        ("robots (scheduled + spare)", f"{s['robots']:,} ({s['robots_scheduled']:,} + "
                                       f"{s['robots_spare']:,})"),
        ("lines / buildings / tools", f"{s['lines']:,} / {s['buildings']:,} / {s['tools']:,}"),
        ("activities / crew slots", f"{s['activities']:,} / {s['crew_slots']:,}"),
        ("mean robot utilisation", s["mean_utilisation"]),
        ("cost estimate USD", s["cost_estimate_usd"]), ("solver", s["solver"]),
        ("run folder", res["folder"])]))
    if s.get("curve"):
        t = Table(title="--robots auto: fleet size vs completion")
        for col in ("robots", "days", "completion"):
            t.add_column(col)
        for p in s["curve"]:
            t.add_row(f"{p['robots']:,}", f"{p['makespan_h'] / 24:,.1f}", p["completion"])
        c.print(t)


def simulate(
    plan_dir: PlanArg,
    *,
    seed: Annotated[int, typer.Option(
        "--seed", help=f"Random seed of the simulation (0..{validate.SEED_MAX}).")] = 0,
    replan: Annotated[bool, typer.Option("--replan/--no-replan",
                                         help="Re-plan the remaining work after disruptions.")
                      ] = True,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Execute a plan with breakdowns, charging, late material and re-planning, then produce."""
    validate.seed(seed)
    reg = registry(scenario, set_)
    res = simulate_plan(plan_dir, reg, seed=seed, replan=replan,
                        report=write_fleet_report)
    s = res["summary"]
    if json_:
        emit_json({"run_folder": res["folder"], **s})
        return
    console().print(_table("Simulation", [
        ("planned completion h", s["planned_makespan_h"]),
        ("simulated completion h", s["simulated_makespan_h"]),
        ("delay h", s["delay_h"]), ("every activity done once", s["executed_once"]),
        ("precedence violations", s["precedence_violations"]),
        ("breakdowns (short-handed)", f"{s['breakdowns']:,} ({s['breakdowns_short_handed']:,})"),
        ("late deliveries", s["late_deliveries"]), ("re-plans", s["replans"]),
        ("charging trips", f"{s['charge_trips']:,}"),
        ("produced in the horizon", f"{s['produced']:,.0f}"),
        ("robots joined the fleet", s["robots_joined"]),
        ("events/s (kernel, re-planning excluded)", f"{s['kernel_events_per_s'] or 0:,.0f}"),
        ("run folder", res["folder"])]))


def explain(
    plan_dir: PlanArg,
    activity: Annotated[str | None, typer.Argument(
        help="Activity index or label (e.g. B1/L1/laminator#1/connect_tool).")] = None,
    *,
    json_: JsonOpt = False,
) -> None:
    """Critical path, why an activity started when it did, utilisation per resource."""
    doc = explain_plan(plan_dir, activity)
    if json_:
        emit_json(doc)
        return
    c = console()
    cp = doc["critical_path"]["activities"]
    t = Table(title=f"Critical path ({len(cp)} activities, {doc['makespan_h']:,.0f} h)")
    for col in ("start h", "finish h", "activity", "phase", "linked by"):
        t.add_column(col)
    show = cp if len(cp) <= 30 else cp[:10] + cp[-20:]
    for a in show:
        t.add_row(f"{a['start_h']:,.0f}", f"{a['finish_h']:,.0f}", a["label"], a["phase"],
                  a["linked_by"])
    c.print(t)
    c.print(_table("Utilisation (mean / peak share of capacity)", [
        (k, f"{v['mean']:.2f} / {v['peak']:.2f}") for k, v in doc["utilisation"].items()]))
    for key in ("activity", "activity_simulated"):
        if key in doc:
            w = doc[key]
            c.print(f"[bold]{'Planned' if key == 'activity' else 'Simulated'}[/bold] "
                    f"{w['label']}: start {w['start_h']:,.1f} h, crew {w['crew']}")
            for r in w["reasons"]:
                extra = {k: v for k, v in r.items() if k not in ("reason", "binding")}
                mark = "*" if r.get("binding") else "-"
                c.print(f"  {mark} {r['reason']} {json.dumps(extra, default=str)}")


def register(fleet_app: typer.Typer) -> None:
    """Add ``plan``, ``simulate`` and ``explain`` to the ``terawatt fleet`` sub-app."""
    fleet_app.command("plan", cls=Command)(plan)
    fleet_app.command("simulate", cls=Command)(simulate)
    fleet_app.command("explain", cls=Command)(explain)
