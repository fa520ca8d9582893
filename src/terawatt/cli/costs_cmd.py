"""``terawatt costs``: USD per W-year and per million tokens, ground vs orbit, per year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from terawatt.cli import validate
from terawatt.cli.common import DEFAULT, JsonOpt, ScenarioOpt, SetOpt, console, emit_json, registry
from terawatt.errors import UserError

#: Memory budget of the ``--samples`` Monte Carlo [byte]. Every draw of every ranged cost
#: assumption is held at once (one vectorised call), so the draw count is bounded by memory.
MC_MEMORY_BYTES = 2**30
#: float64 arrays per draw besides the sampled inputs and the launch path: the satellite
#: budget, orbit and ground cost components, USD/Mtok and the copies np.percentile sorts.
_MC_WORK_ARRAYS = 16




def mc_bytes_per_sample(n_keys: int, n_years: int) -> int:
    """Estimated peak memory of one Monte Carlo draw of ``costs --samples`` [byte].

    float64 (8 B) per draw: one array per sampled cost key (``cost_keys()``), the cumulative
    launch path over the years and its offset copy (2 x (years + 1), ``CostModel``), and
    :data:`_MC_WORK_ARRAYS` working arrays. Seed scenario: 76 keys, 15 years -> 992 B; the peak
    measured with tracemalloc for 10^4..4x10^5 draws is 929 B per draw.
    """
    return 8 * (n_keys + 2 * (n_years + 1) + _MC_WORK_ARRAYS)


def _check_samples(samples: int, n_keys: int, n_years: int) -> None:
    per = mc_bytes_per_sample(n_keys, n_years)
    top = MC_MEMORY_BYTES // per
    if not 2 <= samples <= top:
        need = f" would need ~{validate.human_bytes(samples * per)}" if samples > top else ""
        raise UserError(
            f"--samples: value {samples:,}{need}; allowed: 2..{top:,} draws (a "
            f"{validate.human_bytes(MC_MEMORY_BYTES)} memory budget at ~{per:,} B per draw: "
            f"{n_keys} sampled cost inputs, the launch path over {n_years} years, working "
            "arrays; omit --samples for the central case only)")


def costs(
    *,
    scenario: ScenarioOpt = DEFAULT,
    set_: SetOpt = None,
    json_: JsonOpt = False,
    year: Annotated[
        float | None,
        typer.Option("--year", help="Year of the break-evens and tornado: a whole year within "
                     "the stack run's horizon (run.start_year..run.end_year); default 2029 "
                     "(claim C03's 30-36 months from Feb 2026), or the horizon's end if sooner."),
    ] = None,
    costs_file: Annotated[
        Path | None,
        typer.Option("--costs", help="A cost file overriding costs.*/economics.* assumptions."),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Tornado rows to show (>= 1).")] = 10,
    samples: Annotated[
        int | None,
        typer.Option("--samples", "-n", help="Monte Carlo draws of the cost ranges (>= 2, "
                     f"bounded by a {MC_MEMORY_BYTES // 2**30} GiB memory budget; default none)."),
    ] = None,
    seed: Annotated[int, typer.Option(
        "--seed", help=f"Random seed for --samples (0..{validate.SEED_MAX}).")] = 0,
) -> None:
    """Cost of delivered compute on the ground and in orbit per year (stack-run launch cadence),
    crossover year, break-even launch price / satellite USD/W / W/kg, and a tornado."""
    import numpy as np

    from terawatt.economics.service import (
        DEFAULT_COST_YEAR,
        apply_cost_file,
        cost_keys,
        costs_summary,
    )
    from terawatt.stack.service import time_axis_from

    validate.int_range("--top", top, 1)
    validate.seed(seed)
    reg = registry(scenario, set_)
    if costs_file is not None:
        reg = apply_cost_file(reg, str(costs_file))
    axis = time_axis_from(reg)  # the time axis of the stack run the costs are read from
    first, last = int(np.floor(axis[0])), int(np.floor(axis[-1]))
    if year is None:
        year = float(min(max(DEFAULT_COST_YEAR, first), last))
    validate.year(year, first, last, f"run.start_year..run.end_year of scenario "
                  f"{reg.scenario!r}: the stack run's horizon")
    if samples is not None:
        _check_samples(samples, len(cost_keys()), last - first + 1)
    s = costs_summary(reg, year=year, top=top, samples=samples or 0,
                      rng=np.random.default_rng(seed))
    if json_:
        emit_json(s)
        return
    out = console()
    t = Table(
        title=f"Cost of delivered compute ({s['scenario']}; launch cadence: {s['cadence_source']})"
    )
    for c in (
        "year",
        "cum. mass t",
        "launch USD/kg",
        "ground USD/W-yr",
        "orbit USD/W-yr",
        "ground USD/Mtok",
        "orbit USD/Mtok",
    ):
        t.add_column(c, justify="right")
    for r in s["path"]:
        t.add_row(
            str(r["year"]),
            f"{r['cumulative_mass_t']:,.0f}",
            f"{r['launch_usd_per_kg']:,.0f}",
            f"{r['ground_usd_per_w_yr']:.2f}",
            f"{r['orbit_usd_per_w_yr']:.2f}",
            f"{r['ground_usd_per_mtok']:.4f}",
            f"{r['orbit_usd_per_mtok']:.4f}",
        )
    out.print(t)
    cy = s["crossover_year"]
    out.print(
        f"Crossover (orbit no dearer than ground): {cy:.1f}"
        if cy is not None
        else f"Crossover: none by {s['path'][-1]['year']}"
    )
    out.print(f"System specific power {s['specific_power_w_per_kg']:.1f} W/kg")
    for b in s["break_evens"]:
        val = f"{b['value']:.4g} {b['unit']}" if b["value"] is not None else b["text"]
        out.print(f"Break-even {b['driver']} in {b['year']:g}: {val} "
                  f"(model: {b['current']:.4g} {b['unit']})")
    for case in s.get("published") or []:
        out.print(f"Published case: {case['title']}")
        for f in case["figures"]:
            mark = "within" if f["within"] else "OUTSIDE"
            out.print(f"  {f['label']}: published {_num(f['published'])} vs ours "
                      f"{_num(f['ours'])} {f['unit']} ({f['deviation']:+.1%}; {mark} "
                      f"{f['tolerance']:.0%})")
        for gap in case.get("gaps") or []:
            out.print(f"  gap: {gap}")
    tt = Table(
        title=f"Tornado, USD per million tokens in {year:g} "
        f"(ground {s['tornado']['ground_central']:.4f}, "
        f"orbit {s['tornado']['orbit_central']:.4f})"
    )
    for c in ("assumption", "low..high", "ground low/high", "orbit low/high"):
        tt.add_column(c)
    for r in s["tornado"]["rows"]:
        tt.add_row(
            r["key"],
            f"{r['low']:.4g}..{r['high']:.4g} {r['unit']}",
            f"{r['ground_low']:.4f} / {r['ground_high']:.4f}",
            f"{r['orbit_low']:.4f} / {r['orbit_high']:.4f}",
        )
    out.print(tt)
    go = Table(title=f"Ground by power supply ({year:g} accelerators)")
    for c in ("power supply", "grid USD/kWh", "power USD/W-yr", "ground USD/W-yr", "USD/Mtok"):
        go.add_column(c, justify="left" if c == "power supply" else "right")
    for r in s["ground_options"]:
        price = f"{r['grid_usd_per_kwh']:.4f}" if r["grid_usd_per_kwh"] is not None else "-"
        go.add_row(
            r["option"],
            price,
            f"{r['power_usd_per_w_yr']:.2f}",
            f"{r['ground_usd_per_w_yr']:.2f}",
            f"{r['ground_usd_per_mtok']:.4f}",
        )
    out.print(go)
    mc = s["monte_carlo"]
    if mc is not None:
        o, g, r = mc["orbit_usd_per_mtok"], mc["ground_usd_per_mtok"], mc["ratio_orbit_over_ground"]
        out.print(
            f"Monte Carlo ({mc['samples']} draws, {mc['method']}), {year:g}: orbit no dearer than "
            f"ground in {mc['p_orbit_cheaper']:.1%} of draws; USD/Mtok orbit {o['p05']:.4f} / "
            f"{o['p50']:.4f} / {o['p95']:.4f}, ground {g['p05']:.4f} / {g['p50']:.4f} / "
            f"{g['p95']:.4f} (5/50/95 %); orbit/ground {r['p05']:.2f} / {r['p50']:.2f} / "
            f"{r['p95']:.2f}"
        )


def _num(x: float) -> str:
    """A figure as people write it: thousands separators from 1,000 up, 4 digits below."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"
