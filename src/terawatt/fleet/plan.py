"""The planning service: goal -> project -> schedule (the engine) -> named robots -> run folder.

Time: one scheduling period is one hour (``PERIOD_S = 3600``); sites work around the clock, so
a completion date is ``start + makespan`` hours.

Robots in the schedule. Of a fleet of ``N`` robots, ``floor(N * availability)`` are scheduled
(availability = MTBF / (MTBF + MTTR)); the rest are spares that cover breakdowns in execution.
Charging is covered inside every crew (see :mod:`terawatt.fleet.assign`): work contents are
stretched by ``duty**-e``.

Monotone in the fleet size. A list-scheduling heuristic is not monotone by itself (Graham's
anomalies: more resources can give a later finish). A schedule for ``g`` robots is also feasible
for more robots, so the plan for ``N`` robots schedules the robot pool at every size ``g`` of a
fixed geometric grid (ratio 2**(1/16), about 4.4 %) with ``g <= floor(N * availability)`` and keeps
the best schedule, skipping sizes whose resource lower bound cannot beat it. The set of candidates
only grows with ``N``, hence more robots never give a later planned completion. The robots above
the chosen grid size become spares. For projects above ``GUARD_MAX_ACTIVITIES`` activities only
the largest grid size is scheduled (a single solve of a 1,000,000-activity project takes the whole
time budget); monotonicity is then not enforced beyond what the heuristic gives. Only the full
pool is solved with the requested solver (CP-SAT under ``auto`` for small projects); the guard's
smaller pools use the deterministic heuristic, so the guarantee is exact for ``--solver
heuristic`` and holds up to CP-SAT's improvement on the full pool otherwise.
"""

from __future__ import annotations

import datetime as _dt
import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.constants import SECONDS_PER_HOUR
from terawatt.errors import UserError
from terawatt.fleet.assign import Assignment, Battery, assign_robots, availability, battery_cycle
from terawatt.fleet.expand import Project, expand
from terawatt.fleet.goal import Goal
from terawatt.scheduling.problem import Problem, Result
from terawatt.scheduling.settings import SolveSettings

PERIOD_S = SECONDS_PER_HOUR
GRID_RATIO = 2.0 ** (1.0 / 16.0)
GUARD_MAX_ACTIVITIES = 50_000
SCHEDULE_BUDGET = 20_000  # activity-schedules per solve (n_schedules = budget / activities)


def grid_sizes(n_max: int, n_min: int = 1) -> np.ndarray:
    """The fixed geometric grid of robot-pool sizes in ``[n_min, n_max]`` (ascending, unique)."""
    if n_max < 1:
        return np.zeros(0, np.int64)
    k = np.arange(0, int(math.log(max(n_max, 1)) / math.log(GRID_RATIO)) + 2)
    g = np.unique(np.floor(GRID_RATIO ** k + 1e-9).astype(np.int64))
    return g[(g >= n_min) & (g <= n_max)]


@dataclass(frozen=True, slots=True, eq=False)
class Model:
    """How a project becomes a scheduling problem (everything needed to rebuild it)."""

    crew_exponent: float
    stretch: float  # work multiplier for charging, duty**-e [-]
    battery: Battery
    availability: float
    resource_names: tuple[str, ...]
    equipment_capacity: np.ndarray


def problem_model(project: Project, goal: Goal, reg: Registry) -> Model:
    e = reg.si("fleet.crew.exponent")
    bat = battery_cycle(reg, goal.fleet)
    return Model(e, bat.duty ** -e, bat, availability(reg),
                 ("robots", *project.equipment_kinds), project.equipment_capacity)


def build_problem(work: np.ndarray, crew_min: np.ndarray, crew_max: np.ndarray,
                  equipment: np.ndarray, pred: np.ndarray, succ: np.ndarray, robots: int,
                  model: Model, name: str = "plan") -> Problem:
    """The engine's :class:`Problem`: robot pool of ``robots`` + shared equipment.

    ``work`` [robot-hour] is the schedule work (already stretched for charging). Crew maxima
    are capped at the pool size; a crew minimum above it is refused.
    """
    n = work.shape[0]
    if n and int(crew_min.max()) > robots:
        i = int(np.argmax(crew_min))
        raise UserError(f"robots: value {robots} robots available to the schedule; allowed: at "
                        f"least {int(crew_min[i])} (an activity needs a crew of that size)")
    r = len(model.resource_names)
    dem = np.zeros((n, r), np.int64)
    has = equipment >= 0
    dem[np.flatnonzero(has), 1 + equipment[has].astype(np.int64)] = 1
    cmax = np.minimum(crew_max, robots).astype(np.int64)
    return Problem.from_arrays(
        np.zeros(n, np.int64), dem, np.concatenate([[robots], model.equipment_capacity]),
        pred=pred, succ=succ, time_unit_s=PERIOD_S, resource_names=model.resource_names,
        work=work, crew_min=crew_min.astype(np.int64), crew_max=cmax, crew_resource=0,
        crew_exponent=model.crew_exponent, name=name)


def solve_problem(problem: Problem, settings: SolveSettings, solver: str = "auto",
                  time_limit_s: float = 10.0, seed: int = 0, n_schedules: int = 200) -> Result:
    """Schedule with the engine (:func:`terawatt.scheduling.solve.solve`)."""
    from terawatt.scheduling.solve import solve
    return solve(problem, solver=solver, settings=settings, time_limit_s=time_limit_s,
                 seed=seed, n_schedules=n_schedules)


def problem_bound(problem: Problem) -> int:
    """Best cheap lower bound of a problem [period] (critical path and resource energy)."""
    from terawatt.scheduling.bounds import lower_bounds
    return int(max(lower_bounds(problem).values()))


def energy_bound(work: np.ndarray, crew_min: np.ndarray, exponent: float, robots: int) -> int:
    """Resource lower bound [period]: least robot-periods (at crew_min) over the pool size."""
    d = np.ceil(work / np.maximum(crew_min, 1) ** exponent - 1e-9)
    return int(math.ceil(float((d * crew_min).sum()) / max(robots, 1)))


@dataclass(frozen=True, slots=True, eq=False)
class Schedule:
    """The chosen schedule and the pool size it was made for."""

    result: Result
    problem: Problem
    pool: int  # robots scheduled (grid size)
    tried: tuple[tuple[int, int], ...]  # (pool, makespan) of every solve


def schedule_fleet(project: Project, goal: Goal, reg: Registry, robots: int,
                   solver: str = "auto", time_limit_s: float = 10.0, seed: int = 0,
                   guard: bool | None = None, n_schedules: int | None = None) -> Schedule:
    """Best schedule over the grid sizes <= the schedulable pool (see module docstring)."""
    model = problem_model(project, goal, reg)
    work = project.work_rh * model.stretch
    pool_max = int(math.floor(robots * model.availability))
    need = int(project.crew_min.max())
    sizes = grid_sizes(pool_max, need)
    if sizes.size == 0:
        raise UserError(f"robots: value {robots}; allowed: at least "
                        f"{math.ceil(need / model.availability)} robots (a crew of {need} plus "
                        "spares for repairs)")
    if guard is None:
        guard = project.n <= GUARD_MAX_ACTIVITIES
    if n_schedules is None:  # heuristic budget shrinks with size: one pass at 1M activities
        n_schedules = int(max(1, min(100, SCHEDULE_BUDGET // max(project.n, 1))))
    settings = SolveSettings.from_registry(reg)
    best: tuple[int, Result, Problem, int] | None = None
    tried: list[tuple[int, int]] = []  # (pool, makespan)
    for g in sizes[::-1]:
        g = int(g)
        # bounds only grow as the pool shrinks: once one reaches the best, stop
        if best is not None and energy_bound(work, project.crew_min, model.crew_exponent,
                                             g) >= best[0]:
            break
        prob = build_problem(work, project.crew_min, project.crew_max, project.equipment,
                             project.pred, project.succ, g, model, name=goal.product)
        if best is not None and problem_bound(prob) >= best[0]:
            break
        # the chosen solver (CP-SAT within its time limit) for the full pool; the smaller pools of
        # the guard only need the deterministic heuristic, else a small plan takes minutes
        res = solve_problem(prob, settings, solver if not tried else "heuristic", time_limit_s,
                            seed, n_schedules)
        if res.makespan is None:
            raise UserError(f"schedule: the engine found no schedule for {g} robots "
                            f"(status {res.status.value})")
        tried.append((g, int(res.makespan)))
        if best is None or res.makespan < best[0]:
            best = (int(res.makespan), res, prob, g)
        if not guard:
            break
    assert best is not None
    return Schedule(best[1], best[2], best[3], tuple(tried))


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """A finished plan: the project, its schedule, the robot assignment and a summary."""

    goal: Goal
    project: Project
    model: Model
    schedule: Schedule
    assignment: Assignment
    summary: dict[str, Any]
    curve: list[dict[str, Any]] = field(default_factory=list)

    @property
    def starts(self) -> np.ndarray:
        assert self.schedule.result.starts is not None
        return self.schedule.result.starts

    @property
    def crews(self) -> np.ndarray:
        assert self.schedule.result.crews is not None
        return self.schedule.result.crews

    @property
    def finishes(self) -> np.ndarray:
        return self.schedule.result.finishes(self.schedule.problem)


def completion_date(start: _dt.date, hours: float) -> _dt.date:
    return start + _dt.timedelta(hours=float(hours))


def _summary(goal: Goal, project: Project, model: Model, sch: Schedule, asg: Assignment,
             robots: int, reg: Registry, timings: dict[str, float]) -> dict[str, Any]:
    res = sch.result
    mk = int(res.makespan or 0)
    finish = completion_date(goal.start, mk)
    tpl = project.template
    robot_h = float((asg.busy_h).sum())
    cost = robot_h * reg.value("fleet.robot.cost_per_hour", "USD/h") + \
        project.n_lines * tpl.figures["line_capex"].value
    cp = int(res.bounds.get("critical_path", res.lower_bound))
    return {
        "goal": goal.describe(),
        "goal_text": goal.text,
        "product": goal.product,
        "product_name": tpl.name,
        "rate_per_day": goal.rate_per_day,
        "rated_output_per_day": project.n_lines * tpl.figures["line_output"].value,
        "unit": tpl.unit,
        "start": goal.start.isoformat(),
        "deadline": goal.deadline.isoformat() if goal.deadline else None,
        "completion": finish.isoformat(),
        "meets_deadline": None if goal.deadline is None else finish <= goal.deadline,
        "makespan_h": mk,
        "makespan_days": mk / 24.0,
        "lower_bound_h": int(res.lower_bound),
        "critical_path_h": cp,
        "earliest_possible": completion_date(goal.start, cp).isoformat(),
        "gap": res.gap,
        "solver": res.solver,
        "solver_status": res.status.value,
        "robots": robots,
        "robots_scheduled": sch.pool,
        "robots_spare": robots - sch.pool,
        "pools_tried": [list(t) for t in sch.tried],
        "activities": project.n,
        "precedences": int(project.pred.shape[0]),
        "lines": project.n_lines,
        "buildings": project.n_buildings,
        "tools": project.n_lines * project.units_per_line,
        "crew_slots": asg.n_slots,
        "work_robot_h": float(project.work_rh.sum()),
        "assigned_robot_h": robot_h,
        "planned_charge_trips": int(asg.charge_trips.sum()),
        "mean_utilisation": robot_h / max(robots * mk, 1),
        "duty_cycle": model.battery.duty,
        "battery_runtime_h": model.battery.runtime_h,
        "availability": model.availability,
        "crew_exponent": model.crew_exponent,
        "work_stretch_for_charging": model.stretch,
        "resources": list(model.resource_names),
        "capacities": [sch.pool, *model.equipment_capacity.tolist()],
        "cost_estimate_usd": cost,
        "budget_usd": goal.budget_usd,
        "within_budget": None if goal.budget_usd is None else cost <= goal.budget_usd,
        "skills": {t: {"level": goal.fleet.level(t),
                       "time_multiplier": goal.fleet.time_multiplier.get(t)}
                   for t in project.tasks},
        "scenario": reg.scenario,
        "timings_s": timings,
        "time_unit": "hour (period = 3600 s); simulation time env.now is in seconds",
    }


def make_plan(goal: Goal, reg: Registry, robots: int | None = None, solver: str = "auto",
              time_limit_s: float = 10.0, seed: int = 0, guard: bool | None = None,
              check_deadline: bool = True) -> Plan:
    """Plan ``goal`` with ``robots`` (default: the goal's fleet count)."""
    n = robots if robots is not None else goal.fleet.count
    if n is None:
        raise UserError("robots: value auto; use robots_auto() or give a fleet count")
    if n <= 0:
        raise UserError(f"robots: value {n}; allowed: a whole number >= 1 (a fleet of zero "
                        "robots builds nothing)")
    t0 = time.perf_counter()
    project = expand(goal.with_robots(n), reg)
    t1 = time.perf_counter()
    sch = schedule_fleet(project, goal, reg, n, solver, time_limit_s, seed, guard)
    t2 = time.perf_counter()
    model = problem_model(project, goal, reg)
    res = sch.result
    assert res.starts is not None and res.crews is not None
    fin = res.finishes(sch.problem)
    asg = assign_robots(res.starts, fin, res.crews, sch.pool, model.battery)
    t3 = time.perf_counter()
    timings = {"expand": t1 - t0, "schedule": t2 - t1, "assign": t3 - t2, "total": t3 - t0}
    summary = _summary(goal, project, model, sch, asg, n, reg, timings)
    if check_deadline and goal.deadline is not None and not summary["meets_deadline"]:
        raise UserError(
            f"{goal.source}: key 'deadline': value {goal.deadline}; cannot be met with {n:,} "
            f"robots: earliest completion {summary['completion']} (critical path alone: "
            f"{summary['earliest_possible']}); allowed: a later deadline or more robots "
            "(try --robots auto)")
    return Plan(goal, project, model, sch, asg, summary)


def robots_auto(goal: Goal, reg: Registry, solver: str = "heuristic", time_limit_s: float = 5.0,
                seed: int = 0, points: int = 8, max_robots: int | None = None
                ) -> tuple[int, list[dict[str, Any]]]:
    """Fleet size vs completion: a monotone trade-off curve and a recommended fleet size.

    Fleet sizes run geometrically from the smallest workable fleet to the size where the
    schedule reaches the critical path (or ``max_robots``). The curve keeps, at each size, the
    best completion of any smaller size (a plan for fewer robots is valid with more), so it is
    monotone non-increasing. Recommended: the smallest fleet meeting the deadline, or without a
    deadline the smallest within 5 % of the best completion.
    """
    probe = expand(goal.with_robots(1), reg)
    model = problem_model(probe, goal, reg)
    work = probe.work_rh * model.stretch
    need = math.ceil(int(probe.crew_min.max()) / model.availability) + 1
    # saturation: enough robots to give every activity its maximum crew at once
    top = int(max_robots or max(need * 2, math.ceil(probe.crew_max.sum() / model.availability)))
    top = max(top, need + 1)
    sizes = np.unique(np.geomspace(need, top, points).round().astype(np.int64))
    curve: list[dict[str, Any]] = []
    best = math.inf
    for n in sizes:
        sch = schedule_fleet(probe, goal, reg, int(n), solver, time_limit_s, seed, guard=False)
        mk = int(sch.result.makespan or 0)
        best = min(best, mk)
        curve.append({"robots": int(n), "makespan_h": int(best), "raw_makespan_h": mk,
                      "completion": completion_date(goal.start, best).isoformat(),
                      "lower_bound_h": int(sch.result.lower_bound),
                      "energy_bound_h": energy_bound(work, probe.crew_min,
                                                     model.crew_exponent, int(n))})
    if goal.deadline is not None:
        ok = [c for c in curve if _dt.date.fromisoformat(c["completion"]) <= goal.deadline]
        if not ok:
            raise UserError(
                f"{goal.source}: key 'deadline': value {goal.deadline}; cannot be met with up to "
                f"{curve[-1]['robots']:,} robots: earliest completion {curve[-1]['completion']};"
                " allowed: a later deadline")
        rec = ok[0]["robots"]
    else:
        target = curve[-1]["makespan_h"] * 1.05
        rec = next(c["robots"] for c in curve if c["makespan_h"] <= target)
    return int(rec), curve


# --------------------------------------------------------------------------- plan data
@dataclass(frozen=True, slots=True, eq=False)
class PlanData:
    """A plan as plain arrays (what simulate/explain/report read; saved in the run folder).

    ``table`` columns (one row per activity, index = activity): kind, phase, task, building,
    bay, cell, unit, step, zone, equipment (-1 none), delivery, work_rh [robot-hour], work_sched
    [robot-hour, stretched for charging], crew_min, crew_max, crew, start_h, finish_h.
    ``pred``/``succ`` precedence arcs; ``slot_ptr``/``robot`` the named-robot assignment;
    ``names`` the category names; ``summary`` the JSON summary (with a ``model`` entry).
    """

    table: Any  # pandas.DataFrame
    pred: np.ndarray
    succ: np.ndarray
    slot_ptr: np.ndarray
    robot: np.ndarray
    names: dict[str, list[str]]
    summary: dict[str, Any]

    @property
    def n(self) -> int:
        return len(self.table)

    def col(self, name: str) -> np.ndarray:
        values: np.ndarray = self.table[name].to_numpy()  # pandas: no type information here
        return values

    def label(self, i: int) -> str:
        t = self.table
        parts = []
        b, bay, st = int(t["building"].iat[i]), int(t["bay"].iat[i]), int(t["step"].iat[i])
        cell = int(t["cell"].iat[i])
        if b >= 0:
            parts.append(f"B{b + 1}")
        if bay >= 0:
            parts.append(f"L{bay + 1}")
        if cell >= 0:
            parts.append(f"C{cell + 1}")
        if st >= 0:
            parts.append(f"{self.names['step_names'][st]}#{int(t['unit'].iat[i]) + 1}")
        parts.append(self.names["kinds"][int(t["kind"].iat[i])])
        return "/".join(parts) if len(parts) > 1 else f"site/{parts[0]}"

    def find(self, spec: str) -> int:
        """Activity index from a number (0-based row) or a label such as ``B1/L1/bay_power``."""
        s = spec.strip()
        if s.isdigit():
            i = int(s)
            if 0 <= i < self.n:
                return i
            raise UserError(f"activity: value {spec!r}; allowed: 0..{self.n - 1} or a label")
        # search only rows of the named kind
        kind = s.split("/")[-1]
        if kind not in self.names["kinds"]:
            raise UserError(f"activity: value {spec!r}; allowed: an index 0..{self.n - 1} or a "
                            f"label ending in one of {', '.join(self.names['kinds'])}")
        k = self.names["kinds"].index(kind)
        for j in np.flatnonzero(self.col("kind") == k):
            if self.label(int(j)) == s:
                return int(j)
        raise UserError(f"activity: value {spec!r}; no such activity in this plan (labels look "
                        f"like {self.label(self.n - 1)!r})")

    def problem(self, robots: int | None = None) -> Problem:
        """Rebuild the engine's problem (same pool and equipment as planned by default)."""
        m = self.summary["model"]
        model = Model(m["crew_exponent"], m["stretch"], Battery(*m["battery"]), m["availability"],
                      tuple(self.names["resources"]), np.asarray(m["equipment_capacity"], np.int64))
        return build_problem(self.col("work_sched"), self.col("crew_min"), self.col("crew_max"),
                             self.col("equipment"), self.pred, self.succ,
                             int(robots if robots is not None else m["pool"]), model)


def plan_data(plan: Plan) -> PlanData:
    import pandas as pd

    p = plan.project
    tbl = pd.DataFrame({
        "kind": p.kind, "phase": p.phase, "task": p.task, "building": p.building, "bay": p.bay,
        "cell": p.cell, "unit": p.unit, "step": p.step, "zone": p.zone, "equipment": p.equipment,
        "delivery": p.delivery, "work_rh": p.work_rh, "work_sched": p.work_rh * plan.model.stretch,
        "crew_min": p.crew_min, "crew_max": p.crew_max,
        "crew": plan.crews.astype(np.int32), "start_h": plan.starts.astype(np.int64),
        "finish_h": plan.finishes.astype(np.int64)})
    names = {"kinds": list(p.kinds), "tasks": list(p.tasks), "phases": list(p.phases),
             "equipment_kinds": list(p.equipment_kinds), "step_names": list(p.step_names),
             "resources": list(plan.model.resource_names)}
    tpl = p.template
    summary = dict(plan.summary)
    summary["model"] = {
        "crew_exponent": plan.model.crew_exponent, "stretch": plan.model.stretch,
        "battery": [plan.model.battery.runtime_h, plan.model.battery.trip_h,
                    plan.model.battery.charge_h],
        "availability": plan.model.availability,
        "equipment_capacity": plan.model.equipment_capacity.tolist(),
        "pool": plan.schedule.pool, "robots": plan.summary["robots"],
        "line_output_per_day": tpl.figures["line_output"].value,
        "lines_per_building": p.lines_per_building, "n_lines": p.n_lines,
        "n_buildings": p.n_buildings, "units_per_line": p.units_per_line,
        "cells_per_line": p.cells_per_line,
        "joins_fleet": tpl.joins_fleet, "unit": tpl.unit, "start": plan.goal.start.isoformat(),
    }
    summary["curve"] = plan.curve
    return PlanData(tbl, p.pred, p.succ, plan.assignment.slot_ptr, plan.assignment.robot,
                    names, summary)


def save_plan(data: PlanData, folder: Any) -> None:
    """Write plan.parquet, arcs.parquet, assignments.parquet, robots.parquet, summary.json."""
    from pathlib import Path

    import pandas as pd

    from terawatt.io.runfolder import write_json

    folder = Path(folder)
    data.table.to_parquet(folder / "plan.parquet", index=False)
    pd.DataFrame({"pred": data.pred, "succ": data.succ}).to_parquet(folder / "arcs.parquet",
                                                                    index=False)
    act = np.repeat(np.arange(data.n, dtype=np.int32), np.diff(data.slot_ptr))
    pd.DataFrame({"activity": act, "robot": data.robot}).to_parquet(
        folder / "assignments.parquet", index=False)
    write_json(folder / "summary.json", {**data.summary, "names": data.names})


def load_plan(folder: Any) -> PlanData:
    """Read a plan run folder written by :func:`save_plan`, checking every file on open
    (:func:`terawatt.fleet.folders.read_plan`): damage is one :class:`UserError` naming the
    file."""
    from terawatt.fleet.folders import read_plan

    return read_plan(folder)


# --------------------------------------------------------------------------- service
def parse_date(text: str, key: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"{key}: value {text!r}; allowed: a date YYYY-MM-DD") from None


def plan_goal(spec: str, reg: Registry, robots: str | None = None,
              start: _dt.date | None = None, solver: str = "auto", time_limit_s: float = 10.0,
              seed: int = 0, out: Any = "runs", report: Any = None,
              skills: Any = None) -> dict[str, Any]:
    """Service of ``terawatt fleet plan``: goal text or file -> plan saved in a run folder.

    ``robots``: None (the goal's count; ``auto`` if it has none), ``"auto"`` or a count.
    ``report``: optional callable ``(path, PlanData)`` writing ``report.html``.
    ``skills``: optional skills file (``terawatt train``); its levels override the goal's.
    Returns ``{"summary": ..., "folder": ...}``.
    """
    import dataclasses

    from terawatt.fleet.goal import load_goal, parse_robots
    from terawatt.io.runfolder import run_folder
    from terawatt.scheduling.solve import SOLVERS

    if solver not in SOLVERS:
        raise UserError(f"--solver: value {solver!r}; allowed: {', '.join(SOLVERS)}")
    goal = load_goal(spec, today=start)
    if skills is not None:
        from terawatt.fleet.training import apply_skills, load_skills
        goal = apply_skills(goal, load_skills(skills))
    if start is not None and goal.start != start:
        goal = dataclasses.replace(goal, start=start)
    choice = parse_robots(robots)
    if choice is None:
        choice = goal.fleet.count if goal.fleet.count is not None else "auto"
    curve: list[dict[str, Any]] = []
    if choice == "auto":
        n, curve = robots_auto(goal, reg, solver="heuristic",
                               time_limit_s=min(time_limit_s, 5.0), seed=seed)
    else:
        n = int(choice)
    goal = goal.with_robots(n)
    plan = make_plan(goal, reg, n, solver, time_limit_s, seed)
    plan = dataclasses.replace(plan, curve=curve)
    data = plan_data(plan)
    with run_folder(out, f"fleet-{goal.product}") as rf:
        data.summary["run_folder"] = str(rf.final)
        save_plan(data, rf.path)
        if report is not None:
            report(rf.path / "report.html", data)
    return {"summary": data.summary, "folder": str(rf.final)}
