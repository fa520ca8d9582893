"""The stack model: a time-stepped capacity model of AI compute on Earth and in orbit.

Every state is a numpy array of shape (n_samples,); the only Python loop runs over time steps.
Exogenous capacities (wafer starts, packaging, HBM, launches, PV factories, ...) come from
:mod:`terawatt.stack.sectors` as (T, n) arrays; the loop handles the stocks.

One step (length ``dt``) does, in order:

1. **chips** — accelerators made = min(wafers x accelerators/wafer, CoWoS wafers x packages/
   wafer, HBM stacks / stacks per accelerator); their power and FLOP/s follow the roadmap.
2. **robots** (placeholder ramp) take their chips first.
3. the rest is split: a share (``orbital.chip_share.*`` ramp) is reserved for orbit, the
   remainder ships to terrestrial data centres.
4. **solar**: ground PV production (the world's PV industry) plus dedicated space-qualified
   production (separate factories, e.g. claim C08's 100 GW/yr).
5. **power**: grid additions for data centres (China and rest of world), gas-turbine deliveries
   = min(factory output, order backlog) x data-centre share, distributed solar + storage =
   min(storage power, PV share / W_p per firm W) (claim C18).
6. **terrestrial**: the pool of delivered accelerators (installed + stranded) ages by
   ``1/lifetime``; installed = min(pool, facility power / PUE-like overhead, built shells).
   The rest are *stranded* (delivered but unpowered, claim C13).
7. **orbital**: satellites and chips waiting for launch age at the orbital loss rate
   (1/lifetime + failures + degradation); new compute placed = min(chips waiting x
   (1 - launch failure), space solar / array W per compute W, launch mass / kg per W, satellite
   factory x W per satellite). Mass launched = mass placed / (1 - launch failure rate).

Because installed = min(stock, capacity) with every stock ageing at one rate, more of any
supply never lowers compute (tested with Hypothesis in ``tests/stack``). The price of that
property: chips reserved for orbit age from delivery, at the orbital loss rate, while they
wait for a launch (a conservative simplification, documented in docs/stack.md).

Bottlenecks: for each sector and step the model records every term of its min() (the binding
one is the smallest), and — when asked — the gain in total installed compute at the end of the
step from relaxing each constraint by 10 % (the step re-run with that constraint x 1.1).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from terawatt.stack import sectors as sx

FloatArray = NDArray[np.float64]

#: the relaxations tried for the marginal gain, in order; each multiplies one term by RELAX
CONSTRAINTS: tuple[str, ...] = ("wafers", "packaging", "hbm", "power", "construction",
                                "space_solar", "launch", "sat_factory")

#: the terms of each sector's min(), in the order stored in ``StackRun.terms[sector]``
SECTOR_TERMS: dict[str, tuple[str, ...]] = {
    "chips": ("wafers", "packaging", "hbm"),
    "power_gas": ("turbine_factory", "turbine_orders"),
    "power_distributed": ("storage", "pv"),
    "terrestrial": ("chips", "power", "construction"),
    "orbital": ("chips", "solar", "launch", "sat_factory"),
    "robots": ("production", "chips"),
}

#: unit of each sector's terms (what the min() is taken over)
SECTOR_UNITS: dict[str, str] = {
    "chips": "accelerators per step",
    "power_gas": "W of turbines per step",
    "power_distributed": "W (firm) per step",
    "terrestrial": "W of accelerator power hosted",
    "orbital": "W of accelerator power placed per step",
    "robots": "robots per step",
}

#: every assumption key the model reads from ``p`` (the service samples exactly these)
MODEL_KEYS: tuple[str, ...] = (
    *sx.ramp_keys("chips.wafer_starts"), "chips.accelerators_per_wafer",
    *sx.ramp_keys("chips.packaging"), "chips.packages_per_cowos_wafer",
    *sx.ramp_keys("chips.hbm"), "chips.hbm_stacks_per_accelerator",
    "chips.terafab.capacity", "chips.terafab.start_year", "chips.terafab.construction_lag",
    "chips.terafab.ramp_time",
    "compute.gb300.gpu_tdp", "chips.gen.gb300.flops", "chips.gen.ai5.year",
    "chips.gen.ai5.flops_per_w_gain", "chips.gen.ai6.year", "chips.gen.ai6.flops_per_w_gain",
    "chips.gen.successor.cadence", "chips.gen.successor.flops_per_w_gain",
    "chips.h100.power", "chips.h100.flops", "chips.lifetime",
    *sx.ramp_keys("power.grid.china"), *sx.ramp_keys("power.grid.rest"),
    *sx.ramp_keys("power.gas.output"), "power.gas.orders", "power.gas.initial_backlog",
    "power.gas.dc_share",
    *sx.ramp_keys("power.distributed.storage"), "power.distributed.pv_share",
    "power.distributed.dc_share",
    "power.distributed.pv_per_firm_w",
    *sx.ramp_keys("pvmfg.global"), *sx.ramp_keys("pvmfg.space"),
    *sx.ramp_keys("terrestrial.construction"), "terrestrial.initial_h100e",
    *sx.ramp_keys("launch.ramp"), "launch.payload_per_flight", "launch.failure_rate",
    *sx.ramp_keys("orbital.chip_share"), "orbital.launch_share", "satellite.design_life",
    "orbital.failure_rate",
    "satellite.array.degradation_per_year", *sx.ramp_keys("orbital.sat_factory"),
    *sx.ramp_keys("robots.production"), "robots.chip_power", "robots.power_draw",
    "robots.lifetime",
)
# launch.ramp's target is the other helper's launch.launches_per_year: drop our "target" key
MODEL_KEYS = (*(k for k in MODEL_KEYS if k != "launch.ramp.target"), "launch.launches_per_year")

#: factor applied to one constraint to measure its marginal gain
RELAX: float = 1.1


@dataclass(frozen=True)
class Design:
    """Per-sample design figures from the physics layer (arrays of shape (n,)).

    Attributes
    ----------
    mass_per_compute_w_kg : satellite mass per W of accelerator power [kg/W]
    array_w_per_compute_w : solar array rating per W of accelerator power [W/W]
    compute_w_per_satellite : accelerator power per satellite [W]
    facility_w_per_accelerator_w : data-centre facility power per W of accelerator [W/W]
    """

    mass_per_compute_w_kg: FloatArray
    array_w_per_compute_w: FloatArray
    compute_w_per_satellite: FloatArray
    facility_w_per_accelerator_w: FloatArray


@dataclass(frozen=True)
class StackRun:
    """Raw model output: ``series[name]`` and ``terms[sector]`` per step.

    ``series`` values have shape (T, n); ``terms[sector]`` has shape (T, K, n) with K the
    sector's terms (:data:`SECTOR_TERMS`); ``marginal_w`` has shape (T, len(CONSTRAINTS), n)
    or is None when not computed.
    """

    year: FloatArray
    dt_s: float
    series: Mapping[str, FloatArray]
    terms: Mapping[str, FloatArray]
    marginal_w: FloatArray | None


def time_axis(start_year: float, end_year: float, steps_per_year: int) -> FloatArray:
    """Start of each step: ``start_year`` ... the last step of ``end_year`` inclusive [year]."""
    n = int(round((end_year - start_year + 1) * steps_per_year))
    return start_year + np.arange(n) / steps_per_year


_RAMPS = ("chips.wafer_starts", "chips.packaging", "chips.hbm", "power.grid.china",
          "power.grid.rest", "power.gas.output", "power.distributed.storage", "pvmfg.global",
          "pvmfg.space", "terrestrial.construction", "orbital.sat_factory", "robots.production",
          "orbital.chip_share")


class Drivers:
    """Exogenous flows per step (see :mod:`terawatt.stack.sectors`), prepared once per run.

    :meth:`at` gives the flows of the step starting at ``year`` as arrays of shape (n,).
    Capacities are rates evaluated at the middle of the step, so a step's flow is the rate's
    mean over the step (annual sums then match mid-year annual figures).
    """

    def __init__(self, p: Mapping[str, FloatArray], dt_s: float) -> None:
        self.p = p
        self.dt_s = dt_s
        self.ramps = {k: sx.PreparedRamp.from_p(p, k) for k in _RAMPS}
        self.launch = sx.PreparedRamp(p["launch.ramp.base"], p["launch.ramp.base_year"],
                                      p["launch.launches_per_year"], p["launch.ramp.target_year"],
                                      p["launch.ramp.growth_after"])
        self.apw_dt = p["chips.accelerators_per_wafer"] * dt_s
        self.ppw_dt = p["chips.packages_per_cowos_wafer"] * dt_s
        self.hbm_dt = dt_s / p["chips.hbm_stacks_per_accelerator"]

    def at(self, year: float) -> dict[str, FloatArray]:
        p, dt, r = self.p, self.dt_s, self.ramps
        y = year + 0.5 * dt / sx.YEAR_S
        fab = sx.fab_ramp(np.asarray(y), p["chips.terafab.capacity"], p["chips.terafab.start_year"],
                          p["chips.terafab.construction_lag"], p["chips.terafab.ramp_time"])
        wafers = r["chips.wafer_starts"].at(y) + fab
        return {
            "acc_from_wafers": wafers * self.apw_dt,
            "acc_from_packaging": r["chips.packaging"].at(y) * self.ppw_dt,
            "acc_from_hbm": r["chips.hbm"].at(y) * self.hbm_dt,
            "terafab_wafers": fab * dt,
            "wafers": wafers * dt,
            "flops_per_w": sx.flops_per_w(np.asarray(y), p),
            "grid_china_w": r["power.grid.china"].at(y) * dt,
            "grid_rest_w": r["power.grid.rest"].at(y) * dt,
            "gas_output_w": r["power.gas.output"].at(y) * dt,
            "storage_w": r["power.distributed.storage"].at(y) * dt,
            "pv_global_w": r["pvmfg.global"].at(y) * dt,
            "pv_space_w": r["pvmfg.space"].at(y) * dt,
            "construction_w": r["terrestrial.construction"].at(y) * dt,
            "launches": self.launch.at(y) * dt,
            "sat_factory": r["orbital.sat_factory"].at(y) * dt,
            "robot_ramp": r["robots.production"].at(y) * dt,
            "chip_share": np.clip(r["orbital.chip_share"].at(y), 0.0, 1.0),
        }


def initial_state(p: Mapping[str, FloatArray], design: Design) -> dict[str, FloatArray]:
    """Stocks at the start: today's installed AI accelerators, fully powered, nothing in orbit.

    The installed base is ``terrestrial.initial_h100e`` H100-equivalents at the H100's power
    (Epoch AI, ~15 M H100e drawing >10 GW in Jan 2026); the data-centre power and built shells
    at the start are exactly what that base uses (no spare, no stranded chips). Accelerator
    counts everywhere are GB300-power-equivalents (accelerator W / ``compute.gb300.gpu_tdp``),
    so 15 M H100e at 700 W count as 7.5 M; FLOP/s are tracked per vintage.
    """
    n = np.broadcast_shapes(*(np.shape(v) for v in p.values()))
    z = np.zeros(n)
    h100e = p["terrestrial.initial_h100e"] + z
    acc_w = h100e * p["chips.h100.power"]
    fac_w = acc_w * design.facility_w_per_accelerator_w
    return {
        "g_w": acc_w, "g_f": h100e * p["chips.h100.flops"],
        "o_w": z.copy(), "o_f": z.copy(), "q_w": z.copy(), "q_f": z.copy(),
        "power_china_w": z.copy(), "power_rest_w": fac_w, "power_gas_w": z.copy(),
        "power_dist_w": z.copy(), "built_w": acc_w.copy(),
        "backlog_w": p["power.gas.initial_backlog"] + z, "robots": z.copy(),
    }


def _step(st: Mapping[str, FloatArray], d: Mapping[str, FloatArray], c: Mapping[str, FloatArray],
          relax: str | None) -> tuple[dict[str, FloatArray], dict[str, Callable[[], FloatArray]],
                                      dict[str, tuple[FloatArray, ...]]]:
    """Advance one step. ``d``: this step's drivers; ``c``: per-sample constants."""
    def m(name: str) -> float:
        return RELAX if relax == name else 1.0

    # 1. chips ------------------------------------------------------------------------------
    t_waf = d["acc_from_wafers"] * m("wafers")
    t_pkg = d["acc_from_packaging"] * m("packaging")
    t_hbm = d["acc_from_hbm"] * m("hbm")
    acc_n = np.minimum(np.minimum(t_waf, t_pkg), t_hbm)
    acc_w = acc_n * c["acc_power_w"]
    fpw = d["flops_per_w"]
    # 2. robots (placeholder) take chips first ------------------------------------------------
    t_rob = d["robot_ramp"]
    t_rob_chips = acc_w / c["robot_chip_w"]
    built_robots = np.minimum(t_rob, t_rob_chips)
    robot_chip_w = built_robots * c["robot_chip_w"]
    rem_w = acc_w - robot_chip_w
    # 3. allocation -------------------------------------------------------------------------
    to_orbit_w = rem_w * d["chip_share"]
    to_ground_w = rem_w - to_orbit_w
    # 4./5. power ---------------------------------------------------------------------------
    t_gas_fac = d["gas_output_w"]
    t_gas_ord = st["backlog_w"] + c["gas_orders_w"]
    gas_del = np.minimum(t_gas_fac, t_gas_ord)
    backlog = st["backlog_w"] + c["gas_orders_w"] - gas_del
    pv_ground = d["pv_global_w"]
    t_sto = d["storage_w"] * c["dist_dc_share"]
    t_pv = pv_ground * c["dist_pv_share"] / c["pv_per_firm_w"]
    dist = np.minimum(t_sto, t_pv)
    p_china = st["power_china_w"] + d["grid_china_w"]
    p_rest = st["power_rest_w"] + d["grid_rest_w"]
    p_gas = st["power_gas_w"] + gas_del * c["gas_dc_share"]
    p_dist = st["power_dist_w"] + dist
    facility_w = p_china + p_rest + p_gas + p_dist
    built = st["built_w"] + d["construction_w"]
    # 6. terrestrial ------------------------------------------------------------------------
    keep_g = c["keep_ground"]
    g_w = st["g_w"] * keep_g + to_ground_w
    g_f = st["g_f"] * keep_g + to_ground_w * fpw
    t_g_chips = g_w
    t_g_power = facility_w / c["facility_ratio"] * m("power")
    t_g_built = built * m("construction")
    inst_w = np.minimum(np.minimum(t_g_chips, t_g_power), t_g_built)
    # 7. orbital ----------------------------------------------------------------------------
    keep_o = c["keep_orbit"]
    surv = c["launch_survival"]
    q_w = st["q_w"] * keep_o + to_orbit_w
    q_f = st["q_f"] * keep_o + to_orbit_w * fpw
    t_o_chips = q_w * surv
    t_o_solar = d["pv_space_w"] / c["array_ratio"] * m("space_solar")
    t_o_launch = d["launches"] * c["launch_w_per_launch"] * m("launch")
    t_o_fac = d["sat_factory"] * c["sat_w"] * m("sat_factory")
    placed_w = np.minimum(np.minimum(t_o_chips, t_o_solar), np.minimum(t_o_launch, t_o_fac))
    used_w = placed_w / surv                       # chips launched, including failed launches
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.where(q_w > 0, np.minimum(used_w / q_w, 1.0), 0.0)
    o_w = st["o_w"] * keep_o + placed_w
    o_f_added = q_f * frac * surv
    o_f = st["o_f"] * keep_o + o_f_added
    q_w, q_f = q_w * (1 - frac), q_f * (1 - frac)
    robots = st["robots"] * c["keep_robots"] + built_robots

    new = {
        "g_w": g_w, "g_f": g_f, "o_w": o_w, "o_f": o_f, "q_w": q_w, "q_f": q_f,
        "power_china_w": p_china, "power_rest_w": p_rest,
        "power_gas_w": p_gas, "power_dist_w": p_dist, "built_w": built, "backlog_w": backlog,
        "robots": robots,
    }
    def inst_frac() -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(g_w > 0, inst_w / g_w, 0.0)

    # outputs are computed only when recorded (lambdas): a sweep keeps a few series
    rec: dict[str, Callable[[], FloatArray]] = {
        "terrestrial_compute_w": lambda: inst_w,
        "orbital_compute_w": lambda: o_w,
        "terrestrial_accelerators": lambda: inst_w / c["acc_power_w"],
        "orbital_accelerators": lambda: o_w / c["acc_power_w"],
        "terrestrial_flops": lambda: g_f * inst_frac(),
        "orbital_flops": lambda: o_f,
        "orbital_compute_added_w": lambda: placed_w,
        "orbital_compute_lost_w": lambda: st["o_w"] * (1.0 - keep_o),
        "orbital_flops_added": lambda: o_f_added,
        "stranded_w": lambda: g_w - inst_w,
        "stranded_accelerators": lambda: (g_w - inst_w) / c["acc_power_w"],
        "awaiting_launch_w": lambda: q_w,
        "accelerators_produced": lambda: acc_n,
        "accelerators_produced_w": lambda: acc_w,
        "wafer_starts": lambda: d["wafers"],
        "terafab_wafer_starts": lambda: d["terafab_wafers"],
        "flops_per_w": lambda: fpw,
        "chips_to_orbit_w": lambda: to_orbit_w,
        "chips_to_ground_w": lambda: to_ground_w,
        "solar_production_w": lambda: d["pv_global_w"] + d["pv_space_w"],
        "solar_space_w": lambda: d["pv_space_w"],
        "solar_ground_w": lambda: pv_ground,
        "solar_space_used_w": lambda: placed_w * c["array_ratio"],
        "power_capacity_w": lambda: facility_w,
        "power_china_w": lambda: p_china,
        "power_rest_w": lambda: p_rest,
        "power_gas_w": lambda: p_gas,
        "power_distributed_w": lambda: p_dist,
        "gas_deliveries_w": lambda: gas_del,
        "gas_backlog_w": lambda: backlog,
        "gas_lead_time_s": lambda: backlog / np.maximum(d["gas_output_w"] / c["dt_s"], 1e-300),
        "dc_built_w": lambda: built,
        "launches": lambda: d["launches"],
        "odc_launches": lambda: placed_w * c["mass_per_w"] / surv / c["payload_kg"],
        "mass_to_orbit_kg": lambda: placed_w * c["mass_per_w"] / surv,
        "mass_placed_kg": lambda: placed_w * c["mass_per_w"],
        "mass_lost_kg": lambda: placed_w * c["mass_per_w"] * (1.0 / surv - 1.0),
        "satellites_launched": lambda: placed_w / c["sat_w"],
        "satellites_in_orbit": lambda: o_w / c["sat_w"],
        "robots": lambda: robots,
        "robots_built": lambda: built_robots,
        "robot_chip_w": lambda: robot_chip_w,
        "robot_power_w": lambda: robots * c["robot_draw_w"],
    }
    terms = {
        "chips": (t_waf, t_pkg, t_hbm),
        "power_gas": (t_gas_fac, t_gas_ord),
        "power_distributed": (t_sto, t_pv),
        "terrestrial": (t_g_chips, t_g_power, t_g_built),
        "orbital": (t_o_chips, t_o_solar, t_o_launch, t_o_fac),
        "robots": (t_rob, t_rob_chips),
    }
    return new, rec, terms


def constants(p: Mapping[str, FloatArray], design: Design, dt_s: float) -> dict[str, FloatArray]:
    """Per-sample constants of the step, derived once from ``p`` and the physics design."""
    acc_power = p["compute.gb300.gpu_tdp"]
    surv = 1.0 - p["launch.failure_rate"]
    return {
        "dt_s": np.asarray(dt_s),
        "acc_power_w": acc_power,
        "robot_chip_w": p["robots.chip_power"],
        "robot_draw_w": p["robots.power_draw"],
        "gas_orders_w": p["power.gas.orders"] * dt_s,
        "gas_dc_share": p["power.gas.dc_share"],
        "dist_pv_share": p["power.distributed.pv_share"],
        "dist_dc_share": p["power.distributed.dc_share"],
        "pv_per_firm_w": p["power.distributed.pv_per_firm_w"],
        "facility_ratio": design.facility_w_per_accelerator_w,
        "keep_ground": np.clip(1.0 - dt_s / p["chips.lifetime"], 0.0, 1.0),
        "keep_orbit": np.clip(1.0 - dt_s * (1.0 / p["satellite.design_life"]
                                            + p["orbital.failure_rate"]
                                            + p["satellite.array.degradation_per_year"]), 0.0, 1.0),
        "keep_robots": np.clip(1.0 - dt_s / p["robots.lifetime"], 0.0, 1.0),
        "launch_survival": surv,
        "array_ratio": design.array_w_per_compute_w,
        "launch_w_per_launch": p["orbital.launch_share"] * p["launch.payload_per_flight"] * surv
        / design.mass_per_compute_w_kg,
        "payload_kg": p["launch.payload_per_flight"],
        "sat_w": design.compute_w_per_satellite,
        "mass_per_w": design.mass_per_compute_w_kg,
    }


def simulate(p: Mapping[str, FloatArray], design: Design, year: FloatArray, *,
             detail: bool = True, marginal: bool = True,
             record: tuple[str, ...] | None = None) -> StackRun:
    """Run the stack model over the time axis ``year`` for every sample in ``p``.

    Parameters
    ----------
    p : mapping of str to numpy.ndarray
        SI arrays of shape (n,) for every key in :data:`MODEL_KEYS`.
    design : Design
        Satellite and data-centre figures per sample from the physics layer.
    year : numpy.ndarray
        Start of each step [calendar year], evenly spaced (see :func:`time_axis`).
    detail : bool
        Record every sector's min() terms (memory T x K x n).
    marginal : bool
        Also compute the gain in installed compute from relaxing each of :data:`CONSTRAINTS`
        by 10 % in each step (costs one extra step evaluation per constraint).
    record : tuple of str, optional
        Keep only these series (default: all); saves memory for very many samples.

    Returns
    -------
    StackRun
    """
    dt_yr = float(year[1] - year[0]) if len(year) > 1 else 1.0
    dt_s = dt_yr * sx.YEAR_S
    c = constants(p, design, dt_s)
    drv = Drivers(p, dt_s)
    st = initial_state(p, design)
    T = len(year)
    n = st["g_w"].shape[0]
    series: dict[str, FloatArray] = {}
    terms_out: dict[str, FloatArray] = {}
    marg = np.zeros((T, len(CONSTRAINTS), n)) if marginal else None
    for k in range(T):
        d = drv.at(float(year[k]))
        new, rec, terms = _step(st, d, c, None)
        if k == 0:
            keep = tuple(rec) if record is None else record
            series = {name: np.empty((T, n)) for name in keep}
            if detail:
                terms_out = {s: np.empty((T, len(v), n)) for s, v in terms.items()}
        for name in keep:
            series[name][k] = rec[name]()
        if detail:
            for s, v in terms.items():
                for j, t in enumerate(v):
                    terms_out[s][k, j] = t
        if marg is not None:
            base = rec["terrestrial_compute_w"]() + rec["orbital_compute_w"]()
            for j, cname in enumerate(CONSTRAINTS):
                _, r2, _ = _step(st, d, c, cname)
                marg[k, j] = r2["terrestrial_compute_w"]() + r2["orbital_compute_w"]() - base
        st = new
    return StackRun(year=year, dt_s=dt_s, series=series, terms=terms_out, marginal_w=marg)
