"""``terawatt sweep``: a resumable Monte Carlo sweep of the stack model, local or on Dask."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from terawatt.cli import EXIT_INTERRUPTED
from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.errors import UserError
from terawatt.uncertainty import analysis as an
from terawatt.uncertainty import claims_probability as cp
from terawatt.uncertainty import sweep as sw

SCHEDULER_TIMEOUT_S = 5.0


def sweep(
    *,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    samples: Annotated[int, typer.Option(
        "--samples", help="Number of samples; with --method sobol the base size N, a power of "
        "two (the design then has N*(k+2) rows for k ranged inputs).")] = 1024,
    method: Annotated[str, typer.Option(
        "--method", help=f"Sampling method: {', '.join(sw.METHODS)}.")] = "sobol",
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sampler.")] = 0,
    workers: Annotated[int | None, typer.Option(
        "--workers", help="Local worker processes (default: CPU count).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask scheduler address tcp://HOST:PORT.")] = None,
    chunk_size: Annotated[int, typer.Option(
        "--chunk-size", help="Samples per chunk file.")] = 10_000,
    out: Annotated[Path, typer.Option("--out", help="Base folder of the sweep folder.")]
    = Path("runs"),
    outcome: Annotated[str, typer.Option(
        "--outcome", help=f"Outcome for scenario discovery (PRIM): {', '.join(an.OUTCOMES)}.")]
    = an.DEFAULT_OUTCOME,
    claims_samples: Annotated[int, typer.Option(
        "--claims-samples", help="Sampled input sets the claims audit runs on, for the "
        "probability that each claim holds (0 disables).")] = cp.DEFAULT_CLAIMS_SAMPLES,
    json_: JsonOpt = False,
) -> None:
    """Sample every ranged assumption, run the stack on chunks of samples, write Parquet chunks,
    summary.json, the claims audit on --claims-samples input sets, analysis.json and
    report.html; rerunning the same command resumes."""
    an.check_outcome(outcome)
    cp.check_claims_samples(claims_samples)
    if workers is not None and scheduler is not None:
        raise UserError("--workers and --scheduler: both given; allowed: one of them")
    spec = sw.SweepSpec(scenario=scenario, sets=tuple(set_ or ()), n_samples=samples,
                        method=method, seed=seed, chunk_size=chunk_size)
    reg = registry(scenario, set_)
    spec = sw.resolve(spec, reg)
    folder = out / sw.sweep_folder_name(spec, reg)
    skipped = len(sw.completed_chunks(folder))
    client = sw.connect(scheduler, SCHEDULER_TIMEOUT_S) if scheduler else None
    n_workers = workers or os.cpu_count() or 1
    try:
        doc = _run(reg, spec, folder, n_workers, client, json_)
    except KeyboardInterrupt:
        done = len(sw.completed_chunks(folder))
        sys.stderr.write(f"interrupted: {done} of {spec.n_chunks} chunks complete in {folder}; "
                         "rerun the same command to resume\n")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        if client is not None:
            client.close()
    try:
        _run_claims(reg, folder, doc["spec"], claims_samples, n_workers, json_)
    except KeyboardInterrupt:
        sys.stderr.write(f"interrupted: claims audit not finished in {folder}; rerun the same "
                         "command to resume\n")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    from terawatt.report.sweep_report import write_report

    analysis = an.write_analysis(folder, outcome=outcome, claims_samples=claims_samples)
    write_report(folder, analysis)
    doc = {"folder": str(folder), "chunks_skipped": min(skipped, spec.n_chunks), **doc,
           "analysis": analysis}
    if json_:
        emit_json(doc)
        return
    _print(doc)


def _run(reg: Any, spec: sw.SweepSpec, folder: Path, workers: int, client: Any,
         quiet: bool) -> dict[str, Any]:
    if quiet or not sys.stdout.isatty():
        return sw.run_sweep(reg, spec, folder, workers=workers, client=client)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("chunks", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        task = bar.add_task("sweep", total=spec.n_chunks)
        return sw.run_sweep(reg, spec, folder, workers=workers, client=client,
                            progress=lambda done, total: bar.update(task, completed=done))


def _run_claims(reg: Any, folder: Path, spec: dict[str, Any], m: int, workers: int,
                quiet: bool) -> None:
    if quiet or not sys.stdout.isatty() or m == 0:
        cp.run_claims(reg, folder, spec, m, workers=workers)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress("claims audit", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as bar:
        task = bar.add_task("claims", total=m)
        cp.run_claims(reg, folder, spec, m, workers=workers,
                      progress=lambda done, total: bar.update(task, completed=done,
                                                              total=total))


def _print(doc: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.table import Table

    c = console()
    spec = doc["spec"]
    c.print(f"sweep: {spec['n_samples']:,} samples ({spec['method']}, seed {spec['seed']}), "
            f"{doc['chunks']} chunks ({doc['chunks_skipped']} already done) in {doc['folder']}")
    t = Table("year", "ground P5 / P50 / P95 [GW]", "orbit P5 / P50 / P95 [GW]")
    fan = doc["fan_chart"]
    for i, y in enumerate(doc["years"]):
        cells = [" / ".join(f"{fan[col][p][i] / 1e9:,.1f}" for p in ("p05", "p50", "p95"))
                 for col in ("ground_compute_w", "orbital_compute_w")]
        t.add_row(str(y), *cells)
    c.print(t)
    a = doc["analysis"]
    x = a["crossover"]
    crossing = ", ".join(f"{y}: {n}" for y, n in zip(x["years"], x["count"], strict=True)
                         if n > 0)
    c.print(f"crossover year (orbit <= ground USD per token), samples: {crossing or 'none'}; "
            f"none by {x['end_year']}: {x['none_count']} of {x['samples']}")
    if a["sobol"]:
        t = Table("output", "top inputs by ST (S1 / ST, ± 95 % CI)",
                  title=f"Sobol' indices, N = {a['sobol']['n_base']}")
        for e in a["sobol"]["outputs"].values():
            if "skipped" in e:
                t.add_row(f"{e['label']} ({e['year']})", f"skipped: {e['skipped']}")
                continue
            t.add_row(f"{e['label']} ({e['year']})", "\n".join(
                f"{k}: {e['indices'][k]['S1']:.2f} ± {e['indices'][k]['S1_conf']:.2f} / "
                f"{e['indices'][k]['ST']:.2f} ± {e['indices'][k]['ST_conf']:.2f}"
                for k in e["ranked"][:5]))
        c.print(t)
    d = a["discovery"]
    c.print(f"PRIM, outcome {d['outcome']} ({d['description']}): holds in {d['share']:.1%} "
            f"of {d['cases']} cases")
    if "skipped" in d:
        c.print(f"  skipped: {d['skipped']}")
    for i, b in enumerate(d["boxes"], 1):
        c.print(f"  box {i}: coverage {b['coverage']:.2f}, density {b['density']:.2f}")
        for k, lim in b["limits"].items():
            c.print(escape(f"    {lim['low']:.4g} <= {k} <= {lim['high']:.4g} [{lim['unit']}]"))
    if a.get("claims"):
        n = a["claims"][0]["n"]
        t = Table("claim", "P(holds) [95 % CI]", "consistent", "input", "conditional",
                  "inconsistent", "not-checkable",
                  title=f"Probability that each claim holds, {n} sampled input sets "
                  "(input: not established by the model)")
        for e in a["claims"]:
            sh = e["shares"]
            t.add_row(e["id"], f"{e['p_holds']:.2f} [{e['p_holds_low']:.2f}, "
                      f"{e['p_holds_high']:.2f}]",
                      *(f"{sh[v]:.2f}" for v in ("consistent", "input", "conditional",
                                                 "inconsistent", "not-checkable")))
        c.print(t)
    c.print(f"analysis.json and report.html in {doc['folder']}")
