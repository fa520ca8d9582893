"""Model quantities that test the claims, registered by name for ``claims.toml``.

Each quantity is a function ``fn(ctx: AuditContext) -> Measurement`` registered with
:func:`terawatt.audit.context.quantity`, declaring the registry keys it reads (see
:mod:`terawatt.audit.context`). This module holds the physics, launch, satellite, economics and
reference-data quantities; :mod:`terawatt.audit.stack_quantities` those read from the stack
run and :mod:`terawatt.audit.fleet_quantities` those of the fleet orchestrator (importing this
module registers all of them).

Every number in an explanation is computed or read from the registry (or a record) at run
time; the claim's own figures are printed by the claims engine, not here.

A quantity that cannot be tested (a claim with no unit or date, a year the run does not cover)
returns ``value=None`` with ``not_checkable`` saying why. A model that fails to import is a
broken install and raises.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.audit import fleet_quantities as _fleet  # noqa: F401  (registers C22-C24)
from terawatt.audit import stack_quantities as _stack  # noqa: F401  (registers the stack's)
from terawatt.audit.context import (
    CHEAPEST_BY_YEAR,
    DRIVERS,
    INTERVIEW_YEAR,
    REGISTRY,
    AuditContext,
    Measurement,
    QuantitySpec,
    Support,
    date_of,
    driver_current,
    month_text,
    quantity,
)
from terawatt.audit.satellite_budget import search_budget
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.economics.service import cost_path
from terawatt.physics import lunar, solar
from terawatt.physics.datacenter import datacenter_keys, facility_power_w
from terawatt.physics.launch import LAUNCH_KEYS, launch_budget

__all__ = [
    "DRIVERS",
    "REGISTRY",
    "AuditContext",
    "Measurement",
    "QuantitySpec",
    "Support",
    "driver_current",
    "month_text",
    "quantity",
]


# ------------------------------------------------------------------------------------------
# launch and satellites
# ------------------------------------------------------------------------------------------
def _mass_to_orbit_kg_per_yr(reg: Registry) -> float:
    b = launch_budget(reg.sample(1, keys=LAUNCH_KEYS))
    return float(b.mass_to_orbit_kg_per_s[0] * SECONDS_PER_YEAR)


@quantity(
    "compute_launchable_tw_per_year",
    keys=(*LAUNCH_KEYS, "satellite.array.specific_power"),
    models=("satellite",),
)
def compute_launchable_tw_per_year(ctx: AuditContext) -> Measurement:
    """C06: compute power the launch cadence can put in orbit per year [TW/yr]."""
    r = ctx.reg
    mass = _mass_to_orbit_kg_per_yr(r)
    sp = ctx.specific_power_w_per_kg()
    tw = mass * sp / 1e12
    text = (
        f"{mass / 1e3:,.0f} t/yr to orbit (launch.payload_per_flight "
        f"{r.value('launch.payload_per_flight', 't'):,.4g} t x launch.launches_per_year "
        f"{r.value('launch.launches_per_year', 'launch/yr'):,.0f} x (1 - launch.failure_rate "
        f"{r.si('launch.failure_rate'):.2%})) x system {sp:.1f} W/kg (physics.satellite budget)."
    )
    if "system_specific_power_w_per_kg" not in ctx.drivers:
        s = search_budget(r, sp)
        text += (
            f" The satellite budget reaches at most {s.best_w_per_kg:.1f} W/kg with every "
            f"ranged input at the favourable end of its published range "
            f"({len(s.per_key)} inputs), i.e. {mass * s.best_w_per_kg / 1e12:.3g} TW/yr."
        )
    return Measurement(
        tw, text, details={"mass_to_orbit_t_per_yr": mass / 1e3, "system_w_per_kg": sp}
    )


@quantity(
    "space_solar_cells_needed_gw_per_year",
    keys=("launch.launches_per_year", "launch.payload_per_flight", "orbital.launch_share"),
    context_keys=("launch.failure_rate",),
    models=("stack", "satellite"),
)
def space_solar_cells_needed(ctx: AuditContext) -> Measurement:
    """C08: solar array power needed in the year named ('within a year') to fill that year's
    launch cadence with compute satellites [GW/yr]."""
    r, st = ctx.reg, ctx.stack
    year = int(INTERVIEW_YEAR + 1.0)
    if year not in st.years:
        return Measurement(None, "", not_checkable=f"the stack run does not cover {year}")
    launches = ctx.annual("launches", year)
    payload = r.si("launch.payload_per_flight")
    surv = 1.0 - r.si("launch.failure_rate")
    share = r.si("orbital.launch_share")
    sp = ctx.specific_power_w_per_kg()
    ratio = float((ctx.satellite.array_power_bol_w / ctx.satellite.compute_power_w)[0])
    compute_w = launches * payload * surv * share * sp
    gw = compute_w * ratio / 1e9
    plateau = r.value("launch.launches_per_year", "launch/yr")
    used = ctx.annual("solar_space_used_w", year) / 1e9
    return Measurement(
        gw,
        f"In {year}, the year named ('within a year' of {month_text(INTERVIEW_YEAR)}), the "
        f"stack's launch ramp flies {launches:,.0f} launches; {share:.0%} of them "
        f"(orbital.launch_share) filled with {payload / 1e3:,.4g} t of satellites at "
        f"{sp:.1f} W/kg carry {compute_w / 1e9:,.1f} GW of compute, which needs {ratio:.2f} W "
        f"of array (beginning of life) per W. At the plateau "
        f"({plateau:,.0f} launches/yr) it would be {gw * plateau / launches:,.1f} GW/yr. "
        f"The stack actually fits {used:,.2f} GW of space arrays in {year}.",
        details={"array_w_per_compute_w": ratio, "launches": launches, "year": year},
    )


@quantity(
    "odc_filing_satellites",
    records=(
        "record.fcc_odc_filing.satellites",
        "record.fcc_odc_filing.date",
        "record.fcc_odc_filing.specific_power",
    ),
    models=("satellite",),
)
def odc_filing(ctx: AuditContext) -> Measurement:
    """C19: satellites in SpaceX's orbital-data-centre application, from the public record
    [satellite]; the filing's sizing (W/kg) as a conditional note searched over the whole
    satellite budget."""
    rec = ctx.records
    n = rec.value("record.fcc_odc_filing.satellites", "satellite")
    date = date_of(rec.value("record.fcc_odc_filing.date", "yr"))
    sized = rec.value("record.fcc_odc_filing.specific_power", "W/kg")
    src = rec.get("record.fcc_odc_filing.satellites").source
    s = search_budget(ctx.reg, sized)
    p_sat = float(ctx.satellite.compute_power_w[0])
    levers = ", ".join(
        f"{e.key} at {e.best_value:.4g} {e.unit}: {e.best_w_per_kg:.1f}" for e in s.strongest(3)
    )
    if s.break_evens():
        reach = "reached alone by " + "; ".join(
            f"{e.key} = {e.break_even:.4g} {e.unit}" for e in s.break_evens()
        )
    elif s.reachable:
        reach = "reached only with several inputs at once at their favourable ends"
    else:
        reach = "none within the published ranges"
    note = (
        f"Sizing (conditional): the filing's {sized:g} kW per tonne is {sized:g} W/kg of "
        f"satellite; the model's budget gives {s.central_w_per_kg:.1f} W/kg, and "
        f"{s.best_w_per_kg:.1f} W/kg with all {len(s.per_key)} ranged inputs at the favourable "
        f"end of their published ranges: {reach}. Strongest single inputs (W/kg): {levers}; "
        f"a massless array would give {s.massless_w_per_kg['array']:.1f} W/kg, massless "
        f"radiators {s.massless_w_per_kg['radiator']:.1f}. At the budget's "
        f"{p_sat / 1e3:,.4g} kW per satellite, {n:,.0f} satellites would carry "
        f"{n * p_sat / 1e9:,.0f} GW."
    )
    return Measurement(
        n,
        f"Public record: SpaceX's application for up to {n:,.0f} satellites, made public "
        f"{date:%d %b %Y} ({src.title}; {src.publisher}, {src.year}).",
        details={"filing_date": date.isoformat(), "sizing": s.as_dict()},
        notes=(note,),
    )


# ------------------------------------------------------------------------------------------
# economics
# ------------------------------------------------------------------------------------------
@quantity(
    "orbit_over_ground_cost_2029",
    keys=("satellite.design_life", "orbital.failure_rate", "costs.launch.price_base"),
    models=("costs", "stack"),
)
def orbit_over_ground_cost(ctx: AuditContext) -> Measurement:
    """C03: USD per million tokens in orbit over on the ground at the end of the claim's
    30-36 months [-]."""
    m = ctx.costs
    year = CHEAPEST_BY_YEAR
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
    price = float(kw.get("launch_usd_per_kg", m.launch_price_usd_per_kg(year)[0]))
    text = (
        f"{month_text(year)}: orbit {orbit_tok:.3g} vs ground {ground_tok:.3g} USD per million "
        f"tokens (launch {price:,.0f} USD/kg after {m.cumulative_launches(year)[0]:,.0f} "
        "launches in the run)."
    )
    if not kw:
        cross = cost_path(m).crossover_year
        text += (
            f" Crossover year: {cross:.1f}."
            if cross is not None
            else f" No crossover by {int(m.years[-1])}."
        )
        free = m.orbit(year, launch_usd_per_kg=0.0, platform_usd_per_w=0.0)
        r = ctx.reg
        text += (
            f" With free launch and a free satellite platform orbit would still cost "
            f"{float(free.delivered_usd_per_w_s[0] * SECONDS_PER_YEAR):.1f} vs "
            f"{float(m.ground.delivered_usd_per_w_s[0] * SECONDS_PER_YEAR):.1f} USD/W-yr "
            f"on the ground ({r.value('satellite.design_life', 'yr'):g}-yr design life, "
            f"accelerators failing at {r.value('orbital.failure_rate', '1/yr'):.1%}/yr "
            f"without repair, compute available {float(m.compute_availability[0]):.1%} of the "
            "year)."
        )
    return Measurement(
        ratio, text, details={"orbit_usd_per_mtok": orbit_tok, "ground_usd_per_mtok": ground_tok}
    )


def _usd_per_w_cell(reg: Registry) -> float:
    return reg.value("costs.solar.cell_price_china", "CNY/W") / reg.value(
        "reference.cny_per_usd", "CNY/USD"
    )


@quantity(
    "china_cell_price_usd_per_w",
    keys=("costs.solar.cell_price_china", "reference.cny_per_usd"),
    context_keys=("costs.solar.module_price_china",),
)
def china_cell_price(ctx: AuditContext) -> Measurement:
    """C09: Chinese solar cell price [USD/W]."""
    r = ctx.reg
    usd = _usd_per_w_cell(r)
    src = r.get("costs.solar.cell_price_china").source
    return Measurement(
        usd,
        f"costs.solar.cell_price_china "
        f"{r.value('costs.solar.cell_price_china', 'CNY/W'):.3g} CNY/W ({src.publisher}, "
        f"{src.year}) / reference.cny_per_usd {r.value('reference.cny_per_usd', 'CNY/USD'):.3g}"
        f"; Chinese modules cost {r.value('costs.solar.module_price_china', 'USD/W'):.3g} "
        "USD/W.",
    )


@quantity(
    "space_over_ground_cell_price",
    keys=("costs.solar.space_cell_price", "costs.solar.cell_price_china", "reference.cny_per_usd"),
)
def space_over_ground_cell_price(ctx: AuditContext) -> Measurement:
    """C10: price of solar cells for space over cells for Earth [-]."""
    r = ctx.reg
    space = r.value("costs.solar.space_cell_price", "USD/W")
    ground = _usd_per_w_cell(r)
    return Measurement(
        space / ground,
        f"costs.solar.space_cell_price {space:.3g} USD/W over Chinese cells "
        f"{ground:.3g} USD/W (costs.solar.cell_price_china / reference.cny_per_usd).",
        details={"space_over_ground": space / ground},
    )


# ------------------------------------------------------------------------------------------
# physics and reference data
# ------------------------------------------------------------------------------------------
@quantity(
    "orbit_vs_ground_solar_energy_ratio",
    keys=("satellite.altitude", "solar.space_cell_temperature"),
    models=("solar",),
)
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


@quantity(
    "us_electricity_average_tw",
    keys=("reference.us_electricity_consumption",),
    context_keys=("reference.us_electricity_generation",),
)
def us_electricity(ctx: AuditContext) -> Measurement:
    """C07: US electricity consumption as average power [TW] (the claim: half of 1 TW)."""
    w = ctx.reg.si("reference.us_electricity_consumption")
    gen = ctx.reg.si("reference.us_electricity_generation")
    return Measurement(
        w / 1e12,
        f"reference.us_electricity_consumption = {w / 1e9:.0f} GW average, so 1 TW "
        f"is {1e12 / w:.2f}x it ({1e12 / gen:.2f}x net generation).",
    )


@quantity(
    "facility_power_110k_gb300_mw",
    keys=("datacenter.pue", "datacenter.c11_cluster_small", "compute.gb300.gpu_tdp"),
    context_keys=("datacenter.c11_cluster_large",),
    models=("datacenter",),
)
def facility_power_110k(ctx: AuditContext) -> Measurement:
    """C11: facility power of the claim's two GB300 clusters [MW] (value: the small one;
    ``details['large_cluster_mw']``: the large one)."""
    p = ctx.reg.sample(1, keys=datacenter_keys())
    small = ctx.reg.value("datacenter.c11_cluster_small", "accelerator")
    large = ctx.reg.value("datacenter.c11_cluster_large", "accelerator")
    mw = float(facility_power_w(small, p)[0]) / 1e6
    big = float(facility_power_w(large, p)[0]) / 1e6
    return Measurement(
        mw,
        f"physics.datacenter: {small:,.0f} GB300 -> {mw:.0f} MW; {large:,.0f} -> {big:.0f} MW "
        f"(at datacenter.pue {ctx.reg.si('datacenter.pue'):.3g}; linear in the count, so "
        f"{large / small:.3g}x the accelerators draw {big / mw:.3g}x the power).",
        details={"large_cluster_mw": big},
    )


@quantity(
    "lunar_soil_silicon_fraction",
    keys=("economics.lunar.regolith_sio2", "economics.lunar.si_mass_fraction_of_sio2"),
    models=("lunar",),
)
def lunar_silicon(ctx: AuditContext) -> Measurement:
    """C17: silicon mass fraction of lunar soil [-]; ``details['si_sufficiency']``: silicon the
    lunar plant refines / silicon the arrays its aluminium allows would need (>= 1: silicon is
    "enough" -- aluminium, not silicon, limits the arrays and radiators)."""
    r = ctx.reg
    sio2 = r.si("economics.lunar.regolith_sio2")
    si_in_sio2 = r.si("economics.lunar.si_mass_fraction_of_sio2")
    plant = lunar_plant_check(r)
    return Measurement(
        sio2 * si_in_sio2,
        f"SiO2 {sio2:.1%} of lunar soil x Si share of SiO2 {si_in_sio2:.3f} (a published "
        f"composition). 'Enough to make solar cells and radiators', by the lunar plant model "
        f"(physics.lunar, {plant['site']} regolith): {plant['text']}",
        details={"si_sufficiency": plant["si_sufficiency"],
                 "lunar_compute_gain": plant["gain"]},
    )


def lunar_plant_check(reg: Registry) -> dict[str, Any]:
    """The lunar plant of :mod:`terawatt.physics.lunar` run to the audit's last year: the
    silicon it refines against the silicon its arrays need, what it delivers, and the orbital
    compute added that year with and without it (:func:`terawatt.physics.lunar.lunar_comparison`).
    """
    params = lunar.LunarParams.from_registry(reg)
    year = float(reg.value("run.end_year", "yr"))
    start = reg.value("lunar.plant.start_year", "yr")
    out = lunar.plant_output(reg.si("lunar.plant.seed_mass"), year - start, params)
    al_for_arrays = out.al_kg * (1.0 - params.radiator_al_share)
    si_needed = al_for_arrays / params.array_al_kg_per_m2 * params.cell_si_kg_per_m2
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = float(np.divide(out.si_kg, si_needed))
    comp = lunar.lunar_comparison(reg, [year])
    gain = float(comp.gain[0])
    site = "highland" if reg.si("lunar.regolith.highland") >= 0.5 else "mare"
    limit = "aluminium" if ratio >= 1.0 else "silicon"
    text = (
        f"by {year:.0f} the plant has refined {float(out.si_kg):.3g} kg of Si, {ratio:.3g}x "
        f"what arrays on its {float(out.al_kg):.3g} kg of Al would need, so {limit} limits "
        f"the arrays; it has made {float(out.array_area_m2):.3g} m2 of arrays and "
        f"{float(out.radiator_area_m2):.3g} m2 of radiators, and in {year:.0f} lunar parts "
        f"raise the orbital compute added from {float(comp.compute_without_w[0]) / 1e9:,.3g} "
        f"to {float(comp.compute_with_w[0]) / 1e9:,.3g} GW ({gain:.3g}x)."
    )
    return {"si_sufficiency": ratio, "gain": gain, "site": site, "text": text}
