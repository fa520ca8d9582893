"""Execute a plan in a SimPy discrete-event simulation, then run the factory it builds.

**Time unit:** ``env.now`` is in **seconds** from the construction start (the plan's hour 0).

Construction. A dispatcher starts activities in the order of the current plan (planned start
as priority) as soon as their predecessors have finished, their material has arrived and the
planned crew and equipment are free (list scheduling of the plan, first fit over the ready
list). Disruptions:

* **stochastic work**: actual work = planned work x lognormal (mean 1, CV
  ``fleet.construction.duration_cv``);
* **breakdowns**: a crew of ``c`` robots working ``d`` hours suffers Poisson(``c d / MTBF``)
  failures at uniform times; the broken robot is repaired in Exp(``MTTR``) hours; an idle
  spare replaces it at once, otherwise the crew continues one robot short (the remaining work
  is re-timed);
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
        self._last_fail: tuple[int, ...] = ()
        self.pool = int(m["pool"])
        self.robots = int(m["robots"])
        self.free = self.robots  # healthy idle robots
        self.working = 0  # robots in crews; at most `pool` (the rest are spares for repairs)
        self.prio = plan.col("start_h").astype(float)
        # precedence
        self.succ_ptr = np.zeros(n + 1, np.int64)
        order = np.argsort(plan.pred, kind="stable")
        self.succ_idx = plan.succ[order]
        np.cumsum(np.bincount(plan.pred, minlength=n), out=self.succ_ptr[1:])
        self.npred = np.bincount(plan.succ, minlength=n).astype(np.int64)
        self.ready_at = np.zeros(n)
        # material
        late = plan.col("delivery") & (self.rng.random(n) < cfg.late_probability)
        self.arrival_s = np.where(late, (self.prio + self.rng.exponential(cfg.late_mean_h, n)) * H,
                                  0.0)
        self.late = late
        # state
        # 0 waiting 1 ready 2 running 3 done; a bytearray (fast scalar access) with a numpy view
        self.state = bytearray(n)
        self.state_np = np.frombuffer(self.state, dtype=np.int8)
        self.start_s = np.full(n, np.nan)
        self.finish_s = np.full(n, np.nan)
        self.crew = np.zeros(n, np.int64)
        self.rate = np.zeros(n)  # work per second
        self.left = np.zeros(n)  # work left at last update [robot-h eq.]
        self.t_upd = np.zeros(n)
        self.version = np.zeros(n, np.int64)
        self.executions = np.zeros(n, np.int64)
        self.heap: list[tuple[float, int]] = []
        self._prio = self.prio.tolist()  # Python copies for the dispatcher's hot loop
        self._cplan = self.crew_plan.tolist()
        self._cmin = self.crew_min.tolist()
        self._eq = self.eq.tolist()
        self._eqf = self.eq_free.tolist()
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
        ev = self.env.timeout(max(delay_s, 0.0))
        ev.callbacks.append(fn)
        self.n_events += 1

    def _log(self, code: int, i: int, count: int = 0, value: float = 0.0) -> None:
        self.log.append((self.env.now, code, i, count, value))

    def _make_ready(self, i: int) -> None:
        now = self.env.now
        t = max(self.ready_at[i], self.arrival_s[i])
        if t > now:
            self._at(t - now, lambda _ev, i=i: self._ready(i))
        else:
            self._ready(i)

    def _ready(self, i: int) -> None:
        self.state[i] = 1
        heapq.heappush(self.heap, (self._prio[i], i))
        self._dispatch()

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self) -> None:
        # skip when nothing changed since the last attempt found nothing to start
        key = (self.free, self.working, len(self.heap), self.eq_version)
        if key == self._last_fail:
            return
        heap = self.heap
        skipped = []
        misses = 0
        avail = min(self.free, self.pool - self.working)
        while heap and misses < self.cfg.scan_limit and avail > 0:
            p, i = heapq.heappop(heap)
            st = self.state[i]
            if st != 1 or p != self._prio[i]:
                if st == 1:
                    heapq.heappush(heap, (self._prio[i], i))
                continue
            c = min(self._cplan[i], avail)
            q = self._eq[i]
            if c < self._cmin[i] or (q >= 0 and self._eqf[q] <= 0):
                skipped.append((p, i))
                misses += 1
                continue
            self._start(i, int(c))
            avail = min(self.free, self.pool - self.working)
        for item in skipped:
            heapq.heappush(heap, item)
        self._last_fail = (self.free, self.working, len(self.heap), self.eq_version)

    def _start(self, i: int, c: int) -> None:
        now = self.env.now
        self.state[i] = 2
        self.executions[i] += 1
        self.start_s[i] = now
        self.crew[i] = c
        self.free -= c
        self.working += c
        if self._eq[i] >= 0:
            self._eqf[self._eq[i]] -= 1
        self.left[i] = self.work[i]
        self.t_upd[i] = now
        self.rate[i] = c ** self.e / H
        dur = self.left[i] / self.rate[i]
        self._log(0, i, c)
        self._schedule_finish(i, dur)
        lam = c * dur / H / self.cfg.mtbf_h
        k = self.rng.poisson(lam) if lam > 0 else 0
        for u in self.rng.random(k):
            self._at(u * dur, lambda _ev, i=i: self._breakdown(i))

    def _schedule_finish(self, i: int, dur_s: float) -> None:
        self.version[i] += 1
        v = self.version[i]
        self._at(dur_s, lambda _ev, i=i, v=v: self._finish(i, v))

    def _finish(self, i: int, v: int) -> None:
        if v != self.version[i] or self.state[i] != 2:
            return
        now = self.env.now
        self.state[i] = 3
        self.finish_s[i] = now
        self.done += 1
        ci = int(self.crew[i])
        self.free += ci
        self.working -= ci
        if self._eq[i] >= 0:
            self._eqf[self._eq[i]] += 1
            self.eq_version += 1
        self._log(1, i, int(self.crew[i]))
        trips = int(self.crew[i] * (now - self.start_s[i]) / H / self.cycle_h)
        if trips:
            self._log(6, i, trips)
        if self.kind[i] == self.handover:
            self.bld_done_s[self.building[i]] = now
        for j in self.succ_idx[self.succ_ptr[i]:self.succ_ptr[i + 1]].tolist():
            if now > self.ready_at[j]:
                self.ready_at[j] = now
            self.npred[j] -= 1
            if self.npred[j] == 0:
                self._make_ready(j)
        self._dispatch()

    def _breakdown(self, i: int) -> None:
        if self.state[i] != 2:
            return
        now = self.env.now
        self._at(self.rng.exponential(self.cfg.mttr_h) * H, lambda _ev: self._repaired())
        if self.free > 0:  # a spare walks in
            self.free -= 1
            self._log(2, i, 1, 1.0)
            return
        self._log(2, i, 1, 0.0)
        self.short += 1
        self.disrupted = True
        # one robot short: re-time the remaining work
        self.left[i] -= (now - self.t_upd[i]) * self.rate[i]
        self.t_upd[i] = now
        self.crew[i] -= 1
        self.working -= 1
        if self.crew[i] <= 0:
            self.rate[i] = 0.0
            self.version[i] += 1  # stalled (still running) until a repaired robot resumes it
            self._resume.append(i)
            return
        self.rate[i] = self.crew[i] ** self.e / H
        self._schedule_finish(i, max(self.left[i], 0.0) / self.rate[i])

    def _repaired(self) -> None:
        self.free += 1
        self._log(3, -1, 1)
        if self._resume:
            i = self._resume.pop()
            self.free -= 1
            self.working += 1
            self.crew[i] = 1
            self.rate[i] = 1.0 / H
            self.t_upd[i] = self.env.now
            self._schedule_finish(i, max(self.left[i], 0.0) / self.rate[i])
        self._dispatch()

    # ------------------------------------------------------------------ re-planning
    def _replan_loop(self) -> Any:
        while self.done < self.n:
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
        left_h = np.maximum(self.left[ri] - (self.env.now - self.t_upd[ri]) * self.rate[ri], 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rem = np.where(self.rate[ri] > 0, left_h / (self.rate[ri] * H), left_h)
        dur[running] = np.ceil(now_h - origin + rem).astype(np.int64)
        work[running] = np.nan
        cmin[running] = 0
        cmax[running] = 0
        dem[running, 0] = np.minimum(self.crew[ri], sub.capacities[0])
        fixed = np.full(n, -1, np.int64)
        fixed[running] = 0
        waiting = ~running
        # the remaining (not yet started) work keeps its sampled size unknown to the planner
        rel = np.zeros(n, np.int64)
        ki = keep[waiting]
        known = np.maximum(self.ready_at[ki], np.where(self.late[ki] & (
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
        self.heap = [(self._prio[i], i) for _, i in self.heap if self.state[i] == 1]
        heapq.heapify(self.heap)
        self._last_fail = ()
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
                return

    # ------------------------------------------------------------------ run
    def run(self) -> SimResult:
        import pandas as pd

        self._resume: list[int] = []
        for i in np.flatnonzero(self.npred == 0):
            self._make_ready(int(i))
        late = np.flatnonzero(self.late)
        for i in late:  # the supplier notifies at the planned start
            t = self.prio[i] * H
            self._at(t, lambda _ev, i=int(i): self._late(i))
        if self.cfg.replan:
            self.env.process(self._replan_loop())
        self.env.process(self._production())
        t0 = time.perf_counter()
        self.env.run()
        wall = time.perf_counter() - t0
        ev = pd.DataFrame(self.log, columns=["time_s", "event", "activity", "count", "value"])
        ev["event"] = pd.Categorical.from_codes(ev["event"].to_numpy(np.int8), EVENTS)
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
