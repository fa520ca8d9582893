"""Model quantities that test the claims, registered by name for ``claims.toml``.

Each quantity is a function ``fn(ctx: AuditContext) -> Measurement`` registered with
:func:`quantity`. It reads the models (physics, stack, economics, fleet) through the context,
which caches one stack run and one cost model per registry. Break-even searches evaluate the
same function on a context whose registry has one assumption changed
(:meth:`AuditContext.with_values`) or whose model *driver* (a derived figure such as the system
W/kg or the launch price) is overridden (:meth:`AuditContext.with_driver`).

A quantity that cannot be tested (a claim with no unit or date, a year the run does not cover)
returns ``value=None`` with ``not_checkable`` saying why. A model that fails to import is a
broken install and raises.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.economics.service import cost_model, cost_path, stack_paths
from terawatt.fleet.expand import expand
from terawatt.fleet.goal import parse_line
from terawatt.physics import solar
from terawatt.physics.datacenter import datacenter_keys, facility_power_w
from terawatt.physics.launch import launch_budget
from terawatt.physics.satellite import satellite_from_registry
from terawatt.stack.service import model_keys, run_stack


@dataclass(frozen=True)
class Measurement:
    """A model value in the claim's unit, how it was obtained, or why there is none."""

    value: float | None
    explanation: str = ""
    not_checkable: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


Quantity = Callable[["AuditContext"], Measurement]
REGISTRY: dict[str, Quantity] = {}

#: model drivers a break-even can vary: name -> unit
DRIVERS: dict[str, str] = {
    "system_specific_power_w_per_kg": "W/kg",
    "launch_usd_per_kg": "USD/kg",
    "satellite_usd_per_w": "USD/W",
}


def quantity(name: str) -> Callable[[Quantity], Quantity]:
    """Register ``fn`` under ``name`` (the ``quantity`` field of a claim entry)."""

    def deco(fn: Quantity) -> Quantity:
        if name in REGISTRY:
            raise ValueError(f"quantity {name!r} registered twice")
        REGISTRY[name] = fn
        return fn

    return deco


class AuditContext:
    """The models of one registry, evaluated lazily and cached (one stack run, one cost model).

    ``drivers`` override derived model figures (see :data:`DRIVERS`) for break-even searches.
    """

    def __init__(
        self, reg: Registry, *, stack: Any = None, drivers: Mapping[str, float] | None = None
    ) -> None:
        self.reg = reg
        self.drivers = dict(drivers or {})
        if stack is not None:
            self.__dict__["stack"] = stack

    def with_values(self, values: Mapping[str, Any]) -> AuditContext:
        sub = AuditContext(self.reg.with_values(values, "break-even search"), drivers=self.drivers)
        if "stack" in self.__dict__ and not set(values) & set(model_keys()):
            sub.__dict__["stack"] = self.__dict__["stack"]  # the stack does not read these keys
        return sub

    def with_driver(self, name: str, value: float) -> AuditContext:
        sub = AuditContext(self.reg, drivers={**self.drivers, name: value})
        for k in ("stack", "costs", "satellite"):  # same registry: share caches
            if k in self.__dict__:
                sub.__dict__[k] = self.__dict__[k]
        return sub

    # models --------------------------------------------------------------------------------
    @cached_property
    def stack(self) -> Any:
        """Central stack run."""
        return run_stack(self.reg, detail=True, marginal=False)

    @cached_property
    def satellite(self) -> Any:
        return satellite_from_registry(self.reg)

    @cached_property
    def costs(self) -> Any:
        """Cost model over the stack's years and launch cadence."""
        years, lpy, gain = stack_paths(self.stack)
        return cost_model(self.reg, years=years, launches_per_year=lpy, tokens_gain=gain)

    def specific_power_w_per_kg(self) -> float:
        """System W/kg of the satellite (driver-overridable)."""
        if "system_specific_power_w_per_kg" in self.drivers:
            return float(self.drivers["system_specific_power_w_per_kg"])
        return float(self.satellite.specific_power_w_per_kg[0])

    def annual(self, name: str, year: int) -> float:
        st = self.stack
        idx = int(np.searchsorted(st.years, year))
        idx = min(max(idx, 0), len(st.years) - 1)
        return float(st.annual_median(name)[idx])


def driver_current(ctx: AuditContext, name: str) -> float | None:
    """The model's own value of a driver (for reporting next to its break-even)."""
    if name == "system_specific_power_w_per_kg":
        return float(ctx.satellite.specific_power_w_per_kg[0])
    year = _CLAIM_YEAR_C03
    if name == "launch_usd_per_kg":
        return float(ctx.costs.launch_price_usd_per_kg(year)[0])
    if name == "satellite_usd_per_w":
        return float(ctx.costs.orbit(year).platform_usd_per_w[0])
    return None


def _missing(reason: str, what: str) -> Measurement:
    return Measurement(None, f"{what}.", not_checkable=reason)


# ------------------------------------------------------------------------------------------
# launch, orbit, satellites
# ------------------------------------------------------------------------------------------
@quantity("peak_launches_per_year")
def peak_launches_per_year(ctx: AuditContext) -> Measurement:
    """C01: highest launch count in any year of the stack run [launch/yr]."""
    st = ctx.stack
    per_year = st.annual_median("launches")
    i = int(np.argmax(per_year))
    return Measurement(
        float(per_year[i]),
        f"Stack run: launches peak at {per_year[i]:,.0f} in {int(st.years[i])} "
        f"(launch.launches_per_year = "
        f"{ctx.reg.value('launch.launches_per_year', 'launch/yr'):,.0f}; "
        "the stack ramps toward it).",
        details={"launches_by_year": dict(zip(st.years.tolist(), per_year.tolist(), strict=True))},
    )


def _mass_to_orbit_kg_per_yr(reg: Registry) -> float:
    keys = ("launch.payload_per_flight", "launch.launches_per_year", "launch.failure_rate")
    b = launch_budget(reg.sample(1, keys=keys))
    return float(b.mass_to_orbit_kg_per_s[0] * SECONDS_PER_YEAR)


@quantity("compute_launchable_tw_per_year")
def compute_launchable_tw_per_year(ctx: AuditContext) -> Measurement:
    """C06: compute power the launch cadence can put in orbit per year [TW/yr]."""
    mass = _mass_to_orbit_kg_per_yr(ctx.reg)
    sp = ctx.specific_power_w_per_kg()
    tw = mass * sp / 1e12
    return Measurement(
        tw,
        f"{mass / 1e3:,.0f} t/yr to orbit (launch.payload_per_flight x "
        f"launch.launches_per_year x (1 - failure)) x system {sp:.1f} W/kg "
        "(physics.satellite budget).",
        details={"mass_to_orbit_t_per_yr": mass / 1e3, "system_w_per_kg": sp},
    )


@quantity("space_solar_cells_needed_gw_per_year")
def space_solar_cells_needed(ctx: AuditContext) -> Measurement:
    """C08: solar array power needed per year to fill the launch cadence [GW/yr]."""
    mass = _mass_to_orbit_kg_per_yr(ctx.reg)
    sp = ctx.specific_power_w_per_kg()
    ratio = float((ctx.satellite.array_power_bol_w / ctx.satellite.compute_power_w)[0])
    gw = mass * sp * ratio / 1e9
    return Measurement(
        gw,
        f"Compute launched per year ({mass * sp / 1e9:,.1f} GW) x {ratio:.2f} W of "
        "array (beginning of life) per W of compute, from the satellite budget.",
        details={"array_w_per_compute_w": ratio},
    )


@quantity("system_specific_power_w_per_kg")
def system_specific_power(ctx: AuditContext) -> Measurement:
    """C19: the satellite's system specific power vs the FCC filing's 100 kW/t [W/kg]."""
    sp = ctx.specific_power_w_per_kg()
    n_sat = 1e6
    p_sat = float(ctx.satellite.compute_power_w[0])
    return Measurement(
        sp,
        "The filing itself (FCC SAT-LOA-20260108-00016, 30 Jan 2026) is a fact the "
        "model cannot test; what it can test is the filing's sizing, '100 kW per tonne'. "
        f"The satellite budget gives {sp:.1f} W/kg; one million satellites of "
        f"{p_sat / 1e3:,.0f} kW carry {n_sat * p_sat / 1e9:,.0f} GW.",
        details={"compute_per_satellite_w": p_sat},
    )


@quantity("orbit_launch_vs_ground_stock_2031")
def orbit_launch_vs_ground_stock(ctx: AuditContext) -> Measurement:
    """C02: orbital AI compute added in 2031 over all terrestrial AI compute at end 2031 [-]."""
    st = ctx.stack
    year = 2031
    if year not in st.years:
        return _missing(f"the stack run does not cover {year}", "Needs year 2031")
    added = ctx.annual("orbital_flops", year) - ctx.annual("orbital_flops", year - 1)
    ground = ctx.annual("terrestrial_flops", year)
    ratio = added / ground if ground > 0 else float("inf")
    return Measurement(
        ratio,
        f"Stack run: orbital compute grows by {added:.3g} FLOP/s in {year} "
        f"against {ground:.3g} FLOP/s installed on the ground.",
        details={"orbital_flops_added": added, "terrestrial_flops": ground},
    )


# ------------------------------------------------------------------------------------------
# economics
# ------------------------------------------------------------------------------------------
#: 36 months after the interview (6 Feb 2026): the end of claim C03's window [calendar year]
_CLAIM_YEAR_C03 = 2026.1 + 3.0


@quantity("orbit_over_ground_cost_2029")
def orbit_over_ground_cost(ctx: AuditContext) -> Measurement:
    """C03: USD per million tokens in orbit over on the ground, early 2029 [-]."""
    m = ctx.costs
    year = _CLAIM_YEAR_C03
    kw: dict[str, Any] = {}
    if "launch_usd_per_kg" in ctx.drivers:
        kw["launch_usd_per_kg"] = ctx.drivers["launch_usd_per_kg"]
    if "satellite_usd_per_w" in ctx.drivers:
        kw["platform_usd_per_w"] = ctx.drivers["satellite_usd_per_w"]
    if "system_specific_power_w_per_kg" in ctx.drivers:
        kw["specific_power_w_per_kg"] = ctx.drivers["system_specific_power_w_per_kg"]
    o = m.orbit(year, **kw)
    orbit_tok = float(m.usd_per_mtok(o.delivered_usd_per_w_s, year)[0])
    ground_tok = float(m.usd_per_mtok(m.ground.delivered_usd_per_w_s, year)[0])
    ratio = orbit_tok / ground_tok
    text = (
        f"Early 2029: orbit {orbit_tok:.3g} vs ground {ground_tok:.3g} USD per million tokens "
        f"(launch "
        f"{float(kw.get('launch_usd_per_kg', m.launch_price_usd_per_kg(year)[0])):,.0f} USD/kg "
        f"after {m.cumulative_launches(year)[0]:,.0f} cumulative launches)."
    )
    if not kw:
        cross = cost_path(m).crossover_year
        text += (
            f" Crossover year: {cross:.1f}."
            if cross is not None
            else f" No crossover by {int(m.years[-1])}."
        )
        free = m.orbit(year, launch_usd_per_kg=0.0, platform_usd_per_w=0.0)
        text += (
            f" With free launch and a free satellite platform orbit would still cost "
            f"{float(free.delivered_usd_per_w_s[0] * SECONDS_PER_YEAR):.1f} vs "
            f"{float(m.ground.delivered_usd_per_w_s[0] * SECONDS_PER_YEAR):.1f} USD/W-yr "
            "on the ground "
            "(5-yr life, accelerator failures, eclipses)."
        )
    return Measurement(
        ratio, text, details={"orbit_usd_per_mtok": orbit_tok, "ground_usd_per_mtok": ground_tok}
    )


def _usd_per_w_cell(reg: Registry) -> float:
    return reg.value("costs.solar.cell_price_china", "CNY/W") / reg.value(
        "reference.cny_per_usd", "CNY/USD"
    )


@quantity("china_cell_price_usd_per_w")
def china_cell_price(ctx: AuditContext) -> Measurement:
    """C09: Chinese solar cell price [USD/W]."""
    r = ctx.reg
    usd = _usd_per_w_cell(r)
    return Measurement(
        usd,
        f"costs.solar.cell_price_china "
        f"{r.value('costs.solar.cell_price_china', 'CNY/W'):.3g} CNY/W "
        f"/ reference.cny_per_usd {r.value('reference.cny_per_usd', 'CNY/USD'):.3g}; "
        f"Chinese modules cost {r.value('costs.solar.module_price_china', 'USD/W'):.3g} USD/W.",
    )


@quantity("space_over_ground_cell_price")
def space_over_ground_cell_price(ctx: AuditContext) -> Measurement:
    """C10: price of solar cells for space over cells for Earth [-]."""
    r = ctx.reg
    space = r.value("costs.solar.space_cell_price", "USD/W")
    ground = _usd_per_w_cell(r)
    return Measurement(
        space / ground,
        f"costs.solar.space_cell_price {space:.3g} USD/W over Chinese cells "
        f"{ground:.3g} USD/W. If the interview's 0.25-0.30 was CNY/W (see C09), 'one tenth' "
        f"would be {0.1 * ground:.4f} USD/W per cell.",
    )


# ------------------------------------------------------------------------------------------
# physics and reference data
# ------------------------------------------------------------------------------------------
@quantity("orbit_vs_ground_solar_energy_ratio")
def orbit_vs_ground_solar(ctx: AuditContext) -> Measurement:
    """C04: annual energy per rated W of a panel in orbit over on the ground [-]."""
    res = solar.orbit_vs_ground_energy_ratio(reg=ctx.reg)
    return Measurement(
        float(res.ratio_per_rated_w),
        f"Orbit (sunlit {res.sunlit_fraction:.1%}) vs a single-axis tracker at "
        f"{res.ground.site} (TMY, capacity factor {res.ground.capacity_factor:.1%}): "
        f"{res.ratio_per_rated_w:.2f}x per rated W, {res.ratio_per_m2:.2f}x per m2.",
        details={"ratio_per_m2": float(res.ratio_per_m2)},
    )


@quantity("atmospheric_loss_fraction")
def atmospheric_loss(ctx: AuditContext) -> Measurement:
    """C05: share of sunlight lost in the atmosphere (clear sky, AM1.5 global) [-]."""
    g = solar.atmospheric_loss_fraction("global")
    d = solar.atmospheric_loss_fraction("direct")
    return Measurement(
        g,
        f"ASTM G173: 1 - AM1.5 global / AM0 = {g:.1%} (direct beam only: {d:.1%}); "
        "clouds and night come on top.",
        details={"direct": d},
    )


@quantity("us_electricity_average_tw")
def us_electricity(ctx: AuditContext) -> Measurement:
    """C07: US electricity consumption as average power [TW] (the claim: half of 1 TW)."""
    w = ctx.reg.si("reference.us_electricity_consumption")
    gen = ctx.reg.si("reference.us_electricity_generation")
    return Measurement(
        w / 1e12,
        f"reference.us_electricity_consumption = {w / 1e9:.0f} GW average, so 1 TW "
        f"is {1e12 / w:.2f}x it ({1e12 / gen:.2f}x net generation).",
    )


@quantity("facility_power_110k_gb300_mw")
def facility_power_110k(ctx: AuditContext) -> Measurement:
    """C11: facility power of 110,000 GB300 [MW]."""
    p = ctx.reg.sample(1, keys=datacenter_keys())
    small = ctx.reg.value("datacenter.c11_cluster_small", "accelerator")
    large = ctx.reg.value("datacenter.c11_cluster_large", "accelerator")
    mw = float(facility_power_w(small, p)[0]) / 1e6
    big = float(facility_power_w(large, p)[0]) / 1e6
    return Measurement(
        mw,
        f"physics.datacenter: {small:,.0f} GB300 -> {mw:.0f} MW; {large:,.0f} -> {big:.0f} MW "
        "(claimed ~1,000 MW).",
        details={"large_cluster_mw": big},
    )


@quantity("lunar_soil_silicon_fraction")
def lunar_silicon(ctx: AuditContext) -> Measurement:
    """C17: silicon mass fraction of lunar soil [-]."""
    r = ctx.reg
    sio2 = r.si("economics.lunar.regolith_sio2")
    si_in_sio2 = r.si("economics.lunar.si_mass_fraction_of_sio2")
    return Measurement(
        sio2 * si_in_sio2,
        f"SiO2 {sio2:.1%} of lunar soil x Si share of SiO2 {si_in_sio2:.3f}. "
        "Whether it is 'enough to make solar cells and radiators' (refining, "
        "purity) is not modelled.",
    )


# ------------------------------------------------------------------------------------------
# stack model
# ------------------------------------------------------------------------------------------
@quantity("gas_turbine_lead_time_yr")
def gas_lead_time(ctx: AuditContext) -> Measurement:
    """C12: delivery lead time of a gas turbine ordered in 2026 [yr]."""
    lead = ctx.annual("gas_lead_time_s", 2026) / SECONDS_PER_YEAR
    return Measurement(
        lead,
        f"Stack run: turbine backlog / factory output at end 2026 = {lead:.1f} yr, "
        f"so an order placed then is delivered in {2026 + lead:.1f}.",
    )


@quantity("stranded_accelerator_share_2026")
def stranded_share(ctx: AuditContext) -> Measurement:
    """C13: share of terrestrial accelerators without power at the end of 2026 [-]."""
    st = ctx.stack
    stranded = ctx.annual("stranded_accelerators", 2026)
    installed = ctx.annual("terrestrial_accelerators", 2026)
    share = stranded / max(stranded + installed, 1.0)
    binding = st.binding_by_year("terrestrial")[0] if "terrestrial" in st.bottlenecks else "?"
    return Measurement(
        share,
        f"Stack run, end 2026: {stranded:,.0f} accelerators waiting for power vs "
        f"{installed:,.0f} installed; terrestrial build-out bound by {binding}.",
    )


@quantity("power_then_chips_share")
def power_then_chips(ctx: AuditContext) -> Measurement:
    """C14: share of years 2026-2030 with ground bound by power and orbit bound by chips [-]."""
    st = ctx.stack
    if not {"terrestrial", "orbital"} <= set(st.bottlenecks):
        return _missing("the stack run has no terrestrial/orbital bottleneck terms", "")
    yrs = [i for i, y in enumerate(st.years) if 2026 <= y <= 2030]
    g = st.binding_by_year("terrestrial")
    o = st.binding_by_year("orbital")
    ok = [i for i in yrs if "power" in g[i] and "chip" in o[i]]
    share = len(ok) / len(yrs) if yrs else 0.0
    by_year = {int(st.years[i]): {"ground": g[i], "orbit": o[i]} for i in yrs}
    text = (
        "Binding constraint 2026-2030 (ground / orbit): "
        + ", ".join(f"{y}: {v['ground']}/{v['orbit']}" for y, v in by_year.items())
        + "."
    )
    return Measurement(share, text, details={"binding": by_year})


@quantity("chip_power_without_terafab_2030_tw")
def chips_without_terafab(ctx: AuditContext) -> Measurement:
    """C15: accelerator power producible 2026-2030 from existing fabs (no TeraFab) [TW]."""
    sub = ctx.with_values({"chips.terafab.capacity": 0.0})
    st = sub.stack
    prod = st.annual_median("accelerators_produced_w")
    sel = (st.years >= 2026) & (st.years <= 2030)
    tw = float(prod[sel].sum()) / 1e12
    return Measurement(
        tw,
        f"Stack run with chips.terafab.capacity = 0: {tw:.3g} TW of accelerators "
        "produced 2026-2030 (binding: "
        + ", ".join(sorted(set(st.binding_by_year("chips")[:5])))
        + ").",
    )


@quantity("robots_built_peak_per_year")
def robots_peak(ctx: AuditContext) -> Measurement:
    """C21: highest humanoid-robot production in any year of the run [robot/yr]."""
    st = ctx.stack
    built = st.annual_median("robots_built")
    i = int(np.argmax(built))
    first_1m = next((int(y) for y, b in zip(st.years, built, strict=True) if b >= 1e6), None)
    first_10m = next((int(y) for y, b in zip(st.years, built, strict=True) if b >= 1e7), None)
    return Measurement(
        float(built[i]),
        f"Stack run: robot production peaks at {built[i]:,.0f}/yr in "
        f"{int(st.years[i])}; 1M/yr reached in {first_1m or 'no year'}, 10M/yr in "
        f"{first_10m or 'no year'} (driven by robots.production.*).",
    )


@quantity("distributed_power_share_2030")
def distributed_power(ctx: AuditContext) -> Measurement:
    """C18: distributed (solar + storage) share of power capacity in 2030 [-]."""
    dist = ctx.annual("power_distributed_w", 2030)
    total = ctx.annual("power_capacity_w", 2030)
    return Measurement(
        dist / total if total else None,
        f"Stack run: {dist / 1e9:,.0f} GW of distributed solar + storage of "
        f"{total / 1e9:,.0f} GW for data centres in 2030.",
        not_checkable="the model has no company-level accounting of Tesla's own power, "
        "so 'lets Tesla keep building' cannot be tested; the industry-wide figure is shown.",
    )


# ------------------------------------------------------------------------------------------
# not checkable by construction, and fleet capabilities
# ------------------------------------------------------------------------------------------
@quantity("chip_roadmap_input")
def chip_roadmap(ctx: AuditContext) -> Measurement:
    """C16: AI5/AI6 dates are inputs of the chip model."""
    r = ctx.reg
    ai5 = f"{r.get('chips.gen.ai5.year').value:g}" if "chips.gen.ai5.year" in r else None
    ai6 = f"{r.get('chips.gen.ai6.year').value:g}" if "chips.gen.ai6.year" in r else None
    return Measurement(
        None,
        f"(chips.gen.ai5.year = {ai5}, chips.gen.ai6.year = {ai6}.)",
        not_checkable="company roadmap dates are inputs of the chip model, not "
        "something physics or the supply chain can derive.",
    )


@quantity("robot_usefulness_structure")
def robot_usefulness(ctx: AuditContext) -> Measurement:
    """C20: a modelling hypothesis, not a measurable number."""
    return Measurement(
        None,
        "The robot sector of the stack model grows production on a ramp; it does "
        "not estimate usefulness.",
        not_checkable="'usefulness = intelligence x chips x dexterity' has no unit or "
        "published measurement to compare with; it is a model form, not a prediction.",
    )


@quantity("human_share_of_intelligence_2040")
def human_share(ctx: AuditContext) -> Measurement:
    """C25: human share of (human + AI) compute in the last year of the run (a proxy) [-]."""
    r = ctx.reg
    humans = r.si("economics.reference.human_brain_flops") * r.si(
        "economics.reference.world_population"
    )
    st = ctx.stack
    ai = float(st.annual_median("total_flops")[-1])
    share = humans / (humans + ai)
    return Measurement(
        share,
        f"Compute proxy: humans {humans:.2g} FLOP/s vs AI {ai:.2g} FLOP/s in "
        f"{int(st.years[-1])} -> humans {share:.1%}.",
        not_checkable="'at some point' has no date and 'intelligence' no unit; "
        "brain-equivalent FLOP/s spans 1e13-1e17 (Carlsmith 2020).",
    )


def _fleet_goal(ctx: AuditContext, robots: int) -> Any:
    goal = parse_line(
        "build a factory making 1000 humanoid robots per day", today=_dt.date(2026, 2, 6)
    )
    return expand(goal.with_robots(robots), ctx.reg)


@quantity("fleet_robots_planned")
def fleet_robots(ctx: AuditContext) -> Measurement:
    """C22: size of fleet the fleet model expands a construction goal for [robot]."""
    n = 10_000
    project = _fleet_goal(ctx, n)
    tasks = int(len(project.task))
    return Measurement(
        float(n),
        f"The fleet model expands a factory goal for {n:,} robots into "
        f"{tasks:,} tasks in {len(project.phases)} phases; skills improve with practice "
        "(fleet.skill.*). This tests that such a fleet can be planned, not Tesla's plan.",
    )


@quantity("orchestrator_builds_factory")
def orchestrator(ctx: AuditContext) -> Measurement:
    """C23: 1 if the fleet orchestrator turns 'a factory making P' into phased robot tasks."""
    project = _fleet_goal(ctx, 1000)
    ok = len(project.task) > 0 and len(project.phases) > 1
    return Measurement(
        1.0 if ok else 0.0,
        f"Goal 'build a factory making 1000 humanoid robots per day' -> {len(project.task):,} "
        f"tasks over phases {', '.join(project.phases)} and schedules them "
        "(terawatt.fleet.plan).",
    )


@quantity("explain_tool_available")
def explain_tool(ctx: AuditContext) -> Measurement:
    """C24: 1, the fleet's explanation tool (critical path, why a task waited) is part of the
    package (:mod:`terawatt.fleet.explain`)."""
    return Measurement(
        1.0,
        "The claim is about AI interpretability; the model's analogue for its own "
        "plans is `terawatt fleet explain` (critical path, why a task waited).",
    )
