"""Crew slots -> named robots: who does what, when, with charging built in.

Input is a schedule from the engine (start and crew of every activity). Each activity's crew of
``c`` robots is given ``c`` named robots for its whole duration; a robot holds at most one slot at
a time, so the assignment exists whenever the schedule keeps the robot resource within the
fleet (which the engine guarantees) and is found by one sweep in start order (numba; a free
list plus a min-heap of busy robots keyed by release time).

Charging is respected through the duty cycle: a robot works ``runtime = usable battery / work
power`` hours, then walks to a dock and recharges (``trip + charge`` hours). The plan stretches
every work content by ``duty**-e`` (``duty = runtime / (runtime + trip + charge)``) so that a crew
covers its own charging trips by rotating one robot at a time, and each robot's planned
charging trips are ``floor(busy_h / cycle_h)``. Skills: the fleet of one goal is one robot model
with one skill level per task type; task types below the template's minimum level are refused
at expansion, and levels set the speed, so any free robot may take any slot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray

from terawatt.assumptions import Registry
from terawatt.constants import J_PER_KWH, SECONDS_PER_HOUR
from terawatt.errors import UserError
from terawatt.fleet.goal import Fleet

Int64Array = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Battery:
    """A robot's duty cycle [h]: ``runtime_h`` working, then ``trip_h + charge_h`` away."""

    runtime_h: float
    trip_h: float
    charge_h: float

    @property
    def cycle_h(self) -> float:
        return self.runtime_h + self.trip_h + self.charge_h

    @property
    def duty(self) -> float:
        """Share of the time a robot works [-]."""
        return self.runtime_h / self.cycle_h


def battery_cycle(reg: Registry, fleet: Fleet | None = None) -> Battery:
    """Duty cycle from the assumptions ``fleet.robot.*`` (goal values win when given).

    ``runtime = E (1 - reserve) / P_work``, ``trip = 2 d / v``, ``charge = E (1 - reserve) /
    P_charge`` with E the pack energy [J], P powers [W], d the charger distance [m], v the speed.
    """
    f = fleet or Fleet()
    energy_j = (f.battery_kwh * J_PER_KWH if f.battery_kwh
                else reg.si("fleet.robot.battery_energy"))
    usable_j = energy_j * (1.0 - reg.si("fleet.robot.battery_reserve"))
    speed = f.walk_speed_m_s or reg.si("fleet.robot.walk_speed")
    p_charge = f.charge_kw * 1e3 if f.charge_kw else reg.si("fleet.robot.charge_power")
    return Battery(
        runtime_h=usable_j / reg.si("fleet.robot.work_power") / SECONDS_PER_HOUR,
        trip_h=2.0 * reg.si("fleet.robot.charger_distance") / speed / SECONDS_PER_HOUR,
        charge_h=usable_j / p_charge / SECONDS_PER_HOUR,
    )


def availability(reg: Registry) -> float:
    """Share of robots not under repair, ``MTBF / (MTBF + MTTR)`` [-]."""
    mtbf, mttr = reg.si("fleet.robot.mtbf"), reg.si("fleet.robot.mttr")
    return mtbf / (mtbf + mttr)


@numba.njit(cache=True)
def _sweep(order: Int64Array, starts: Int64Array, finishes: Int64Array, crews: Int64Array,
           n_robots: int, out_ptr: Int64Array,
           out_robot: Int64Array) -> tuple[Int64Array, Int64Array, int]:  # pragma: no cover
    # busy heap of (release_time, robot) as two parallel arrays
    heap_t = np.empty(n_robots, np.int64)
    heap_r = np.empty(n_robots, np.int64)
    hn = 0
    free = np.empty(n_robots, np.int64)
    for k in range(n_robots):
        free[k] = n_robots - 1 - k  # pop from the end: robot 0 first
    fn = n_robots
    busy = np.zeros(n_robots, np.int64)
    jobs = np.zeros(n_robots, np.int64)
    short = 0
    for t in range(order.shape[0]):
        i = order[t]
        s = starts[i]
        while hn > 0 and heap_t[0] <= s:
            free[fn] = heap_r[0]
            fn += 1
            hn -= 1
            heap_t[0] = heap_t[hn]
            heap_r[0] = heap_r[hn]
            j = 0
            while True:  # sift down
                a = 2 * j + 1
                if a >= hn:
                    break
                if a + 1 < hn and heap_t[a + 1] < heap_t[a]:
                    a += 1
                if heap_t[a] < heap_t[j]:
                    heap_t[a], heap_t[j] = heap_t[j], heap_t[a]
                    heap_r[a], heap_r[j] = heap_r[j], heap_r[a]
                    j = a
                else:
                    break
        c = crews[i]
        if c > fn:
            short += c - fn
            c = fn
        base = out_ptr[i]
        for q in range(c):
            fn -= 1
            r = free[fn]
            out_robot[base + q] = r
            busy[r] += finishes[i] - s
            jobs[r] += 1
            j = hn  # sift up
            heap_t[j] = finishes[i]
            heap_r[j] = r
            hn += 1
            while j > 0:
                p = (j - 1) // 2
                if heap_t[p] > heap_t[j]:
                    heap_t[p], heap_t[j] = heap_t[j], heap_t[p]
                    heap_r[p], heap_r[j] = heap_r[j], heap_r[p]
                    j = p
                else:
                    break
        for q in range(c, crews[i]):
            out_robot[base + q] = -1
    return busy, jobs, short


@dataclass(frozen=True, slots=True, eq=False)
class Assignment:
    """Named robots per crew slot.

    ``slot_ptr`` (n+1,) CSR over activities; ``robot[slot_ptr[i]:slot_ptr[i+1]]`` are the robots
    (0-based; names ``R00001``...) of activity ``i``. ``busy_h`` (N,) [h] hours each robot is
    assigned, ``jobs`` (N,) activities per robot, ``charge_trips`` (N,) planned charging trips.
    """

    slot_ptr: np.ndarray
    robot: np.ndarray
    busy_h: np.ndarray
    jobs: np.ndarray
    charge_trips: np.ndarray

    @property
    def n_slots(self) -> int:
        return int(self.robot.shape[0])

    def robots_of(self, i: int) -> np.ndarray:
        return self.robot[self.slot_ptr[i]:self.slot_ptr[i + 1]]


def robot_name(r: int, width: int = 5) -> str:
    return f"R{r + 1:0{width}d}"


def assign_robots(starts: np.ndarray, finishes: np.ndarray, crews: np.ndarray, n_robots: int,
                  battery: Battery, period_h: float = 1.0) -> Assignment:
    """Give every crew slot a named robot (see module docstring).

    Parameters
    ----------
    starts, finishes : (n,) int [period]
    crews : (n,) int [robot] -- robots per activity (0 for none)
    n_robots : int [robot] -- robots available to the schedule
    battery : Battery -- duty cycle used to count planned charging trips
    period_h : float [h] -- hours per period

    Raises
    ------
    UserError if the schedule needs more robots at some time than ``n_robots``.
    """
    starts = np.asarray(starts, np.int64)
    finishes = np.asarray(finishes, np.int64)
    crews = np.asarray(crews, np.int64)
    order = np.lexsort((finishes, starts)).astype(np.int64)
    ptr = np.zeros(starts.shape[0] + 1, np.int64)
    np.cumsum(crews, out=ptr[1:])
    out = np.empty(int(ptr[-1]), np.int64)
    busy, jobs, short = _sweep(order, starts, finishes, crews, int(n_robots), ptr, out)
    if short:
        raise UserError(f"schedule: needs {short} more crew slots than the {n_robots} robots "
                        "available at some time; allowed: robot use within the fleet")
    busy_h = busy * period_h
    trips = np.floor(busy_h / battery.cycle_h).astype(np.int64)
    return Assignment(ptr, out.astype(np.int32), busy_h, jobs, trips)
