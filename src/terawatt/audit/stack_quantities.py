"""Audit quantities read from the stack model's central run (C01, C02, C12-C16, C18, C20, C21,
C25), and the support checks of C01 and C21 (what the stack's other sectors allow when a
scenario sets the claim's figure as an input).

Years come from the claims' own words counted from the interview date
(:data:`terawatt.audit.context.INTERVIEW_YEAR`): "within five years" (C02), "by the end of
2026" (C12, C13), "by 2030" (C14, C15: :data:`HORIZON_YEAR`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from terawatt.audit.context import (
    INTERVIEW_YEAR,
    AuditContext,
    Measurement,
    Support,
    month_text,
    quantity,
    support,
)
from terawatt.audit.provenance import claim_inputs
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.robots.replication import replication_from, robot_years
from terawatt.robots.usefulness import FACTORS, USEFULNESS_KEYS, UsefulnessParams, usefulness

#: C15's "a terawatt of compute by 2030": the end of the window C14 and C15 are read over
HORIZON_YEAR = 2030

#: C25: the years of the run's end over which AI compute's growth is extrapolated [yr]
TREND_YEARS = 5

#: the first calendar year after the interview (C12, C13: "by the end of 2026")
FIRST_YEAR = int(INTERVIEW_YEAR)


def _missing(reason: str, what: str = "") -> Measurement:
    return Measurement(None, what, not_checkable=reason)


def _annual_sum(st: Any, per_step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Calendar years and the per-year sums of a (T, n) per-step array (median over samples)."""
    yi = np.floor(np.asarray(st.time) + 1e-9).astype(int)
    years = np.unique(yi)
    sums = np.array([np.median(per_step[yi == y].sum(axis=0)) for y in years])
    return years, sums


def _terms(st: Any, sector: str, names: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """A sector's min() terms per step, (T, n) each; None for a run without them."""
    b = st.bottlenecks.get(sector)
    if b is None or not set(names) <= set(b.terms):
        return None
    return {t: b.values[:, j, :] for j, t in enumerate(b.terms)}


def _other_claims(ctx: AuditContext, claim: str, prefixes: tuple[str, ...]) -> str:
    """Which other claims the scenario took the named sectors' inputs from."""
    ids = sorted({c for k, ci in claim_inputs(ctx.reg).items() if k.startswith(prefixes)
                  for c in ci.claims} - {claim})
    return f" Those sectors run on scenario inputs taken from {', '.join(ids)}" if ids else ""


# ------------------------------------------------------------------------------------------
# launches
# ------------------------------------------------------------------------------------------
@quantity(
    "peak_launches_per_year",
    keys=("launch.launches_per_year", "launch.ramp.growth_after"),
    models=("stack",),
)
def peak_launches_per_year(ctx: AuditContext) -> Measurement:
    """C01: highest launch count in any year of the stack run [launch/yr]."""
    r, st = ctx.reg, ctx.stack
    per_year = st.annual_median("launches")
    i = int(np.argmax(per_year))
    return Measurement(
        float(per_year[i]),
        f"Stack run: launches peak at {per_year[i]:,.0f} in {int(st.years[i])}; the cadence "
        f"ramps from launch.ramp.base {r.value('launch.ramp.base', 'launch/yr'):,.0f}/yr "
        f"({r.value('launch.ramp.base_year', 'yr'):g}) to launch.launches_per_year "
        f"{r.value('launch.launches_per_year', 'launch/yr'):,.0f}/yr in "
        f"{r.value('launch.ramp.target_year', 'yr'):g}, then grows "
        f"{r.value('launch.ramp.growth_after', '1/yr'):.0%}/yr.",
        details={"launches_by_year": dict(zip(st.years.tolist(), per_year.tolist(), strict=True))},
    )


@support("peak_launches_per_year")
def launches_the_stack_fills(ctx: AuditContext, targets: tuple[float, ...]) -> Support:
    """Flights a year the stack's other sectors fill with data-centre satellites: per step,
    min(chips sent to orbit, space solar, satellite factories) in W of compute, times the
    satellite's kg per W, over the payload that arrives [flight/yr]."""
    st, r = ctx.stack, ctx.reg
    terms = _terms(st, "orbital", ("solar", "sat_factory"))
    basis = "rest of the stack"
    if terms is None:
        return Support(basis, None, None, "the stack run has no orbital solar and satellite-"
                       "factory terms")
    payload = r.si("launch.payload_per_flight")
    surv = 1.0 - r.si("launch.failure_rate")
    limits = {
        "chips sent to orbit": st.step("chips_to_orbit_w") * surv,
        "space solar": terms["solar"],
        "satellite factories": terms["sat_factory"],
    }
    kg_per_w = st.design["satellite_mass_per_compute_w_kg"]
    per_flight_w = payload * surv / kg_per_w
    years, flights = _annual_sum(st, np.minimum.reduce(list(limits.values())) / per_flight_w)
    i = int(np.argmax(flights))
    y = years[i]
    by_limit = {k: _annual_sum(st, v / per_flight_w)[1][i] for k, v in limits.items()}
    binding = min(by_limit, key=lambda k: by_limit[k])
    holds = bool(flights[i] >= targets[0])
    return Support(
        basis,
        holds,
        float(flights[i]),
        f"the chips the stack sends to orbit, its space solar and its satellite factories fill "
        f"at most {flights[i]:,.0f} flights a year of {payload / 1e3:,.4g} t with data-centre "
        f"satellites ({y}, limited by {binding}: "
        + ", ".join(f"{k} {v:,.0f}" for k, v in by_limit.items())
        + f") -> {'supports' if holds else 'does not support'} {targets[0]:,.0f} a year; the "
        "model has no launch-site, vehicle-production or propellant limit and no other "
        "payloads." + _other_claims(ctx, "C01", ("chips.", "orbital.", "pvmfg.", "satellite.")),
    )


@quantity(
    "orbit_launch_vs_ground_stock_2031",
    keys=("launch.payload_per_flight", "orbital.launch_share"),
    models=("stack",),
)
def orbit_launch_vs_ground_stock(ctx: AuditContext) -> Measurement:
    """C02: AI compute launched to orbit in the fifth year after the interview (gross, FLOP/s
    placed that year) over all terrestrial AI compute installed at its end [-]."""
    st = ctx.stack
    year = int(INTERVIEW_YEAR + 5.0)
    if year not in st.years:
        return _missing(f"the stack run does not cover {year}")
    launched = ctx.annual("orbital_flops_added", year)
    ground = ctx.annual("terrestrial_flops", year)
    ratio = launched / ground if ground > 0 else float("inf")
    binding = st.binding_by_year("orbital")[list(st.years).index(year)] if (
        "orbital" in st.bottlenecks) else "?"
    return Measurement(
        ratio,
        f"Stack run, {year} ('within five years'): {launched:.3g} FLOP/s launched to orbit "
        f"that year (gross, before losses) against {ground:.3g} FLOP/s installed on the ground "
        f"at its end; orbital placement bound by {binding}.",
        details={"orbital_flops_launched": launched, "terrestrial_flops": ground, "year": year},
    )


# ------------------------------------------------------------------------------------------
# power and chips
# ------------------------------------------------------------------------------------------
@quantity(
    "gas_turbine_lead_time_yr",
    keys=("power.gas.orders", "power.gas.initial_backlog"),
    models=("stack",),
)
def gas_lead_time(ctx: AuditContext) -> Measurement:
    """C12: delivery lead time of a gas turbine ordered at the interview [yr]: the order
    backlog over the factories' output in the step that holds the interview date."""
    st = ctx.stack
    k = int(np.searchsorted(st.time, INTERVIEW_YEAR, side="right")) - 1
    if k < 0:
        return _missing(f"the stack run starts after {month_text(INTERVIEW_YEAR)}")
    lead = float(np.median(st.step("gas_lead_time_s")[k])) / SECONDS_PER_YEAR
    return Measurement(
        lead,
        f"Stack run: turbine order backlog / factory output in {month_text(st.time[k])} = "
        f"{lead:.1f} yr, so a turbine ordered at the interview "
        f"({month_text(INTERVIEW_YEAR)}) arrives in {month_text(INTERVIEW_YEAR + lead)}.",
    )


@quantity(
    "stranded_accelerator_share_2026",
    keys=("power.gas.dc_share", "power.grid.rest.target"),
    models=("stack",),
)
def stranded_share(ctx: AuditContext) -> Measurement:
    """C13: share of terrestrial accelerators without power at the end of the interview's
    year [-]."""
    st = ctx.stack
    stranded = ctx.annual("stranded_accelerators", FIRST_YEAR)
    installed = ctx.annual("terrestrial_accelerators", FIRST_YEAR)
    share = stranded / max(stranded + installed, 1.0)
    i = list(st.years).index(FIRST_YEAR) if FIRST_YEAR in st.years else 0
    binding = st.binding_by_year("terrestrial")[i] if "terrestrial" in st.bottlenecks else "?"
    return Measurement(
        share,
        f"Stack run, end {FIRST_YEAR}: {stranded:,.0f} accelerators waiting for power vs "
        f"{installed:,.0f} installed; terrestrial build-out bound by {binding}.",
    )


@quantity("power_then_chips_share", models=("stack",))
def power_then_chips(ctx: AuditContext) -> Measurement:
    """C14: share of the years from the interview to :data:`HORIZON_YEAR` with the ground
    bound by power and orbit bound by chips [-] (a count of years: no single key moves it
    continuously, so it declares none)."""
    st = ctx.stack
    if not {"terrestrial", "orbital"} <= set(st.bottlenecks):
        return _missing("the stack run has no terrestrial/orbital bottleneck terms")
    yrs = [i for i, y in enumerate(st.years) if FIRST_YEAR <= y <= HORIZON_YEAR]
    g = st.binding_by_year("terrestrial")
    o = st.binding_by_year("orbital")
    ok = [i for i in yrs if "power" in g[i] and "chip" in o[i]]
    share = len(ok) / len(yrs) if yrs else 0.0
    by_year = {int(st.years[i]): {"ground": g[i], "orbit": o[i]} for i in yrs}
    text = (
        f"Binding constraint {FIRST_YEAR}-{HORIZON_YEAR} (ground / orbit): "
        + ", ".join(f"{y}: {v['ground']}/{v['orbit']}" for y, v in by_year.items())
        + "."
    )
    return Measurement(share, text, details={"binding": by_year})


@quantity(
    "chip_power_without_terafab_2030_tw",
    keys=("chips.wafer_starts.target", "chips.accelerators_per_wafer"),
    models=("stack",),
)
def chips_without_terafab(ctx: AuditContext) -> Measurement:
    """C15: accelerator power producible from the interview to :data:`HORIZON_YEAR` by
    existing fabs (no TeraFab) [TW]."""
    sub = ctx.with_values({"chips.terafab.capacity": 0.0}, "C15: no TeraFab")
    st = sub.stack
    prod = st.annual_median("accelerators_produced_w")
    sel = (st.years >= FIRST_YEAR) & (st.years <= HORIZON_YEAR)
    tw = float(prod[sel].sum()) / 1e12
    binding = sorted(set(np.asarray(st.binding_by_year("chips"))[sel].tolist()))
    return Measurement(
        tw,
        f"Stack run with chips.terafab.capacity = 0: {tw:.3g} TW of accelerators produced "
        f"{FIRST_YEAR}-{HORIZON_YEAR} (binding: {', '.join(binding)}).",
    )


@quantity(
    "chip_roadmap_input",
    context_keys=("chips.gen.ai5.year", "chips.gen.ai6.year"),
)
def chip_roadmap(ctx: AuditContext) -> Measurement:
    """C16: AI5/AI6 dates are inputs of the chip model."""
    r = ctx.reg
    return Measurement(
        None,
        f"(chips.gen.ai5.year = {r.value('chips.gen.ai5.year', 'yr'):g}, "
        f"chips.gen.ai6.year = {r.value('chips.gen.ai6.year', 'yr'):g}.)",
        not_checkable="company roadmap dates are inputs of the chip model, not "
        "something physics or the supply chain can derive.",
    )


def _power_bound_steps(st: Any, until: float) -> int:
    """Steps before ``until`` [yr] in which factory power binds robot production (median
    sample's binding term)."""
    b = st.bottlenecks.get("robots")
    if b is None or "power" not in b.terms:
        return 0
    j = b.terms.index("power")
    sel = np.asarray(st.time) < until
    return int(np.sum(np.median(b.binding[sel], axis=1) == j))


@quantity(
    "distributed_power_keeps_building",
    context_keys=("power.distributed.factory_share", "power.distributed.dc_share"),
    models=("stack",),
)
def distributed_power(ctx: AuditContext) -> Measurement:
    """C18: robots built up to :data:`HORIZON_YEAR` because robot factories also run on their
    own solar + storage: this run minus the same run with ``power.distributed.factory_share``
    = 0 (grid only) [robot]. ``details['achieved']``: the grid alone binds robot production in
    some step by then and distributed power lifts production.

    The model has no power accounting of chip fabs or car plants; robot factories are the
    part of the claim the stack can test. Data centres' distributed share is shown.
    """
    until = HORIZON_YEAR + 1.0
    st = ctx.stack
    grid_only = ctx.with_values({"power.distributed.factory_share": 0.0},
                                origin="C18: factories on the grid only").stack
    sel = np.asarray(st.time) < until
    built = float(np.median(st.step("robots_built")[sel].sum(axis=0)))
    built_grid = float(np.median(grid_only.step("robots_built")[sel].sum(axis=0)))
    bound_grid = _power_bound_steps(grid_only, until)
    bound = _power_bound_steps(st, until)
    gained = built - built_grid
    n_steps = int(sel.sum())
    fac = ctx.annual("power_distributed_factory_w", HORIZON_YEAR)
    dist = ctx.annual("power_distributed_w", HORIZON_YEAR)
    total = ctx.annual("power_capacity_w", HORIZON_YEAR)
    if bound_grid == 0:
        why = (f"on the grid alone factory power never binds robot production by "
               f"{HORIZON_YEAR} ({', '.join(sorted(set(grid_only.binding_by_year('robots'))))} "
               "binds), so there is no grid limit for distributed power to get around")
    else:
        why = (f"on the grid alone factory power binds robot production in {bound_grid} of "
               f"{n_steps} steps to {HORIZON_YEAR}; with {fac / 1e9:,.3g} GW of factory solar + "
               f"storage by {HORIZON_YEAR} it binds in {bound}")
    dc = f"{dist / total:.1%}" if total else "none"
    return Measurement(
        gained,
        f"Stack run: {built:,.0f} robots built to {HORIZON_YEAR} vs {built_grid:,.0f} with "
        f"factories on the grid only; {why}. Data centres: {dist / 1e9:,.0f} GW of distributed "
        f"solar + storage of {total / 1e9:,.0f} GW in {HORIZON_YEAR} ({dc}). Chip fabs and car "
        "plants have no power model here.",
        details={"achieved": bound_grid > 0 and gained > 0, "power_bound_steps_grid": bound_grid,
                 "power_bound_steps": bound},
    )


# ------------------------------------------------------------------------------------------
# robots and the long run
# ------------------------------------------------------------------------------------------
@quantity(
    "robot_usefulness_structure",
    context_keys=USEFULNESS_KEYS,
    models=("stack",),
)
def robot_usefulness(ctx: AuditContext) -> Measurement:
    """C20: years of the run in which robots building robots drives exponential growth: the
    robot population grows while the factories robots build are the binding input of robot
    production [yr] (``details['achieved']`` when there is at least one such year).

    The usefulness half (a product of three exponentials) is the model's form, an input: its
    factors' shares of the growth and their effect on task time and reach are shown, not
    judged.
    """
    st = ctx.stack
    recs = robot_years(st)
    rep = replication_from(ctx.reg)
    plan_dbl = rep.doubling_time_s / SECONDS_PER_YEAR
    selfrep = [r for r in recs if r["bottleneck_robots"] == "factories"
               and math.isfinite(r["robot_doubling_time_yr"])]
    years = [r["year"] for r in selfrep]
    if selfrep:
        dbl = [r["robot_doubling_time_yr"] for r in selfrep]
        growth = (f"robot production is bound by the factories robots build in "
                  f"{len(years)} year(s) ({years[0]}-{years[-1]}); the population doubles "
                  f"every {min(dbl):.2g}-{max(dbl):.2g} yr then (the fleet plan's factory "
                  f"gives {plan_dbl:.2g} yr while factories bind)")
    else:
        binds = sorted({r["bottleneck_robots"] for r in recs})
        dbl = [r["robot_doubling_time_yr"] for r in recs
               if math.isfinite(r["robot_doubling_time_yr"])]
        pace = (f"; the population still doubles every {min(dbl):.2g}-{max(dbl):.2g} yr, "
                f"at the pace of that input's supply" if dbl else "")
        growth = (f"robot production is never bound by the factories robots build ("
                  f"{' / '.join(binds)} binds in every year{pace}; the fleet plan's factory "
                  f"alone would double the population every {plan_dbl:.2g} yr)")
    after = [r for r in recs if years and r["year"] > years[-1]]
    ends = (f"; from {after[0]['year']} {after[0]['bottleneck_robots']} binds instead"
            if after else "")
    params = UsefulnessParams.from_registry(ctx.reg)
    u = usefulness(np.array([params.base_year, float(HORIZON_YEAR)]), params)
    shares = u.shares()
    parts = ", ".join(f"{f} {float(shares[f][-1]):.0%}" for f in FACTORS)
    return Measurement(
        float(len(years)),
        f"Stack run with the fleet-planned factory: {growth}{ends}. Usefulness (the model's "
        f"form, an input, not judged): x{float(u.usefulness[-1]):,.3g} from "
        f"{params.base_year:.0f} to {HORIZON_YEAR} (log shares: {parts}); task time "
        f"x{float(u.task_time[-1]):.3g}, task types within reach "
        f"{float(u.task_reach[0]):.0%} -> {float(u.task_reach[-1]):.0%}.",
        details={"achieved": bool(years), "self_replication_years": years,
                 "plan_doubling_time_yr": plan_dbl},
    )


@quantity(
    "robots_built_peak_per_year",
    keys=("robots.actuators.target", "robots.actuators.growth_after"),
    models=("stack",),
)
def robots_peak(ctx: AuditContext) -> Measurement:
    """C21: highest humanoid-robot production in any year of the run [robot/yr]
    (``details['peak_robots_per_year']`` for the claim's second half). Production is computed
    by the stack's robot sector (factories built by robots, chips, actuator supply, factory
    power); the scenario's claimed ramp (``robots.production.*``) is not an input of it."""
    st = ctx.stack
    years, built = _annual_robots(st)
    i = int(np.argmax(built))
    binding = st.binding_by_year("robots")
    return Measurement(
        float(built[i]),
        f"Stack run: robot production peaks at {built[i]:,.0f}/yr in {int(years[i])}, "
        f"bound by {binding[min(i, len(binding) - 1)]} that year.",
        details={
            "peak_robots_per_year": float(built[i]),
            "robots_built_by_year": dict(zip(years.tolist(), built.tolist(), strict=True)),
        },
    )


def _annual_robots(st: Any) -> tuple[np.ndarray, np.ndarray]:
    """Calendar years and robots built in each (median over samples) [robot/yr]."""
    return st.years.astype(int), st.annual_median("robots_built")


@support("robots_built_peak_per_year")
def robots_the_stack_supplies(ctx: AuditContext, targets: tuple[float, ...]) -> Support:
    """For each claimed rate, the first year the stack's computed robot production reaches
    it, or the input that binds production in the run's last year [robot/yr]."""
    st = ctx.stack
    years, built = _annual_robots(st)
    binding = st.binding_by_year("robots")
    parts, ok = [], True
    for t in targets:
        hit = np.nonzero(built >= t)[0]
        if hit.size:
            parts.append(f"production reaches {t:,.0f}/yr in {int(years[hit[0]])}")
        else:
            ok = False
            parts.append(f"production never reaches {t:,.0f}/yr (peak {built.max():,.0f}/yr; "
                         f"{binding[-1]} binds in {int(years[-1])})")
    return Support("rest of the stack", ok, float(built.max()), "; ".join(parts) + "."
                   + _other_claims(ctx, "C21", ("chips.", "robots.")))


@quantity(
    "human_share_of_intelligence_2040",
    keys=("economics.reference.human_brain_flops", "economics.reference.world_population"),
    models=("stack",),
)
def human_share(ctx: AuditContext) -> Measurement:
    """C25: human share of (human + AI) compute in the last year of the run [-] ('at some
    point' read as 'by the end of the run'); how fast the share would keep falling if AI
    compute kept its growth of the run's last years is shown as an extrapolation."""
    r = ctx.reg
    brain = r.get("economics.reference.human_brain_flops")
    humans = brain.si * r.si("economics.reference.world_population")
    st = ctx.stack
    flops = np.asarray(st.annual_median("total_flops"), dtype=float)
    years = st.years.astype(int)
    ai = float(flops[-1])
    share = humans / (humans + ai)
    lo, hi = r.low_high("economics.reference.human_brain_flops", "FLOP/s")
    span = min(TREND_YEARS, len(flops) - 1)
    trend = ""
    if span > 0 and flops[-1 - span] > 0 and ai > 0:
        g = math.log(ai / flops[-1 - span]) / span
        if g > 0:
            # once AI dominates, the human share ~ humans / AI falls e-fold every 1/g years
            trend = (f" AI compute grew {math.expm1(g):.0%}/yr over the run's last {span} "
                     f"years; at that pace the human share would fall tenfold every "
                     f"{math.log(10.0) / g:.2g} yr (an extrapolation beyond the model).")
        else:
            trend = " AI compute stops growing by the end of the run."
    return Measurement(
        share,
        f"'At some point' read as 'by {int(years[-1])}', the run's last year; 'intelligence' "
        f"as compute. Humans {humans:.2g} FLOP/s ({brain.si:.0e} FLOP/s per brain, "
        f"{brain.source.title}, {brain.source.year}; range {lo:.0e}-{hi:.0e}) vs AI "
        f"{ai:.2g} FLOP/s in {int(years[-1])} -> humans {share:.1%}.{trend}",
    )
