"""``terawatt robots``: the robot economy (robots building robots, usefulness, the lunar option).

Prints the reference robot factory planned by the fleet planner and the doubling time it
implies next to the one measured in the stack model; robots by year (population, production,
factory capacity, builders vs working, doubling time, binding input); the usefulness index with
each factor's share; orbital compute with and without lunar arrays and radiators; and
distributed power for factories when the stack records it. ``--json`` prints the document of
:func:`terawatt.report.robots_report.robot_economy`. The model runs *before* the run folder is
created (``summary.json``, ``years.parquet``, ``report.html``, ``assumptions.json``), so a
refused scenario leaves nothing behind.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.cli.run_cmd import write_summary
from terawatt.io.runfolder import registry_snapshot, run_folder, write_json
from terawatt.report.robots_report import (
    binding_text,
    by_year_rows,
    robot_economy,
    write_report,
)
from terawatt.robots.replication import run_stack_planned
from terawatt.robots.usefulness import FACTORS

OutOpt = Annotated[Path, typer.Option("--out", help="Base folder for the run folder.")]
NoSaveOpt = Annotated[bool, typer.Option("--no-save", help="Do not write a run folder.")]


def _yr(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}"


def _note(rec: dict[str, Any], key: str) -> str:
    """A value [yr] or, when it is null, why."""
    v = rec.get(key)
    return f"{v:.3g} yr" if v is not None else f"— ({rec.get(key + '_note', 'not finite')})"


def _m(x: float | None) -> str:
    return "—" if x is None else f"{x / 1e6:,.3g}"


def _print(doc: dict[str, Any], folder: Path | None) -> None:
    out = console()
    f = doc["factory"]
    t = Table(title=f"Reference robot factory from the fleet plan — {doc['scenario']} "
                    f"({doc['statistic']})")
    t.add_column("figure")
    t.add_column("value")
    t.add_row("plan's goal", f["goal"])
    t.add_row("build time", f"{f['build_time_days']:,.0f} days")
    t.add_row("crew", f"{f['crew']:,.0f} robots")
    t.add_row("capacity", f"{f['capacity_per_yr']:,.0f} robots/yr per factory")
    t.add_row("share building factories", f"{f['construction_share']:.0%}")
    plan = (f"{_note(f, 'doubling_time_from_plan_yr')} (dt -> 0: "
            f"{_note(f, 'doubling_time_from_plan_continuous_yr')})"
            if f["doubling_time_from_plan_yr"] is not None
            else _note(f, "doubling_time_from_plan_yr"))
    t.add_row("doubling time if factories bind: from the plan", plan)
    t.add_row("doubling time if factories bind: measured in the stack (other robot inputs "
              "ample, last year)", _note(f, "doubling_time_stack_if_factories_bind_yr"))
    t.add_row("with a crew trained in the training centre",
              f"build time {f['trained_build_time_days']:,.0f} days, doubling time if factories "
              f"bind {_note(f, 'trained_doubling_time_from_plan_yr')}")
    t.add_row("binding input of robot production in this run", binding_text(f))
    out.print(t)

    y = Table(title="Robots by year (million; flows per year)")
    for col in ("year", "population", "built", "factory cap.", "building", "working",
                "doubling (yr)", "binds"):
        y.add_column(col, justify="left" if col == "binds" else "right")
    for r in doc["years"]:
        y.add_row(str(r["year"]), _m(r["robots"]), _m(r["robots_built_per_yr"]),
                  _m(r["robot_factory_capacity_per_yr"]), _m(r["robots_construction"]),
                  _m(r["robots_working"]), _yr(r["robot_doubling_time_yr"]),
                  r["bottleneck_robots"])
    out.print(y)

    p = doc["usefulness"]["params"]
    u = Table(title=f"Usefulness U = intelligence × chips × dexterity (1 in {p['base_year']:g}; "
                    "doubling " + ", ".join(f"{n} {p[n]['doubling_time_yr']:.2g} yr"
                                            for n in FACTORS) + ")")
    for col in ("year", "intell.", "chips", "dext.", "U", "ln share I", "ln share C",
                "ln share D", "task time ×", "task reach"):
        u.add_column(col, justify="right")
    for r in doc["usefulness"]["years"]:
        sh = r["share_of_log_growth"]
        u.add_row(str(r["year"]), *(f"{r[n]:,.3g}" for n in FACTORS), f"{r['usefulness']:,.3g}",
                  *("—" if sh[n] is None else f"{sh[n]:.0%}" for n in FACTORS),
                  f"{r['task_time_multiplier']:.3f}", f"{r['task_reach']:.1%}")
    out.print(u)

    lun = doc["lunar"]
    lt = Table(title=f"Lunar option: orbital compute added per year (plant seed "
                     f"{lun['seed_mass_kg'] / 1e3:,.0f} t from {lun['start_year']:g})")
    for col in ("year", "without (GW/yr)", "with lunar arrays+radiators (GW/yr)", "gain",
                "lunar arrays (km²)", "lunar radiators (km²)"):
        lt.add_column(col, justify="right")
    for r in lun["years"]:
        lt.add_row(str(r["year"]), f"{r['compute_without_w_per_yr'] / 1e9:,.3f}",
                   f"{r['compute_with_w_per_yr'] / 1e9:,.3f}",
                   "—" if r["gain"] is None else f"{r['gain'] - 1:+.2%}",
                   f"{r['lunar_array_area_m2'] / 1e6:,.3g}",
                   f"{r['lunar_radiator_area_m2'] / 1e6:,.3g}")
    out.print(lt)

    dist = doc["distributed_factory_power"]
    if dist:
        dt = Table(title="Distributed power for factories")
        dt.add_column("year", justify="right")
        dt.add_column("solar + storage (GW)", justify="right")
        for r in dist["years"]:
            dt.add_row(str(r["year"]), "—" if r["power_w"] is None
                       else f"{r['power_w'] / 1e9:,.3g}")
        out.print(dt)
    if folder is not None:
        out.print(f"Run folder: {folder}")


def robots(
    *,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
    out: OutOpt = Path("runs"),
    no_save: NoSaveOpt = False,
) -> None:
    """The robot economy: robots building robots, usefulness, the lunar option."""
    reg = registry(scenario, set_)
    # the robot factory's build time and crew come from the fleet plan (cached per assumptions)
    res = run_stack_planned(reg, marginal=False)
    doc = robot_economy(reg, res)
    folder: Path | None = None
    if not no_save:
        import pandas as pd

        with run_folder(out, f"robots-{reg.scenario}") as rf:
            doc["run_folder"] = str(rf.final)
            write_summary(rf.path / "summary.json", doc)
            write_json(rf.path / "assumptions.json", registry_snapshot(reg))
            pd.DataFrame(by_year_rows(doc)).to_parquet(rf.path / "years.parquet", index=False)
            stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            write_report(rf.path / "report.html", doc,
                         meta=f"scenario {reg.scenario} ({' > '.join(reg.scenario_chain)}), "
                              f"central case, {stamp}")
        folder = rf.final
    if json_:
        emit_json(doc)
    else:
        _print(doc, folder)
