"""Chip allocation as a policy: where the chips made in a step (after the robots') go.

Three policies, named in :data:`POLICIES` (dispatch by dict; :func:`check_policy` refuses an
unknown name with a one-line :class:`~terawatt.errors.UserError`):

``fixed-share``
    The model before policies existed, kept bit for bit: a share of the new chips
    (``orbital.chip_share`` ramp) is reserved for orbit and waits for a launch however long
    that takes; the rest ships to the ground and is stranded there if it cannot be powered.
    Chip output ignores demand.
``deploy-where-usable`` (default, :data:`DEFAULT_POLICY`)
    What an operator who installs every chip it can does. The chips not installed anywhere
    (the step's new chips, the chips waiting for a launch, the chips stranded on the ground)
    are one re-routable stock. Orbit takes from it first, up to what the step's launches,
    satellite factories and space PV can place (that capacity is lost if unused, while room
    on the ground stays); the ground takes the rest up to its installable room (powered,
    built capacity not yet occupied). What neither can install waits, split between the two
    sides in proportion to the rate at which each takes chips up (orbit: its capacity per
    step; ground: its capacity x 1/``chips.lifetime``), so both queues clear at the same time
    (it waits where it is usable soonest). ``orbital.chip_share`` is not used: orbit gets what
    it can launch. Chip output answers to demand: at most what can be deployed this step plus
    a stock of ``allocation.inventory_horizon`` years of those take-up rates
    (:attr:`Demand.deployable_w`); when this cuts output, the chip sector's binding term is
    ``deployable`` (shown as the chips bottleneck, and relaxing wafers/packaging/HBM then
    adds nothing).
``cheapest-per-token``
    As ``deploy-where-usable``, but the side with the lower cost per token in that year takes
    from the stock first (orbit first when it is cheaper: the same as ``deploy-where-usable``;
    the ground first otherwise); at a ratio of exactly 1 the ``orbital.chip_share`` splits the
    first claim. The caller passes the ratio orbit / ground of USD per token per year
    (``orbit_cost_ratio``, e.g. from :func:`terawatt.economics.service.cost_path`).

Why a ratio passed in rather than costs computed here: the cost of a token on the ground and
in orbit is the economics layer's model (capex, launch-price learning, energy prices,
satellite specific power); a second copy in the stack layer would drift from it, and the stack
may not import economics (import-linter layers). The costs do not depend on the allocation
(they read the launch cadence and FLOP/s per W, both exogenous), so the caller computes them
once and there is no loop to close. An array, not a callable, so it can be validated (one
positive value per year) and stored with the run.

Two simplifications keep the bookkeeping to arrays of shape (n,): the re-routable stock is
mixed (every W of it carries the stock's average FLOP/s per W), and the chips that wait for a
launch age at the orbital loss rate, as before (docs/stack.md).

Monotonicity: ``fixed-share`` keeps the property that more of any supply never lowers
installed compute. ``deploy-where-usable`` keeps it exactly when chips age at the same rate
in orbit and on the ground (tested); with the packaged rates (orbit ~31 %/yr: design life,
failures, array degradation; ground 20 %/yr) more orbital capacity moves chips from the
ground to orbit, where they are lost sooner, so installed W a few years later can be lower
(docs/stack.md gives the size). More chip supply never lowers it.

The per-sample arithmetic of the demand-led policies runs in :mod:`terawatt.stack.kernels`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from terawatt.errors import UserError
from terawatt.stack import kernels
from terawatt.stack.state import StackState, StepConstants, StepDrivers

FloatArray = NDArray[np.float64]

#: what a "no limit" term is (fixed-share has no demand feedback)
NO_LIMIT: float = float("inf")


@dataclass(frozen=True, slots=True)
class Room:
    """What each destination can take in one step, before the step's chips are allocated.

    All [W] of accelerator power, arrays of shape (n,); flows are per step.

    Attributes
    ----------
    ground_pool_w, ground_pool_flops : numpy.ndarray
        Ground pool (installed + stranded) after ageing one step [W], [FLOP/s].
    waiting_w, waiting_flops : numpy.ndarray
        Chips waiting for a launch after ageing one step [W], [FLOP/s].
    ground_power_w, ground_built_w : numpy.ndarray
        The terrestrial min() terms ``power`` (facility power / overhead) and ``construction``
        (built shells), relaxed when the step is a marginal-gain re-run [W].
    built_after_w : numpy.ndarray
        Shells built after the step (never relaxed: the stock carried on) [W].
    ground_cap_w : numpy.ndarray
        ``min(ground_power_w, ground_built_w)``: accelerators the ground can power [W].
    orbit_terms : dict
        The orbital min() terms other than chips (``solar``, ``launch``, ``sat_factory``) in W
        placed per step, relaxed when asked.
    """

    ground_pool_w: FloatArray
    ground_pool_flops: FloatArray
    waiting_w: FloatArray
    waiting_flops: FloatArray
    ground_power_w: FloatArray
    ground_built_w: FloatArray
    built_after_w: FloatArray
    ground_cap_w: FloatArray
    orbit_terms: dict[str, FloatArray]


@dataclass(frozen=True, slots=True)
class Demand:
    """Room left on each side and how many chips are worth making in one step.

    All [W] of accelerator power per step, arrays of shape (n,) (computed by
    :func:`terawatt.stack.kernels.demand_kernel`).

    Attributes
    ----------
    stranded_w : numpy.ndarray
        ``max(ground pool - ground capacity, 0)``: chips on the ground that cannot be powered.
    ground_room_w : numpy.ndarray
        ``max(ground capacity - ground pool, 0)``: installable room left on the ground.
    orbit_cap_w : numpy.ndarray
        Chips orbit can take this step, including those lost with failed launches:
        ``min(solar, launch, sat_factory) / (1 - launch failure rate)``.
    ground_absorption_w : numpy.ndarray
        Rate at which the ground takes chips up as they retire: its installable capacity x
        ``1/chips.lifetime`` per step (the turnover; capacity growth is left out, so that the
        rate depends on capacity levels only and more supply never lowers it).
    inventory_limit_w : numpy.ndarray
        ``allocation.inventory_horizon`` x (orbit_cap_w + ground_absorption_w) per step: the
        stock of chips not installed (stranded + waiting for launch) the industry keeps.
    orbit_wait_share : numpy.ndarray
        ``orbit_cap_w / (orbit_cap_w + ground_absorption_w)`` [-]: the share of the chips that
        neither side can install which waits for orbit (both queues clear together).
    deployable_w : numpy.ndarray
        ``robots' chips + max(orbit_cap_w + ground_room_w + inventory_limit_w - waiting -
        stranded, 0)``: chips that can be installed this step or stocked within the limit,
        the chip sector's ``deployable`` term.
    """

    stranded_w: FloatArray
    ground_room_w: FloatArray
    orbit_cap_w: FloatArray
    ground_absorption_w: FloatArray
    inventory_limit_w: FloatArray
    orbit_wait_share: FloatArray
    deployable_w: FloatArray


@dataclass(frozen=True, slots=True)
class Allocation:
    """Where the chips not installed go in one step [W], [FLOP/s].

    ``new_w``: the step's new chips (after the robots'); ``orbit_fraction``: the share of them
    sent to orbit (for the demand-led policies: orbit's share of the re-routable stock, which
    is mixed); ``ground_pool_*``: the ground pool (installed + stranded) after allocation;
    ``waiting_*``: the chips offered to orbit this step (placed or left waiting).
    """

    new_w: FloatArray
    orbit_fraction: FloatArray
    ground_pool_w: FloatArray
    ground_pool_flops: FloatArray
    waiting_w: FloatArray
    waiting_flops: FloatArray

    @property
    def to_orbit_w(self) -> FloatArray:
        """New chips sent to orbit [W]."""
        return self.new_w * self.orbit_fraction

    @property
    def to_ground_w(self) -> FloatArray:
        """New chips sent to the ground [W]."""
        return self.new_w - self.to_orbit_w


# ---------------------------------------------------------------------------------------------
# room and demand (computed before the chips are made)


def room_step(st: StackState, d: StepDrivers, c: StepConstants, facility_w: FloatArray,
              space_pv_w: FloatArray, relax_term: Callable[[str, str, FloatArray], FloatArray],
              ) -> Room:
    """What the ground and orbit can take this step (the capacity terms of both sectors).

    ``relax_term(sector, term, value)`` returns the term relaxed when this step is a
    marginal-gain re-run of that term (see :func:`terawatt.stack.step.step`).
    """
    built_now_w = st.dc_built_w + d.construction_w
    power_w = relax_term("terrestrial", "power", facility_w / c.facility_w_per_accelerator_w)
    built_w = relax_term("terrestrial", "construction", built_now_w)
    orbit_terms = {
        "solar": relax_term("orbital", "solar", space_pv_w / c.array_w_per_compute_w),
        "launch": relax_term("orbital", "launch", d.launches * c.compute_w_per_launch),
        "sat_factory": relax_term("orbital", "sat_factory",
                                  d.sat_factory * c.compute_w_per_satellite),
    }
    return Room(st.ground_accelerators_w * c.keep_ground, st.ground_flops * c.keep_ground,
                st.orbit_waiting_w * c.keep_orbit, st.orbit_waiting_flops * c.keep_orbit,
                power_w, built_w, built_now_w, np.minimum(power_w, built_w), orbit_terms)


def _vector(x: FloatArray | float, n: int) -> FloatArray:
    """``x`` as a contiguous float64 array of shape (n,) (the kernels' input type)."""
    a = np.asarray(x, dtype=np.float64)
    if a.shape != (n,):
        a = np.broadcast_to(a, (n,))
    return np.ascontiguousarray(a)


def demand_step(d: StepDrivers, c: StepConstants, room: Room) -> Demand:
    """Room left, take-up rates and chips worth making (:class:`Demand`, one kernel pass)."""
    n = room.ground_pool_w.shape[0]
    v = [_vector(x, n) for x in (
        room.ground_pool_w, room.ground_cap_w, room.waiting_w, room.orbit_terms["solar"],
        room.orbit_terms["launch"], room.orbit_terms["sat_factory"], c.launch_survival,
        c.retire_ground, c.inventory_steps, d.robot_production, c.robot_chip_w)]
    return Demand(*kernels.demand_kernel(*v))


# ---------------------------------------------------------------------------------------------
# the policies


def _fixed_share(room: Room, demand: Demand | None, d: StepDrivers,
                 new_w: FloatArray) -> Allocation:
    """A share (``orbital.chip_share`` ramp) of the new chips is reserved for orbit."""
    to_orbit_w = new_w * d.chip_share
    to_ground_w = new_w - to_orbit_w
    return Allocation(
        new_w, d.chip_share,
        ground_pool_w=room.ground_pool_w + to_ground_w,
        ground_pool_flops=room.ground_pool_flops + to_ground_w * d.flops_per_w,
        waiting_w=room.waiting_w + to_orbit_w,
        waiting_flops=room.waiting_flops + to_orbit_w * d.flops_per_w,
    )


def _deploy(room: Room, demand: Demand, d: StepDrivers, new_w: FloatArray,
            orbit_claim: FloatArray) -> Allocation:
    """Install where usable now; each side first takes its claim, then the other's surplus.

    With ``U`` = waiting + stranded + new chips (the re-routable stock), orbit's first claim is
    ``own_o = orbit_claim x U`` and the ground's ``U - own_o`` (``orbit_claim`` = 1: orbit
    first, it takes ``min(U, orbit_cap)``; 0: the ground first):

    - installed in orbit ``T_o = min(own_o + max(U - own_o - ground_room, 0), orbit_cap)``
      (its claim plus what the ground cannot install), on the ground ``min(U, orbit_cap +
      ground_room) - T_o``;
    - what neither can install, ``L = max(U - orbit_cap - ground_room, 0)``, waits:
      ``L x orbit_wait_share`` for orbit, the rest on the ground (usable soonest);
    - FLOP/s: the stock is mixed; stranded chips carry the ground pool's mean FLOP/s per W.
    """
    n = new_w.shape[0]
    v = [_vector(x, n) for x in (
        new_w, orbit_claim, room.waiting_w, room.waiting_flops, room.ground_pool_w,
        room.ground_pool_flops, demand.stranded_w, demand.ground_room_w, demand.orbit_cap_w,
        demand.orbit_wait_share, d.flops_per_w)]
    fraction, pool_w, pool_flops, waiting_w, waiting_flops = kernels.deploy_kernel(*v)
    return Allocation(new_w=new_w, orbit_fraction=fraction, ground_pool_w=pool_w,
                      ground_pool_flops=pool_flops, waiting_w=waiting_w,
                      waiting_flops=waiting_flops)


#: orbit's first claim under deploy-where-usable: the whole stock
_ORBIT_FIRST = np.ones(1)


def _deploy_where_usable(room: Room, demand: Demand | None, d: StepDrivers,
                         new_w: FloatArray) -> Allocation:
    """Deploy where usable: orbit takes first (its capacity is lost if unused), then the ground."""
    if demand is None:
        raise ValueError("deploy-where-usable needs the step's Demand")
    return _deploy(room, demand, d, new_w, _ORBIT_FIRST)


def _cheapest_per_token(room: Room, demand: Demand | None, d: StepDrivers,
                        new_w: FloatArray) -> Allocation:
    """Deploy where usable; the side with the lower cost per token claims the chips first."""
    r = d.orbit_cost_ratio
    if r is None or demand is None:
        raise ValueError("cheapest-per-token needs StepDrivers.orbit_cost_ratio and Demand")
    claim = np.where(r < 1.0, 1.0, np.where(r > 1.0, 0.0, d.chip_share))
    return _deploy(room, demand, d, new_w, claim)


@dataclass(frozen=True, slots=True)
class Policy:
    """An allocation policy: its rule and whether chip output answers to demand."""

    name: str
    allocate: Callable[[Room, Demand | None, StepDrivers, FloatArray], Allocation]
    demand_led: bool
    needs_cost_ratio: bool = False


#: every allocation policy by name (the names a user may give)
POLICIES: dict[str, Policy] = {
    "fixed-share": Policy("fixed-share", _fixed_share, demand_led=False),
    "deploy-where-usable": Policy("deploy-where-usable", _deploy_where_usable, demand_led=True),
    "cheapest-per-token": Policy("cheapest-per-token", _cheapest_per_token, demand_led=True,
                                 needs_cost_ratio=True),
}

#: the policy of a rational operator, used unless another is asked for
DEFAULT_POLICY: str = "deploy-where-usable"


def check_policy(name: object) -> Policy:
    """The policy called ``name``; UserError (one line) naming the value and the allowed names."""
    policy = POLICIES.get(name) if isinstance(name, str) else None
    if policy is None:
        raise UserError(f"allocation policy {name!r}: unknown; allowed: "
                        f"{', '.join(POLICIES)}")
    return policy
