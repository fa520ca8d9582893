"""Robots building robots: the fleet plan of a robot factory feeds the stack model.

This is where the micro layer meets the macro one (DESIGN.md, "robot economy"): the fleet
planner (:mod:`terawatt.fleet`) plans the construction of one reference humanoid factory
(``robots.factory.rate`` robots/day of the ``humanoid_robot`` template, built by a fleet of
``robots.factory.fleet`` robots, heuristic solver); the plan's makespan is the factory's
**build time**, the pool it schedules its **crew**, its rated output its **capacity**.
:func:`plan_factory` returns them as a :class:`~terawatt.stack.state.RobotFactory`, cached per
assumption set, and :func:`run_stack_planned` passes it to :func:`terawatt.stack.run_stack`.

In the stack model (:func:`terawatt.stack.step.robots_step`) a share ``s`` of the population
``P`` builds factories; per step of length ``dt`` the capacity ``C`` [robot/s] grows by

    dC = s P / crew x dt / build_time x capacity

and production is ``min(C dt, chips, actuators, power)``. While the factories bind, one step
is the linear map ``(P, C) -> (k P + dt C, C + s b P)`` with ``k`` the share of robots
surviving a step and ``b`` the capacity one builder adds per step; its dominant eigenvalue
``lambda`` gives the population's doubling time ``dt ln 2 / ln lambda``
(:func:`doubling_time_from_plan`), which tends to ``ln 2 / r`` with
``r = (-1/L + sqrt(1/L^2 + 4 a)) / 2``, ``a = s capacity / (crew build_time)``, as dt -> 0.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from terawatt.assumptions import Registry
from terawatt.constants import SECONDS_PER_YEAR
from terawatt.errors import UserError
from terawatt.stack import run_stack
from terawatt.stack.model import RobotFactory
from terawatt.stack.result import StackResult

#: start date of the planned factory (does not change the makespan, which is in hours)
PLAN_START = _dt.date(2027, 1, 4)
#: solver and its time limit for the factory plan (the heuristic: deterministic, ~1 s)
PLAN_SOLVER = "heuristic"
PLAN_TIME_LIMIT_S = 10.0
#: registry prefixes the fleet planner reads (the cache key of :func:`plan_factory`)
PLAN_PREFIXES = ("fleet.", "scheduling.", "training.", "robots.factory.rate",
                 "robots.factory.fleet", "robots.factory.trained_crew")

_CACHE: dict[tuple[Any, ...], RobotFactory] = {}


def factory_goal(reg: Registry) -> str:
    """The goal text the planner is given for one reference robot factory."""
    rate = reg.value("robots.factory.rate", "1/day")
    fleet = int(round(reg.value("robots.factory.fleet", "robot")))
    return (f"build a factory making {rate:g} humanoid robots per day with {fleet} robots "
            f"starting {PLAN_START.isoformat()}")


def crew_trained(reg: Registry) -> bool:
    """Whether the registry's switch ``robots.factory.trained_crew`` asks for a trained crew."""
    return bool(reg.si("robots.factory.trained_crew") >= 0.5)


def _plan_key(reg: Registry) -> tuple[Any, ...]:
    keys = sorted({k for p in PLAN_PREFIXES for k in reg.keys(p)})
    return tuple((k, reg.get(k).value, str(reg.get(k).unit)) for k in keys)


def plan_factory(reg: Registry, trained: bool | None = None) -> RobotFactory:
    """Build time, crew and capacity of one robot factory from the fleet plan (cached).

    The plan is made once per distinct set of the values the planner reads (``fleet.*``,
    ``scheduling.*``, ``training.*``, ``robots.factory.rate`` / ``.fleet`` / ``.trained_crew``).
    ``trained``: the crew first practises in the training centre
    (:func:`terawatt.fleet.training.train` with ``training.robots`` robots for ``training.days``
    days, aimed at this factory) and the plan uses the skills it reached; None: as the switch
    ``robots.factory.trained_crew`` says.
    """
    if trained is None:
        trained = crew_trained(reg)
    key = (*_plan_key(reg), ("trained", trained))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    from terawatt.fleet import make_plan, parse_line
    from terawatt.fleet.training import apply_skills, train

    goal = parse_line(factory_goal(reg), today=PLAN_START)
    how = ""
    if trained:
        robots, days = int(round(reg.si("training.robots"))), int(round(reg.si("training.days")))
        goal = apply_skills(goal, train(reg, robots, days, goal).skills)
        how = f", crew trained by {robots:,} robots x {days} d in the training centre"
    n = goal.fleet.count
    # guard=False: schedule the given pool only (the guard's search over smaller pools takes
    # ~10 s and, for this goal, returns the same full-pool plan)
    plan = make_plan(goal, reg, n, PLAN_SOLVER, PLAN_TIME_LIMIT_S, 0, guard=False)
    s = plan.summary
    factory = RobotFactory(
        build_time_s=float(s["makespan_h"]) * 3600.0,
        crew=float(s["robots_scheduled"]),
        capacity_per_s=float(s["rated_output_per_day"]) / 86400.0,
        source=f"fleet plan ({PLAN_SOLVER}): {s['goal']}: makespan {s['makespan_days']:.0f} d, "
               f"{s['robots_scheduled']} robots scheduled, {s['rated_output_per_day']:g}/day"
               + how,
    )
    if len(_CACHE) > 64:
        _CACHE.clear()
    _CACHE[key] = factory
    return factory


@dataclass(frozen=True, slots=True)
class Replication:
    """Doubling time of the robot population while factories bind, from the fleet plan.

    Attributes
    ----------
    factory : RobotFactory
    construction_share : share of the robots building factories [-]
    lifetime_s : robot service life [s]
    dt_s : step length [s]
    doubling_time_s : with the model's step ``dt_s`` [s]
    doubling_time_continuous_s : the dt -> 0 limit [s]
    """

    factory: RobotFactory
    construction_share: float
    lifetime_s: float
    dt_s: float
    doubling_time_s: float
    doubling_time_continuous_s: float


def doubling_time_from_plan(factory: RobotFactory, construction_share: float, lifetime_s: float,
                            dt_s: float) -> Replication:
    """Doubling time of the population when factory capacity is the binding input [s].

    Parameters
    ----------
    factory : RobotFactory
        Build time [s], crew [robot] and capacity [robot/s] of one factory.
    construction_share : float
        Share of the robots building factories [-].
    lifetime_s : float
        Robot service life [s] (a share ``1 - dt / lifetime`` survives a step).
    dt_s : float
        Step length of the stack model [s].
    """
    keep = min(max(1.0 - dt_s / lifetime_s, 0.0), 1.0)
    b = construction_share * factory.capacity_added_per_builder(dt_s)
    lam = 0.5 * ((keep + 1.0) + math.sqrt((keep - 1.0) ** 2 + 4.0 * dt_s * b))
    a = construction_share * factory.capacity_per_s / (factory.crew * factory.build_time_s)
    r = 0.5 * (-1.0 / lifetime_s + math.sqrt(1.0 / lifetime_s ** 2 + 4.0 * a))
    dbl = dt_s * math.log(2.0) / math.log(lam) if lam > 1 else math.inf
    dbl_c = math.log(2.0) / r if r > 0 else math.inf
    return Replication(factory, construction_share, lifetime_s, dt_s, dbl, dbl_c)


def replication_from(reg: Registry, trained: bool | None = None) -> Replication:
    """:func:`doubling_time_from_plan` for a registry's central values and the planned factory
    (``trained``: its crew trained first, None: as the registry's switch; see
    :func:`plan_factory`)."""
    dt_s = SECONDS_PER_YEAR / reg.value("run.steps_per_year", "1/yr")
    return doubling_time_from_plan(plan_factory(reg, trained), reg.si("robots.construction_share"),
                                   reg.si("robots.lifetime"), dt_s)


def factory_record(reg: Registry) -> dict[str, Any]:
    """The planned factory and its doubling time if factories bind, as a JSON-able dict."""
    rep = replication_from(reg)
    f = rep.factory
    return {"source": f.source, "build_time_s": f.build_time_s, "crew": f.crew,
            "capacity_per_yr": f.capacity_per_s * SECONDS_PER_YEAR,
            "construction_share": rep.construction_share,
            "doubling_time_if_factories_bind_yr": rep.doubling_time_s / SECONDS_PER_YEAR}


#: why a doubling time is null in a JSON document (it is infinite)
NO_GROWTH_NOTE = "the robot population did not grow in the year: no doubling time"
NEVER_DOUBLES_NOTE = ("no growth even if factories bound: the capacity the builders add does "
                      "not outpace retirement (e.g. robots.construction_share = 0)")


def finite_or_note(rec: dict[str, Any], key: str, value: float, note: str) -> None:
    """``rec[key] = value``; if it is not finite, ``None`` and ``rec[key + '_note'] = note``
    (strict JSON has no infinity)."""
    v = float(value)
    rec[key] = v if math.isfinite(v) else None
    if rec[key] is None:
        rec[f"{key}_note"] = note


def year_records(res: StackResult) -> list[dict[str, Any]]:
    """The run's per-year records (:meth:`StackResult.per_year_records`) with the robot
    figures of :func:`robot_years` merged in; an infinite doubling time is None with a note."""
    recs = res.per_year_records()
    if "robots_construction" in res.series:
        for r, robots in zip(recs, robot_years(res), strict=True):
            r.update({k: v for k, v in robots.items() if k not in ("year",)})
            finite_or_note(r, "robot_doubling_time_yr", robots["robot_doubling_time_yr"],
                           NO_GROWTH_NOTE)
    return recs


def run_stack_planned(reg: Registry, n_samples: int = 1, rng: np.random.Generator | None = None,
                      **kwargs: Any) -> StackResult:
    """:func:`terawatt.stack.run_stack` with the robot factory taken from the fleet plan."""
    return run_stack(reg, n_samples, rng, robot_factory=plan_factory(reg), **kwargs)


def robot_years(res: StackResult) -> list[dict[str, Any]]:
    """Per year: robot population (year end), production, factory capacity, robots building
    factories, doubling time and the binding input (medians over samples).

    The doubling time is ``ln 2 / g`` with ``g`` the population's log growth over the year
    [yr] (``inf`` when it does not grow).
    """
    binding = res.binding_by_year("robots") if "robots" in res.bottlenecks else []
    years = res.years
    yi = np.floor(res.time + 1e-9)
    growth = res.step("robot_growth_per_s") * res.dt_s          # log growth per step (T, n)
    built = res.step("robots_built")
    pop = res.step("robots")
    cap = res.step("robot_factory_capacity")
    cons = res.step("robots_construction")
    out = []
    for i, y in enumerate(years):
        sel = yi == y
        span_yr = int(sel.sum()) * res.dt_s / SECONDS_PER_YEAR
        g_per_yr = float(np.median(growth[sel].sum(axis=0))) / span_yr
        out.append({
            "year": int(y),
            "robots": float(np.median(pop[sel][-1])),
            "robots_built_per_yr": float(np.median(built[sel].sum(axis=0))),
            "robot_factory_capacity_per_yr": float(np.median(cap[sel][-1])) * SECONDS_PER_YEAR,
            "robots_construction": float(np.median(cons[sel][-1])),
            "robot_doubling_time_yr": math.log(2.0) / g_per_yr if g_per_yr > 0 else math.inf,
            "bottleneck_robots": binding[i] if binding else "",
        })
    return out


#: every robot-production input but the factories made ample (actuators, factory power,
#: chips per robot), so that factory capacity binds: the case in which the stack's doubling
#: time must equal the plan's (tests/robots/test_replication.py links the two)
FACTORIES_ONLY: tuple[str, ...] = (
    "robots.actuators.base=1e30 robot/yr", "robots.actuators.target=1e30 robot/yr",
    "robots.factory_power.base=1e40 W", "robots.factory_power.target=1e40 W",
    "robots.chip_power=1e-30 W")


def stack_doubling_if_factories_bind(reg: Registry) -> tuple[float | None, str | None]:
    """Doubling time [yr] the stack model shows in its last year when only factories limit
    robot production (:data:`FACTORIES_ONLY`), central case; None and why if it has none."""
    try:
        ample = reg.with_sets(list(FACTORIES_ONLY))
    except UserError as exc:  # the overrides no longer fit the registry's bounds
        return None, f"not measured: the factories-only overrides are refused ({exc})"
    res = run_stack_planned(ample, marginal=False)
    last = np.floor(res.time + 1e-9) == res.years[-1]
    names = np.asarray(res.bottlenecks["robots"].binding_names())[last]
    if not np.all(names == "factories"):
        return None, (f"factories do not bind in {int(res.years[-1])} even with the other "
                      f"robot inputs ample ({', '.join(sorted(set(names)))} bind)")
    g = res.step("robot_growth_per_s")[last, 0]
    if not np.all(g > 0):
        return None, "the population does not grow even when only factories bind"
    return float(np.median(math.log(2.0) / g)) / SECONDS_PER_YEAR, None
