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
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import numpy as np
import simpy
from simpy.core import EmptySchedule

from terawatt.assumptions import Registry
from terawatt.constants import SECONDS_PER_DAY, SECONDS_PER_HOUR
from terawatt.fleet.plan import PlanData
from terawatt.scheduling.problem import Problem
from terawatt.scheduling.settings import SolveSettings
from terawatt.scheduling.solve import solve

# event codes of the event log
EVENTS = ("start", "finish", "breakdown", "repair", "late_delivery", "replan", "charge_trips",
          "production", "fleet_join")


@dataclass(frozen=True, slots=True)
class SimConfig:
    """Simulation settings (units in the names). Build one with :meth:`from_registry`: the
    figures have no defaults here, their values live in the assumptions (``fleet.*``,
    ``scheduling.*``); only run settings (seed, re-planning policy and budget, dispatcher scan
    depth) have defaults."""

    # figures (from the registry)
    duration_cv: float
    mtbf_h: float
    mttr_h: float
    late_probability: float
    late_mean_h: float
    ramp_up_days: float
    ramp_start_fraction: float
    horizon_days: float
    solve_settings: SolveSettings  # the engine's thresholds for re-planning
    # run settings
    seed: int = 0
    replan: bool = True
    replan_interval_h: float = 24.0
    max_replans: int = 50
    replan_solver: str = "heuristic"
    replan_time_limit_s: float = 2.0
    scan_limit: int = 8

    @classmethod
    def from_registry(cls, reg: Registry, **overrides: Any) -> SimConfig:
        """The settings of ``reg`` (``fleet.robot.mtbf``, ``fleet.robot.mttr``,
        ``fleet.construction.*``, ``fleet.production.*``, ``scheduling.*``); ``overrides``
        replace single fields (tests, run settings)."""
        base: dict[str, Any] = dict(
            duration_cv=reg.si("fleet.construction.duration_cv"),
            mtbf_h=reg.value("fleet.robot.mtbf", "h"), mttr_h=reg.value("fleet.robot.mttr", "h"),
            late_probability=reg.si("fleet.construction.late_delivery_probability"),
            late_mean_h=reg.value("fleet.construction.late_delivery_mean_delay", "h"),
            ramp_up_days=reg.value("fleet.production.ramp_up_time", "day"),
            ramp_start_fraction=reg.si("fleet.production.ramp_start_fraction"),
            horizon_days=reg.value("fleet.production.horizon", "day"),
            solve_settings=SolveSettings.from_registry(reg))
        base.update(overrides)
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


class _ActivityTimeout(simpy.Timeout):
    """A SimPy timeout about one activity (its finish or its crew's next breakdown), carrying
    the activity and the handler's data in slots: the handler, appended to the event's
    ``callbacks``, reads them from the event it is called with (no closure per event).
    Scheduled by ``simpy.Timeout``'s own constructor (``env.schedule`` at normal priority)."""

    __slots__ = ("activity", "version", "window_end_s", "rate_per_s")
    activity: int
    version: int  # finish events: version (0 = the one scheduled at the start)
    window_end_s: float  # breakdown events: end of the window [s]
    rate_per_s: float  # breakdown events: crew failure rate [per s]


_Handler = Callable[[simpy.Event], None]
_push = heapq.heappush
_pop = heapq.heappop


class _Sim:
    def __init__(self, plan: PlanData, cfg: SimConfig) -> None:
        self.plan = plan
        self.cfg = cfg
        m = plan.summary["model"]
        self.rng = np.random.default_rng(cfg.seed)
        self.env = simpy.Environment()
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
        # material
        late = plan.col("delivery") & (self.rng.random(n) < cfg.late_probability)
        self.arrival_s = np.where(
            late, (self.prio + self.rng.exponential(cfg.late_mean_h, n)) * SECONDS_PER_HOUR, 0.0)
        self.late = late
        li = np.flatnonzero(late)
        self._arr = dict(zip(li.tolist(), self.arrival_s[li].tolist(), strict=True))  # late only
        # state: 0 waiting 1 ready 2 running 3 done; a bytearray with a numpy view
        self.state = bytearray(n)
        self.state_np = np.frombuffer(self.state, dtype=np.int8)
        # per-activity run state as Python lists (numpy scalar access costs ~100 ns a touch);
        # turned into arrays for re-planning and for the result
        nan = math.nan
        self._start_s = [nan] * n
        self._finish_s = [nan] * n
        self._crew = [0] * n
        # re-timed activities only (a crew member lost, or stalled): i -> [work left at the last
        # update [robot-h eq.], time of that update [s], work rate [per s]]; any other running
        # activity has its whole work left at its start, at the rate of its crew
        self._ret: dict[int, list[float]] = {}
        self._ver: dict[int, int] = {}  # finish-event version of re-timed activities (else 0)
        self._work = self.work.tolist()
        # the ready list is a heap of int keys: key = rank of (priority, index), so the heap
        # compares small ints instead of tuples (the kernel of a 1M-activity run pops ~10^6)
        self.heap: list[int] = []  # ready activities by key
        self._blocked: list[int] = []  # keys of ready ones the last scan missed, sorted
        self._set_keys()
        self._cplan = self.crew_plan.tolist()
        self._cmin = self.crew_min.tolist()
        self._eq = self.eq.tolist()
        self._eqf = self.eq_free.tolist()
        self._pow = [0.0] + [c ** self.e / SECONDS_PER_HOUR for c in range(
            1, int(self.crew_plan.max(initial=0)) + 2)]  # crew -> work rate per second
        # unit exponentials, drawn in blocks of 65,536 (breakdown inter-arrivals, repair times);
        # ``_exp()`` is a C-level iterator step
        rng = self.rng
        self._exp = itertools.chain.from_iterable(
            iter(lambda: rng.standard_exponential(1 << 16).tolist(), None)).__next__
        # event handlers, bound once; the activity handlers are only ever appended to the
        # callbacks of _ActivityTimeout events, which is what they are called with
        self._on_repair: _Handler = self._repaired
        self._on_finish = cast(_Handler, self._finish)
        self._on_breakdown = cast(_Handler, self._breakdown)
        # charging trips per robot-second worked
        self._trip_per_s = 1.0 / (SECONDS_PER_HOUR * self.cycle_h)
        self._bd_per_s = 1.0 / (cfg.mtbf_h * SECONDS_PER_HOUR)  # breakdowns per robot-second
        self._mttr_s = cfg.mttr_h * SECONDS_PER_HOUR
        self._lg: list[float] = []  # event log, flat: (time_s, code, activity, count, value)*
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
    # The hot path below runs millions of times: every kernel event is a ``simpy.Timeout``
    # (an ``_ActivityTimeout`` for an activity's finish or breakdown) with its handler appended
    # to its callbacks, so that SimPy's ``step`` calls straight into the handler; event-log
    # rows are appended flat (five fields per row) to one list.
    def _at(self, delay_s: float, fn: _Handler) -> None:
        self.env.timeout(delay_s if delay_s > 0 else 0.0).callbacks.append(fn)

    def _log(self, code: int, i: int, count: int = 0, value: float = 0.0) -> None:
        self._lg.extend((self.env.now, code, i, count, value))

    def _set_keys(self) -> None:
        """Rank the activities by (priority, index): ``_key[i]`` is i's rank, ``_byk`` the
        inverse."""
        order = np.lexsort((np.arange(self.n), self.prio))
        key = np.empty(self.n, np.int64)
        key[order] = np.arange(self.n)
        self._key = key.tolist()
        self._byk = order.tolist()

    def _ready(self, i: int, _ev: Any = None) -> None:
        self.state[i] = 1
        _push(self.heap, self._key[i])
        self._hgen += 1
        self._dispatch()

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self) -> None:
        avail = self.pool - self.working
        free = self.free
        if free < avail:
            avail = free
        if avail <= 0:
            return
        # skip the scan when, since the last one that left activities waiting, no activity
        # became ready, no equipment was released and the robots now available are still fewer
        # than the smallest minimum crew among those missed for want of robots: it would visit
        # the same activities in the same order and miss again
        if (avail < self._fail_need and self._fail_gen == self._hgen
                and self._fail_eqv == self.eq_version):
            return
        heap = self.heap
        state = self.state
        byk = self._byk
        cplan = self._cplan
        cmin = self._cmin
        eqa = self._eq
        eqf = self._eqf
        pop = _pop
        start = self._start
        skipped = []
        misses = 0
        limit = self.cfg.scan_limit
        need = 1 << 62  # smallest minimum crew among the activities missed for want of robots
        # the activities the last scan missed wait, in priority order, in a short list beside
        # the heap instead of being popped and pushed again on every scan; the scan walks the
        # merge of both, i.e. the whole ready list in priority order
        blocked = self._blocked
        nb = len(blocked)
        bi = 0
        while misses < limit:
            if bi < nb and (not heap or blocked[bi] < heap[0]):
                item = blocked[bi]
                bi += 1
            elif heap:
                item = pop(heap)
            else:
                break
            i = byk[item]
            if state[i] != 1:
                continue
            q = eqa[i]
            if q >= 0 and eqf[q] <= 0:
                skipped.append(item)
                misses += 1
                continue
            c = cplan[i]
            if c > avail:
                c = avail
                if c < cmin[i]:
                    if cmin[i] < need:
                        need = cmin[i]
                    skipped.append(item)
                    misses += 1
                    continue
            avail = start(i, c)
            if avail <= 0:
                break
        if bi < nb:  # not reached this time: they all rank after every activity visited
            skipped.extend(blocked[bi:bi + 64])
            for k in range(bi + 64, nb):  # keep the list short: the tail back to the heap
                _push(heap, blocked[k])
        self._blocked = skipped
        # stopped for want of robots: any robot freed may start one of those not visited
        self._fail_need = 1 if avail <= 0 else need
        self._fail_gen = self._hgen
        self._fail_eqv = self.eq_version

    def _start(self, i: int, c: int) -> int:
        """Start activity ``i`` with crew ``c`` now; returns the robots still available."""
        env = self.env
        now = env.now
        self.state[i] = 2
        self._start_s[i] = now
        self._crew[i] = c
        free = self.free - c
        working = self.working + c
        self.free = free
        self.working = working
        q = self._eq[i]
        if q >= 0:
            self._eqf[q] -= 1
        pw = self._pow
        dur = self._work[i] / (pw[c] if c < len(pw) else c ** self.e / SECONDS_PER_HOUR)
        self._lg.extend((now, 0, i, c, 0.0))
        ev = _ActivityTimeout(env, dur)
        ev.callbacks.append(self._on_finish)
        ev.activity = i
        ev.version = 0
        # breakdowns: a Poisson process of c / MTBF per second over the planned duration,
        # drawn as exponential inter-arrival times (same law as Poisson(c d / MTBF) failures at
        # uniform times); one pending breakdown event per activity at a time
        per_s = c * self._bd_per_s
        if per_s > 0:
            t = self._exp() / per_s
            if t < dur:
                ev = _ActivityTimeout(env, t)
                ev.callbacks.append(self._on_breakdown)
                ev.activity = i
                ev.window_end_s = now + dur
                ev.rate_per_s = per_s
        avail = self.pool - working
        return free if free < avail else avail

    def _progress(self, i: int) -> list[float]:
        """[work left at the last update, time of that update [s], rate [per s]] of running
        ``i``, made explicit (re-timed) from then on."""
        r = self._ret.get(i)
        if r is None:
            c = self._crew[i]
            r = [self._work[i], self._start_s[i],
                 self._pow[c] if c < len(self._pow) else c ** self.e / SECONDS_PER_HOUR]
            self._ret[i] = r
        return r

    def _schedule_finish(self, i: int, dur_s: float) -> None:
        v = self._ver.get(i, 0) + 1
        self._ver[i] = v
        ev = _ActivityTimeout(self.env, dur_s if dur_s > 0 else 0.0)
        ev.callbacks.append(self._on_finish)
        ev.activity = i
        ev.version = v

    def _finish(self, ev: _ActivityTimeout) -> None:
        i = ev.activity
        v = ev.version
        state = self.state
        if state[i] != 2 or (v and v != self._ver[i]) or (not v and i in self._ver):
            return
        now = self.env.now
        state[i] = 3
        self._finish_s[i] = now
        self.done += 1
        ci = self._crew[i]
        self.free += ci
        self.working -= ci
        q = self._eq[i]
        if q >= 0:
            self._eqf[q] += 1
            self.eq_version += 1
        trips = int(ci * (now - self._start_s[i]) * self._trip_per_s)
        if trips:
            self._lg.extend((now, 1, i, ci, 0.0, now, 6, i, trips, 0.0))
        else:
            self._lg.extend((now, 1, i, ci, 0.0))
        b = self._hand[i]
        if b >= 0:
            self.bld_done_s[b] = now
        # successors whose last predecessor this was become ready together (one dispatch)
        ptr = self._sptr
        lo = ptr[i]
        hi = ptr[i + 1]
        if hi > lo:
            npred = self._npred
            late_at = self._arr.get
            heap = self.heap
            keyof = self._key
            for j in self._succ[lo:hi]:
                k = npred[j] - 1
                npred[j] = k
                if k == 0:
                    a = late_at(j)
                    if a is not None and a > now:
                        self._at(a - now, partial(self._ready, j))
                    else:
                        state[j] = 1
                        _push(heap, keyof[j])
                        self._hgen += 1
        self._dispatch()

    def _breakdown(self, ev: _ActivityTimeout) -> None:
        i = ev.activity
        if self.state[i] != 2:
            return
        end = ev.window_end_s
        per_s = ev.rate_per_s
        env = self.env
        now = env.now
        ex = self._exp
        t = ex() / per_s  # the next failure of this crew, if within the window
        if now + t < end:
            nxt = _ActivityTimeout(env, t)
            nxt.callbacks.append(self._on_breakdown)
            nxt.activity = i
            nxt.window_end_s = end
            nxt.rate_per_s = per_s
        env.timeout(ex() * self._mttr_s).callbacks.append(self._on_repair)
        if self.free > 0:  # a spare walks in
            self.free -= 1
            self._lg.extend((now, 2, i, 1, 1.0))
            return
        self._lg.extend((now, 2, i, 1, 0.0))
        self.short += 1
        self.disrupted = True
        # one robot short: re-time the remaining work
        pr = self._progress(i)
        pr[0] -= (now - pr[1]) * pr[2]
        pr[1] = now
        c = self._crew[i] - 1
        self._crew[i] = c
        self.working -= 1
        if c <= 0:
            pr[2] = 0.0
            self._ver[i] = self._ver.get(i, 0) + 1  # stalled until a repaired robot resumes it
            self._resume.append(i)
            return
        r = self._pow[c] if c < len(self._pow) else c ** self.e / SECONDS_PER_HOUR
        pr[2] = r
        self._schedule_finish(i, max(pr[0], 0.0) / r)

    def _repaired(self, _ev: simpy.Event) -> None:
        self.free += 1
        self._lg.extend((self.env.now, 3, -1, 1, 0.0))
        if self._resume:
            i = self._resume.pop()
            self.free -= 1
            self.working += 1
            self._crew[i] = 1
            pr = self._progress(i)
            pr[1] = self.env.now
            pr[2] = 1.0 / SECONDS_PER_HOUR
            self._schedule_finish(i, max(pr[0], 0.0) / pr[2])
        self._dispatch()

    # ------------------------------------------------------------------ re-planning
    def _replan_loop(self) -> Any:
        # ends with the construction, or with the production horizon should construction never
        # finish (a stall then shows as done < activities in the summary, not as a hang)
        while self.done < self.n and not self._prod_over:
            yield self.env.timeout(self.cfg.replan_interval_h * SECONDS_PER_HOUR)
            if self.disrupted and self.replans < self.cfg.max_replans and self.done < self.n:
                # re-planning wall time: building the remaining project, the engine's solve and
                # re-keying the ready list (reported apart from the event loop's)
                t0 = time.perf_counter()
                self._replan()
                self.replan_s += time.perf_counter() - t0

    def _replan(self) -> None:
        now_h = self.env.now / SECONDS_PER_HOUR
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
        prog = np.array([self._progress(k) for k in ril], float).reshape(-1, 3)
        left, t_upd, rate = prog[:, 0], prog[:, 1], prog[:, 2]
        crew = np.array([self._crew[k] for k in ril], np.int64)
        left_h = np.maximum(left - (self.env.now - t_upd) * rate, 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rem = np.where(rate > 0, left_h / (rate * SECONDS_PER_HOUR), left_h)
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
        notified = np.zeros(self.n, bool)  # late deliveries the supplier has announced
        notified[[i for _, i in self._notes[:self._note_k]]] = True
        fin = np.asarray(self._finish_s)[self.plan.pred]  # when each arc's predecessor finished
        ready_at = np.zeros(self.n)
        np.maximum.at(ready_at, self.plan.succ, np.where(np.isnan(fin), 0.0, fin))
        known = np.maximum(ready_at[ki], np.where(
            notified[ki], self.arrival_s[ki], 0.0))
        rel[waiting] = np.maximum(0, np.ceil(known / SECONDS_PER_HOUR - origin)).astype(np.int64)
        src, dst, lag = sub.arcs()
        prob = Problem.from_arrays(
            dur, dem, sub.capacities, pred=src, succ=dst, lag=lag, time_unit_s=SECONDS_PER_HOUR,
            resource_names=sub.resource_names, release=rel, fixed_starts=fixed, work=work,
            crew_min=cmin, crew_max=cmax, crew_resource=0, crew_exponent=sub.crew_exponent,
            name="replan")
        res = solve(prob, self.cfg.replan_solver, settings=self.cfg.solve_settings,
                    time_limit_s=self.cfg.replan_time_limit_s, seed=self.cfg.seed + self.replans,
                    n_schedules=max(1, 20_000 // max(n, 1)))
        self.replans += 1
        self.disrupted = False
        if res.starts is None:
            return
        ready = [self._byk[k] for k in self.heap + self._blocked]
        self.prio[keep] = origin + res.starts
        self._set_keys()
        if res.crews is not None:
            self.crew_plan[keep[waiting]] = np.where(res.crews[waiting] > 0,
                                                     res.crews[waiting],
                                                     self.crew_plan[keep[waiting]])
            self._cplan = self.crew_plan.tolist()
        self._log(5, -1, int(waiting.sum()), float(origin + (res.makespan or 0)))
        self.heap = [self._key[i] for i in ready if self.state[i] == 1]
        self._blocked = []
        heapq.heapify(self.heap)
        self._hgen += 1
        self._dispatch()

    # ------------------------------------------------------------------ production
    def _production(self) -> Any:
        cfg = self.cfg
        day = 0
        end_s = math.inf
        hours_per_day = SECONDS_PER_DAY / SECONDS_PER_HOUR
        limit_d = 20 * (float(self.plan.col("finish_h").max(initial=0)) / hours_per_day + 30) + \
            cfg.horizon_days
        while day < limit_d:
            yield self.env.timeout(SECONDS_PER_DAY)
            day += 1
            now = self.env.now
            age_d = (now - self.bld_done_s) / SECONDS_PER_DAY
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
                end_s = now + cfg.horizon_days * SECONDS_PER_DAY
            if now >= end_s:
                break
        self._prod_over = True

    # ------------------------------------------------------------------ run
    def run(self) -> SimResult:
        import pandas as pd

        self._resume: list[int] = []
        self._prod_over = False
        for i in np.flatnonzero(np.asarray(self._npred) == 0).tolist():
            if self._arr.get(i, 0.0) > 0.0:
                self._at(self._arr[i], partial(self._ready, i))
            else:
                self.state[i] = 1
                self.heap.append(self._key[i])
        heapq.heapify(self.heap)
        self._dispatch()
        # the supplier notifies each late delivery at its planned start: one pending event at a
        # time walks the notices in time order (tens of thousands of them pushed at once would
        # deepen the kernel's heap for the whole run)
        late = np.flatnonzero(self.late)
        t_note = self.prio[late] * SECONDS_PER_HOUR
        o = np.argsort(t_note, kind="stable")
        self._notes = list(zip(t_note[o].tolist(), late[o].tolist(), strict=True))
        self._note_k = 0
        if self._notes:
            self._at(self._notes[0][0], self._late)
        if self.cfg.replan:
            self.env.process(self._replan_loop())
        self.env.process(self._production())
        t0 = time.perf_counter()
        # the run allocates millions of small, acyclic objects (events, log rows): the cyclic
        # garbage collector would re-scan them over and over; pause it for the run
        gc_on = gc.isenabled()
        gc.disable()
        # the run is env.run() with a count of the kernel events processed: step until SimPy
        # reports an empty schedule
        n_events = 0
        step = self.env.step
        try:
            while True:
                step()
                n_events += 1
        except EmptySchedule:
            pass
        finally:
            if gc_on:
                gc.enable()
        wall = time.perf_counter() - t0
        self.start_s = np.array(self._start_s, float)
        self.finish_s = np.array(self._finish_s, float)
        self.crew = np.array(self._crew, np.int64)
        ev = self._events_frame()
        # executions counted from the log's start rows (each start of an activity is logged)
        starts = ev["activity"].to_numpy()[(ev["event"] == "start").to_numpy()]
        self.executions = np.bincount(starts, minlength=self.n).astype(np.int64)
        prod = pd.DataFrame(self.prod_rows,
                            columns=["day", "time_s", "output", "cumulative", "fleet"])
        end_s = float(np.nanmax(self.finish_s)) if self.n else 0.0
        planned_h = float(self.plan.col("finish_h").max()) if self.n else 0.0
        summary = {
            "seed": self.cfg.seed,
            "activities": self.n,
            "done": int(self.done),
            "executed_once": bool(np.all(self.executions == 1)),
            "simulated_makespan_h": end_s / SECONDS_PER_HOUR,
            "planned_makespan_h": planned_h,
            "delay_h": end_s / SECONDS_PER_HOUR - planned_h,
            "breakdowns": int((ev["event"] == "breakdown").sum()),
            "breakdowns_short_handed": int(self.short),
            "late_deliveries": int(self.late.sum()),
            "replans": self.replans,
            "replan_wall_s": self.replan_s,
            "charge_trips": int(ev.loc[ev["event"] == "charge_trips", "count"].sum()),
            "produced": self.produced,
            "fleet_final": self.robots,
            "robots_joined": self.joined,
            "kernel_events": n_events,
            "log_events": len(ev),
            "wall_s": wall,
            # the event loop's rate: re-planning (the engine's work) taken out of its wall time
            "kernel_events_per_s": (n_events / (wall - self.replan_s)
                                    if wall > self.replan_s else None),
            "sim_time_unit": "s (env.now is seconds from construction start)",
        }
        return SimResult(self.start_s, self.finish_s, self.crew, self.executions, ev, prod,
                         summary)

    def _events_frame(self) -> Any:
        """The event log as a DataFrame (time_s, event, activity, count, value), from the flat
        list of row fields in one array conversion."""
        import pandas as pd

        rows = np.array(self._lg, float).reshape(-1, 5)  # ints below 2**53 are exact floats
        ev = pd.DataFrame({
            "time_s": rows[:, 0],
            "event": pd.Categorical.from_codes(rows[:, 1].astype(np.int8), EVENTS),
            "activity": rows[:, 2].astype(np.int64),
            "count": rows[:, 3].astype(np.int64),
            "value": rows[:, 4].copy()})
        return ev

    def _late(self, _ev: Any = None) -> None:
        k = self._note_k
        i = self._notes[k][1]
        self._log(4, i, 0, (self.arrival_s[i] - self.env.now) / SECONDS_PER_HOUR)
        self.disrupted = True
        self._note_k = k + 1
        if k + 1 < len(self._notes):
            self._at(self._notes[k + 1][0] - self.env.now, self._late)


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


def load_simulation(folder: Any, plan: PlanData | None = None
                    ) -> tuple[Any, Any, dict[str, Any]] | None:
    """The latest simulation inside a plan folder: (activities, events, summary) or None.

    Every file is checked on open against ``plan`` (read from ``folder`` if not given); a
    damaged simulation folder is one :class:`UserError` naming the file."""
    from terawatt.fleet.folders import read_simulation
    from terawatt.fleet.plan import load_plan

    return read_simulation(folder, plan if plan is not None else load_plan(folder))
