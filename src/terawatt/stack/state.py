"""What one step of the stack model reads: the stocks, the exogenous flows, the constants.

:class:`StackState` holds the stocks carried from one step to the next (named fields, arrays of
shape (n_samples,)); :class:`Drivers` evaluates the exogenous ramps of
:mod:`terawatt.stack.sectors` into one :class:`StepDrivers` per step; :class:`StepConstants`
holds what is derived once per run from the assumptions and the physics :class:`Design`.
The step itself is in :mod:`terawatt.stack.step`, the time loop in :mod:`terawatt.stack.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import NDArray

from terawatt.constants import SECONDS_PER_YEAR
from terawatt.stack import sectors as sx

FloatArray = NDArray[np.float64]


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



@dataclass(frozen=True, slots=True)
class StackState:
    """The stocks carried from one step to the next, each an array of shape (n,).

    Accelerator power is the chips' own power (W of accelerator power, not facility power);
    FLOP/s are tracked per vintage (dense FP8).

    Attributes
    ----------
    ground_accelerators_w : numpy.ndarray
        Accelerators delivered to terrestrial data centres and not yet retired, installed or
        stranded (the pool that ages by ``1/chips.lifetime``) [W].
    ground_flops : numpy.ndarray
        FLOP/s of that pool [FLOP/s].
    orbit_accelerators_w : numpy.ndarray
        Accelerator power on satellites in orbit [W].
    orbit_flops : numpy.ndarray
        FLOP/s of those satellites [FLOP/s].
    orbit_waiting_w : numpy.ndarray
        Chips reserved for orbit and waiting for a launch (they age at the orbital loss
        rate) [W].
    orbit_waiting_flops : numpy.ndarray
        FLOP/s of the waiting chips [FLOP/s].
    power_china_w : numpy.ndarray
        Facility power for AI data centres from grid additions in China [W].
    power_rest_w : numpy.ndarray
        Facility power from grid additions in the rest of the world, including the power of
        the initial installed base [W].
    power_gas_w : numpy.ndarray
        Facility power from gas turbines (deliveries x data-centre share) [W].
    power_distributed_w : numpy.ndarray
        Firm facility power for AI data centres from distributed solar + storage [W].
    power_distributed_factory_w : numpy.ndarray
        Firm power for robot factories from distributed solar + storage, off the grid
        (``power.distributed.factory_share``); added to the grid ramp
        ``robots.factory_power.*`` [W]. Like every power stock, not retired.
    dc_built_w : numpy.ndarray
        Data-centre shells built, as the accelerator power they can host [W].
    gas_backlog_w : numpy.ndarray
        Gas-turbine orders placed and not yet delivered [W].
    robots : numpy.ndarray
        Robots in service [robot].
    robot_factory_capacity : numpy.ndarray
        Humanoid factory capacity, grown by robots building factories [robot/s].
    """

    ground_accelerators_w: FloatArray
    ground_flops: FloatArray
    orbit_accelerators_w: FloatArray
    orbit_flops: FloatArray
    orbit_waiting_w: FloatArray
    orbit_waiting_flops: FloatArray
    power_china_w: FloatArray
    power_rest_w: FloatArray
    power_gas_w: FloatArray
    power_distributed_w: FloatArray
    power_distributed_factory_w: FloatArray
    dc_built_w: FloatArray
    gas_backlog_w: FloatArray
    robots: FloatArray
    robot_factory_capacity: FloatArray

    def arrays(self) -> dict[str, FloatArray]:
        """Every stock by field name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}



_RAMPS = ("chips.wafer_starts", "chips.packaging", "chips.hbm", "power.grid.china",
          "power.grid.rest", "power.gas.output", "power.distributed.storage", "pvmfg.global",
          "pvmfg.space", "terrestrial.construction", "orbital.sat_factory", "robots.production",
          "orbital.chip_share", "robots.actuators", "robots.factory_power")


@dataclass(frozen=True, slots=True)
class StepDrivers:
    """Exogenous flows of one step (each of shape (n,)); flows are per step, not per second.

    Attributes
    ----------
    accelerators_from_wafers, accelerators_from_packaging, accelerators_from_hbm
        Accelerators the step's wafer starts, CoWoS capacity and HBM stacks allow [accelerator].
    wafers, terafab_wafers
        Wafer starts, all and TeraFab's [wafer].
    flops_per_w
        FLOP/s per W of the generation in volume production [FLOP/s/W].
    grid_china_w, grid_rest_w
        Grid power added for AI data centres in China and elsewhere [W].
    gas_output_w
        Gas-turbine factory output [W].
    storage_w
        Storage power deployed [W].
    pv_global_w, pv_space_w
        Ground (world industry) and space-qualified PV production [W].
    construction_w
        Data-centre shells built, as accelerator power hosted [W].
    launches
        Launches flown [launch].
    sat_factory
        Satellites the factories can build [satellite].
    robot_production
        Robots the factories, actuators and factory power allow before chips [robot]: the
        robots' chip demand seen by the allocation (set by :func:`terawatt.stack.step.step`;
        :class:`Drivers` fills in the claimed ramp until then).
    robot_production_claimed
        Robots the claimed production ramp (C21) would give [robot]: recorded as the
        scenario's claimed input only; production is computed (:func:`robots_step`).
    robot_actuators
        Robots the actuator (reducer, motor) supply allows [robot].
    robot_factory_grid_w
        Grid power available to robot factories (the ``robots.factory_power.*`` ramp, a
        level, not a flow) [W]; the step adds the distributed power dedicated to factories
        (:attr:`StackState.power_distributed_factory_w`).
    chip_share
        Share of chips (after robots) reserved for orbit [-], in [0, 1].
    orbit_cost_ratio
        USD per token in orbit / on the ground in this step's year [-] (only for the
        ``cheapest-per-token`` allocation; None otherwise).
    """

    accelerators_from_wafers: FloatArray
    accelerators_from_packaging: FloatArray
    accelerators_from_hbm: FloatArray
    terafab_wafers: FloatArray
    wafers: FloatArray
    flops_per_w: FloatArray
    grid_china_w: FloatArray
    grid_rest_w: FloatArray
    gas_output_w: FloatArray
    storage_w: FloatArray
    pv_global_w: FloatArray
    pv_space_w: FloatArray
    construction_w: FloatArray
    launches: FloatArray
    sat_factory: FloatArray
    robot_production: FloatArray
    robot_production_claimed: FloatArray
    robot_actuators: FloatArray
    robot_factory_grid_w: FloatArray
    chip_share: FloatArray
    orbit_cost_ratio: FloatArray | None = None


class Drivers:
    """Exogenous flows per step (see :mod:`terawatt.stack.sectors`), prepared once per run.

    :meth:`at` gives the flows of the step starting at ``year`` as a :class:`StepDrivers`.
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
        self.fab = sx.PreparedFab(p["chips.terafab.capacity"], p["chips.terafab.start_year"],
                                  p["chips.terafab.construction_lag"],
                                  p["chips.terafab.ramp_time"])
        self.fpw = sx.PreparedFlopsPerW(p)
        self.apw_dt = p["chips.accelerators_per_wafer"] * dt_s
        self.ppw_dt = p["chips.packages_per_cowos_wafer"] * dt_s
        self.hbm_dt = dt_s / p["chips.hbm_stacks_per_accelerator"]

    def at(self, year: float) -> StepDrivers:
        dt, r = self.dt_s, self.ramps
        y = year + 0.5 * dt / SECONDS_PER_YEAR

        def per_step(prefix: str, factor: float | FloatArray = dt) -> FloatArray:
            flow = r[prefix].at(y)          # a fresh array: scaled in place (same values)
            flow *= factor
            return flow

        fab = self.fab.at(y)
        wafers = r["chips.wafer_starts"].at(y)
        wafers += fab
        launches = self.launch.at(y)
        launches *= dt
        share = r["orbital.chip_share"].at(y)
        claimed = per_step("robots.production")
        return StepDrivers(
            accelerators_from_wafers=wafers * self.apw_dt,
            accelerators_from_packaging=per_step("chips.packaging", self.ppw_dt),
            accelerators_from_hbm=per_step("chips.hbm", self.hbm_dt),
            terafab_wafers=fab * dt,
            wafers=wafers * dt,
            flops_per_w=self.fpw.at(y),
            grid_china_w=per_step("power.grid.china"),
            grid_rest_w=per_step("power.grid.rest"),
            gas_output_w=per_step("power.gas.output"),
            storage_w=per_step("power.distributed.storage"),
            pv_global_w=per_step("pvmfg.global"),
            pv_space_w=per_step("pvmfg.space"),
            construction_w=per_step("terrestrial.construction"),
            launches=launches,
            sat_factory=per_step("orbital.sat_factory"),
            robot_production=claimed,
            robot_production_claimed=claimed,
            robot_actuators=per_step("robots.actuators"),
            robot_factory_grid_w=r["robots.factory_power"].at(y),
            chip_share=np.clip(share, 0.0, 1.0, out=share),
        )


@dataclass(frozen=True, slots=True)
class RobotFactory:
    """One reference humanoid factory as built by a robot crew (from the fleet planner).

    Attributes
    ----------
    build_time_s : float
        Time for ``crew`` robots to build one factory (the plan's makespan) [s].
    crew : float
        Robots building it (the plan's scheduled pool) [robot].
    capacity_per_s : float
        Output of one finished factory (the plan's rated output) [robot/s].
    source : str
        Where the figures come from (e.g. the plan's goal, or the registry fallback).
    """

    build_time_s: float
    crew: float
    capacity_per_s: float
    source: str = "registry fallback (robots.factory.fallback_*): no fleet plan"

    def __post_init__(self) -> None:
        for name in ("build_time_s", "crew", "capacity_per_s"):
            v = getattr(self, name)
            if not (np.isfinite(v) and v > 0):
                raise ValueError(f"RobotFactory.{name}: value {v!r}; allowed: finite > 0")

    def capacity_added_per_builder(self, dt_s: float) -> float:
        """Factory capacity one construction robot adds in a step of ``dt_s`` [robot/s]."""
        return dt_s / self.build_time_s * self.capacity_per_s / self.crew


#: registry keys of the fallback factory (used only when run without a fleet plan)
FALLBACK_FACTORY_KEYS: tuple[str, ...] = ("robots.factory.fallback_build_time",
                                          "robots.factory.fallback_crew", "robots.factory.rate")


def fallback_factory(p: Mapping[str, FloatArray]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(build time [s], crew [robot], capacity [robot/s]) from the registry's fallbacks.

    USED ONLY WITHOUT THE PLANNER: :func:`terawatt.robots.replication.run_stack_planned`
    (and ``terawatt run``) pass the fleet plan's figures instead.
    """
    return (p["robots.factory.fallback_build_time"], p["robots.factory.fallback_crew"],
            p["robots.factory.rate"])


@dataclass(frozen=True, slots=True)
class StepConstants:
    """Per-sample constants of the step (arrays of shape (n,) or scalars), derived once.

    Attributes
    ----------
    dt_s : step length [s]
    accelerator_power_w : power of one (GB300-equivalent) accelerator [W]
    robot_chip_w, robot_draw_w : accelerator power in one robot; its power draw [W]
    robot_construction_share : share of the robots building robot factories [-]
    robot_capacity_headroom : factories are built up to (1 + this) x what the other robot
        inputs allow [-]
    robot_capacity_per_builder : factory capacity one construction robot adds per step
        [robot/s] (from the fleet plan, or the fallback)
    robot_energy_j : factory energy per robot built [J]
    gas_orders_w : gas-turbine orders placed per step [W]
    gas_dc_share : share of turbine deliveries going to AI data centres [-]
    distributed_pv_share : share of ground PV going to distributed power (data centres and
        factories together) [-]
    distributed_storage_share : share of storage going to distributed power,
        ``power.distributed.dc_share + factory_share`` (data centres + robot factories
        off-grid) [-]
    distributed_factory_fraction : ``factory_share / (dc_share + factory_share)``, the
        factories' part of the firm power added (0 when both shares are 0) [-]
    pv_per_firm_w : W_p of PV per W of firm distributed power [W/W]
    facility_w_per_accelerator_w : data-centre facility power per accelerator W [W/W]
    keep_ground, keep_orbit, keep_robots : share of a stock surviving one step [-]
    retire_ground : share of the ground pool retiring in one step, ``1 - keep_ground`` [-]
    inventory_steps : ``allocation.inventory_horizon`` in steps [-]
    launch_survival : 1 - launch failure rate [-]
    array_w_per_compute_w : space solar array W per W of accelerator power [W/W]
    compute_w_per_launch : accelerator power one launch can place (ODC share of the
        payload, surviving launches only) [W]
    payload_kg : payload per flight [kg]
    compute_w_per_satellite : accelerator power per satellite [W]
    mass_per_compute_w_kg : satellite mass per W of accelerator power [kg/W]
    """

    dt_s: FloatArray
    accelerator_power_w: FloatArray
    robot_chip_w: FloatArray
    robot_draw_w: FloatArray
    robot_construction_share: FloatArray
    robot_capacity_headroom: FloatArray
    robot_capacity_per_builder: FloatArray
    robot_energy_j: FloatArray
    gas_orders_w: FloatArray
    gas_dc_share: FloatArray
    distributed_pv_share: FloatArray
    distributed_storage_share: FloatArray
    distributed_factory_fraction: FloatArray
    pv_per_firm_w: FloatArray
    facility_w_per_accelerator_w: FloatArray
    keep_ground: FloatArray
    keep_orbit: FloatArray
    keep_robots: FloatArray
    retire_ground: FloatArray
    inventory_steps: FloatArray
    launch_survival: FloatArray
    array_w_per_compute_w: FloatArray
    compute_w_per_launch: FloatArray
    payload_kg: FloatArray
    compute_w_per_satellite: FloatArray
    mass_per_compute_w_kg: FloatArray


def step_constants(p: Mapping[str, FloatArray], design: Design, dt_s: float,
                   robot_factory: RobotFactory | None = None) -> StepConstants:
    """Per-sample constants of the step, derived once from ``p`` and the physics design;
    ``robot_factory``: the fleet plan's factory (None: the registry fallback)."""
    if robot_factory is None:
        build_s, crew, cap = fallback_factory(p)
        per_builder = dt_s / build_s * cap / crew
    else:
        per_builder = np.asarray(robot_factory.capacity_added_per_builder(dt_s))
    surv = 1.0 - p["launch.failure_rate"]
    keep_ground = np.clip(1.0 - dt_s / p["chips.lifetime"], 0.0, 1.0)
    dc_share = p["power.distributed.dc_share"]
    factory_share = p["power.distributed.factory_share"]
    storage_share = dc_share + factory_share
    with np.errstate(divide="ignore", invalid="ignore"):
        factory_fraction = np.where(storage_share > 0, factory_share / storage_share, 0.0)
    return StepConstants(
        dt_s=np.asarray(dt_s),
        accelerator_power_w=p["compute.gb300.gpu_tdp"],
        robot_chip_w=p["robots.chip_power"],
        robot_draw_w=p["robots.power_draw"],
        robot_construction_share=np.clip(p["robots.construction_share"], 0.0, 1.0),
        robot_capacity_headroom=np.clip(p["robots.factory.capacity_headroom"], 0.0, None),
        robot_capacity_per_builder=per_builder,
        robot_energy_j=p["robots.energy_per_robot"],
        gas_orders_w=p["power.gas.orders"] * dt_s,
        gas_dc_share=p["power.gas.dc_share"],
        distributed_pv_share=p["power.distributed.pv_share"],
        distributed_storage_share=storage_share,
        distributed_factory_fraction=factory_fraction,
        pv_per_firm_w=p["power.distributed.pv_per_firm_w"],
        facility_w_per_accelerator_w=design.facility_w_per_accelerator_w,
        keep_ground=keep_ground,
        keep_orbit=np.clip(1.0 - dt_s * (1.0 / p["satellite.design_life"]
                                         + p["orbital.failure_rate"]
                                         + p["satellite.array.degradation_per_year"]), 0.0, 1.0),
        keep_robots=np.clip(1.0 - dt_s / p["robots.lifetime"], 0.0, 1.0),
        retire_ground=1.0 - keep_ground,
        inventory_steps=p["allocation.inventory_horizon"] / dt_s,
        launch_survival=surv,
        array_w_per_compute_w=design.array_w_per_compute_w,
        compute_w_per_launch=p["orbital.launch_share"] * p["launch.payload_per_flight"] * surv
        / design.mass_per_compute_w_kg,
        payload_kg=p["launch.payload_per_flight"],
        compute_w_per_satellite=design.compute_w_per_satellite,
        mass_per_compute_w_kg=design.mass_per_compute_w_kg,
    )


def initial_state(p: Mapping[str, FloatArray], design: Design) -> StackState:
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
    return StackState(
        ground_accelerators_w=acc_w, ground_flops=h100e * p["chips.h100.flops"],
        orbit_accelerators_w=z.copy(), orbit_flops=z.copy(),
        orbit_waiting_w=z.copy(), orbit_waiting_flops=z.copy(),
        power_china_w=z.copy(), power_rest_w=fac_w, power_gas_w=z.copy(),
        power_distributed_w=z.copy(), power_distributed_factory_w=z.copy(),
        dc_built_w=acc_w.copy(),
        gas_backlog_w=p["power.gas.initial_backlog"] + z,
        robots=p["robots.initial_population"] + z,
        robot_factory_capacity=p["robots.factory.initial_capacity"] + z,
    )
