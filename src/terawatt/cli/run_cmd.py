"""``terawatt run``: the stack model 2026-2040, with the bottleneck named per sector and year.

Prints a summary (compute in orbit and on the ground by year, stranded accelerators, the
bottleneck timeline, what would add the most compute now) or ``--json``, and writes a run
folder (``summary.json``, ``timeseries.parquet``, ``report.html``, ``assumptions.json``).
The model runs *before* the run folder is created, so a refused scenario leaves nothing behind.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.table import Table

from terawatt.cli import validate
from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.errors import UserError
from terawatt.io.runfolder import registry_snapshot, run_folder, write_json
from terawatt.report.robots_report import robot_economy
from terawatt.robots.replication import (
    NEVER_DOUBLES_NOTE,
    factory_record,
    finite_or_note,
    run_stack_planned,
    year_records,
)
from terawatt.stack import ALLOCATION_POLICIES, DEFAULT_POLICY
from terawatt.stack.history import HISTORY_SCENARIO, SeriesError, backtest
from terawatt.stack.result import StackResult

#: largest --samples: every series, sector term and marginal gain is kept per sample (~300 MB)
MAX_SAMPLES = 5_000

OutOpt = Annotated[Path, typer.Option("--out", help="Base folder for the run folder.")]
SamplesOpt = Annotated[int, typer.Option(
    "--samples", "-n", help=f"Monte Carlo samples, 1..{MAX_SAMPLES:,} (1 = the central case).")]
SeedOpt = Annotated[int, typer.Option(
    "--seed", help=f"Random seed for --samples > 1 (0..{validate.SEED_MAX}).")]
AllocationOpt = Annotated[str, typer.Option(
    "--allocation", help="Where new chips go: deploy-where-usable (default: each step, where "
    "they can be installed now), fixed-share (orbital.chip_share waits for launch), "
    "cheapest-per-token (the cheaper side first, by the year's costs).")]
NoSaveOpt = Annotated[bool, typer.Option("--no-save", help="Do not write a run folder.")]
ClaimsOpt = Annotated[bool, typer.Option(
    "--claims", help="Also add the claims audit (C01-C25) and cost sections to report.html "
    "(~2 s more).")]


def _segments(names: list[str], years: list[int]) -> str:
    out = []
    start = 0
    for i in range(1, len(names) + 1):
        if i == len(names) or names[i] != names[start]:
            span = f"{years[start]}" if i - 1 == start else f"{years[start]}-{years[i - 1]}"
            out.append(f"{names[start]} {span}")
            start = i
    return " → ".join(out)


def write_summary(path: Path, doc: Any) -> None:
    """Write ``doc`` as strict JSON (:func:`terawatt.io.runfolder.write_json`).

    Values that can legitimately be infinite carry a ``*_note`` next to their null saying why
    (a doubling time of a population that does not grow, see :func:`summary`)."""
    write_json(path, doc)


def summary(res: StackResult, errors: list[SeriesError], seed: int | None,
            robot_factory: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON document of a run (also ``summary.json`` in the run folder).

    ``robot_doubling_time_yr`` (per year) and ``robot_factory.doubling_time_if_factories_bind_yr``
    are null, with a ``*_note`` beside them, when the population does not grow (the doubling
    time is infinite)."""
    years = [int(y) for y in res.years]
    recs = year_records(res)
    if robot_factory is not None:
        robot_factory = dict(robot_factory)
        key = "doubling_time_if_factories_bind_yr"
        finite_or_note(robot_factory, key, robot_factory[key], NEVER_DOUBLES_NOTE)
    return {
        "scenario": res.scenario,
        "allocation": res.allocation,
        "n_samples": res.n_samples,
        "seed": seed,
        "statistic": "median over samples" if res.n_samples > 1 else "central case",
        "design": dict(res.design),
        "years": recs,
        "robot_factory": robot_factory,
        "bottleneck_timeline": {s: _segments(res.binding_by_year(s), years)
                                for s in res.bottlenecks},
        "add_most_compute_now": [{"constraint": c, "gain_w": g} for c, g in res.now()],
        "backtest": [r for e in errors for r in e.records()],
        "backtest_summary": [{"series": e.series.name, "max_abs_rel_error": e.max_abs_rel_error,
                              "rms_log_error": e.rms_log_error, "source": e.series.source}
                             for e in errors],
    }


def _g(x: float, scale: float = 1e9) -> str:
    return f"{x / scale:,.3g}"


def _print(res: StackResult, doc: dict[str, Any], folder: Path | None) -> None:
    out = console()
    t = Table(title=f"terawatt run — {res.scenario} ({doc['statistic']})")
    for col in ("year", "orbit GW", "ground GW", "H100e (M)", "stranded (M acc)", "launches",
                "mass to orbit (kt)", "orbital binds", "ground binds", "chips bind"):
        t.add_column(col, justify="right" if "binds" not in col and "bind" not in col else "left")
    for r in doc["years"]:
        t.add_row(str(r["year"]), _g(r["orbital_compute_w"]), _g(r["terrestrial_compute_w"]),
                  _g(r["h100e"], 1e6), _g(r["stranded_accelerators"], 1e6),
                  f"{r['launches']:,.0f}", _g(r["mass_to_orbit_kg"], 1e6),
                  r["bottleneck_orbital"], r["bottleneck_terrestrial"], r["bottleneck_chips"])
    out.print(t)
    if "robot_doubling_time_yr" in doc["years"][0]:
        fac = doc["robot_factory"]
        rt = Table(title="Robots building robots (factory from the fleet plan: "
                   f"{fac['build_time_s'] / 86400:,.0f} d, crew {fac['crew']:,.0f}, "
                   f"{fac['capacity_per_yr']:,.0f}/yr)" if fac else "Robots")
        for col in ("year", "population (M)", "production (M/yr)", "factory cap. (M/yr)",
                    "doubling time (yr)", "binds"):
            rt.add_column(col, justify="left" if col == "binds" else "right")
        for r in doc["years"]:
            rt.add_row(str(r["year"]), _g(r["robots"], 1e6), _g(r["robots_built_per_yr"], 1e6),
                       _g(r["robot_factory_capacity_per_yr"], 1e6),
                       "—" if r["robot_doubling_time_yr"] is None
                       else f"{r['robot_doubling_time_yr']:.2f}", r["bottleneck_robots"])
        out.print(rt)
    out.print("[bold]Bottleneck timeline[/bold]")
    for s, line in doc["bottleneck_timeline"].items():
        out.print(f"  {s:18s} {line}")
    if doc["add_most_compute_now"]:
        n = Table(title=f"What would add the most compute now ({int(res.years[0])} Q1, +10 % of "
                  "each constraint)")
        n.add_column("constraint")
        n.add_column("extra compute [MW]", justify="right")
        for r in doc["add_most_compute_now"]:
            n.add_row(r["constraint"], f"{r['gain_w'] / 1e6:,.1f}")
        out.print(n)
    if doc["backtest_summary"]:
        b = Table(title="Backtest against observations (model / observed - 1)")
        for col in ("series", "year", "model", "observed", "error"):
            b.add_column(col)
        for r in doc["backtest"]:
            b.add_row(r["series"], str(r["year"]), f"{r['model']:,.4g}", f"{r['observed']:,.4g}",
                      f"{r['rel_error']:+.1%}")
        out.print(b)
    if folder is not None:
        out.print(f"Run folder: {folder}")


def run(
    *,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
    out: OutOpt = Path("runs"),
    samples: SamplesOpt = 1,
    seed: SeedOpt = 0,
    no_save: NoSaveOpt = False,
    claims: ClaimsOpt = False,
    allocation: AllocationOpt = DEFAULT_POLICY,
) -> None:
    """Run the stack model (AI compute on Earth and in orbit, 2026-2040) and name the bottleneck."""
    if not 1 <= samples <= MAX_SAMPLES:
        raise UserError(f"--samples: value {samples}; allowed: 1 to {MAX_SAMPLES:,} (per-sector "
                        "records and marginal gains are kept for every sample; larger sweeps: "
                        "terawatt.stack.model.simulate with record=..., see docs/stack.md)")
    validate.seed(seed)
    if allocation not in ALLOCATION_POLICIES:
        raise UserError(f"--allocation: value {allocation!r}; allowed: "
                        f"{', '.join(ALLOCATION_POLICIES)}")
    reg = registry(scenario, set_)
    ratio = None
    if allocation == "cheapest-per-token":
        from terawatt.economics.service import orbit_cost_ratio

        ratio = orbit_cost_ratio(reg)
    # the robot factory's build time and crew come from the fleet plan (robot economy)
    res = run_stack_planned(reg, samples, np.random.default_rng(seed), allocation=allocation,
                            orbit_cost_ratio=ratio)
    errors = backtest(res) if reg.scenario == HISTORY_SCENARIO else []
    robot_factory = factory_record(reg)
    doc = summary(res, errors, seed if samples > 1 else None, robot_factory)
    folder: Path | None = None
    if not no_save:
        from terawatt.report.stack_report import write_report

        robots = robot_economy(reg, res) if "robots_construction" in res.series else None
        with run_folder(out, reg.scenario) as rf:
            doc["run_folder"] = str(rf.final)
            write_summary(rf.path / "summary.json", doc)
            write_json(rf.path / "assumptions.json", registry_snapshot(reg))
            res.frame().to_parquet(rf.path / "timeseries.parquet", index=False)
            stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            write_report(rf.path / "report.html", res, errors, robots=robots,
                         meta=f"scenario {reg.scenario} ({' > '.join(reg.scenario_chain)}), "
                              f"{samples} sample(s), {stamp}")
            if claims:
                from terawatt.report.claims_report import append_to_report

                append_to_report(rf.path / "report.html", reg, res)
        folder = rf.final
    if json_:
        emit_json(doc)
    else:
        _print(res, doc, folder)
