"""One step of the stack model: one function per sector, each returning the terms of its min().

Every sector whose output is a min() (Leontief) is declared once in :data:`SECTORS`: its
terms, their unit and which terms are relaxed for the marginal gain (:data:`CONSTRAINTS`). Its
step function (:func:`chips_step`, :func:`robots_step`, :func:`power_gas_step`,
:func:`power_distributed_step`, :func:`terrestrial_step`, :func:`orbital_step`) returns a small
frozen record holding those terms by name next to its flows; :func:`bind` takes the min (and
relaxes a term when asked). Sectors without a min() (:func:`solar_step`, :func:`power_step`,
:func:`terawatt.stack.allocation.room_step` and the allocation policy) only move flows and
stocks. :func:`step` runs them in order and returns a :class:`StepOutcome`, from which
:data:`SERIES` computes each recorded series and :func:`terawatt.stack.model.simulate` the
recorded terms and marginal gains, with no per-sector code.

Order: power (which does not depend on chips) comes first, so that the room on the ground and
in orbit (:func:`~terawatt.stack.allocation.room_step`) is known before the chips are made:
the demand-led allocation policies cap chip output at what can be deployed or stocked
(the chip sector's ``deployable`` term).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import reduce

import numpy as np
from numpy.typing import NDArray

from terawatt.stack.allocation import (
    DEFAULT_POLICY,
    NO_LIMIT,
    POLICIES,
    Allocation,
    Demand,
    Policy,
    Room,
    demand_step,
    room_step,
)
from terawatt.stack.state import StackState, StepConstants, StepDrivers

FloatArray = NDArray[np.float64]

#: factor applied to one constraint to measure its marginal gain
RELAX: float = 1.1


@dataclass(frozen=True, slots=True)
class SectorSpec:
    """A sector whose output is the min() of its terms (Leontief).

    Attributes
    ----------
    name : str
        Sector name (key of ``StackRun.terms`` and of the result's bottlenecks).
    unit : str
        What the terms measure (the quantity the min() is taken over).
    terms : tuple of str
        Names of the min() terms, in the order recorded (``StackRun.terms[name][:, j]``).
    relaxed_as : mapping of str to str
        Terms relaxed by :data:`RELAX` for the marginal gain -> the constraint's name in
        :data:`CONSTRAINTS` (terms not listed are not relaxed).
    """

    name: str
    unit: str
    terms: tuple[str, ...]
    relaxed_as: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = sorted(set(self.relaxed_as) - set(self.terms))
        if unknown:
            raise ValueError(f"sector {self.name!r}: relaxed terms {unknown} not in {self.terms}")
        if len(set(self.terms)) != len(self.terms):
            raise ValueError(f"sector {self.name!r}: repeated term in {self.terms}")


#: every sector with a min(), in the order recorded (and reported)
SECTORS: tuple[SectorSpec, ...] = (
    SectorSpec("chips", "accelerators per step", ("wafers", "packaging", "hbm", "deployable"),
               {"wafers": "wafers", "packaging": "packaging", "hbm": "hbm"}),
    SectorSpec("power_gas", "W of turbines per step", ("turbine_factory", "turbine_orders")),
    SectorSpec("power_distributed", "W (firm) per step", ("storage", "pv")),
    SectorSpec("terrestrial", "W of accelerator power hosted", ("chips", "power", "construction"),
               {"power": "power", "construction": "construction"}),
    SectorSpec("orbital", "W of accelerator power placed per step",
               ("chips", "solar", "launch", "sat_factory"),
               {"solar": "space_solar", "launch": "launch", "sat_factory": "sat_factory"}),
    SectorSpec("robots", "robots per step", ("factories", "chips", "materials", "power")),
)

#: the terms of each sector's min(), in the order stored in ``StackRun.terms[sector]``
SECTOR_TERMS: dict[str, tuple[str, ...]] = {s.name: s.terms for s in SECTORS}

#: unit of each sector's terms (what the min() is taken over)
SECTOR_UNITS: dict[str, str] = {s.name: s.unit for s in SECTORS}

#: the relaxations tried for the marginal gain, in order; each multiplies one term by RELAX
CONSTRAINTS: tuple[str, ...] = tuple(s.relaxed_as[t] for s in SECTORS for t in s.terms
                                     if t in s.relaxed_as)


# ---------------------------------------------------------------------------------------------
# the min() of a sector


#: constraint of :data:`CONSTRAINTS` -> (sector, term) it relaxes
RELAXED_TERM: dict[str, tuple[str, str]] = {
    constraint: (s.name, term) for s in SECTORS for term, constraint in s.relaxed_as.items()}


def bind(sector: str, relax: str | None, terms: dict[str, FloatArray]) -> FloatArray:
    """The sector's output, ``min(terms)``; if ``relax`` names one of its terms, that term is
    first multiplied by :data:`RELAX` (in ``terms``, so the caller keeps what was used).

    ``terms`` come in the order of the sector's :attr:`SectorSpec.terms` (checked once per run
    by :func:`check_terms`).
    """
    if relax is not None:
        relaxed_sector, term = RELAXED_TERM[relax]
        if relaxed_sector == sector:
            terms[term] = terms[term] * RELAX
    v = list(terms.values())
    # written out for the sizes in use (a per-step hot path); four terms pair as
    # min(min(a, b), min(c, d)), the association of the hand-written min() this replaced
    if len(v) == 2:
        return np.minimum(v[0], v[1])
    if len(v) == 3:
        return np.minimum(np.minimum(v[0], v[1]), v[2])
    if len(v) == 4:
        return np.minimum(np.minimum(v[0], v[1]), np.minimum(v[2], v[3]))
    return reduce(np.minimum, v)


def _relaxer(relax: str | None) -> Callable[[str, str, FloatArray], FloatArray]:
    """``f(sector, term, value)``: ``value`` x :data:`RELAX` if ``relax`` names that term."""
    if relax is None:
        return _unrelaxed
    target = RELAXED_TERM[relax]

    def relax_term(sector: str, term: str, value: FloatArray) -> FloatArray:
        return value * RELAX if (sector, term) == target else value

    return relax_term


def _unrelaxed(sector: str, term: str, value: FloatArray) -> FloatArray:
    return value


#: relaxer per constraint (and None), built once
RELAXERS: dict[str | None, Callable[[str, str, FloatArray], FloatArray]] = {
    r: _relaxer(r) for r in (None, *CONSTRAINTS)}


# ---------------------------------------------------------------------------------------------
# one function per sector


@dataclass(frozen=True, slots=True)
class ChipsStep:
    """Chips made in one step: ``made = min(terms)`` [accelerator], ``made_w`` their power [W]."""

    terms: Mapping[str, FloatArray]
    made: FloatArray
    made_w: FloatArray


def chips_step(d: StepDrivers, c: StepConstants, relax: str | None,
               deployable: FloatArray | float = NO_LIMIT) -> ChipsStep:
    """Accelerators made = min(wafers, CoWoS packaging, HBM stacks, deployable), each in
    accelerators; ``deployable`` is what can be installed or stocked (inf: no demand limit)."""
    terms = {"wafers": d.accelerators_from_wafers, "packaging": d.accelerators_from_packaging,
             "hbm": d.accelerators_from_hbm, "deployable": deployable}
    made = bind("chips", relax, terms)
    return ChipsStep(terms, made, made * c.accelerator_power_w)


@dataclass(frozen=True, slots=True)
class RobotsStep:
    """Humanoid robots in one step.

    ``built = min(terms)`` [robot]; ``chip_w``: the accelerators they take [W];
    ``in_service``: robots after the step [robot]; ``construction``: robots building robot
    factories during the step [robot] (the rest of the population, :func:`robots_working`,
    works elsewhere: a robot is never both); ``capacity``: factory capacity after the step
    [robot/s].
    """

    terms: Mapping[str, FloatArray]
    built: FloatArray
    chip_w: FloatArray
    in_service: FloatArray
    construction: FloatArray
    capacity: FloatArray


def robots_from_power(power: PowerStep, c: StepConstants) -> FloatArray:
    """Robots the factory power allows in the step: (grid ramp + distributed power for
    factories, after the step's additions) x dt / ``robots.energy_per_robot`` [robot]."""
    return power.robot_factory_w * c.dt_s / c.robot_energy_j


def robots_step(st: StackState, d: StepDrivers, c: StepConstants, power: PowerStep,
                chips_w: FloatArray, relax: str | None, factories: FloatArray | None = None,
                from_power: FloatArray | None = None) -> RobotsStep:
    """Robots built = min(factory capacity x dt, chips / chip power per robot, actuator supply,
    factory energy / energy per robot); factories grow by the robots building them.

    Factory energy is the power available to robot factories over the step: the grid ramp
    ``robots.factory_power.*`` plus the firm distributed solar + storage dedicated to them
    (:attr:`PowerStep.robot_factory_w`, :func:`robots_from_power`).
    Up to a share ``robots.construction_share`` of the population builds factories in the
    step (no more than :func:`builders_needed`) and so does not work elsewhere; each adds
    :attr:`StepConstants.robot_capacity_per_builder` of capacity (= dt / build time x capacity
    per factory / crew, from the fleet plan), available from the next step on.
    ``factories``: ``capacity x dt``, ``from_power``: :func:`robots_from_power`, if already
    computed [robot].
    """
    pop = st.robots
    if factories is None:
        factories = st.robot_factory_capacity * c.dt_s
    if from_power is None:
        from_power = robots_from_power(power, c)
    terms = {"factories": factories, "chips": chips_w / c.robot_chip_w,
             "materials": d.robot_actuators, "power": from_power}
    built = bind("robots", relax, terms)
    construction = np.minimum(pop * c.robot_construction_share,
                              builders_needed(st, c, terms))
    in_service = pop * c.keep_robots
    in_service += built
    capacity = construction * c.robot_capacity_per_builder
    capacity += st.robot_factory_capacity
    return RobotsStep(terms, built, built * c.robot_chip_w, in_service,
                      construction=construction, capacity=capacity)


def builders_needed(st: StackState, c: StepConstants,
                    terms: Mapping[str, FloatArray]) -> FloatArray:
    """Robots it takes to bring factory capacity to ``(1 + headroom)`` x the production the
    other inputs (chips, actuator sets, factory power) allow in the step [robot]; 0 when the
    factories are already ahead. Builders beyond that would add capacity nothing could feed.
    """
    others = np.minimum(np.minimum(terms["chips"], terms["materials"]), terms["power"])
    target = others * (1.0 + c.robot_capacity_headroom) / c.dt_s
    gap = np.maximum(target - st.robot_factory_capacity, 0.0)
    per = c.robot_capacity_per_builder
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(per > 0, gap / np.where(per > 0, per, 1.0), 0.0)


def robots_working(s: StepOutcome) -> FloatArray:
    """Robots not building factories in the step (population before it - builders) [robot]."""
    return s.before.robots - s.robots.construction


def robot_growth_per_s(s: StepOutcome) -> FloatArray:
    """Log growth rate of the robot population in the step, ``ln(P'/P) / dt`` [1/s]."""
    pop = s.before.robots
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.log(s.robots.in_service / np.where(pop > 0, pop, 1.0))
    return np.where(pop > 0, g, 0.0) / s.const.dt_s


@dataclass(frozen=True, slots=True)
class SolarStep:
    """PV produced in one step: ground (world industry) and space-qualified [W]."""

    ground_w: FloatArray
    space_w: FloatArray


def solar_step(d: StepDrivers) -> SolarStep:
    """Ground PV = the world PV ramp; space PV = dedicated factories, on top (claim C08)."""
    return SolarStep(d.pv_global_w, d.pv_space_w)


@dataclass(frozen=True, slots=True)
class PowerGasStep:
    """Gas turbines delivered (``min(terms)``) and the order backlog after the step [W]."""

    terms: Mapping[str, FloatArray]
    delivered_w: FloatArray
    backlog_w: FloatArray


def power_gas_step(st: StackState, d: StepDrivers, c: StepConstants,
                   relax: str | None) -> PowerGasStep:
    """Turbine deliveries = min(factory output, backlog + new orders) (claim C12)."""
    orders_w = st.gas_backlog_w + c.gas_orders_w
    terms = {"turbine_factory": d.gas_output_w, "turbine_orders": orders_w}
    delivered_w = bind("power_gas", relax, terms)
    return PowerGasStep(terms, delivered_w, orders_w - delivered_w)


@dataclass(frozen=True, slots=True)
class PowerDistributedStep:
    """Firm distributed solar + storage power added in one step [W].

    ``added_w = min(terms)``, split into ``dc_added_w`` (AI data centres) and
    ``factory_added_w`` (robot factories, off-grid) in proportion ``dc_share :
    factory_share``; ``dc_added_w + factory_added_w == added_w`` (to rounding), neither
    negative.
    """

    terms: Mapping[str, FloatArray]
    added_w: FloatArray
    dc_added_w: FloatArray
    factory_added_w: FloatArray


def power_distributed_step(d: StepDrivers, c: StepConstants, solar: SolarStep,
                           relax: str | None) -> PowerDistributedStep:
    """Distributed power = min(storage x (dc share + factory share), ground PV x pv share /
    W_p per firm W) (claim C18): both battery and PV supply limit it.

    The firm power added is shared between data centres and robot factories in proportion to
    their storage shares, whichever term binds (with ``factory_share`` = 0 all of it goes to
    data centres, as before factories had a share).
    """
    terms = {"storage": d.storage_w * c.distributed_storage_share,
             "pv": solar.ground_w * c.distributed_pv_share / c.pv_per_firm_w}
    added_w = bind("power_distributed", relax, terms)
    factory_w = added_w * c.distributed_factory_fraction
    return PowerDistributedStep(terms, added_w, dc_added_w=added_w - factory_w,
                                factory_added_w=factory_w)


@dataclass(frozen=True, slots=True)
class PowerStep:
    """Power after the step [W].

    ``china_w``, ``rest_w``, ``gas_w``, ``distributed_w``: facility power for AI data centres
    by source, ``facility_w`` their total; ``factory_distributed_w``: firm distributed power
    dedicated to robot factories; ``robot_factory_w``: power available to robot factories,
    grid ramp + ``factory_distributed_w``.
    """

    china_w: FloatArray
    rest_w: FloatArray
    gas_w: FloatArray
    distributed_w: FloatArray
    facility_w: FloatArray
    factory_distributed_w: FloatArray
    robot_factory_w: FloatArray


def power_step(st: StackState, d: StepDrivers, c: StepConstants, gas: PowerGasStep,
               distributed: PowerDistributedStep) -> PowerStep:
    """Facility power = previous + grid (China, rest) + turbines x dc share + distributed (data
    centres' part); robot factories: grid ramp + previous + distributed (factories' part).

    No power stock retires within the run (the data centres' and the factories' alike)."""
    china = st.power_china_w + d.grid_china_w
    rest = st.power_rest_w + d.grid_rest_w
    gas_w = st.power_gas_w + gas.delivered_w * c.gas_dc_share
    dist = st.power_distributed_w + distributed.dc_added_w
    factory = st.power_distributed_factory_w + distributed.factory_added_w
    return PowerStep(china, rest, gas_w, dist, china + rest + gas_w + dist,
                     factory_distributed_w=factory,
                     robot_factory_w=d.robot_factory_grid_w + factory)


@dataclass(frozen=True, slots=True)
class TerrestrialStep:
    """Ground data centres after the step.

    ``installed_w = min(terms)`` [W]; ``pool_w`` / ``pool_flops``: delivered accelerators,
    installed or stranded [W], [FLOP/s]; ``built_w``: shells built [W of accelerators hosted].
    """

    terms: Mapping[str, FloatArray]
    installed_w: FloatArray
    pool_w: FloatArray
    pool_flops: FloatArray
    built_w: FloatArray


def terrestrial_step(room: Room, alloc: Allocation) -> TerrestrialStep:
    """Installed = min(aged pool + deliveries, facility power / overhead, built shells).

    The power and construction terms come from ``room`` (already relaxed for a marginal-gain
    re-run); the pool from the allocation.
    """
    terms = {"chips": alloc.ground_pool_w, "power": room.ground_power_w,
             "construction": room.ground_built_w}
    installed_w = bind("terrestrial", None, terms)
    return TerrestrialStep(terms, installed_w, alloc.ground_pool_w, alloc.ground_pool_flops,
                           room.built_after_w)


@dataclass(frozen=True, slots=True)
class OrbitalStep:
    """Orbital data centres after the step.

    ``placed_w = min(terms)``: accelerator power placed in orbit this step [W];
    ``accelerators_w`` / ``flops``: in orbit after the step [W], [FLOP/s]; ``flops_added``
    [FLOP/s]; ``waiting_w`` / ``waiting_flops``: chips still waiting for a launch [W], [FLOP/s].
    """

    terms: Mapping[str, FloatArray]
    placed_w: FloatArray
    accelerators_w: FloatArray
    flops: FloatArray
    flops_added: FloatArray
    waiting_w: FloatArray
    waiting_flops: FloatArray


def orbital_step(st: StackState, c: StepConstants, room: Room,
                 alloc: Allocation) -> OrbitalStep:
    """Placed = min(waiting chips x launch survival, space PV / array W per compute W,
    launches x compute W per launch, satellite factory x compute W per satellite).

    The non-chip terms come from ``room`` (already relaxed for a marginal-gain re-run); the
    chips offered to orbit from the allocation.
    """
    keep, surv = c.keep_orbit, c.launch_survival
    waiting_w, waiting_flops = alloc.waiting_w, alloc.waiting_flops
    terms = {"chips": waiting_w * surv, **room.orbit_terms}
    placed_w = bind("orbital", None, terms)
    frac = placed_w / surv                         # chips launched, including failed launches
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(frac, waiting_w, out=frac)       # ... as a share of the chips offered
    np.minimum(frac, 1.0, out=frac)
    np.copyto(frac, 0.0, where=waiting_w <= 0)
    flops_added = waiting_flops * frac
    flops_added *= surv
    accelerators_w = st.orbit_accelerators_w * keep
    accelerators_w += placed_w
    flops = st.orbit_flops * keep
    flops += flops_added
    left = np.subtract(1.0, frac, out=frac)
    return OrbitalStep(terms, placed_w, accelerators_w=accelerators_w, flops=flops,
                       flops_added=flops_added, waiting_w=waiting_w * left,
                       waiting_flops=waiting_flops * left)


# ---------------------------------------------------------------------------------------------
# one step: the sectors in order


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """Everything one step computed; sector attributes are named as in :data:`SECTORS`."""

    before: StackState
    drivers: StepDrivers
    const: StepConstants
    room: Room
    demand: Demand | None
    chips: ChipsStep
    robots: RobotsStep
    allocation: Allocation
    solar: SolarStep
    power_gas: PowerGasStep
    power_distributed: PowerDistributedStep
    power: PowerStep
    terrestrial: TerrestrialStep
    orbital: OrbitalStep

    def terms(self, sector: str) -> Mapping[str, FloatArray]:
        """The min() terms the step function of ``sector`` returned."""
        out: Mapping[str, FloatArray] = getattr(self, sector).terms
        return out

    def demand_estimate(self) -> Demand:
        """The step's :class:`Demand` (computed here for a policy that does not use it)."""
        if self.demand is not None:
            return self.demand
        return demand_step(self.drivers, self.const, self.room)

    @property
    def total_compute_w(self) -> FloatArray:
        """Installed compute at the end of the step, ground + orbit [W]."""
        return self.terrestrial.installed_w + self.orbital.accelerators_w

    def state_after(self) -> StackState:
        """The stocks at the end of the step (built on demand: relaxed re-runs skip it)."""
        ter, orb, power = self.terrestrial, self.orbital, self.power
        return StackState(
            ground_accelerators_w=ter.pool_w, ground_flops=ter.pool_flops,
            orbit_accelerators_w=orb.accelerators_w, orbit_flops=orb.flops,
            orbit_waiting_w=orb.waiting_w, orbit_waiting_flops=orb.waiting_flops,
            power_china_w=power.china_w, power_rest_w=power.rest_w, power_gas_w=power.gas_w,
            power_distributed_w=power.distributed_w,
            power_distributed_factory_w=power.factory_distributed_w, dc_built_w=ter.built_w,
            gas_backlog_w=self.power_gas.backlog_w, robots=self.robots.in_service,
            robot_factory_capacity=self.robots.capacity,
        )


def step(st: StackState, d: StepDrivers, c: StepConstants, relax: str | None,
         policy: Policy = POLICIES[DEFAULT_POLICY]) -> StepOutcome:
    """Advance one step; ``relax`` names a constraint of :data:`CONSTRAINTS` to relax (or None);
    ``policy`` is the chip allocation (:data:`terawatt.stack.allocation.POLICIES`)."""
    solar = solar_step(d)
    gas = power_gas_step(st, d, c, relax)
    dist = power_distributed_step(d, c, solar, relax)
    power = power_step(st, d, c, gas, dist)
    room = room_step(st, d, c, power.facility_w, solar.space_w, RELAXERS[relax])
    # the robots' chip demand: what they could build without the chip limit
    factories = st.robot_factory_capacity * c.dt_s
    from_power = robots_from_power(power, c)
    d = replace(d, robot_production=np.minimum(np.minimum(factories, d.robot_actuators),
                                               from_power))
    if policy.demand_led:
        demand: Demand | None = demand_step(d, c, room)
        deployable: FloatArray | float = demand.deployable_w / c.accelerator_power_w
    else:
        demand, deployable = None, NO_LIMIT
    chips = chips_step(d, c, relax, deployable)
    robots = robots_step(st, d, c, power, chips.made_w, relax, factories, from_power)
    alloc = policy.allocate(room, demand, d, chips.made_w - robots.chip_w)
    ter = terrestrial_step(room, alloc)
    orb = orbital_step(st, c, room, alloc)
    return StepOutcome(st, d, c, room, demand, chips, robots, alloc, solar, gas, dist, power,
                       ter, orb)


def _installed_fraction(t: TerrestrialStep) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t.pool_w > 0, t.installed_w / t.pool_w, 0.0)


def _mass_launched_kg(s: StepOutcome) -> FloatArray:
    return s.orbital.placed_w * s.const.mass_per_compute_w_kg / s.const.launch_survival


#: every series the model records, computed from a step's outcome only when kept
SERIES: dict[str, Callable[[StepOutcome], FloatArray]] = {
    "terrestrial_compute_w": lambda s: s.terrestrial.installed_w,
    "orbital_compute_w": lambda s: s.orbital.accelerators_w,
    "terrestrial_accelerators": lambda s: s.terrestrial.installed_w / s.const.accelerator_power_w,
    "orbital_accelerators": lambda s: s.orbital.accelerators_w / s.const.accelerator_power_w,
    "terrestrial_flops": lambda s: s.terrestrial.pool_flops * _installed_fraction(s.terrestrial),
    "orbital_flops": lambda s: s.orbital.flops,
    "orbital_compute_added_w": lambda s: s.orbital.placed_w,
    "orbital_compute_lost_w": lambda s: s.before.orbit_accelerators_w * (1.0 - s.const.keep_orbit),
    "orbital_flops_added": lambda s: s.orbital.flops_added,
    "stranded_w": lambda s: s.terrestrial.pool_w - s.terrestrial.installed_w,
    "stranded_accelerators": lambda s: ((s.terrestrial.pool_w - s.terrestrial.installed_w)
                                        / s.const.accelerator_power_w),
    "awaiting_launch_w": lambda s: s.orbital.waiting_w,
    "inventory_w": lambda s: (s.terrestrial.pool_w - s.terrestrial.installed_w
                              + s.orbital.waiting_w),
    "inventory_limit_w": lambda s: s.demand_estimate().inventory_limit_w,
    "chips_deployable_w": lambda s: s.demand_estimate().deployable_w,
    "ground_room_w": lambda s: np.maximum(s.room.ground_cap_w - s.terrestrial.pool_w, 0.0),
    "orbit_capacity_w": lambda s: s.demand_estimate().orbit_cap_w,
    "accelerators_produced": lambda s: s.chips.made,
    "accelerators_produced_w": lambda s: s.chips.made_w,
    "wafer_starts": lambda s: s.drivers.wafers,
    "terafab_wafer_starts": lambda s: s.drivers.terafab_wafers,
    "flops_per_w": lambda s: s.drivers.flops_per_w,
    "chips_to_orbit_w": lambda s: s.allocation.to_orbit_w,
    "chips_to_ground_w": lambda s: s.allocation.to_ground_w,
    "solar_production_w": lambda s: s.solar.ground_w + s.solar.space_w,
    "solar_space_w": lambda s: s.solar.space_w,
    "solar_ground_w": lambda s: s.solar.ground_w,
    "solar_space_used_w": lambda s: s.orbital.placed_w * s.const.array_w_per_compute_w,
    "power_capacity_w": lambda s: s.power.facility_w,
    "power_china_w": lambda s: s.power.china_w,
    "power_rest_w": lambda s: s.power.rest_w,
    "power_gas_w": lambda s: s.power.gas_w,
    "power_distributed_w": lambda s: s.power.distributed_w,
    "power_distributed_factory_w": lambda s: s.power.factory_distributed_w,
    "power_distributed_added_w": lambda s: s.power_distributed.added_w,
    "gas_deliveries_w": lambda s: s.power_gas.delivered_w,
    "gas_backlog_w": lambda s: s.power_gas.backlog_w,
    "gas_lead_time_s": lambda s: s.power_gas.backlog_w / np.maximum(
        s.drivers.gas_output_w / s.const.dt_s, 1e-300),
    "dc_built_w": lambda s: s.terrestrial.built_w,
    "launches": lambda s: s.drivers.launches,
    "odc_launches": lambda s: _mass_launched_kg(s) / s.const.payload_kg,
    "mass_to_orbit_kg": _mass_launched_kg,
    "mass_placed_kg": lambda s: s.orbital.placed_w * s.const.mass_per_compute_w_kg,
    "mass_lost_kg": lambda s: (s.orbital.placed_w * s.const.mass_per_compute_w_kg
                               * (1.0 / s.const.launch_survival - 1.0)),
    "satellites_launched": lambda s: s.orbital.placed_w / s.const.compute_w_per_satellite,
    "satellites_in_orbit": lambda s: s.orbital.accelerators_w / s.const.compute_w_per_satellite,
    "robots": lambda s: s.robots.in_service,
    "robots_built": lambda s: s.robots.built,
    "robot_chip_w": lambda s: s.robots.chip_w,
    "robot_power_w": lambda s: s.robots.in_service * s.const.robot_draw_w,
    "robot_factory_power_w": lambda s: s.power.robot_factory_w,
    "robot_factory_power_grid_w": lambda s: s.drivers.robot_factory_grid_w,
    "robots_construction": lambda s: s.robots.construction,
    "robots_working": robots_working,
    "robot_factory_capacity": lambda s: s.robots.capacity,
    "robot_growth_per_s": robot_growth_per_s,
    "robot_production_claimed": lambda s: s.drivers.robot_production_claimed,
}


def check_terms(out: StepOutcome) -> None:
    """Each sector function returned exactly its declared terms, in order (once per run)."""
    for spec in SECTORS:
        got = tuple(out.terms(spec.name))
        if got != spec.terms:
            raise RuntimeError(f"sector {spec.name!r} returned terms {got}, "
                               f"declared {spec.terms}")
