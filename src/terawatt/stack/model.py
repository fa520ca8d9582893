"""The stack model: a time-stepped capacity model of AI compute on Earth and in orbit.

Every stock is a numpy array of shape (n_samples,), held in a frozen
:class:`~terawatt.stack.state.StackState`; the only Python loop runs over time steps
(:func:`simulate`). Exogenous capacities (wafer starts, packaging, HBM, launches, PV factories,
...) come from :mod:`terawatt.stack.sectors` (evaluated per step by
:class:`~terawatt.stack.state.Drivers`); the loop handles the stocks.

One step (length ``dt``, :func:`terawatt.stack.step.step`) runs one function per sector of
:mod:`terawatt.stack.step`, in order:

1. **chips** (:func:`chips_step`) — accelerators made = min(wafers x accelerators/wafer, CoWoS
   wafers x packages/wafer, HBM stacks / stacks per accelerator); their power and FLOP/s
   follow the roadmap.
   Under a demand-led allocation policy a fourth term, ``deployable``, caps output at what
   the ground and orbit can take this step plus an inventory of
   ``allocation.inventory_horizon`` years of their take-up rate.
2. **robots** (:func:`robots_step`) built = min(factory capacity, chips / chip power per
   robot, actuator supply, factory power / energy per robot), factory power being the grid
   ramp ``robots.factory_power.*`` plus the distributed solar + storage dedicated to robot
   factories (step 5); they take their chips first. A
   share of the population builds new factories (capacity per builder from the fleet plan of
   the ``humanoid_robot`` template, passed in as ``robot_factory``).
3. **allocation** (:mod:`terawatt.stack.allocation`, a policy): ``fixed-share`` reserves a
   share (``orbital.chip_share.*`` ramp) of the rest for orbit and ships the remainder to the
   ground; ``deploy-where-usable`` (default) and ``cheapest-per-token`` install chips wherever
   there is room now and hold the rest where it is usable soonest.
4. **solar** (:func:`solar_step`): ground PV production (the world's PV industry) plus dedicated
   space-qualified production (separate factories, e.g. claim C08's 100 GW/yr).
5. **power**: gas-turbine deliveries (:func:`power_gas_step`) = min(factory output, order
   backlog); distributed solar + storage (:func:`power_distributed_step`) = min(storage power
   x (data-centre share + factory share), PV share / W_p per firm W) (claim C18), split
   between data centres and robot factories in proportion to their shares; the facility power
   stocks (:func:`power_step`) add grid additions (China and rest of world), turbines x
   data-centre share and the data centres' distributed power; the factories' part adds to the
   power of robot factories. No power stock retires.
   Solar and power are computed first in the code (they do not depend on chips), so the room
   on the ground and in orbit is known before chips are made and allocated.
6. **terrestrial** (:func:`terrestrial_step`): the pool of delivered accelerators (installed +
   stranded) ages by ``1/lifetime``; installed = min(pool, facility power / PUE-like overhead,
   built shells). The rest are *stranded* (delivered but unpowered, claim C13).
7. **orbital** (:func:`orbital_step`): satellites and chips waiting for launch age at the
   orbital loss rate (1/lifetime + failures + degradation); new compute placed = min(chips
   waiting x (1 - launch failure), space solar / array W per compute W, launch mass / kg per W,
   satellite factory x W per satellite). Mass launched = mass placed / (1 - launch failure rate).

Under ``fixed-share``, installed = min(stock, capacity) with every stock ageing at one rate, so
more of any supply never lowers compute (tested with Hypothesis in ``tests/stack``); the price:
chips reserved for orbit age from delivery, at the orbital loss rate, while they wait for a
launch. The demand-led policies keep the property when ground and orbit lose chips at the same
rate; otherwise moving chips between them trades installed W now against a different ageing
rate later (see :mod:`terawatt.stack.allocation` and docs/stack.md).

Bottlenecks: every sector with a min() is declared once in
:data:`~terawatt.stack.step.SECTORS` (its terms, their unit, and which terms are relaxed for the
marginal gain); its step function returns the terms by name, and the recorded terms
(``StackRun.terms``), the binding/slack table (:mod:`terawatt.stack.bottleneck`) and the
marginal gains — the gain in total installed compute at the end of the step from relaxing one
term by 10 % (the step re-run with that term x 1.1) — are all built from those returned terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.errors import UserError
from terawatt.stack import sectors as sx
from terawatt.stack.allocation import DEFAULT_POLICY, POLICIES, check_policy
from terawatt.stack.state import (
    FALLBACK_FACTORY_KEYS,
    Design,
    Drivers,
    RobotFactory,
    StackState,
    initial_state,
    step_constants,
)
from terawatt.stack.step import (
    CONSTRAINTS,
    RELAX,
    SECTOR_TERMS,
    SECTOR_UNITS,
    SECTORS,
    SERIES,
    check_terms,
    step,
)

__all__ = ["ALLOCATION_KEYS", "BUILDER_KEYS", "CONSTRAINTS", "DEFAULT_POLICY",
           "FACTORY_POWER_KEYS", "MODEL_KEYS", "POLICIES", "RELAX", "ROBOT_KEYS", "SECTORS",
           "SECTOR_TERMS", "SECTOR_UNITS", "SERIES", "Design",
           "RobotFactory", "StackRun", "StackState", "simulate", "time_axis"]

FloatArray = NDArray[np.float64]

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
#: keys of the robot economy (sampled after the others, so that adding them left the random
#: draws of the other keys as they were)
ROBOT_KEYS: tuple[str, ...] = (
    "robots.initial_population", "robots.factory.initial_capacity", "robots.construction_share",
    *sx.ramp_keys("robots.actuators"), *sx.ramp_keys("robots.factory_power"),
    "robots.energy_per_robot", *FALLBACK_FACTORY_KEYS,
)
#: keys of the distributed power dedicated to factories (sampled after every other key, so
#: that adding them left the random draws of the others as they were)
FACTORY_POWER_KEYS: tuple[str, ...] = ("power.distributed.factory_share",)
#: keys of the builders' response to the other robot inputs (sampled last, as above)
BUILDER_KEYS: tuple[str, ...] = ("robots.factory.capacity_headroom",)
# launch.ramp's target is the other helper's launch.launches_per_year: drop our "target" key
#: keys of the chip allocation (sampled after every other key, so that adding them left the
#: random draws of the others, and fixed-share Monte Carlo runs, as they were)
ALLOCATION_KEYS: tuple[str, ...] = ("allocation.inventory_horizon",)
MODEL_KEYS = (*(k for k in MODEL_KEYS if k != "launch.ramp.target"), "launch.launches_per_year",
              *ALLOCATION_KEYS, *ROBOT_KEYS, *FACTORY_POWER_KEYS, *BUILDER_KEYS)


@dataclass(frozen=True)
class StackRun:
    """Raw model output: ``series[name]`` and ``terms[sector]`` per step.

    ``series`` values have shape (T, n); ``terms[sector]`` has shape (T, K, n) with K the
    sector's terms (:data:`SECTOR_TERMS`); ``marginal_w`` has shape (T, len(CONSTRAINTS), n)
    or is None when not computed; ``final_state`` holds the stocks after the last step.
    """

    year: FloatArray
    dt_s: float
    series: Mapping[str, FloatArray]
    terms: Mapping[str, FloatArray]
    marginal_w: FloatArray | None
    final_state: StackState | None = None
    allocation: str = DEFAULT_POLICY


def time_axis(start_year: float, end_year: float, steps_per_year: int) -> FloatArray:
    """Start of each step: ``start_year`` ... the last step of ``end_year`` inclusive [year]."""
    n = int(round((end_year - start_year + 1) * steps_per_year))
    return start_year + np.arange(n) / steps_per_year


def simulate(p: Mapping[str, FloatArray], design: Design, year: FloatArray, *,
             detail: bool = True, marginal: bool = True,
             record: tuple[str, ...] | None = None, allocation: str = DEFAULT_POLICY,
             orbit_cost_ratio: FloatArray | None = None,
             robot_factory: RobotFactory | None = None) -> StackRun:
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
        Keep only these series of :data:`SERIES` (default: all); saves memory for very many
        samples.
    allocation : str
        Chip allocation policy, a name of :data:`POLICIES` (default ``deploy-where-usable``);
        an unknown name raises :class:`~terawatt.errors.UserError`.
    orbit_cost_ratio : numpy.ndarray, optional
        USD per token in orbit / on the ground per step, shape (T,) or (T, n) [-]; required by
        ``cheapest-per-token``, ignored by the other policies.
    robot_factory : RobotFactory, optional
        Build time, crew and capacity of one robot factory from the fleet planner
        (:func:`terawatt.robots.replication.plan_factory`); None: the registry fallbacks
        ``robots.factory.fallback_*`` (used only without the planner).

    Returns
    -------
    StackRun
    """
    policy = check_policy(allocation)
    ratio = _step_ratio(policy.needs_cost_ratio, orbit_cost_ratio, len(year))
    dt_yr = float(year[1] - year[0]) if len(year) > 1 else 1.0
    dt_s = dt_yr * SECONDS_PER_YEAR
    c = step_constants(p, design, dt_s, robot_factory)
    drv = Drivers(p, dt_s)
    st = initial_state(p, design)
    T = len(year)
    n = st.ground_accelerators_w.shape[0]
    keep = tuple(SERIES) if record is None else record
    series = {name: np.empty((T, n)) for name in keep}
    recorders = [(series[name], SERIES[name]) for name in keep]
    terms_out = {s.name: np.empty((T, len(s.terms), n)) for s in SECTORS} if detail else {}
    marg = np.zeros((T, len(CONSTRAINTS), n)) if marginal else None
    for k in range(T):
        d = drv.at(float(year[k]))
        if ratio is not None:
            d = replace(d, orbit_cost_ratio=ratio[k])
        out = step(st, d, c, None, policy)
        if k == 0:
            check_terms(out)
        for arr_out, compute in recorders:
            arr_out[k] = compute(out)
        for sector, arr in terms_out.items():
            for j, t in enumerate(out.terms(sector).values()):
                arr[k, j] = t
        if marg is not None:
            base = out.total_compute_w
            for j, cname in enumerate(CONSTRAINTS):
                marg[k, j] = step(st, d, c, cname, policy).total_compute_w - base
        st = out.state_after()
    return StackRun(year=year, dt_s=dt_s, series=series, terms=terms_out, marginal_w=marg,
                    final_state=st, allocation=policy.name)


def _step_ratio(needed: bool, ratio: FloatArray | None, n_steps: int) -> FloatArray | None:
    """The per-step cost ratio as an array of shape (T, 1) or (T, n); None when not used."""
    if not needed:
        return None
    if ratio is None:
        raise UserError("allocation policy 'cheapest-per-token': needs orbit_cost_ratio (USD per "
                        "token in orbit / on the ground, per year, from terawatt.economics); "
                        "allowed without it: fixed-share, deploy-where-usable")
    r = np.asarray(ratio, dtype=float)
    if r.ndim == 1:
        r = r[:, None]
    if r.ndim != 2 or r.shape[0] != n_steps:
        raise UserError(f"orbit_cost_ratio: shape {np.shape(ratio)}; allowed: ({n_steps},) or "
                        f"({n_steps}, n_samples), one value per step")
    if not np.all(np.isfinite(r) & (r > 0)):
        raise UserError(f"orbit_cost_ratio: value {float(r[~(np.isfinite(r) & (r > 0))][0]):g}; "
                        "allowed: finite values > 0")
    return r
