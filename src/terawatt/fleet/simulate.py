"""Execute a plan in a SimPy discrete-event simulation, then run the factory it builds.

**Time unit:** ``env.now`` is in **seconds** from the construction start (the plan's hour 0).

Construction. A dispatcher starts activities in the order of the current plan (planned start
as priority) as soon as their predecessors have finished, their material has arrived and the
planned crew and equipment are free (list scheduling of the plan, first fit over the ready
list). Disruptions:

* **stochastic work**: actual work = planned work x lognormal (mean 1, CV
  ``fleet.construction.duration_cv``);
* **breakdowns**: a crew of ``c`` robots working ``d`` hours suffers Poisson(``c d / MTBF``)
  failures at uniform times (drawn as exponential inter-arrival times of rate ``c / MTBF``
  within the planned duration, the same law, one pending event at a time); the broken robot
  is repaired in Exp(``MTTR``) hours; an idle spare replaces it at once, otherwise the crew
  continues one robot short (the remaining work is re-timed);
* **charging trips**: every robot works ``runtime`` hours and then walks to a dock and
  recharges; the plan's work contents already include this (duty-cycle stretch), and the
  event log records each activity's charging trips as one aggregate entry
  (``c * d / cycle`` trips) instead of one event per robot and trip (30,000 robots would
  otherwise make ~10^8 events);
* **late material**: a delivery-dependent activity's material is late with probability
  ``fleet.construction.late_delivery_probability`` by Exp(mean) hours after its planned start.

Re-planning. After a disruption (a breakdown with no spare, a late delivery), at most every
``replan_interval_h`` hours, the remaining work is re-planned with the engine: finished work
is kept as it happened, running activities are fixed at their current crews and remaining
durations, material that is known to be late becomes a release date; the new plan's starts
become the dispatcher's priorities. The dispatcher never starts an activity before all its
predecessors have finished, so precedence holds whatever the disruptions.

Production. Each building starts producing when its hand-over finishes: output ramps linearly
from ``fleet.production.ramp_start_fraction`` to the rated line output over
``fleet.production.ramp_up_time`` (one SimPy event per day). A humanoid-robot factory's output
joins the fleet as it is produced (robots building robots), during construction of the later
buildings and after.
"""

from __future__ import annotations

import gc
import heapq
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import simpy

from terawatt.assumptions import Registry
from terawatt.fleet.plan import PlanData, solve_problem

H = 3600.0  # seconds per hour: env.now is in seconds
DAY = 86400.0

# event codes of the event log
EVENTS = ("start", "finish", "breakdown", "repair", "late_delivery", "replan", "charge_trips",
          "production", "fleet_join")


@dataclass(frozen=True, slots=True)
class SimConfig:
    """Simulation settings (SI units in the names; figures from the assumptions by default)."""

    seed: int = 0
    duration_cv: float = 0.2
    mtbf_h: float = 500.0
    mttr_h: float = 4.0
    late_probability: float = 0.05
    late_mean_h: float = 48.0
    ramp_up_days: float = 180.0
    ramp_start_fraction: float = 0.1
    horizon_days: float = 365.0
    replan: bool = True
    replan_interval_h: float = 24.0
    max_replans: int = 50
    replan_solver: str = "heuristic"
    replan_time_limit_s: float = 2.0
    scan_limit: int = 8

    @classmethod
    def from_registry(cls, reg: Registry, **kw: Any) -> SimConfig:
        base = dict(
            duration_cv=reg.si("fleet.construction.duration_cv"),
            mtbf_h=reg.value("fleet.robot.mtbf", "h"), mttr_h=reg.value("fleet.robot.mttr", "h"),
            late_probability=reg.si("fleet.construction.late_delivery_probability"),
            late_mean_h=reg.value("fleet.construction.late_delivery_mean_delay", "h"),
            ramp_up_days=reg.value("fleet.production.ramp_up_time", "day"),
            ramp_start_fraction=reg.si("fleet.production.ramp_start_fraction"),
            horizon_days=reg.value("fleet.production.horizon", "day"))
        base.update(kw)
        return cls(**base)


@dataclass(frozen=True, slots=True, eq=False)
class SimResult:
    """Outcome of one simulation.

    ``start_s``/``finish_s`` (n,) actual times [s]; ``crew`` (n,) crew at start;
    ``executions`` (n,) times each activity was executed (must be all ones); ``events`` the
    event log (pandas DataFrame: time_s, event, activity, count, value); ``production`` daily
    output (DataFrame: day, time_s, output, cumulative, fleet); ``summary`` headline figures.
    """

    start_s: np.ndarray
    finish_s: np.ndarray
    crew: np.ndarray
    executions: np.ndarray
    events: Any
    production: Any
    summary: dict[str, Any]


class _Ev:
    """A bare SimPy kernel event: what ``Environment.step`` reads (``callbacks``, ``_ok``),
    pushed on the kernel's queue directly. A ``simpy.Timeout`` costs an ``Event.__init__``, a
    ``schedule`` call and attribute set-up per event; this is the per-event hot path."""

    __slots__ = ("callbacks",)
    _ok = True
    _value = None

    def __init__(self, callbacks: list[Callable[[Any], None]]) -> None:
        self.callbacks = callbacks


class _Sim:
    def __init__(self, plan: PlanData, cfg: SimConfig) -> None:
        self.plan = plan
        self.cfg = cfg
        m = plan.summary["model"]
        self.rng = np.random.default_rng(cfg.seed)
        self.env = simpy.Environment()
        self._queue = self.env._queue  # the kernel's heap (time, priority, id, event)
        self._eid = self.env._eid
        n = plan.n
        self.n = n
        self.e = float(m["crew_exponent"])
        self.cycle_h = float(sum(m["battery"]))
        self.work = plan.col("work_sched").astype(float) * self.rng.lognormal(
            -0.5 * math.log1p(cfg.duration_cv ** 2), math.sqrt(math.log1p(cfg.duration_cv ** 2)),
            n) if cfg.duration_cv > 0 else plan.col("work_sched").astype(float)
        self.crew_plan = plan.col("crew").astype(np.int64)
        self.crew_min = plan.col("crew_min").astype(np.int64)
        self.eq = plan.col("equipment").astype(np.int64)
        self.eq_free = np.asarray(m["equipment_capacity"], np.int64).copy()
        self.eq_version = 0  # bumped whenever equipment is released
        self._last_fail: tuple[int, ...] = ()
        self._hgen = 0  # bumped whenever an activity joins the ready heap (or it is rebuilt)
        self._fail_gen = -1
        self._fail_eqv = -1
        self._fail_need = 0
        self.pool = int(m["pool"])
        self.robots = int(m["robots"])
        self.free = self.robots  # healthy idle robots
        self.working = 0  # robots in crews; at most `pool` (the rest are spares for repairs)
        self.prio = plan.col("start_h").astype(float)
        # precedence: successor lists in CSR form (Python lists: the hot loop slices them)
        succ_ptr = np.zeros(n + 1, np.int64)
        order = np.argsort(plan.pred, kind="stable")
        np.cumsum(np.bincount(plan.pred, minlength=n), out=succ_ptr[1:])
        self._succ = plan.succ[order].tolist()
        self._sptr = succ_ptr.tolist()
        self._npred = np.bincount(plan.succ, minlength=n).tolist()
        self._ready_at = [0.0] * n
        # material
        late = plan.col("delivery") & (self.rng.random(n) < cfg.late_probability)
        self.arrival_s = np.where(late, (self.prio + self.rng.exponential(cfg.late_mean_h, n)) * H,
                                  0.0)
        self.late = late
        self._arr = self.arrival_s.tolist()
        # state: 0 waiting 1 ready 2 running 3 done; a bytearray with a numpy view
        self.state = bytearray(n)
        self.state_np = np.frombuffer(self.state, dtype=np.int8)
        # per-activity run state as Python lists (numpy scalar access costs ~100 ns a touch);
        # turned into arrays for re-planning and for the result
        nan = math.nan
        self._start_s = [nan] * n
        self._finish_s = [nan] * n
        self._crew = [0] * n
        self._rate = [0.0] * n  # work per second
        self._left = [0.0] * n  # work left at last update [robot-h eq.]
        self._t_upd = [0.0] * n
        self._ver = [0] * n
        self._execs = [0] * n
        self._work = self.work.tolist()
        self.heap: list[tuple[float, int]] = []  # ready activities by (priority, index)
        self._blocked: list[tuple[float, int]] = []  # ready ones the last scan missed, sorted
        self._prio = self.prio.tolist()  # Python copies for the dispatcher's hot loop
        self._cplan = self.crew_plan.tolist()
        self._cmin = self.crew_min.tolist()
        self._eq = self.eq.tolist()
        self._eqf = self.eq_free.tolist()
        self._pow = [0.0] + [c ** self.e / H for c in range(1, int(self.crew_plan.max(
            initial=0)) + 2)]  # crew -> work rate per second
        # unit exponentials, drawn in blocks (breakdown inter-arrivals, repair times)
        self._eb: list[float] = []
        self._ek = 0
        self._bd_per_s = 1.0 / (cfg.mtbf_h * H)  # breakdowns per robot-second
        self._mttr_s = cfg.mttr_h * H
        self.log: list[tuple[float, int, int, int, float]] = []
        self.n_events = 0
        self.done = 0
        self.disrupted = False
        self.replans = 0
        self.replan_s = 0.0
        self.last_replan = -math.inf
        self.short = 0
        # production
        kinds = plan.names["kinds"]
        self.handover = kinds.index("building_handover")
        self.kind = plan.col("kind")
        self.building = plan.col("building")
        self._hand = np.where(self.kind == self.handover, self.building, -1).tolist()
        self.bld_done_s = np.full(int(m["n_buildings"]), np.nan)
        lpb = int(m["lines_per_building"])
        self.lines_in_bld = np.bincount(np.arange(int(m["n_lines"])) // lpb,
                                        minlength=int(m["n_buildings"]))
        self.line_rate = float(m["line_output_per_day"])
        self.joins = bool(m["joins_fleet"])
        self.produced = 0.0
        self.joined = 0
        self.prod_rows: list[tuple[int, float, float, float, int]] = []

    # ------------------------------------------------------------------ helpers
    def _at(self, delay_s: float, fn: Callable[[Any], None]) -> None:
        heapq.heappush(self._queue, (self.env._now + (delay_s if delay_s > 0 else 0.0), 1,
                                     next(self._eid), _Ev([fn])))
        self.n_events += 1

    def _exp1(self) -> float:
        k = self._ek
        if k >= len(self._eb):
            self._eb = self.rng.standard_exponential(1 << 16).tolist()
            k = 0
        self._ek = k + 1
        return self._eb[k]

    def _log(self, code: int, i: int, count: int = 0, value: float = 0.0) -> None:
        self.log.append((self.env._now, code, i, count, value))

    def _ready(self, i: int) -> None:
        self.state[i] = 1
        heapq.heappush(self.heap, (self._prio[i], i))
        self._hgen += 1
        self._dispatch()

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self) -> None:
        # skip when nothing changed since the last attempt found nothing to start
        key = (self.free, self.working, len(self.heap) + len(self._blocked), self.eq_version)
        if key == self._last_fail:
            return
        avail = min(self.free, self.pool - self.working)
        # nor when the last scan missed on crews only and, with no new ready activity and no
        # equipment released since, the robots now free are still fewer than any of those
        # activities' minimum crew: the scan would visit the same activities and miss again
        if avail <= 0 or (avail < self._fail_need and self._fail_gen == self._hgen
                          and self._fail_eqv == self.eq_version):
            return
        heap = self.heap
        state = self.state
        prio = self._prio
        cplan = self._cplan
        cmin = self._cmin
        eqa = self._eq
        eqf = self._eqf
        pop = heapq.heappop
        skipped = []
        misses = 0
        limit = self.cfg.scan_limit
        need = 1 << 62  # smallest minimum crew among the activities missed for want of robots
        # the activities the last scan missed wait, in priority order, in a short list beside
        # the heap instead of being popped and pushed again on every scan; the scan walks the
        # merge of both, i.e. the whole ready list in priority order as before
        blocked = self._blocked
        nb = len(blocked)
        bi = 0
        while misses < limit and avail > 0:
            if bi < nb and (not heap or blocked[bi] < heap[0]):
                p, i = blocked[bi]
                bi += 1
            elif heap:
                p, i = pop(heap)
            else:
                break
            st = state[i]
            if st != 1 or p != prio[i]:
                if st == 1:
                    heapq.heappush(heap, (prio[i], i))
                continue
            c = cplan[i]
            if c > avail:
                c = avail
            q = eqa[i]
            if q >= 0 and eqf[q] <= 0:
                skipped.append((p, i))
                misses += 1
                continue
            if c < cmin[i]:
                if cmin[i] < need:
                    need = cmin[i]
                skipped.append((p, i))
                misses += 1
                continue
            self._start(i, c)
            avail = min(self.free, self.pool - self.working)
        if bi < nb:  # not reached this time: they all rank after every activity visited
            skipped.extend(blocked[bi:bi + 64])
            for k in range(bi + 64, nb):  # keep the list short: the tail back to the heap
                heapq.heappush(heap, blocked[k])
        self._blocked = skipped
        self._last_fail = (self.free, self.working, len(heap) + len(skipped), self.eq_version)
        # stopped for want of robots: any robot freed may start one of those not visited
        self._fail_need = 1 if avail <= 0 else need
        self._fail_gen = self._hgen
        self._fail_eqv = self.eq_version

    def _start(self, i: int, c: int) -> None:
        now = self.env._now
        self.state[i] = 2
        self._execs[i] += 1
        self._start_s[i] = now
        self._crew[i] = c
        self.free -= c
        self.working += c
        q = self._eq[i]
        if q >= 0:
            self._eqf[q] -= 1
        w = self._work[i]
        self._left[i] = w
        self._t_upd[i] = now
        r = self._pow[c] if c < len(self._pow) else c ** self.e / H
        self._rate[i] = r
        dur = w / r
        self.log.append((now, 0, i, c, 0.0))
        self._schedule_finish(i, dur)
        # breakdowns: a Poisson process of c / MTBF per second over the planned duration,
        # drawn as exponential inter-arrival times (same law as Poisson(c d / MTBF) failures at
        # uniform times); one pending breakdown event per activity at a time
        per_s = c * self._bd_per_s
        if per_s > 0:
            t = self._exp1() / per_s
            if t < dur:
                end = now + dur
                self._at(t, lambda _ev, i=i, end=end, per_s=per_s: self._breakdown(i, end,
                                                                                  per_s))

    def _schedule_finish(self, i: int, dur_s: float) -> None:
        v = self._ver[i] + 1
        self._ver[i] = v
        heapq.heappush(self._queue, (self.env._now + (dur_s if dur_s > 0 else 0.0), 1,
                                     next(self._eid),
                                     _Ev([lambda _ev, i=i, v=v: self._finish(i, v)])))
        self.n_events += 1

    def _finish(self, i: int, v: int) -> None:
        if v != self._ver[i] or self.state[i] != 2:
            return
        now = self.env._now
        self.state[i] = 3
        self._finish_s[i] = now
        self.done += 1
        ci = self._crew[i]
        self.free += ci
        self.working -= ci
        q = self._eq[i]
        if q >= 0:
            self._eqf[q] += 1
            self.eq_version += 1
        log = self.log
        log.append((now, 1, i, ci, 0.0))
        trips = int(ci * (now - self._start_s[i]) / H / self.cycle_h)
        if trips:
            log.append((now, 6, i, trips, 0.0))
        b = self._hand[i]
        if b >= 0:
            self.bld_done_s[b] = now
        # successors whose last predecessor this was become ready together (one dispatch)
        ready_at = self._ready_at
        npred = self._npred
        arr = self._arr
        state = self.state
        heap = self.heap
        prio = self._prio
        for j in self._succ[self._sptr[i]:self._sptr[i + 1]]:
            if now > ready_at[j]:
                ready_at[j] = now
            k = npred[j] - 1
            npred[j] = k
            if k == 0:
                if arr[j] > now:
                    self._at(arr[j] - now, lambda _ev, j=j: self._ready(j))
                else:
                    state[j] = 1
                    heapq.heappush(heap, (prio[j], j))
                    self._hgen += 1
        self._dispatch()

    def _breakdown(self, i: int, end: float, per_s: float) -> None:
        if self.state[i] != 2:
            return
        now = self.env._now
        t = self._exp1() / per_s  # the next failure of this crew, if within the window
        if now + t < end:
            self._at(t, lambda _ev, i=i, end=end, per_s=per_s: self._breakdown(i, end, per_s))
        self._at(self._exp1() * self._mttr_s, lambda _ev: self._repaired())
        if self.free > 0:  # a spare walks in
            self.free -= 1
            self.log.append((now, 2, i, 1, 1.0))
            return
        self.log.append((now, 2, i, 1, 0.0))
        self.short += 1
        self.disrupted = True
        # one robot short: re-time the remaining work
        self._left[i] -= (now - self._t_upd[i]) * self._rate[i]
        self._t_upd[i] = now
        c = self._crew[i] - 1
        self._crew[i] = c
        self.working -= 1
        if c <= 0:
            self._rate[i] = 0.0
            self._ver[i] += 1  # stalled (still running) until a repaired robot resumes it
            self._resume.append(i)
            return
        r = self._pow[c] if c < len(self._pow) else c ** self.e / H
        self._rate[i] = r
        self._schedule_finish(i, max(self._left[i], 0.0) / r)

    def _repaired(self) -> None:
        self.free += 1
        self.log.append((self.env._now, 3, -1, 1, 0.0))
        if self._resume:
            i = self._resume.pop()
            self.free -= 1
            self.working += 1
            self._crew[i] = 1
            self._rate[i] = 1.0 / H
            self._t_upd[i] = self.env._now
            self._schedule_finish(i, max(self._left[i], 0.0) / self._rate[i])
        self._dispatch()

    # ------------------------------------------------------------------ re-planning
    def _replan_loop(self) -> Any:
        # ends with the construction, or with the production horizon should construction never
        # finish (a stall then shows as done < activities in the summary, not as a hang)
        while self.done < self.n and not self._prod_over:
            yield self.env.timeout(self.cfg.replan_interval_h * H)
            self.n_events += 1
            if self.disrupted and self.replans < self.cfg.max_replans and self.done < self.n:
                self._replan()

    def _replan(self) -> None:
        now_h = self.env.now / H
        origin = math.floor(now_h)
        keep = np.flatnonzero(self.state_np != 3)
        running = self.state_np[keep] == 2
        base = self.plan.problem(robots=self.pool)
        sub = base.subset(keep)
        n = sub.n
        dur = np.zeros(n, np.int64)
        work = sub.work.copy() if sub.work is not None else np.full(n, np.nan)
        cmin = sub.crew_min.copy() if sub.crew_min is not None else np.zeros(n, np.int64)
        cmax = sub.crew_max.copy() if sub.crew_max is not None else np.zeros(n, np.int64)
        dem = sub.demands.copy()
        ri = keep[running]
        ril = ri.tolist()
        rate = np.array([self._rate[k] for k in ril], float)
        t_upd = np.array([self._t_upd[k] for k in ril], float)
        left = np.array([self._left[k] for k in ril], float)
        crew = np.array([self._crew[k] for k in ril], np.int64)
        left_h = np.maximum(left - (self.env.now - t_upd) * rate, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rem = np.where(rate > 0, left_h / (rate * H), left_h)
        dur[running] = np.ceil(now_h - origin + rem).astype(np.int64)
        work[running] = np.nan
        cmin[running] = 0
        cmax[running] = 0
        dem[running, 0] = np.minimum(crew, sub.capacities[0])
        fixed = np.full(n, -1, np.int64)
        fixed[running] = 0
        waiting = ~running
        # the remaining (not yet started) work keeps its sampled size unknown to the planner
        rel = np.zeros(n, np.int64)
        ki = keep[waiting]
        known = np.maximum(np.asarray(self._ready_at)[ki], np.where(self.late[ki] & (
            self.prio[ki] * H <= self.env.now), self.arrival_s[ki], 0.0))
        rel[waiting] = np.maximum(0, np.ceil(known / H - origin)).astype(np.int64)
        from terawatt.fleet.problem import Problem

        src, dst, lag = sub.arcs()
        prob = Problem.from_arrays(
            dur, dem, sub.capacities, pred=src, succ=dst, lag=lag, time_unit_s=H,
            resource_names=sub.resource_names, release=rel, fixed_starts=fixed, work=work,
            crew_min=cmin, crew_max=cmax, crew_resource=0, crew_exponent=sub.crew_exponent,
            name="replan")
        t0 = time.perf_counter()
        res = solve_problem(prob, self.cfg.replan_solver, self.cfg.replan_time_limit_s,
                            self.cfg.seed + self.replans, max(1, 20_000 // max(n, 1)))
        self.replan_s += time.perf_counter() - t0
        self.replans += 1
        self.disrupted = False
        if res.starts is None:
            return
        self.prio[keep] = origin + res.starts
        self._prio = self.prio.tolist()
        if res.crews is not None:
            self.crew_plan[keep[waiting]] = np.where(res.crews[waiting] > 0,
                                                     res.crews[waiting],
                                                     self.crew_plan[keep[waiting]])
            self._cplan = self.crew_plan.tolist()
        self._log(5, -1, int(waiting.sum()), float(origin + (res.makespan or 0)))
        self.heap = [(self._prio[i], i) for _, i in self.heap + self._blocked
                     if self.state[i] == 1]
        self._blocked = []
        heapq.heapify(self.heap)
        self._last_fail = ()
        self._hgen += 1
        self._dispatch()

    # ------------------------------------------------------------------ production
    def _production(self) -> Any:
        cfg = self.cfg
        day = 0
        end_s = math.inf
        limit_d = 20 * (float(self.plan.col("finish_h").max(initial=0)) / 24 + 30) + \
            cfg.horizon_days
        while day < limit_d:
            yield self.env.timeout(DAY)
            self.n_events += 1
            day += 1
            now = self.env.now
            age_d = (now - self.bld_done_s) / DAY
            on = np.isfinite(age_d) & (age_d >= 0)
            ramp = np.clip(cfg.ramp_start_fraction + (1 - cfg.ramp_start_fraction)
                           * age_d[on] / max(cfg.ramp_up_days, 1e-9), 0, 1)
            out = float((self.lines_in_bld[on] * self.line_rate * ramp).sum())
            self.produced += out
            if out:
                self._log(7, -1, 0, out)
            if self.joins:
                new = int(self.produced) - self.joined
                if new > 0:
                    self.joined += new
                    self.robots += new
                    self.free += new
                    self.pool += new
                    self._log(8, -1, new)
                    self._dispatch()
            self.prod_rows.append((day, now, out, self.produced, self.robots))
            if self.done >= self.n and end_s == math.inf:
                end_s = now + cfg.horizon_days * DAY
            if now >= end_s:
                break
        self._prod_over = True

    # ------------------------------------------------------------------ run
    def run(self) -> SimResult:
        import pandas as pd

        self._resume: list[int] = []
        self._prod_over = False
        for i in np.flatnonzero(np.asarray(self._npred) == 0).tolist():
            if self._arr[i] > 0.0:
                self._at(self._arr[i], lambda _ev, i=i: self._ready(i))
            else:
                self.state[i] = 1
                self.heap.append((self._prio[i], i))
        heapq.heapify(self.heap)
        self._dispatch()
        late = np.flatnonzero(self.late)
        for i in late:  # the supplier notifies at the planned start
            t = self.prio[i] * H
            self._at(t, lambda _ev, i=int(i): self._late(i))
        if self.cfg.replan:
            self.env.process(self._replan_loop())
        self.env.process(self._production())
        t0 = time.perf_counter()
        # the run allocates millions of small, acyclic objects (events, log rows): the cyclic
        # garbage collector would re-scan them over and over; pause it for the run
        gc_on = gc.isenabled()
        gc.disable()
        try:
            self.env.run()
        finally:
            if gc_on:
                gc.enable()
        wall = time.perf_counter() - t0
        self.start_s = np.array(self._start_s, float)
        self.finish_s = np.array(self._finish_s, float)
        self.crew = np.array(self._crew, np.int64)
        self.executions = np.array(self._execs, np.int64)
        ev = self._events_frame()
        prod = pd.DataFrame(self.prod_rows,
                            columns=["day", "time_s", "output", "cumulative", "fleet"])
        end_s = float(np.nanmax(self.finish_s)) if self.n else 0.0
        planned_h = float(self.plan.col("finish_h").max()) if self.n else 0.0
        summary = {
            "seed": self.cfg.seed,
            "activities": self.n,
            "done": int(self.done),
            "executed_once": bool(np.all(self.executions == 1)),
            "simulated_makespan_h": end_s / H,
            "planned_makespan_h": planned_h,
            "delay_h": end_s / H - planned_h,
            "breakdowns": int((ev["event"] == "breakdown").sum()),
            "breakdowns_short_handed": int(self.short),
            "late_deliveries": int(self.late.sum()),
            "replans": self.replans,
            "replan_wall_s": self.replan_s,
            "charge_trips": int(ev.loc[ev["event"] == "charge_trips", "count"].sum()),
            "produced": self.produced,
            "fleet_final": self.robots,
            "robots_joined": self.joined,
            "kernel_events": self.n_events,
            "log_events": len(ev),
            "wall_s": wall,
            "kernel_events_per_s": self.n_events / wall if wall > 0 else None,
            "sim_time_unit": "s (env.now is seconds from construction start)",
        }
        return SimResult(self.start_s, self.finish_s, self.crew, self.executions, ev, prod,
                         summary)

    def _events_frame(self) -> Any:
        """The event log as a DataFrame (time_s, event, activity, count, value), built column
        by column from the list of row tuples (much faster than row-wise construction)."""
        import pandas as pd

        cols = list(zip(*self.log, strict=True)) if self.log else [(), (), (), (), ()]
        ev = pd.DataFrame({
            "time_s": np.array(cols[0], float),
            "event": pd.Categorical.from_codes(np.array(cols[1], np.int8), EVENTS),
            "activity": np.array(cols[2], np.int64),
            "count": np.array(cols[3], np.int64),
            "value": np.array(cols[4], float)})
        return ev

    def _late(self, i: int) -> None:
        self._log(4, i, 0, (self.arrival_s[i] - self.env.now) / H)
        self.disrupted = True


def simulate(plan: PlanData, cfg: SimConfig) -> SimResult:
    """Run the construction and production simulation of ``plan`` (see module docstring)."""
    return _Sim(plan, cfg).run()


def precedence_violations(plan: PlanData, start_s: np.ndarray, finish_s: np.ndarray) -> int:
    """Arcs whose successor started before its predecessor finished (should be 0)."""
    return int(np.sum(start_s[plan.succ] < finish_s[plan.pred] - 1e-6))


def simulate_plan(folder: Any, reg: Registry, seed: int = 0, replan: bool = True,
                  report: Any = None, **cfg_kw: Any) -> dict[str, Any]:
    """Service of ``terawatt fleet simulate``: run a saved plan, write a run folder inside it
    (``<plan>/<time>-simulation-seed<k>/``: events.parquet, activities.parquet,
    production.parquet, summary.json, report.html)."""
    from pathlib import Path

    import pandas as pd

    from terawatt.fleet.plan import load_plan
    from terawatt.io.runfolder import run_folder, write_json

    data = load_plan(folder)
    cfg = SimConfig.from_registry(reg, seed=seed, replan=replan, **cfg_kw)
    res = simulate(data, cfg)
    summary = dict(res.summary)
    summary["precedence_violations"] = precedence_violations(data, res.start_s, res.finish_s)
    summary["plan"] = str(folder)
    with run_folder(Path(folder), f"simulation-seed{seed}") as rf:
        summary["run_folder"] = str(rf.final)
        res.events.to_parquet(rf.path / "events.parquet", index=False)
        res.production.to_parquet(rf.path / "production.parquet", index=False)
        pd.DataFrame({"start_s": res.start_s, "finish_s": res.finish_s, "crew": res.crew,
                      "executions": res.executions}).to_parquet(rf.path / "activities.parquet",
                                                                 index=False)
        write_json(rf.path / "summary.json", summary)
        if report is not None:
            report(rf.path / "report.html", data, res)
    return {"summary": summary, "folder": str(rf.final)}


def load_simulation(folder: Any) -> tuple[Any, Any, dict[str, Any]] | None:
    """The latest simulation inside a plan folder: (activities, events, summary) or None."""
    import json
    from pathlib import Path

    import pandas as pd

    sims = sorted(p for p in Path(folder).glob("*-simulation-seed*") if p.is_dir())
    if not sims:
        return None
    s = sims[-1]
    return (pd.read_parquet(s / "activities.parquet"), pd.read_parquet(s / "events.parquet"),
            json.loads((s / "summary.json").read_text(encoding="utf-8")))
